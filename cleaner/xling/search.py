"""Nearest neighbours across languages, vectorised.

Exact search by blocks of matrix products (numpy): a block of queries times
all the other language's vectors, `np.argpartition` for the k best. Memory
is one block of scores (block x n floats); time grows with n_en x n_fr (measured
in `make bench`), so at a million documents in each language, 10^12 products,
it is hours. Past that, an approximate index (FAISS IVF-PQ or HNSW, both exact
enough at recall 0.99 for k = 5) keeps the cost near n log n; the candidates
are verified by evidence.py either way, so approximation costs recall only.
"""

from __future__ import annotations

import numpy as np

_BLOCK = 2048


def nearest(queries: np.ndarray, targets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the indices and cosines of its `k` nearest targets,
    best first (ties by index). Both inputs are unit vectors."""
    n, m = len(queries), len(targets)
    k = min(k, m)
    index = np.zeros((n, k), dtype=np.int64)
    score = np.zeros((n, k), dtype=np.float32)
    if n == 0 or k == 0:
        return index, score
    for start in range(0, n, _BLOCK):
        block = queries[start : start + _BLOCK] @ targets.T
        if k < m:
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        else:
            top = np.broadcast_to(np.arange(m), block.shape).copy()
        values = np.take_along_axis(block, top, axis=1)
        order = np.lexsort((top, -values), axis=1)
        index[start : start + len(block)] = np.take_along_axis(top, order, axis=1)
        score[start : start + len(block)] = np.take_along_axis(values, order, axis=1)
    return index, score


def mutual_pairs(
    a: np.ndarray, b: np.ndarray, k: int, floor: float
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine) where b[j] is among a[i]'s `k` nearest and a[i]
    among b[j]'s, with cosine at least `floor`: the candidates to verify."""
    ai, av = nearest(a, b, k)
    bi, _ = nearest(b, a, k)
    back = [set(row.tolist()) for row in bi]
    pairs = []
    for i in range(len(a)):
        for j, value in zip(ai[i].tolist(), av[i].tolist(), strict=True):
            if value >= floor and i in back[j]:
                pairs.append((i, j, float(value)))
    return pairs
