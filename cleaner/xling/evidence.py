"""What a translation keeps, and two articles on the same event do not.

Numbers (5.2% and 5,2 %; 35,000 and 35 000), names (capitalised words, accents
folded, compared on their first letters: Tymoshenko ~ Tymosenko), quoted
names, their order; the number of paragraphs and the length ratio; and the
paragraphs themselves, aligned in order by their vectors (a translation keeps
the paragraph order: a monotone alignment, paragraphs may be merged or split,
so some are left unaligned).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"[ \u00a0\u202f.,](?=\d{3}(?!\d))")
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”]\s*|\n)$")
_NAME_PREFIX = 5


def numbers(text: str) -> list[str]:
    """The numbers of `text`, in order, written one way: 35 000 -> 35000, 0,5 -> 0.5."""
    found = []
    for match in _NUMBER.finditer(text):
        value = _THOUSANDS.sub("", match.group())
        found.append(value.replace(",", "."))
    return found


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def names(text: str) -> list[str]:
    """Capitalised words not at the start of a sentence, folded, cut to 5 letters."""
    found = []
    for match in _NAME.finditer(text):
        if _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
            continue
        found.append(_fold(match.group())[:_NAME_PREFIX])
    return found


def agreement(a: list[str], b: list[str]) -> float | None:
    """F1 of the two multisets; None when neither side has any."""
    if not a and not b:
        return None
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def in_order(a: list[str], b: list[str]) -> float | None:
    """Share of the common items that appear in the same order (LCS / common)."""
    common = sum((Counter(a) & Counter(b)).values())
    if common == 0:
        return None
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / common


def aligned_similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, list[tuple[int, int, float]]]:
    """Monotone alignment of two sequences of paragraph vectors.

    The best order-keeping matching (dynamic programming: match, or skip one
    paragraph on either side); its total cosine divided by the longer side,
    and the matched pairs (i, j, cosine) in order.
    """
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return 0.0, []
    sim = (a @ b.T).astype(np.float64)
    total = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        row, above = total[i], total[i - 1]
        for j in range(1, m + 1):
            row[j] = max(above[j], row[j - 1], above[j - 1] + sim[i - 1, j - 1])
    pairs = []
    i, j = n, m
    while i and j:
        if total[i, j] == total[i - 1, j]:
            i -= 1
        elif total[i, j] == total[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1, float(sim[i - 1, j - 1])))
            i, j = i - 1, j - 1
    pairs.reverse()
    return float(total[n, m]) / max(n, m), pairs


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why two documents are (or are not) one article in two languages."""

    score: float
    cosine: float  # of the two document vectors
    aligned: float  # mean cosine of the aligned paragraphs (over the longer side)
    paragraphs: tuple[int, int]
    length_ratio: float  # characters of the second over the first
    numbers: float | None  # agreement of the numbers (F1), None when neither has any
    numbers_in_order: float | None
    names: float | None
    names_in_order: float | None
    alignment: tuple[tuple[int, int, float], ...]

    def record(self) -> dict:
        """The JSON form, in the report's `duplicate.evidence`."""
        return {
            "cosine": round(self.cosine, 4),
            "aligned": round(self.aligned, 4),
            "paragraphs": list(self.paragraphs),
            "length_ratio": round(self.length_ratio, 3),
            "numbers": _round(self.numbers),
            "numbers_in_order": _round(self.numbers_in_order),
            "names": _round(self.names),
            "names_in_order": _round(self.names_in_order),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def weigh(
    text_a: str, text_b: str, vectors_a: np.ndarray, vectors_b: np.ndarray, cosine: float, options
) -> Evidence:
    """The evidence for two documents and its score (`options`: XlingConfig).

    score = 0.4 cosine + 0.4 aligned paragraphs + 0.2 paragraph-count ratio,
    less `penalty` for a length ratio outside [min-length-ratio,
    max-length-ratio], for numbers that disagree (agreement below 0.25 when
    both sides have at least two). Names are reported, not weighed: they are
    translated too often (Czech / tchèque, EU / UE) to count against a pair.
    """
    aligned, alignment = aligned_similarity(vectors_a, vectors_b)
    counts = (len(vectors_a), len(vectors_b))
    ratio = len(text_b) / max(len(text_a), 1)
    nums_a, nums_b = numbers(text_a), numbers(text_b)
    names_a, names_b = names(text_a), names(text_b)
    number_agreement = agreement(nums_a, nums_b)
    name_agreement = agreement(names_a, names_b)
    score = 0.4 * cosine + 0.4 * aligned + 0.2 * min(counts) / max(max(counts), 1)
    if not options.min_length_ratio <= ratio <= options.max_length_ratio:
        score -= options.penalty
    if min(len(nums_a), len(nums_b)) >= 2 and (number_agreement or 0) < 0.25:
        score -= options.penalty
    return Evidence(
        round(score, 4),
        cosine,
        aligned,
        counts,
        ratio,
        number_agreement,
        in_order(nums_a, nums_b),
        name_agreement,
        in_order(names_a, names_b),
        tuple(alignment),
    )
