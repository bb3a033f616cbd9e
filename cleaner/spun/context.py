"""The context layer: words a fluent writer would not put where they stand.

A spinner swaps a word for a thesaurus synonym without reading its
neighbours, so the synonym tends to fit its place far worse than some synonym
of its own: `civil warfare` where the language writes `civil war`, `Conseil
de sûreté` for `Conseil de sécurité`. For each content word this layer asks
the background model of its language (cleaner/spun/background.py, built from
open text, so a single file is judged as well as a corpus) how much likelier
the word is as a substitution than as the writer's choice
(`background.substitution_odds`).

The document's figure `z` is a test over its distinct content words that have
synonyms: each word type contributes log10(1 - p + p * odds), the log
likelihood ratio of "a share p of the words were substituted" against "none
was", averaged over its occurrences, so a topic word repeated twenty times
counts once. The mean over types, standardised by its mean and spread on
clean news (cleaner/data/background/calibration.json) and scaled by the square
root of the number of types (at most `CAP`), is `z`: about 0 for clean text
and high for spun text, whatever thesaurus the spinner used, as long as some
of its swaps are synonyms in ours. `flag_at`, per language, is the z that
clean news exceeds less than once in a hundred documents on every clean set
measured (scripts/calibrate_context.py).

Names (a capital inside a sentence), short words, function words and words
with digits are not judged: spinners leave them alone, and they carry most of
the odd but genuine pairs of clean news.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from cleaner.blocks import stopwords
from cleaner.spun import background
from cleaner.spun.words import Sentence

LANGUAGES = background.LANGS
BATCH = 8192  # words scored at once
# types: beyond this, a longer text does not make the figure surer (the
# model's errors are not independent); see scripts/calibrate_context.py
CAP = 150


class Suspect(NamedTuple):
    position: int  # index of the word in the sequence judged
    original: str  # the synonym that fits far better
    log_odds: float  # log10 of how much likelier a substitution is than a choice
    fit: float  # log10 P of the window as written
    original_fit: float  # log10 P of the window with the original


class Verdict(NamedTuple):
    z: float  # the document's figure (see the module doc); 0.0 when nothing was judged
    flag_at: float  # the z from which clean news is flagged less than 1 time in 100
    types: int  # distinct words judged
    suspects: list[Suspect]  # words whose odds reach the evidence floor, in order


@cache
def calibration() -> dict[str, dict]:
    """Per language: the prior share `p` and the mean and spread of a word
    type's term on clean news, and `flag_at` (scripts/calibrate_context.py
    writes them)."""
    path = resources.files("cleaner") / "data" / "background" / "calibration.json"
    return json.loads(path.read_text(encoding="utf-8"))["languages"]


_JUDGEABLE: dict[str, bool] = {}  # norm -> worth judging (text is Zipfian: mostly hits)


def _judgeable(norms: Sequence[str]) -> np.ndarray:
    """Whether each word is a content word: three letters or more, no digit,
    not a function word."""
    found = list(map(_JUDGEABLE.get, norms))
    if None in found:
        stop = stopwords()
        for i, n in enumerate(norms):
            if found[i] is None:
                found[i] = _JUDGEABLE[n] = len(n) >= 3 and n.isalpha() and n not in stop
    return np.array(found, dtype=bool)


class Examined(NamedTuple):
    lang: str
    positions: np.ndarray  # indices of the words judged in this language
    odds: background.Odds
    h: np.ndarray  # the hashes of all the words


class Text(NamedTuple):
    """The words of a text as the context layer reads them, word i being:"""

    norms: Sequence[str]  # its norm (cleaner.spun.words)
    capitals: Sequence[bool]  # whether it is written with a capital
    langs: Sequence[str | None]  # its language (None: not judged)
    starts: Sequence[bool]  # whether it begins a sentence (its capital is then no sign of a name)


def text_of(sentences: Iterable[Sentence], lang: str) -> Text:
    """The words of `sentences` (cleaner.spun.words.sentence), all in `lang`."""
    text = Text([], [], [], [])
    for words in sentences:
        text.norms.extend(words.norms)
        text.capitals.extend(words.capitals)
        text.starts.extend([True] * bool(words.norms) + [False] * (len(words.norms) - 1))
    text.langs.extend([lang] * len(text.norms))
    return text


def examine(text: Text) -> list[Examined]:
    """The substitution odds of the words worth judging, per language."""
    return examine_many([text])[0]


class _Laid(NamedTuple):
    """A text's words as the model reads them (see `_lay`)."""

    h: np.ndarray  # the hashes of its words
    apart: np.ndarray  # the same with "no word" before each sentence but the first
    at: np.ndarray  # where word i stands in `apart`
    positions: dict[str, np.ndarray]  # per language: the indices of the words judged


