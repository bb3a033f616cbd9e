"""Words, shingles and passages of a text, as hashes, computed in numpy.

The text is normalised for comparison: a word is a run of word characters
(those of the regular expression `\\w`: letters, digits, underscore), each
character lower-cased on its own; punctuation goes, accents stay ("a" and
"à" differ). A shingle is a run of n consecutive words; a text shorter than
n words is one shingle of all its words.

No word or shingle string is ever built. The text's code points go through
two lookup tables (lower case, word character), each word's hash is a
polynomial of its code points summed with `np.add.reduceat`, then mixed
(splitmix64); the hashes of n consecutive words combine into the 32-bit
hash of the shingle. Python-level work is a few dozen numpy calls per
document, whatever its length.

`shingle_hash(b"word word word")` computes the same value from the shingle
as a string, so datasketch can be given it as `hashfunc` and, fed
`ngram_strings(text, n)`, reproduce cleaner's signatures exactly
(tests/test_dedup.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from cleaner.segment import pieces

_P = 0x100000001B3  # odd, so invertible modulo 2^64: a word's hash is position-free
_P_INVERSE = pow(_P, -1, 1 << 64)
_COMBINE = np.uint64(0x100000001B3)  # odd: combining words is a bijection per word
_MASK64 = (1 << 64) - 1
_MASK32 = (1 << 32) - 1
# Passage ends, for the passage hashes: sentence and clause punctuation. An
# abbreviation's period splits a sentence in two, the same way in every copy.
_PASSAGE_END = tuple(ord(c) for c in ".!?…\n,;:")
_WORD = re.compile(r"\w+")
_PIECE_CHARS = 1 << 18  # code points tokenized at a time


def _value(ch: str) -> int:
    if not (ch.isalnum() or ch == "_"):
        return 0
    lowered = ch.lower()
    return ord(lowered) if len(lowered) == 1 else ord(ch)


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """For each code point of the Basic Multilingual Plane: its value in a word
    (its lower case, 0 for a character that is not a word character) and
    whether it ends a passage."""
    value = np.array([_value(chr(c)) for c in range(0x10000)], dtype=np.uint64)
    ends = np.zeros(0x10000, dtype=bool)
    ends[list(_PASSAGE_END)] = True
    return value, ends


def _wide_values(points: np.ndarray) -> np.ndarray:
    """The word values of code points, some outside the BMP (emoji, rare scripts): in Python."""
    value, _ = _tables()
    out = np.zeros(len(points), dtype=np.uint64)
    narrow = points < 0x10000
    out[narrow] = value[points[narrow]]
    wide = np.flatnonzero(~narrow)
    out[wide] = [_value(chr(c)) for c in points[wide].tolist()]
    return out


class _Powers:
    """P^i and P^-i modulo 2^64, grown on demand."""

    def __init__(self) -> None:
        self.up = self.down = np.ones(1, dtype=np.uint64)

    def get(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.up) < size:
            size = max(size, 2 * len(self.up), 1 << 16)
            self.up = np.concatenate(([np.uint64(1)], np.cumprod(np.full(size - 1, _P, np.uint64))))
            self.down = np.concatenate(
                ([np.uint64(1)], np.cumprod(np.full(size - 1, _P_INVERSE, np.uint64)))
            )
        return self.up, self.down


_POWERS = _Powers()


def _splitmix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _segment_hashes(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Σ values[start + k] * P^k for each segment [starts[j], starts[j + 1])."""
    up, down = _POWERS.get(len(values))
    weighted = values * up[: len(values)]
    return np.add.reduceat(weighted, starts) * down[starts]


@dataclass(frozen=True, slots=True)
class Tokens:
    words: np.ndarray  # uint64: the hash of each word, in order
    passages: np.ndarray  # int64: the passage number of each word


def tokenize(text: str) -> Tokens:
    """The word hashes of `text` and the passage each word is in.

    A long text is taken `_PIECE_CHARS` at a time, in pieces cut after a
    whitespace character: a word's hash does not depend on where it stands,
    so the pieces give the same hashes, with far smaller arrays.
    """
    if len(text) <= _PIECE_CHARS:
        return _tokenize(text)[0]
    words, passages = [], []
    ends = 0  # passage ends in the pieces before
    for piece in pieces(text, _PIECE_CHARS):
        tokens, piece_ends = _tokenize(piece)
        words.append(tokens.words)
        passages.append(tokens.passages + ends)
        ends += piece_ends
    joined = np.concatenate(words)
    del words  # before the passages are joined: the pieces' arrays are a text's worth
    return Tokens(joined, np.concatenate(passages))


