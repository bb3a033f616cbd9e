"""Verification: a candidate pair is a duplicate only if its shingles say so.

The MinHash estimate is cheap and noisy (standard error about 0.035 at
Jaccard 0.8 with 128 permutations); the exact Jaccard of the two shingle
sets decides. Containment is the share of the shorter document's shingles
found in the longer one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EXACT, NEAR, CONTAINED = "exact", "near", "contained"
TRANSLATION = "translation"  # cleaner/xling: the same article in another language


@dataclass(frozen=True, slots=True)
class Match:
    """A verified pair: `small` is the document with fewer shingles."""

    small: int
    large: int
    kind: str  # exact, near or contained
    jaccard: float
    containment: float  # of small in large
    estimate: float | None = None  # MinHash estimate of the Jaccard, when banding found it


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two sorted unique arrays."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def verify(
    i: int,
    j: int,
    shingles_i: np.ndarray,
    shingles_j: np.ndarray,
    options,
    estimate: float | None = None,
) -> Match | None:
    """The match between documents i and j, or None when they are not duplicates."""
    jaccard, containment = overlap(shingles_i, shingles_j)
    small, large = (i, j) if len(shingles_i) <= len(shingles_j) else (j, i)
    if jaccard >= options.threshold:
        kind = NEAR  # exact duplicates are found earlier, by the hash of their text
    elif containment >= options.containment:
        kind = CONTAINED
    else:
        return None
    return Match(small, large, kind, round(jaccard, 4), round(containment, 4), estimate)
