"""Near-duplicate clustering as map, shuffle and reduce steps, for a cluster.

The same clusters as `find_duplicates` (cleaner/dedup/cluster.py), computed
so that no process ever holds all the candidate pairs, matches or labels:

1. Rows are numbered by rank (0 = the best copy: longest, then path and
   position) and cut into `parts` ranges of ranks, one per task. A row's
   partition is `rank // size`: every join back to the documents is a route
   by that number.
2. Exact copies: the content hashes are shuffled so that equal ones meet; the
   best of each group is its representative, the others point to it.
3. Candidates: the representatives' band keys (LSH) and passage hashes are
   shuffled so that equal keys meet; each bucket gives its pairs as the local
   code does (a big bucket is linked without all its pairs), and the pairs
   are shuffled by pair so that each is counted (shared passages) once.
4. Verification where the pairs are: the signatures of both ends are fetched
   from their partitions (a join) and the MinHash estimate filters; the texts
   of the pairs left are sent to their task by the client (which holds every
   cleaned text: it writes them), and the exact shingle overlap decides.
5. Connected components by min-label propagation: every edge holder asks the
   labels of its ends, proposes the smaller to both, partitions keep the
   smallest proposal; repeated until nothing changes. A component's label is
   its best row, the union-find root of the local code.
6. Containment: each contained match offers its cluster to the container's
   cluster; each cluster keeps its best offer (at the cluster's partition),
   and the offers join the graph for a second propagation: as every offer
   points to a better cluster, the smallest label of a tree of offers is its
   top, the local code's kept copy.
7. The keep decision joined back: each partition writes the `duplicate`
   field of its rows: an exact copy by the kept copy's content hash (fetched
   from its partition), the others measured on their texts and the kept
   copy's (and container's), sent by the client; the clusters are numbered by
   the path of their kept copy.

The steps run on an `Exchange`: `LocalExchange` (here, in one process, for
tests) or the Dask engine's (cleaner/engine/dask.py), whose handles are
futures on the workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from cleaner.dedup.candidates import _bucket_pairs, _runs, band_keys
from cleaner.dedup.cluster import _ESTIMATE_SLACK, Duplicate, Result, keep_order
from cleaner.dedup.fingerprint import FingerprintTable
from cleaner.dedup.minhash import estimated_jaccard
from cleaner.dedup.shingles import shingles
from cleaner.dedup.verify import CONTAINED, EXACT, NEAR, overlap, verify

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BAND_SALT = np.uint64(0xD6E8FEB86659FD93)
_MAX_BUCKET = 100  # as lsh_pairs and passage_pairs
_EMPTY = np.zeros(0, dtype=np.int64)


class Exchange(Protocol):
    """Where the steps run. A handle stands for a value (a future on a cluster)."""

    def scatter(self, values: list[Any]) -> list[Any]: ...

    def map(self, func: Callable[..., Any], *columns: Sequence[Any], **shared: Any) -> list[Any]:
        """`func(*row, **shared)` for each row of the zipped columns: handles."""
        ...

    def split(self, handles: list[Any], n: int) -> list[list[Any]]:
        """Handles to lists of `n` pieces -> `n` lists of handles (piece j of each)."""
        ...

    def gather(self, handles: list[Any]) -> list[Any]: ...


class LocalExchange:
    """The steps in this process, one after the other (tests, small runs)."""

    def scatter(self, values):
        return list(values)

    def map(self, func, *columns, **shared):
        return [func(*row, **shared) for row in zip(*columns, strict=True)]

    def split(self, handles, n):
        return [[h[j] for h in handles] for j in range(n)]

    def gather(self, handles):
        return list(handles)


# -- what a partition holds ---------------------------------------------------


@dataclass(frozen=True, eq=False)
class Part:
    """The rows of ranks [start, start + len(words)) of the corpus."""

    start: int
    words: np.ndarray  # int64
    digests: np.ndarray  # (rows, 2) uint64: the content hash
    signatures: np.ndarray  # (rows, num_perm) uint32
    passages: list[np.ndarray]


def _partition(rank: int, size: int) -> int:
    return rank // size


def _bucket(keys: np.ndarray, n: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        return ((keys.astype(np.uint64) * _MIX) >> np.uint64(33)).astype(np.int64) % n


def _route(dest: np.ndarray, n: int, *columns: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """The rows of `columns` cut by destination (0 .. n-1), each keeping its order."""
    order = np.argsort(dest, kind="stable")
    bounds = np.searchsorted(dest[order], np.arange(n + 1))
    return [tuple(c[order[bounds[j] : bounds[j + 1]]] for c in columns) for j in range(n)]


def _joined(pieces: Sequence[tuple[np.ndarray, ...]], width: int) -> tuple[np.ndarray, ...]:
    pieces = [p for p in pieces if len(p[0])]
    if not pieces:
        return tuple(_EMPTY for _ in range(width))
    return tuple(np.concatenate([p[k] for p in pieces]) for k in range(width))


def _decode(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return codes >> 32, codes & 0xFFFFFFFF


# -- a join: values of rows fetched from their partitions -----------------------


def _ask(wanted: np.ndarray, size: int, parts: int) -> list[tuple[np.ndarray]]:
    wanted = np.unique(wanted)
    return _route(_partition(wanted, size), parts, wanted)


def _serve(source: Any, start: int, requests: list[tuple[np.ndarray]], getter) -> list[Any]:
    """For each asker, the values of the rows it asked for."""
    return [getter(source, wanted - start, wanted) for (wanted,) in requests]


def _collect(pieces: list[dict[int, Any]]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for piece in pieces:
        found.update(piece)
    return found


def fetch(ex: Exchange, holders: list[Any], starts, size: int, wanted: list[Any], getter):
    """For each handle of `wanted` (arrays of ranks), a handle to {rank: value}:
    `getter(holder, local rows, ranks)` of the partition holding each row."""
    n = len(holders)
    asked = ex.split(ex.map(_ask, wanted, size=size, parts=n), n)
    served = ex.split(ex.map(_serve, holders, starts, asked, getter=getter), len(wanted))
    return ex.map(_collect, served)


def _signatures_of(part: Part, local: np.ndarray, ranks: np.ndarray) -> dict[int, np.ndarray]:
    return dict(zip(ranks.tolist(), part.signatures[local], strict=True))


def _digests_of(part: Part, local: np.ndarray, ranks: np.ndarray) -> dict[int, tuple]:
    return {
        r: tuple(part.digests[i].tolist())
        for i, r in zip(local.tolist(), ranks.tolist(), strict=True)
    }


def send_texts(ex: Exchange, wanted: list[Any], text_of, by_rank: np.ndarray) -> list[Any]:
    """For each handle of `wanted` (arrays of ranks), a handle to {rank: text},
    sent from here: the client holds every cleaned text (it writes them), so
    only the texts a step needs travel, once to each task that needs them."""
    return [
        ex.scatter([{r: text_of(int(by_rank[r])) for r in ranks.tolist()}])[0]
        for ranks in ex.gather(wanted)
    ]


def _labels_of(labels: np.ndarray, local: np.ndarray, ranks: np.ndarray) -> dict[int, int]:
    return dict(zip(ranks.tolist(), labels[local].tolist(), strict=True))


# -- 2. exact copies ----------------------------------------------------------


def _exact_keys(part: Part, buckets: int):
    ranks = np.arange(part.start, part.start + len(part.words), dtype=np.int64)
    has = part.words > 0
    d = part.digests[has]
    return _route(_bucket(d[:, 0], buckets), buckets, d[:, 0], d[:, 1], ranks[has])


def _exact_groups(pieces, size: int, parts: int):
    """(member, representative) of each exact copy, routed to the member's partition."""
    high, low, ranks = _joined(pieces, 3)
    order = np.lexsort((ranks, low, high))
    high, low, ranks = high[order], low[order], ranks[order]
    first = np.ones(len(ranks), dtype=bool)
    first[1:] = (high[1:] != high[:-1]) | (low[1:] != low[:-1])
    rep = ranks[np.flatnonzero(first)[np.cumsum(first) - 1]] if len(ranks) else _EMPTY
    members, reps = ranks[~first], rep[~first]
    return _route(_partition(members, size), parts, members, reps)