def _tokenize(text: str) -> tuple[Tokens, int]:
    """The tokens of `text`, and how many passage ends it holds."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(points) == 0:
        return Tokens(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)), 0
    value, passage_end = _tables()
    if points.max() < 0x10000:
        values = value[points]
    else:
        values = _wide_values(points)
        points = np.minimum(points, 0xFFFF)  # no passage ends up there
    is_word = values.astype(bool)
    starts = np.flatnonzero(is_word[1:] > is_word[:-1]) + 1
    if is_word[0]:
        starts = np.concatenate(([0], starts))
    ends = np.flatnonzero(passage_end[points])
    if len(starts) == 0:
        return Tokens(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)), len(ends)
    hashes = _splitmix(_segment_hashes(values, starts))
    passages = np.searchsorted(ends, starts)
    return Tokens(hashes, passages), len(ends)


def word_shingles(word_hashes: np.ndarray, n: int) -> np.ndarray:
    """The 32-bit hash of each run of n consecutive words (not deduplicated)."""
    n = min(n, len(word_hashes))
    if n == 0:
        return np.zeros(0, dtype=np.uint32)
    m = len(word_hashes) - n + 1
    h = word_hashes[:m].copy()  # array arithmetic wraps around modulo 2^64, silently
    for k in range(1, n):
        h = h * _COMBINE + word_hashes[k : k + m]
    return ((h ^ (h >> np.uint64(32))) & np.uint64(_MASK32)).astype(np.uint32)


def passage_hashes(tokens: Tokens, min_words: int) -> np.ndarray:
    """The distinct 32-bit hashes of the passages of at least `min_words` words, sorted."""
    if len(tokens.words) == 0:
        return np.zeros(0, dtype=np.uint32)
    starts = np.flatnonzero(np.diff(tokens.passages, prepend=-1))
    lengths = np.diff(starts, append=len(tokens.words))
    # a block of passages at a time: a passage's hash does not depend on where it stands
    step = max(1, len(starts) * _PIECE_CHARS // len(tokens.words))
    hashes = []
    for i in range(0, len(starts), step):
        lo = starts[i]
        hi = starts[i + step] if i + step < len(starts) else len(tokens.words)
        hashes.append(_segment_hashes(tokens.words[lo:hi], starts[i : i + step] - lo))
    long_enough = _splitmix(np.concatenate(hashes))[lengths >= min_words]
    return np.unique((long_enough & np.uint64(_MASK32)).astype(np.uint32))


def shingles(text: str, n: int) -> np.ndarray:
    """The distinct shingles of `text`, sorted (uint32)."""
    return np.unique(word_shingles(tokenize(text).words, n))


# -- the same, from strings: for datasketch, and for reading ------------------


def words(text: str) -> list[str]:
    """The words of `text` as cleaner compares them (each character lower-cased on its own)."""
    lowered = text.lower()
    if len(lowered) != len(text) or "Σ" in text:  # str.lower() changed a length or a context
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _WORD.findall(lowered)


def ngram_strings(text: str, n: int) -> list[bytes]:
    """The shingles of `text` as strings ("word word word"), for datasketch."""
    w = words(text)
    n = min(n, len(w))
    return [" ".join(w[i : i + n]).encode("utf-8") for i in range(len(w) - n + 1)] if n else []


def _word_hash(word: str) -> int:
    h = 0
    for k, c in enumerate(word):
        h = (h + ord(c) * pow(_P, k, 1 << 64)) & _MASK64
    return int(_splitmix(np.array([h], dtype=np.uint64))[0])


def shingle_hash(ngram: bytes) -> int:
    """The hash of one shingle given as its words joined by spaces (datasketch's hashfunc)."""
    h = 0
    for k, word in enumerate(ngram.decode("utf-8").split(" ")):
        h = _word_hash(word) if k == 0 else (h * int(_COMBINE) + _word_hash(word)) & _MASK64
    return (h ^ (h >> 32)) & _MASK32
