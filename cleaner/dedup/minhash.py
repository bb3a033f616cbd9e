"""MinHash signatures in numpy, the same as datasketch's for the same hashes.

datasketch 2.x's default scheme, "affine32": each 32-bit input hash is mixed
once with the MurmurHash3 finalizer, then permutation k maps it to
a_k * h + b_k mod 2^32 (a_k odd), and the signature keeps the minimum per
permutation. The (a, b) come from numpy's RandomState(seed) exactly as
datasketch draws them, so `to_datasketch()` gives a LeanMinHash that
datasketch's own classes (MinHashLSH, jaccard) accept and agree with.
Computing it here is a few numpy operations per document instead of a
Python call per shingle.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

_EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's value for a set with nothing in it
_CHUNK = 4096  # shingles at a time, to bound memory on very long documents


@dataclass(frozen=True, eq=False)
class Permutations:
    num_perm: int
    seed: int
    a: np.ndarray  # uint32, odd
    b: np.ndarray  # uint32


@cache
def permutations(num_perm: int = 128, seed: int = 1) -> Permutations:
    if num_perm < 1:
        raise ValueError("num_perm must be at least 1")
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return Permutations(num_perm, seed, a, b)


def fmix32(h: np.ndarray) -> np.ndarray:
    """The MurmurHash3 finalizer, as datasketch applies it (uint32 wrap-around)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signature(hashes: np.ndarray, perms: Permutations) -> np.ndarray:
    """The MinHash signature (uint32, num_perm values) of a set of 32-bit hashes.

    Repeated hashes may be left in: they do not change a minimum. Unsigned
    array arithmetic wraps around modulo 2^32 without a warning, as wanted.
    """
    if len(hashes) == 0:
        return np.full(perms.num_perm, _EMPTY, dtype=np.uint32)
    mixed = fmix32(hashes.astype(np.uint32, copy=False))
    parts = []
    for start in range(0, len(mixed), _CHUNK):
        values = np.multiply.outer(perms.a, mixed[start : start + _CHUNK])
        values += perms.b[:, None]
        parts.append(values.min(axis=1))
    return parts[0] if len(parts) == 1 else np.minimum.reduce(parts)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def to_datasketch(sig: np.ndarray, seed: int = 1):
    """The signature as datasketch's LeanMinHash (imports datasketch, which is slow to import)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=sig, scheme="affine32")
