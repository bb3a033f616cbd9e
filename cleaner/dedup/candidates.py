"""Candidate pairs: which documents are worth comparing.

Two sources of candidates, both computed with a sort instead of a table of
buckets, so memory is a few arrays of the corpus's size:

- LSH banding (near duplicates). The signature is cut into `bands` bands of
  `rows` values; two documents whose values agree in every row of some band
  share a bucket. This is MinHashLSH's scheme (datasketch keys a bucket by the
  bytes of the band, here by a 64-bit hash of them), and for the same
  signatures and bands it gives the same pairs (tests/test_dedup.py). A pair
  with Jaccard s becomes a candidate with probability 1 - (1 - s^rows)^bands.
- Shared passages (containment). A short story copied into a longer article
  has a low Jaccard with it, so banding misses it; but they share whole
  passages (the text between two punctuation marks: sentences and their
  clauses), and the documents that share two (or all of a shorter one's)
  are the candidates. An edited word breaks only its own passage.

A bucket holding more than `max_bucket` documents (a passage in hundreds of
documents) does not give all its pairs: each member is paired with the
shortest member and with its neighbour, which links the bucket without a
quadratic number of pairs.
"""

from __future__ import annotations

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: a bijective step per row


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """The bucket key of each band of each signature: uint64, shape (docs, bands)."""
    docs = signatures.shape[0]
    cut = signatures[:, : bands * rows].astype(np.uint64).reshape(docs, bands, rows)
    keys = np.zeros((docs, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = (keys ^ cut[:, :, r]) * _MIX
            keys ^= keys >> np.uint64(29)
    return keys


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each run of equal values (length 2 or more) in sorted `values`."""
    if len(values) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.flatnonzero(values[1:] != values[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(values)]))
    keep = ends - starts >= 2
    return starts[keep], ends[keep]


def _bucket_pairs(members: np.ndarray, max_bucket: int, rank: np.ndarray | None) -> np.ndarray:
    """Pairs (i < j) of one bucket, as int64 codes i * 2^32 + j."""
    if len(members) <= max_bucket:
        i, j = np.triu_indices(len(members), k=1)
        a, b = members[i], members[j]
    else:
        ordered = members[np.argsort(rank[members], kind="stable")] if rank is not None else members
        a = np.concatenate((np.repeat(ordered[0], len(ordered) - 1), ordered[1:-1]))
        b = np.concatenate((ordered[1:], ordered[2:]))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return (lo.astype(np.int64) << 32) | hi.astype(np.int64)


def _pairs_of_buckets(
    keys: np.ndarray, docs: np.ndarray, max_bucket: int, rank: np.ndarray | None = None
) -> list[np.ndarray]:
    order = np.argsort(keys, kind="stable")
    keys, docs = keys[order], docs[order]
    starts, ends = _runs(keys)
    return [_bucket_pairs(docs[s:e], max_bucket, rank) for s, e in zip(starts, ends, strict=True)]


def decode(codes: np.ndarray) -> np.ndarray:
    """Pair codes back to an array of shape (pairs, 2)."""
    return np.stack((codes >> 32, codes & 0xFFFFFFFF), axis=1)


def lsh_pairs(signatures: np.ndarray, bands: int, rows: int, max_bucket: int = 100) -> np.ndarray:
    """The candidate pairs (i < j, sorted) of the rows of `signatures`: shape (pairs, 2)."""
    keys = band_keys(signatures, bands, rows)
    docs = np.arange(len(signatures), dtype=np.int64)
    found: list[np.ndarray] = []
    for band in range(bands):
        found.extend(_pairs_of_buckets(keys[:, band], docs, max_bucket))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return decode(np.unique(np.concatenate(found)))


def passage_pairs(
    passages: list[np.ndarray], words: np.ndarray, max_bucket: int = 100
) -> np.ndarray:
    """Pairs of documents that share two passages, or every passage of one of them.

    `passages[i]` holds the distinct passage hashes of document i, `words`
    the documents' lengths (a big bucket pairs its members with its shortest).
    """
    counts = np.array([len(s) for s in passages], dtype=np.int64)
    if counts.sum() == 0:
        return np.zeros((0, 2), dtype=np.int64)
    hashes = np.concatenate(passages)
    docs = np.repeat(np.arange(len(passages), dtype=np.int64), counts)
    found = _pairs_of_buckets(hashes, docs, max_bucket, rank=words)
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    codes, shared = np.unique(np.concatenate(found), return_counts=True)
    pairs = decode(codes)
    needed = np.minimum(2, np.minimum(counts[pairs[:, 0]], counts[pairs[:, 1]]))
    return pairs[shared >= needed]