def _lay(text: Text) -> _Laid:
    norms, langs = text.norms, text.langs
    h = background.hashes(norms)
    # a capital inside a sentence marks a name, which spinners leave alone
    capital = np.array(text.capitals, dtype=bool)
    begins = np.array(text.starts, dtype=bool)
    judged = _judgeable(norms) & (begins | ~capital)
    # A sentence's edges are the model's edges: it was made of sentences, so
    # the words across a sentence break are no context (`... the above
    # follows. Only the ...`).
    breaks = np.r_[False, begins[1:]]
    apart = np.insert(h, np.flatnonzero(breaks), background.NONE)
    at = np.arange(len(h)) + np.cumsum(breaks)
    written = set(langs)
    if len(written) == 1:  # a text in one language: the usual case
        positions = {lang: np.flatnonzero(judged) for lang in written if lang in LANGUAGES}
    else:
        language = np.array(langs, dtype=object)
        positions = {lang: np.flatnonzero(judged & (language == lang)) for lang in LANGUAGES}
    return _Laid(h, apart, at, positions)


def examine_many(texts: Sequence[Text]) -> list[list[Examined]]:
    """`examine` of each text, the texts scored together: one pass of the
    model over the words of all of them, each text's own figures the same as
    alone. Most of a short text's cost is numpy's per-call cost, not its words.

    The texts are laid end to end with "no word" between them, which is where
    each one's context ends (as at a sentence break), so no word's window
    reaches into another text."""
    laid = [_lay(text) for text in texts]
    offsets = np.cumsum([0] + [len(t.apart) + 1 for t in laid])  # where each text begins
    joined = np.zeros(int(offsets[-1]), dtype=np.uint64)
    for t, begin in zip(laid, offsets.tolist(), strict=False):
        joined[begin : begin + len(t.apart)] = t.apart
    found: list[list[Examined]] = [[] for _ in texts]
    for lang in LANGUAGES:
        owners = [k for k, t in enumerate(laid) if len(t.positions.get(lang, ()))]
        if not owners:
            continue
        where = np.concatenate([offsets[k] + laid[k].at[laid[k].positions[lang]] for k in owners])
        odds = _odds(lang, joined, where)
        ends = np.cumsum([len(laid[k].positions[lang]) for k in owners]).tolist()
        for k, first, last in zip(owners, [0, *ends[:-1]], ends, strict=True):
            part = background.Odds(*(field[first:last] for field in odds))
            found[k].append(Examined(lang, laid[k].positions[lang], part, laid[k].h))
    return found


def _odds(lang: str, h: np.ndarray, where: np.ndarray) -> background.Odds:
    """`background.substitution_odds` of the words at `where` (ascending) in
    `h`, in batches: a word's candidates take about 200 bytes each in the
    scoring, 300 MB for a megabyte of text at once. A batch is given the
    stretch of `h` it reads (two words of context each side), not all of it."""
    model, syn = background.load(lang), background.synonyms(lang)
    batches = []
    for i in range(0, len(where), BATCH):
        chunk = where[i : i + BATCH]
        low, high = max(int(chunk[0]) - 2, 0), int(chunk[-1]) + 3
        batches.append(background.substitution_odds(model, syn, h[low:high], chunk - low))
    return background.Odds(*(np.concatenate(field) for field in zip(*batches, strict=True)))


def type_terms(part: Examined, prior: float) -> np.ndarray:
    """Each judged word type with synonyms: its log likelihood ratio
    log10(1 - prior + prior * odds), averaged over its occurrences."""
    has = np.isfinite(part.odds.log_odds)
    ratio = 10.0 ** np.minimum(part.odds.log_odds[has], 30.0)
    values = np.log10(1.0 - prior + prior * ratio)
    _, word_type = np.unique(part.h[part.positions[has]], return_inverse=True)
    return np.bincount(word_type, values) / np.bincount(word_type)


def judge(text: Text, min_log_odds: float) -> Verdict:
    """The verdict on a document's words. Suspects are the words whose log10
    odds reach `min_log_odds`."""
    return judge_many([text], min_log_odds)[0]


def judge_many(texts: Sequence[Text], min_log_odds: float) -> list[Verdict]:
    """`judge` of each text, scored together (`examine_many`)."""
    return [_verdict(parts, min_log_odds) for parts in examine_many(texts)]


def _verdict(parts: list[Examined], min_log_odds: float) -> Verdict:
    table = calibration()
    standard: list[np.ndarray] = []
    flag_at = 0.0  # of a mixed text: its languages' own, weighted by their words
    suspects: list[Suspect] = []
    for part in parts:
        prior, mean, spread = (table[part.lang][k] for k in ("prior", "mean", "spread"))
        terms = type_terms(part, prior)
        standard.append((terms - mean) / spread)
        flag_at += table[part.lang]["flag_at"] * len(terms)
        syn, odds = background.synonyms(part.lang), part.odds
        suspects.extend(
            Suspect(
                int(part.positions[j]),
                syn.text[odds.original[j]],
                round(float(odds.log_odds[j]), 2),
                round(float(odds.own[j]), 2),
                round(float(odds.best[j]), 2),
            )
            for j in np.flatnonzero(odds.log_odds >= min_log_odds).tolist()
        )
    types = sum(len(terms) for terms in standard)
    if not types:
        return Verdict(0.0, 0.0, 0, [])
    suspects.sort()
    return Verdict(
        round(figure(np.concatenate(standard)), 2), round(flag_at / types, 2), types, suspects
    )


def figure(standard: np.ndarray) -> float:
    """The document's z from its word types' standardised terms: their mean,
    scaled by the square root of their number (at most CAP)."""
    return float(standard.mean()) * min(len(standard), CAP) ** 0.5
