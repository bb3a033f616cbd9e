"""Paraphrase of another document: align a spun copy with its original.

A spinner changes the words and leaves the rest: names, numbers and quoted
words. Those immutables, in order, are nearly the same in the copy and the
original while the word n-grams are not, so a MinHash over n-grams of the
immutables finds the candidates (banded like the near-duplicate search).
Function words are left out: spinners rewrite them too (`could also be` for
`may be`, `the place` for `where`), and on the fixtures' spun copies the
Jaccard of immutable trigrams fell from 1.0 to 0.49 with them in, while
unrelated articles stay under 0.01 without them. A candidate pair is
aligned word by word (difflib); it is a paraphrase when most of what differs
is short substitutions, dense enough through the text (a word put in or left
out beside a substitution joins it: `reasonable and fair` for `fair and
reasonable`). The copy is the side whose substituted phrases fit their
neighbours worse under the background bigram model (cleaner/spun/background.py):
a spinner does not read the context, whether it picks rarer or commoner
synonyms. Each substitution becomes evidence: phrase -> likely original.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from cleaner.segment import PIECE_CHARS, pieces
from cleaner.spun import background
from cleaner.spun.background import hashes, logp_bigram, logp_unigram
from cleaner.spun.collocation import zipf
from cleaner.spun.words import Word, tokenize

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r"“[^”\n]*”|«[^»\n]*»|\"[^\"\n]*\"")


def immutables(text: str) -> list[str]:
    """The words a spinner leaves alone, in order: names, numbers, and every
    word inside quotation marks."""
    kept: list[str] = []
    seen: dict[str, str] = {}  # one string per distinct word, on a long text too
    start = 0
    for quote in [*_QUOTED.finditer(text), None]:
        end = quote.start() if quote else len(text)
        names = (w.lower() for w in _words(text, start, end) if w[0].isupper() or w.isdigit())
        kept.extend(seen.setdefault(w, w) for w in names)
        if quote:
            quoted = (w.lower() for w in _words(text, quote.start(), quote.end()))
            kept.extend(seen.setdefault(w, w) for w in quoted)
            start = quote.end()
    return kept


def _words(text: str, start: int, end: int) -> Iterable[str]:
    """`_WORD.findall(text, start, end)`, a piece at a time when it is long."""
    if end - start <= PIECE_CHARS:
        return _WORD.findall(text, start, end)
    return (w for piece in pieces(text[start:end]) for w in _WORD.findall(piece))


def shingles(text: str, n: int) -> np.ndarray:
    """The distinct n-grams of the immutables, as sorted 32-bit hashes."""
    kept = immutables(text)
    # the hashes of every n-gram, repeats included: np.unique leaves each once
    grams = (" ".join(kept[i : i + n]).encode() for i in range(len(kept) - n + 1))
    return np.unique(np.fromiter(map(zlib.crc32, grams), dtype=np.uint32))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    union = len(np.union1d(a, b))
    return len(np.intersect1d(a, b, assume_unique=True)) / union if union else 0.0


@dataclass(frozen=True, slots=True)
class Substitution:
    start: int  # character span of the phrase in the spun text
    end: int
    phrase: str
    original: str


class Context(NamedTuple):
    left: str | None
    a: tuple[str, ...]
    b: tuple[str, ...]
    right: str | None


@dataclass(frozen=True, slots=True)
class Alignment:
    """Two texts aligned: the substitutions of `b` for `a`'s words, the
    share of the differing words they account for, and their density."""

    substitutions: list[Substitution]  # in b, for a's words
    reverse: list[Substitution]  # in a, for b's words
    share: float
    density: float
    # per counted substitution (not a word put in or left out): the shared
    # left neighbour, a's phrase, b's phrase and the shared right neighbour,
    # as norms (None at a text's edge)
    contexts: list[Context] = field(default_factory=list)


def align(a: str, b: str, max_words: int = 4) -> Alignment:
    words_a, words_b = tokenize(a), tokenize(b)
    matcher = difflib.SequenceMatcher(
        None, [w.norm for w in words_a], [w.norm for w in words_b], autojunk=False
    )
    forward: list[Substitution] = []
    reverse: list[Substitution] = []
    contexts: list[Context] = []
    differing = substituted = replaced = 0
    for op, i1, i2, j1, j2 in _spans(matcher.get_opcodes(), max_words):
        size = max(i2 - i1, j2 - j1)
        differing += size
        if op == "replace" and i2 - i1 <= max_words and j2 - j1 <= max_words:
            substituted += size
            replaced += 1
            # a replace lies between equal runs: its neighbours are the same words
            contexts.append(
                Context(
                    words_a[i1 - 1].norm if i1 else None,
                    tuple(w.norm for w in words_a[i1:i2]),
                    tuple(w.norm for w in words_b[j1:j2]),
                    words_a[i2].norm if i2 < len(words_a) else None,
                )
            )
        elif size <= 2 and (i1 or i2 < len(words_a)):
            # a word or two put in or left out (`do work` for `work`, `open up`
            # for `open`): listed with their neighbours, which say where they go,
            # but not counted, as a human edit does that too
            i1, j1 = (i1 - 1, j1 - 1) if i1 else (i1, j1)
            i2, j2 = (i2 + 1, j2 + 1) if i2 < len(words_a) else (i2, j2)
        else:
            continue
        forward.append(_substitution(b, words_b[j1:j2], a, words_a[i1:i2]))
        reverse.append(_substitution(a, words_a[i1:i2], b, words_b[j1:j2]))
    share = substituted / differing if differing else 0.0
    density = replaced / max(len(words_b), 1)
    return Alignment(forward, reverse, share, density, contexts)


def _spans(opcodes, max_words: int) -> list[tuple[str, int, int, int, int]]:
    """The differing spans of difflib's opcodes, a word put in or left out
    merged with the next span across one equal word: a local change of order
    (`a and b` for `b and a` is an insert, an equal word and a delete) or a
    function word rewritten next to a synonym is one substitution."""
    spans: list[tuple[str, int, int, int, int]] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            continue
        if spans:
            last, p1, _, q1, _ = spans[-1]
            if (
                (last, op) != ("replace", "replace")
                and i1 - spans[-1][2] <= 1
                and i2 - p1 <= max_words
                and j2 - q1 <= max_words
            ):
                spans[-1] = ("replace", p1, i2, q1, j2)
                continue
        spans.append((op, i1, i2, j1, j2))
    return spans


def _substitution(
    text: str, words: list[Word], other: str, other_words: list[Word]
) -> Substitution:
    start, end = words[0].start, words[-1].end
    return Substitution(
        start, end, text[start:end], other[other_words[0].start : other_words[-1].end]
    )


def b_is_copy(alignment: Alignment, lang: str) -> bool:
    """Whether `b` is the spun copy of `a` (rather than `a` of `b`).

    A spinner does not read the context, so its phrases fit their neighbours
    worse than the words they replace, whether it picks rarer or commoner
    synonyms. `misfit` sums, over the substitutions, how much more the
    neighbours favour a's phrase than b's: the copy is b when it is positive.
    Without a background model for the language, or when it says nothing,
    the copy is the side whose substituted words are rarer."""
    if lang in background.LANGS and alignment.contexts:
        evidence = misfit(alignment.contexts, lang)
        if evidence:
            return evidence > 0
    return rarity(alignment.substitutions, lang) < rarity(alignment.reverse, lang)


def _misfits(alignment: Alignment, lang: str, options) -> bool:
    """Whether a lightly spun pair (fewer substitutions than the density asks)
    still shows a spinner's hand: one side's phrases fit their neighbours
    worse, by `paraphrase_misfit` log10 units a substitution on average.
    A human edit (a figure updated, a word corrected) shows no such lean."""
    n = len(alignment.contexts)
    if lang not in background.LANGS or n < 3:
        return False
    if alignment.density < options.paraphrase_density / 4:
        return False
    return abs(misfit(alignment.contexts, lang)) / n >= options.paraphrase_misfit


def misfit(contexts: list[Context], lang: str) -> float:
    """How much better a's phrases fit between their neighbours than b's, in
    log10 units, summed over the substitutions.

    A phrase's fit is the context's gain: log10 P of the window (left
    neighbour, phrase, right neighbour) less log10 P of the phrase alone,
    that is how much the neighbours raise its probability. The bare window
    probability would favour common words: a spinner that picks commoner
    synonyms (`said` for `told`) writes more probable windows: on such copies
    (scripts/eval_direction.py's commoner spinner, 40 English and 24 French
    articles, each pair aligned both ways round) the window named the wrong
    side 22 times in 80 in English and 24 in 48 in French, the gain 0 and 2.
    A sum, not a vote: what gives a spinner away is a few bad misfits
    (`la mal concrète` for `la question concrète`) among many near ties."""
    if not contexts:
        return 0.0
    model = background.load(lang)
    # with bigrams, fit_phrase(left, p, right) - fit_phrase(None, p, None) is
    # what the neighbours add: log10 P(p1|left) - log10 P(p1) + log10
    # P(right|pn), the phrase's own bigrams cancelling (the bigram level of the
    # model, whatever its order); batched, a side's phrases then the other's
    left = hashes([c.left for c in contexts] * 2)
    right = hashes([c.right for c in contexts] * 2)
    first = hashes([c.a[0] for c in contexts] + [c.b[0] for c in contexts])
    last = hashes([c.a[-1] for c in contexts] + [c.b[-1] for c in contexts])
    before = logp_bigram(model, left, first) - logp_unigram(model, first)
    after = logp_bigram(model, last, right)
    gain = np.where(left != 0, before, 0.0) + np.where(right != 0, after, 0.0)
    n = len(contexts)
    return float(gain[:n].sum() - gain[n:].sum())


def rarity(substitutions: list[Substitution], lang: str) -> float:
    """The mean Zipf frequency of the substituted words: lower is rarer."""
    values = [zipf(w.norm, lang) for s in substitutions for w in tokenize(s.phrase)]
    return sum(values) / len(values) if values else 0.0


def _head(text: str, words: int = 300) -> str:
    ends = [m.end() for m in _WORD.finditer(text, 0, min(len(text), words * 12))]
    return text[: ends[words - 1]] if len(ends) >= words else text


def signature_of(text: str, options) -> np.ndarray | None:
    """The MinHash of the immutables' shingles, or None for a short text."""
    from cleaner.dedup.minhash import permutations, signature

    if sum(len(_WORD.findall(piece)) for piece in pieces(text)) < options.paraphrase_min_words:
        return None
    return signature(shingles(text, options.paraphrase_shingle), permutations(options.num_perm))