def _exact_edges(pieces, buckets: int):
    members, reps = _joined(pieces, 2)
    return _route(_bucket(members.astype(np.uint64), buckets), buckets, members, reps)


# -- 3. candidates --------------------------------------------------------------


def _candidate_keys(part: Part, copies, options, buckets: int):
    members, _ = _joined(copies, 2)
    local = np.arange(len(part.words))
    keep = (part.words >= options.min_words) & (part.words > 0)
    keep[members - part.start] = False
    rows = local[keep]
    ranks = rows + part.start
    keys = band_keys(part.signatures[rows], options.bands, options.rows)
    band = np.tile(np.arange(options.bands, dtype=np.uint64), len(rows))
    flat = keys.reshape(-1)
    with np.errstate(over="ignore"):
        where = _bucket(flat ^ (band * _BAND_SALT), buckets)
    bands = _route(where, buckets, band.astype(np.int64), flat, np.repeat(ranks, options.bands))
    counts = np.array([len(part.passages[i]) for i in rows], dtype=np.int64)
    hashes = np.concatenate([part.passages[i] for i in rows]) if len(rows) else _EMPTY
    owners = np.repeat(ranks, counts)
    passages = _route(
        _bucket(hashes.astype(np.uint64), buckets),
        buckets,
        hashes.astype(np.int64),
        owners,
        np.repeat(counts, counts),
    )
    return [(b, p) for b, p in zip(bands, passages, strict=True)]


