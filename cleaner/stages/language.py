"""Language stage: a language for every sentence, and for the document.

Each sentence is scored by langid's model (cleaner/langmodel.py) for its 97
languages at once. Short and noisy text is where identifiers fail, so the
decision uses context, as a reader would:

- the accepted languages (`--lang`, English and French by default) get a
  prior for short text: in a bilingual corpus a two-word headline is far
  more likely English or French than Walloon. It falls to nothing at a
  short sentence's length, so a German or Spanish sentence still comes out
  as `de` or `es`. Between the accepted languages, langid's own class prior
  (from its training data, where English dominates) mostly gives way;
- a sentence too short to judge (`min_chars`) has no say of its own;
- the labels of consecutive sentences are chosen together (Viterbi), with a
  cost for each change of language: a short sentence between two French
  ones is French, while a real switch in a mixed document is kept.

The document gets its main language (by share of characters), the share of
each language, `mixed` when a second language holds at least
`mixed_threshold` of it, and `segments`: character spans of consecutive
sentences in one language. With `keep` (`--keep-lang`), sentences in other
languages are removed, each with its reason.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from cleaner.codes import code_for
from cleaner.document import Change, Document
from cleaner.segment import cut_spans, sentence_spans, split_lines

STAGE = "language"
_BATCH = 1000  # sentences scored at once (a news article has far fewer)...
_LONG_BATCH = 250  # ...or at a time, twice, in a longer text
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    lang: str


def sentence_units(text: str) -> list[tuple[int, int]]:
    """The sentences of each line of `text`, as character spans."""
    spans: list[tuple[int, int]] = []
    for line in split_lines(text):
        spans.extend(sentence_spans(text, line.start, line.end))
    return spans


def _log_posteriors(logp: np.ndarray) -> np.ndarray:
    top = logp.max(axis=1, keepdims=True)
    return logp - top - np.log(np.exp(logp - top).sum(axis=1, keepdims=True))


def label_sentences(text: str, spans: list[tuple[int, int]], options) -> list[str]:
    """A language for each span, chosen together (see the module doc).

    Up to `_BATCH` spans are scored at once. A longer text (a page, or a site,
    on one line) is scored `_LONG_BATCH` spans at a time, twice, rather than
    holding a score per language for each of its sentences: once for the
    languages worth following, once for the best path.
    """
    from cleaner import langmodel

    model = langmodel.load()
    if not spans:
        return []
    accepted = [model.index(code) for code in options.accepted if code in model.classes]

    def scored(batch: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, bool]:
        """The emission scores of `batch`, the sum of its log-probabilities,
        and whether any of it is long enough to judge."""
        logp, letters = model.score([text[a:b] for a, b in batch])
        if accepted:
            # langid's class prior follows its training data (English has the
            # most); between the languages of the corpus only part of it stays.
            gap = model.log_pc[accepted].max() - model.log_pc[accepted]
            logp[:, accepted] += (1 - options.training_prior) * gap
        # A prior for the accepted languages: a fixed part, and a part that falls
        # to nothing at `short_scale` letters (long text speaks for itself).
        ramp = np.clip(1 - letters / options.short_scale, 0, None)
        logp[:, accepted] += (options.prior + options.short_prior * ramp)[:, None]
        emission = _log_posteriors(logp)
        emission[letters < options.min_chars] = 0.0  # too short to judge: no say of its own
        return emission, logp.sum(axis=0, keepdims=True), bool((letters >= options.min_chars).any())

    switch = options.switch_penalty
    if len(spans) <= _BATCH:
        emission, total, judged = scored(spans)
        path = _viterbi([emission], _states([emission], switch), switch)
    else:
        batches = [spans[i : i + _LONG_BATCH] for i in range(0, len(spans), _LONG_BATCH)]
        near, judged = [], False
        for n, batch in enumerate(batches):
            emission, part, any_judged = scored(batch)
            near.append(_states([emission], switch))
            total = part if n == 0 else total + part
            judged = judged or any_judged
        states = np.unique(np.concatenate(near))
        path = _viterbi((scored(batch)[0] for batch in batches), states, switch)
    if not judged:
        # nothing long enough anywhere: the best guess for the whole, not per piece
        path = [int(_log_posteriors(total)[0].argmax())] * len(spans)
    return [model.classes[i] for i in path]


def _states(emissions: Iterable[np.ndarray], switch: float) -> np.ndarray:
    """The languages that can be on the best path: only those within 2 x
    `switch` of the best on some sentence (a sentence with no say adds
    nothing), which leaves a handful of states; all, if none is."""
    seen = None
    for emission in emissions:
        near = emission >= emission.max(axis=1, keepdims=True) - 2 * switch
        near[(emission == 0).all(axis=1)] = False
        seen = near.any(axis=0) if seen is None else seen | near.any(axis=0)
    assert seen is not None
    states = np.flatnonzero(seen)
    return states if states.size else np.arange(len(seen))


def _viterbi(emissions: Iterable[np.ndarray], states: np.ndarray, switch: float) -> list[int]:
    """The best label sequence over `states` when each change of label costs
    `switch`, for the rows of `emissions` one after the other.

    Rows are read a block at a time, and each row's back pointers kept as
    bytes (states are languages: fewer than 256): a page of sentences fits.
    """
    pack = bytes if len(states) <= 256 else list
    score: list[float] | None = None
    back: list[bytes | list[int]] = []
    for emission in emissions:
        for first in range(0, len(emission), _BATCH):
            rows = emission[first : first + _BATCH, states].tolist()
            if score is None:
                score = rows.pop(0)
            for row in rows:
                best = max(range(len(score)), key=score.__getitem__)
                move = score[best] - switch
                back.append(pack([k if score[k] >= move else best for k in range(len(score))]))
                score = [max(score[k], move) + row[k] for k in range(len(score))]
    assert score is not None
    k = max(range(len(score)), key=score.__getitem__)
    path = [k]
    for choices in reversed(back):
        k = choices[k]
        path.append(k)
    return [int(states[k]) for k in reversed(path)]


def describe(text: str, sentences: list[Sentence], mixed_threshold: float) -> dict:
    """The report fields: lang, lang_share, mixed, segments."""
    chars: dict[str, int] = {}
    for s in sentences:
        chars[s.lang] = chars.get(s.lang, 0) + (s.end - s.start)
    total = sum(chars.values())
    if not total:
        return {"lang": None, "lang_share": {}, "mixed": False, "segments": []}
    share = {
        lang: round(n / total, 3)
        for lang, n in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))
    }
    ranked = list(share)
    segments: list[dict] = []
    for s in sentences:
        if segments and segments[-1]["lang"] == s.lang:
            segments[-1]["end"] = s.end
        else:
            segments.append({"start": s.start, "end": s.end, "lang": s.lang})
    second = share[ranked[1]] if len(ranked) > 1 else 0.0
    return {
        "lang": ranked[0],
        "lang_share": share,
        "mixed": second >= mixed_threshold,
        "segments": segments,
    }


def identify(text: str, options) -> list[Sentence]:
    spans = sentence_units(text)
    return [
        Sentence(a, b, lang)
        for (a, b), lang in zip(spans, label_sentences(text, spans, options), strict=True)
    ]


def identify_languages(doc: Document, ctx) -> Document:
    options = ctx.config.language
    text = doc.text
    sentences = identify(text, options)
    changes: list[Change] = []
    if options.keep:
        dropped = [s for s in sentences if s.lang not in options.keep]
        if dropped:
            for s in dropped:
                changes.append(
                    Change(
                        STAGE,
                        code_for("other-language"),
                        "other-language",
                        text[s.start : s.end],
                        line=text.count("\n", 0, s.start) + 1,
                        detail=s.lang,
                    )
                )
            text = cut_spans(text, [(s.start, s.end) for s in dropped])
            sentences = identify(text, options)
    report = dict(doc.report)
    report.update(describe(text, sentences, options.mixed_threshold))
    return dataclasses.replace(doc, text=text, report=report, changes=doc.changes + tuple(changes))


def split_by_language(text: str, segments: list[dict]) -> dict[str, str]:
    """The text of each language of a document, in the order of its sentences
    and lines: everything written in another language is cut out."""
    parts = {}
    for lang in dict.fromkeys(s["lang"] for s in segments):
        others = [(s["start"], s["end"]) for s in segments if s["lang"] != lang]
        parts[lang] = cut_spans(text, others)
    return parts