@dataclass(frozen=True, slots=True)
class Paraphrase:
    original: int  # row of the original in the corpus table
    similarity: float  # Jaccard of the immutables' shingles
    substitutions: list[Substitution]


def find_paraphrases(
    signatures: dict[int, np.ndarray],
    text_of,
    lang_of,
    order_key,
    options,
) -> dict[int, Paraphrase]:
    """For each spun copy (by row), its original and the substitutions.

    `signatures` maps rows to their immutables' MinHash; `text_of`, `lang_of`
    and `order_key` give a row's text, language and a key that orders rows the
    same way whatever the input order (its path). A copy with several
    candidate originals gets the most similar one.
    """
    from cleaner.dedup.candidates import lsh_pairs

    rows = sorted(signatures, key=order_key)
    if len(rows) < 2:
        return {}
    matrix = np.stack([signatures[r] for r in rows])
    found: dict[int, Paraphrase] = {}
    cache: dict[int, tuple[str, np.ndarray]] = {}

    def text_and_shingles(row: int) -> tuple[str, np.ndarray]:
        if row not in cache:
            text = text_of(row)
            cache[row] = text, shingles(text, options.paraphrase_shingle)
        return cache[row]

    for i, j in lsh_pairs(matrix, options.bands, options.rows).tolist():
        a, b = rows[i], rows[j]
        lang = lang_of(a)
        if lang != lang_of(b):
            continue
        (text_a, shingles_a), (text_b, shingles_b) = text_and_shingles(a), text_and_shingles(b)
        if text_a == text_b:
            continue  # an exact copy: nothing was spun
        # a spun copy keeps its original's length within a few words in a
        # hundred; two extracts of one page, one longer, are not a paraphrase
        # (and would cost an alignment)
        short, long = sorted((len(text_a), len(text_b)))
        if short < options.paraphrase_length_ratio * long:
            continue
        similarity = jaccard(shingles_a, shingles_b)
        if similarity < options.paraphrase_threshold:
            continue
        # the beginnings first: two extracts of one page differ there by whole
        # runs of words, not by substitutions (no short substitution at all on
        # the bench corpus), and aligning 300 words costs little. Half the
        # share: cleaning can cut a spun copy's first lines differently.
        if align(_head(text_a), _head(text_b)).share < options.paraphrase_share / 2:
            continue
        alignment = align(text_a, text_b)
        if alignment.share < options.paraphrase_share:
            continue
        if alignment.density < options.paraphrase_density and not _misfits(
            alignment, lang, options
        ):
            continue
        if b_is_copy(alignment, lang):
            copy, original, substitutions = b, a, alignment.substitutions
        else:
            copy, original, substitutions = a, b, alignment.reverse
        best = found.get(copy)
        if best is None or similarity > best.similarity:
            found[copy] = Paraphrase(original, round(similarity, 4), substitutions)
    return found