def _bucket_codes(keys: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """The pair codes of the buckets of equal keys (members in rank order)."""
    order = np.lexsort((ranks, keys))
    keys, ranks = keys[order], ranks[order]
    starts, ends = _runs(keys)
    found = [
        _bucket_pairs(ranks[s:e], _MAX_BUCKET, None) for s, e in zip(starts, ends, strict=True)
    ]
    return np.concatenate(found) if found else _EMPTY


def _candidate_pairs(pieces, buckets: int):
    """The pairs of each bucket, routed by pair: LSH codes, and passage codes
    with how many passages they share here and how many they need."""
    band, key, ranks = _joined([p[0] for p in pieces], 3)
    salted = key.astype(np.uint64) ^ (band.astype(np.uint64) * _BAND_SALT)
    # a band's bucket is its (band, key): two bands with the same key never meet
    lsh = [_bucket_codes(salted[band == b], ranks[band == b]) for b in np.unique(band)]
    lsh_codes = np.unique(np.concatenate(lsh)) if lsh else _EMPTY
    hashes, owners, counts = _joined([p[1] for p in pieces], 3)
    codes, shared = np.unique(_bucket_codes(hashes, owners), return_counts=True)
    known, first = np.unique(owners, return_index=True)
    count_of = counts[first]
    a, b = _decode(codes)
    least = np.minimum(count_of[np.searchsorted(known, a)], count_of[np.searchsorted(known, b)])
    needed = np.minimum(2, least)
    return [
        (lsh_part, passage_part)
        for lsh_part, passage_part in zip(
            _route(_bucket(lsh_codes.astype(np.uint64), buckets), buckets, lsh_codes),
            _route(_bucket(codes.astype(np.uint64), buckets), buckets, codes, shared, needed),
            strict=True,
        )
    ]


@dataclass(frozen=True)
class Pairs:
    codes: np.ndarray  # sorted pair codes: small rank << 32 | large rank
    from_passages: np.ndarray  # bool: found by shared passages (never filtered by estimate)


def _pairs(pieces) -> Pairs:
    (lsh,) = _joined([p[0] for p in pieces], 1)
    codes, shared, needed = _joined([p[1] for p in pieces], 3)
    unique, inverse = np.unique(codes, return_inverse=True)
    total = np.bincount(inverse, weights=shared, minlength=len(unique))
    need = np.zeros(len(unique), dtype=np.int64)
    np.maximum.at(need, inverse, needed)
    passages = unique[total >= need]
    every = np.union1d(np.unique(lsh), passages)
    return Pairs(every, np.isin(every, passages))


def _pair_ends(pairs: Pairs) -> np.ndarray:
    a, b = _decode(pairs.codes)
    return np.unique(np.concatenate((a, b)))


# -- 4. verification --------------------------------------------------------------


@dataclass(frozen=True)
class Matches:
    near: np.ndarray  # (k, 2) ranks
    contained: list[tuple[int, int, float]]  # (small, large, containment)


def _estimated(pairs: Pairs, signatures: dict[int, np.ndarray], options) -> Pairs:
    """The pairs worth an exact comparison: found by shared passages, or
    with a MinHash estimate not far below the threshold."""
    a_all, b_all = _decode(pairs.codes)
    estimates = np.array(
        [
            estimated_jaccard(signatures[a], signatures[b])
            for a, b in zip(a_all.tolist(), b_all.tolist(), strict=True)
        ]
    )
    keep = pairs.from_passages | (estimates >= options.threshold - _ESTIMATE_SLACK)
    return Pairs(pairs.codes[keep], pairs.from_passages[keep])


def _verify(pairs: Pairs, texts: dict[int, str], options, shingle: int) -> Matches:
    """The near and contained matches among the pairs, by their exact shingle overlap."""
    near, contained = [], []
    cache: dict[int, np.ndarray] = {}

    def shingles_of(rank: int) -> np.ndarray:
        if rank not in cache:
            cache[rank] = shingles(texts[rank], shingle)
        return cache[rank]

    a_all, b_all = _decode(pairs.codes)
    for a, b in zip(a_all.tolist(), b_all.tolist(), strict=True):
        match = verify(a, b, shingles_of(a), shingles_of(b), options)
        if match is None:
            continue
        if match.kind == NEAR:
            near.append((a, b))
        else:
            contained.append((match.small, match.large, match.containment))
    return Matches(np.array(near, dtype=np.int64).reshape(-1, 2), contained)


# -- 5. connected components ------------------------------------------------------


def _edge_ends(*edge_sets: np.ndarray) -> np.ndarray:
    return np.unique(np.concatenate([e.reshape(-1) for e in edge_sets] + [_EMPTY]))


def _propose(labels: dict[int, int], *edge_sets: np.ndarray, size: int, parts: int):
    """For each edge, the smaller label of its ends, offered to both ends."""
    edges = np.concatenate([e.reshape(-1, 2) for e in edge_sets] + [_EMPTY.reshape(0, 2)])
    if not len(edges):
        return _route(_EMPTY, parts, _EMPTY, _EMPTY)
    lookup = np.vectorize(labels.__getitem__, otypes=[np.int64])
    smaller = np.minimum(lookup(edges[:, 0]), lookup(edges[:, 1]))
    ends = np.concatenate((edges[:, 0], edges[:, 1]))
    offers = np.concatenate((smaller, smaller))
    return _route(_partition(ends, size), parts, ends, offers)


def _update(labels: np.ndarray, start: int, offers) -> tuple[np.ndarray, int]:
    ends, offered = _joined(offers, 2)
    new = labels.copy()
    np.minimum.at(new, ends - start, offered)
    return new, int(np.count_nonzero(new != labels))


def _first(pair):
    return pair[0]


def _second(pair):
    return pair[1]


def _propagate(ex: Exchange, labels: list[Any], starts, size: int, edge_sets: list[list[Any]]):
    """Labels after min-label propagation over the edges (held per bucket)."""
    n = len(labels)
    wanted = ex.map(_edge_ends, *edge_sets)
    while True:
        known = fetch(ex, labels, starts, size, wanted, _labels_of)
        offers = ex.split(ex.map(_propose, known, *edge_sets, size=size, parts=n), n)
        updated = ex.map(_update, labels, starts, offers)
        changed = sum(ex.gather(ex.map(_second, updated)))
        labels = ex.map(_first, updated)
        if not changed:
            return labels


# -- 6. containment ---------------------------------------------------------------


def _containment_offers(matches: Matches, roots: dict[int, int], size: int, parts: int):
    """Each contained match's offer to attach its cluster (the small one's root)
    to the container's: (-containment, container root, container)."""
    offers = []
    for small, large, containment in matches.contained:
        small_root, large_root = roots[small], roots[large]
        # attach only to a cluster whose best copy is better: no cycles
        if small_root != large_root and large_root < small_root:
            offers.append((small_root, -containment, large_root, large))
    keys = np.array([o[0] for o in offers], dtype=np.int64)
    return [
        [offers[i] for i in piece]
        for (piece,) in _route(_partition(keys, size), parts, np.arange(len(offers)))
    ]


def _contained_ends(matches: Matches) -> np.ndarray:
    return np.array([r for m in matches.contained for r in m[:2]], dtype=np.int64)


def _best_offers(pieces) -> dict[int, tuple[float, int, int]]:
    """The container of each cluster root: its best offer."""
    best: dict[int, tuple[float, int, int]] = {}
    for piece in pieces:
        for root, *offer in piece:
            best[root] = min(best.get(root, tuple(offer)), tuple(offer))
    return best


def _container_edges(best: dict[int, tuple[float, int, int]]) -> np.ndarray:
    edges = [(root, offer[1]) for root, offer in best.items()]
    return np.array(sorted(edges), dtype=np.int64).reshape(-1, 2)


# -- 7. the keep decision, joined back ---------------------------------------------


def _tops(labels: np.ndarray, start: int) -> np.ndarray:
    """The kept copies (labels) of this partition's rows that are in a cluster."""
    ranks = np.arange(start, start + len(labels))
    return np.unique(labels[labels != ranks])


def _is_exact(part: Part, i: int, kept: int, digests: dict[int, tuple]) -> bool:
    return part.words[i] > 0 and tuple(part.digests[i].tolist()) == digests[kept]


def _measured_rows(part: Part, roots, tops, containers: dict, digests: dict) -> np.ndarray:
    """The rows whose texts measure this partition's copies that are not exact:
    the copies, their kept copies and the documents they are contained in."""
    ranks = np.arange(part.start, part.start + len(tops))
    wanted = []
    for i in np.flatnonzero(tops != ranks).tolist():
        if not _is_exact(part, i, int(tops[i]), digests):
            wanted += [int(ranks[i]), int(tops[i])]
            if roots[i] != tops[i]:
                wanted.append(containers[int(roots[i])][2])
    return np.unique(np.array(wanted, dtype=np.int64))


def _roots_wanted(part_roots: np.ndarray, tops: np.ndarray, start: int) -> np.ndarray:
    ranks = np.arange(start, start + len(tops))
    return np.unique(part_roots[(tops != ranks) & (part_roots != tops)])


def _containers_of(best: dict, local: np.ndarray, ranks: np.ndarray) -> dict[int, Any]:
    return {r: best[r] for r in ranks.tolist()}


def _assign(part: Part, roots, tops, containers: dict, digests: dict, texts: dict, shingle: int):
    """(rank, kept, kind, jaccard, container, containment) of each copy of this partition."""
    ranks = np.arange(part.start, part.start + len(tops))
    out = []
    for i in np.flatnonzero(tops != ranks).tolist():
        rank, kept, root = int(ranks[i]), int(tops[i]), int(roots[i])
        if _is_exact(part, i, kept, digests):
            out.append((rank, kept, EXACT, 1.0, None, None))
            continue
        mine = shingles(texts[rank], shingle)
        jaccard = round(overlap(mine, shingles(texts[kept], shingle))[0], 4)
        if root == kept:
            out.append((rank, kept, NEAR, jaccard, None, None))
            continue
        container = containers[root][2]
        containment = round(overlap(mine, shingles(texts[container], shingle))[1], 4)
        out.append((rank, kept, CONTAINED, jaccard, container, containment))
    return out


# -- the whole ---------------------------------------------------------------------


def _parts_of(table: FingerprintTable, by_rank: np.ndarray, size: int):
    """The partitions of `size` rows, one at a time: only one is built here at once."""
    for start in range(0, len(by_rank), size):
        rows = by_rank[start : start + size].tolist()
        digests = np.zeros((len(rows), 2), dtype=np.uint64)
        for k, row in enumerate(rows):
            digest = table.hashes[row].ljust(16, b"\0")
            digests[k] = np.frombuffer(digest[:16], dtype=np.uint64)
        yield Part(
            start=start,
            words=np.array([table.words[r] for r in rows], dtype=np.int64),
            digests=digests,
            signatures=table.signatures[rows],
            passages=[table.passages(r) for r in rows],
        )


def find_duplicates_distributed(
    table: FingerprintTable,
    options,
    text_of: Callable[[int], str],
    ex: Exchange,
    parts: int,
) -> Result:
    """`find_duplicates(table, options, ...)`'s duplicates, computed on `ex`
    in `parts` partitions (see the module doc). `text_of(row)` gives a row's
    cleaned text; only the texts of rows in pairs worth comparing and of
    copies being measured are sent, each to the tasks that need it."""
    n = len(table)
    result = Result()
    if n == 0:
        return result
    by_rank = np.asarray(keep_order(table), dtype=np.int64)
    size = -(-n // max(1, min(parts, n)))  # rows a partition
    held = [ex.scatter([part])[0] for part in _parts_of(table, by_rank, size)]
    starts = list(range(0, n, size))
    p = len(held)
    shingle = options.shingle

    # 2. exact copies
    exact = ex.split(ex.map(_exact_keys, held, buckets=p), p)
    copies = ex.split(ex.map(_exact_groups, exact, size=size, parts=p), p)
    exact_edges = ex.split(ex.map(_exact_edges, copies, buckets=p), p)
    # 3. candidates
    keys = ex.split(ex.map(_candidate_keys, held, copies, options=options, buckets=p), p)
    bucketed = ex.split(ex.map(_candidate_pairs, keys, buckets=p), p)
    pairs = ex.map(_pairs, bucketed)
    del exact, keys, bucketed  # on a cluster, forgetting a handle frees its value
    # 4. verification
    signatures = fetch(ex, held, starts, size, ex.map(_pair_ends, pairs), _signatures_of)
    pairs = ex.map(_estimated, pairs, signatures, options=options)
    texts = send_texts(ex, ex.map(_pair_ends, pairs), text_of, by_rank)
    matches = ex.map(_verify, pairs, texts, options=options, shingle=shingle)
    del signatures, pairs, texts
    near = ex.map(_near_edges, matches)
    # 5. components of exact and near copies: the union-find roots
    labels = ex.map(_identity_labels, held)
    exact_held = ex.map(_edge_array, exact_edges)
    roots = _propagate(ex, labels, starts, size, [exact_held, near])
    # 6. containment
    known = fetch(ex, roots, starts, size, ex.map(_contained_ends, matches), _labels_of)
    offers = ex.split(ex.map(_containment_offers, matches, known, size=size, parts=p), p)
    containers = ex.map(_best_offers, offers)
    attach = ex.map(_container_edges, containers)
    tops = _propagate(ex, roots, starts, size, [exact_held, near, attach])
    # 7. the keep decision
    wanted_roots = ex.map(_roots_wanted, roots, tops, starts)
    their = fetch(ex, containers, starts, size, wanted_roots, _containers_of)
    kept = ex.map(_tops, tops, starts)
    digests = fetch(ex, held, starts, size, kept, _digests_of)
    measured = ex.map(_measured_rows, held, roots, tops, their, digests)
    texts = send_texts(ex, measured, text_of, by_rank)
    assigned = ex.map(_assign, held, roots, tops, their, digests, texts, shingle=shingle)
    kept_rows = sorted(set().union(*(t.tolist() for t in ex.gather(kept))))
    decided = [d for part in ex.gather(assigned) for d in part]

    numbers = {
        kept: number
        for number, kept in enumerate(sorted(kept_rows, key=lambda k: table.keys[by_rank[k]]), 1)
    }
    for kept in kept_rows:
        result.duplicates[int(by_rank[kept])] = Duplicate(numbers[kept], True)
    for rank, kept, kind, jaccard, container, containment in decided:
        original = int(by_rank[kept])
        result.duplicates[int(by_rank[rank])] = Duplicate(
            numbers[kept],
            False,
            original,
            jaccard,
            kind,
            int(by_rank[container]) if container is not None else None,
            containment,
        )
    return result


def _near_edges(matches: Matches) -> np.ndarray:
    return matches.near


def _identity_labels(part: Part) -> np.ndarray:
    return np.arange(part.start, part.start + len(part.words), dtype=np.int64)


def _edge_array(pieces) -> np.ndarray:
    members, reps = _joined(pieces, 2)
    return np.stack((members, reps), axis=1) if len(members) else _EMPTY.reshape(0, 2)
