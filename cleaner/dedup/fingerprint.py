"""What near-duplicate detection keeps of a document: its fingerprint.

Computed once per document, in the worker that cleaned it, from the cleaned
text: the hash of the normalised text (exact duplicates), the MinHash
signature of its shingles (near duplicates), and the hashes of its longer
passages (candidates for containment). A few hundred bytes per document,
whatever its length.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass

import numpy as np

from cleaner.dedup.minhash import permutations, signature
from cleaner.dedup.shingles import passage_hashes, tokenize, word_shingles

_BLOCK_WORDS = 1 << 20  # shingles hashed at a time


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    content_hash: bytes  # of the normalised text: equal for exact duplicates
    words: int
    signature: np.ndarray  # uint32, num_perm values
    passages: np.ndarray  # uint32, sorted hashes of passages of passage_min_words or more


def fingerprint(text: str, options) -> Fingerprint | None:
    """The fingerprint of a cleaned text (`options`: DedupConfig); None when it has no words."""
    tokens = tokenize(text)
    if len(tokens.words) == 0:
        return None
    perms = permutations(options.num_perm, options.seed)
    return Fingerprint(
        content_hash=hashlib.blake2b(tokens.words, digest_size=16).digest(),  # their bytes
        words=len(tokens.words),
        signature=_signature(tokens.words, options.shingle, perms),
        passages=passage_hashes(tokens, options.passage_min_words),
    )


def _signature(words: np.ndarray, n: int, perms) -> np.ndarray:
    """The MinHash of the word shingles, taken over `_BLOCK_WORDS` shingles at a
    time on a long text (a minimum of minimums: the same signature)."""
    # repeated shingles need not be removed: they do not change a minimum
    if len(words) <= _BLOCK_WORDS:
        return signature(word_shingles(words, n), perms)
    blocks = range(0, len(words) - n + 1, _BLOCK_WORDS)
    return np.minimum.reduce(
        [signature(word_shingles(words[a : a + _BLOCK_WORDS + n - 1], n), perms) for a in blocks]
    )


class FingerprintTable:
    """The fingerprints of a corpus in a few arrays: about 600 bytes a document
    at 128 permutations, where a list of objects would take twice that.

    Row i is the i-th document added; `key` (path, position in the file) and
    `length` (characters of the cleaned text) decide which copy is kept.
    """

    def __init__(self, num_perm: int):
        self.keys: list[tuple[str, int]] = []
        self.lengths = array("q")
        self.words = array("q")  # 0: no words, never a duplicate
        self.hashes: list[bytes] = []
        self._signatures = np.zeros((1024, num_perm), dtype=np.uint32)
        self._passages = array("I")
        self._offsets = array("q", [0])

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: tuple[str, int], length: int, fp: Fingerprint | None) -> int:
        row = len(self.keys)
        if row == len(self._signatures):
            self._signatures = np.concatenate((self._signatures, np.zeros_like(self._signatures)))
        self.keys.append(key)
        self.lengths.append(length)
        self.words.append(fp.words if fp else 0)
        self.hashes.append(fp.content_hash if fp else b"")
        if fp is not None:
            self._signatures[row] = fp.signature
            self._passages.extend(fp.passages.tolist())
        self._offsets.append(len(self._passages))
        return row

    @property
    def signatures(self) -> np.ndarray:
        return self._signatures[: len(self.keys)]

    def passages(self, row: int) -> np.ndarray:
        a, b = self._offsets[row], self._offsets[row + 1]
        return np.frombuffer(self._passages[a:b], dtype=np.uint32)  # a copy: the table can grow
