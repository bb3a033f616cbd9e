"""Shingles: word n-grams of the normalised text, as 32-bit hashes.

The text is normalised for comparison: lower case, punctuation removed,
accents kept ("a" and "à" differ). Each distinct word is hashed once
(crc32), and the hashes of n consecutive words are combined into the hash of
the n-gram in numpy, so no n-gram string is ever built. A text shorter than
n words is one shingle of all its words.

`shingle_hash(b"word word word")` computes the same value from the n-gram
itself, so datasketch can be given it as `hashfunc` and reproduce cleaner's
signatures exactly (tests/test_dedup.py).
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np

from cleaner.segment import words

_MULTIPLIER = np.uint64(0x100000001B3)  # odd: the combination is a bijection per word
_MASK32 = (1 << 32) - 1


def normalised(text: str) -> str:
    return " ".join(words(text))


@lru_cache(maxsize=1 << 18)
def word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def _combine(hashes: np.ndarray, n: int) -> np.ndarray:
    """The 32-bit hash of each run of n consecutive word hashes."""
    m = len(hashes) - n + 1
    h = hashes[:m].astype(np.uint64)
    for k in range(1, n):
        h = h * _MULTIPLIER + hashes[k : k + m].astype(np.uint64)
    return ((h ^ (h >> np.uint64(32))) & np.uint64(_MASK32)).astype(np.uint32)


def shingles(text: str, n: int) -> np.ndarray:
    """The distinct shingles of `text`, sorted (uint32)."""
    return word_shingles(words(text), n)


def word_shingles(text_words: list[str], n: int) -> np.ndarray:
    """The distinct shingles of a list of normalised words, sorted (uint32)."""
    hashes = np.fromiter(map(word_hash, text_words), dtype=np.uint64, count=len(text_words))
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.uint32)
    return np.unique(_combine(hashes, min(n, len(hashes))))


def shingle_hash(ngram: bytes) -> int:
    """The hash of one shingle given as its words joined by spaces (datasketch's hashfunc)."""
    parts = [word_hash(w) for w in ngram.decode("utf-8").split(" ")]
    h = parts[0]
    for part in parts[1:]:
        h = (h * int(_MULTIPLIER) + part) & ((1 << 64) - 1)
    return (h ^ (h >> 32)) & _MASK32
