"""The corpus pass: which documents are the same article in two languages.

1. Candidates: each document of one language with its `k` nearest documents
   of the other (cosine of the document vectors), kept when each is among
   the other's `k` nearest and the cosine is at least `candidate`.
2. Verification: evidence.py weighs each candidate; pairs scoring at least
   `threshold`, whose paragraphs align (`min_aligned`), are accepted, best
   first, each document in at most one pair.
3. The kept document of a pair is the one in the first language of
   `languages` (English by default), whatever the input order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from cleaner.segment import count_words
from cleaner.xling import embed, evidence, search


@dataclass(frozen=True, slots=True)
class Embedded:
    """A document's paragraphs and their vectors, and its own vector."""

    paragraphs: tuple[str, ...]
    vectors: np.ndarray  # (paragraphs, 512) float32
    vector: np.ndarray  # (512,) float32


@dataclass(frozen=True, slots=True)
class Translation:
    kept: int  # row in the preferred language
    other: int
    evidence: evidence.Evidence
    paragraphs: tuple[tuple[str, ...], tuple[str, ...]]  # (kept's, other's), as aligned

    def aligned(self) -> list[dict]:
        """The aligned paragraphs, in order: both texts and their cosine."""
        kept, other = self.paragraphs
        return [
            {"kept": kept[i], "other": other[j], "cosine": round(c, 4)}
            for i, j, c in self.evidence.alignment
        ]


def embedded(text: str, options) -> Embedded:
    """The document's paragraphs and vectors. The paragraph vectors are rounded to
    float16, as the index keeps them (cleaner/xling/cache.py): a cached embedding
    and a fresh one are equal, so results do not depend on the cache."""
    paras = embed.paragraphs(text, options.max_paragraphs, options.max_paragraph_chars)
    vectors = embed.embed_paragraphs(paras)
    vector = embed.document_vector(vectors, paras)
    return Embedded(tuple(paras), vectors.astype(np.float16).astype(np.float32), vector)


def document_vector(text: str, options) -> np.ndarray:
    """The document's vector alone: what the search needs of every document,
    small enough (2 KB) to come back from a worker (cleaner/runner.py maps it)."""
    return embedded(text, options).vector


def eligible(lang: str | None, text: str, options) -> bool:
    """Whether a document takes part in the pairing: in one of the two
    languages, long enough, and written in paragraphs, not a list (a menu of
    one or two words a line, a table of numbers): two lists of countries in
    the two languages are close in embedding space, but they are no article."""
    if lang not in options.languages[:2] or count_words(text) < options.min_words:
        return False
    paras = embed.paragraphs(text, options.max_paragraphs, options.max_paragraph_chars)
    words = sum(len(p.split()) for p in paras)
    return words >= options.min_paragraph_words * len(paras)


def find_translations(
    rows: Iterable[int],
    lang_of: Callable[[int], str | None],
    text_of: Callable[[int], str],
    options,
    embedding_of: Callable[[int], Embedded] | None = None,
    vector_of: Callable[[int], np.ndarray] | None = None,
) -> list[Translation]:
    """Translation pairs among `rows` (`options`: XlingConfig).

    `embedding_of(row)` may come from a cache (the index); by default each
    document is embedded here. `vector_of(row)`, the document vector alone,
    may have been computed elsewhere (by the workers); the paragraph vectors
    are then computed for the candidates only.
    """
    first, second = options.languages
    embedding_of = embedding_of or (lambda row: embedded(text_of(row), options))
    vector_of = vector_of or (lambda row: full(row).vector)
    found: dict[int, Embedded] = {}

    def full(row: int) -> Embedded:
        if row not in found:
            found[row] = embedding_of(row)
        return found[row]

    sides: dict[str, list[int]] = {first: [], second: []}
    for row in sorted(rows):
        lang = lang_of(row)
        if eligible(lang, text_of(row), options):
            sides[lang].append(row)
    if not sides[first] or not sides[second]:
        return []
    a = np.stack([vector_of(row) for row in sides[first]])
    b = np.stack([vector_of(row) for row in sides[second]])
    weighed = []
    for i, j, cosine in search.mutual_pairs(a, b, options.neighbours, options.candidate):
        ra, rb = sides[first][i], sides[second][j]
        ea, eb = full(ra), full(rb)
        proof = evidence.weigh(text_of(ra), text_of(rb), ea.vectors, eb.vectors, cosine, options)
        if proof.score >= options.threshold and proof.aligned >= options.min_aligned:
            weighed.append((-proof.score, ra, rb, proof))
    weighed.sort(key=lambda item: item[:3])
    taken: set[int] = set()
    pairs = []
    for _, ra, rb, proof in weighed:
        if ra in taken or rb in taken:
            continue
        taken.update((ra, rb))
        pairs.append(Translation(ra, rb, proof, (found[ra].paragraphs, found[rb].paragraphs)))
    return sorted(pairs, key=lambda t: t.kept)
