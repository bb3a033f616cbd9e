"""Clusters of duplicates, and which copy of each is kept.

Exact duplicates (same normalised text) are grouped by hash. Near
duplicates (verified Jaccard at or above the threshold) are joined with
union-find. Containment is directed: a short story contained in a longer
article joins the article's cluster, but one short story contained in two
different articles must not merge those two articles, so each cluster is
attached to at most one container, the best one, and only to a cluster
whose kept copy is longer.

The kept copy of a cluster is its most complete document: the longest
cleaned text, ties broken by path then position in the file; but when the
paraphrase search finds that the kept copy is a spun copy of another member,
that original is kept (`keep_originals`). Everything is
computed on the documents sorted by that key, so the result is the same
whatever the order of the inputs or the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from cleaner.dedup.candidates import lsh_pairs, passage_pairs
from cleaner.dedup.fingerprint import FingerprintTable
from cleaner.dedup.minhash import estimated_jaccard
from cleaner.dedup.verify import CONTAINED, EXACT, NEAR, TRANSLATION, Match, overlap, verify

# A banding candidate whose MinHash estimate is this far below the threshold
# is not worth an exact comparison (over 4 standard errors at 128 permutations).
_ESTIMATE_SLACK = 0.15


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The `duplicate` report field of a document in a cluster (rows of the table)."""

    cluster: int
    kept: bool
    duplicate_of: int | None = None
    similarity: float | None = None  # exact Jaccard with the kept copy
    kind: str | None = None  # exact, near, contained, translation
    contained_in: int | None = None
    containment: float | None = None

    @property
    def match(self) -> int | None:
        """The row this copy matches: the document it is contained in, or the kept copy."""
        return self.contained_in if self.kind == CONTAINED else self.duplicate_of

    @property
    def score(self) -> float | None:
        """How closely: the containment of a contained copy, the Jaccard of the others."""
        return self.containment if self.kind == CONTAINED else self.similarity


@dataclass
class Result:
    duplicates: dict[int, Duplicate] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)  # verified pairs
    candidates: int = 0
    translations: dict[int, Any] = field(default_factory=dict)  # other row -> Translation

    @property
    def dropped(self) -> int:
        return sum(not d.kept for d in self.duplicates.values())

    def members(self) -> dict[int, list[int]]:
        """The rows of each cluster, by cluster number."""
        rows: dict[int, list[int]] = {}
        for row, duplicate in self.duplicates.items():
            rows.setdefault(duplicate.cluster, []).append(row)
        return rows


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller index becomes the root: deterministic
            self.parent[max(ra, rb)] = min(ra, rb)


def keep_order(table: FingerprintTable) -> list[int]:
    """Rows of `table`, best copy first: longest text, then path, then position."""
    return sorted(range(len(table)), key=lambda i: (-table.lengths[i], table.keys[i]))


def find_duplicates(
    table: FingerprintTable,
    options,
    shingles_of: Callable[[int], np.ndarray],
) -> Result:
    """Clusters of duplicate documents among the rows of `table` (`options`: DedupConfig).

    `shingles_of(i)` gives the sorted shingles of row i; it is called only
    for documents in a candidate pair.
    """
    n = len(table)
    rank = np.empty(n, dtype=np.int64)  # 0 = the best copy of the corpus
    rank[keep_order(table)] = np.arange(n)
    # Work in rank order: union-find roots and bucket order then follow the keep rule.
    by_rank = np.argsort(rank)
    cached = lru_cache(maxsize=8192)(lambda i: shingles_of(int(by_rank[i])))
    result = Result()
    union = UnionFind(n)

    representatives = _exact_groups(table, by_rank, union, result)
    reps = [r for r in representatives if table.words[by_rank[r]] >= options.min_words]
    containers: dict[int, tuple[float, int, int]] = {}  # near-cluster root -> (-c, rank, large)
    if len(reps) > 1:
        rows = by_rank[reps]
        signatures = table.signatures[rows]
        banded = lsh_pairs(signatures, options.bands, options.rows)
        shared = passage_pairs(
            [table.passages(row) for row in rows], np.asarray(reps, dtype=np.int64)
        )
        from_passages = {(int(a), int(b)) for a, b in shared}
        pairs = sorted({(int(a), int(b)) for a, b in banded} | from_passages)
        result.candidates = len(pairs)
        for a, b in pairs:
            estimate = estimated_jaccard(signatures[a], signatures[b])
            if (a, b) not in from_passages and estimate < options.threshold - _ESTIMATE_SLACK:
                continue
            i, j = reps[a], reps[b]
            match = verify(i, j, cached(i), cached(j), options, round(estimate, 4))
            if match is None:
                continue
            result.matches.append(match)
            if match.kind == NEAR:
                union.union(i, j)
        for match in result.matches:
            if match.kind == CONTAINED:
                small, large = union.find(match.small), union.find(match.large)
                # attach only to a cluster whose best copy is better: no cycles
                if small != large and large < small:
                    offer = (-match.containment, large, match.large)
                    containers[small] = min(containers.get(small, offer), offer)
    _assign(table, by_rank, union, containers, cached, result)
    result.matches = [_original(m, by_rank) for m in result.matches]
    return result


def _exact_groups(table, by_rank, union: UnionFind, result: Result) -> list[int]:
    """Join documents with the same text; the representatives (best copies), in rank order."""
    first: dict[bytes, int] = {}
    for r, index in enumerate(by_rank):
        if not table.words[index]:
            continue
        digest = table.hashes[index]
        if digest in first:
            union.union(first[digest], r)
            result.matches.append(Match(r, first[digest], EXACT, 1.0, 1.0))
        else:
            first[digest] = r
    return list(first.values())


def _top(root: int, containers: dict[int, tuple[float, int, int]]) -> int:
    while root in containers:
        root = containers[root][1]
    return root


def _assign(table, by_rank, union: UnionFind, containers, shingles, result: Result) -> None:
    """The `duplicate` field of every document in a cluster."""
    groups: dict[int, list[int]] = {}
    for r in range(len(by_rank)):
        groups.setdefault(_top(union.find(r), containers), []).append(r)
    clusters = sorted(
        (g for g, members in groups.items() if len(members) > 1),
        key=lambda g: table.keys[by_rank[g]],
    )
    for number, kept in enumerate(clusters, 1):
        original = int(by_rank[kept])
        result.duplicates[original] = Duplicate(number, True)
        kept_hash = table.hashes[original]
        for r in groups[kept][1:]:
            index = int(by_rank[r])
            root = union.find(r)
            if table.hashes[index] == kept_hash:
                result.duplicates[index] = Duplicate(number, False, original, 1.0, EXACT)
                continue
            jaccard = round(overlap(shingles(r), shingles(kept))[0], 4)
            if root == kept:
                result.duplicates[index] = Duplicate(number, False, original, jaccard, NEAR)
                continue
            container = containers[root][2]
            containment = round(overlap(shingles(r), shingles(container))[1], 4)
            result.duplicates[index] = Duplicate(
                number, False, original, jaccard, CONTAINED, int(by_rank[container]), containment
            )


def add_translations(result: Result, translations, keys) -> None:
    """Join each translation pair's clusters (cleaner/xling/pairs.py).

    The document in the preferred language stays the kept copy; the other
    one (and its own copies, if any) joins its cluster, its `duplicate`
    marked `translation`. Clusters are then numbered again by the path of
    their kept copy, as find_duplicates numbers them.
    """
    if not translations:
        return
    cluster_of = {row: d.cluster for row, d in result.duplicates.items()}
    merged: dict[int, int] = {}  # cluster of the other -> cluster of the kept
    singles = max(cluster_of.values(), default=0)
    for t in translations:
        for row in (t.kept, t.other):
            if row not in cluster_of:
                singles += 1
                cluster_of[row] = singles
                result.duplicates[row] = Duplicate(singles, True)
        merged[cluster_of[t.other]] = cluster_of[t.kept]
        result.translations[t.other] = t
    for row, d in list(result.duplicates.items()):
        target = merged.get(d.cluster, d.cluster)
        if row in result.translations:
            t = result.translations[row]
            d = Duplicate(target, False, t.kept, t.evidence.score, TRANSLATION)
        result.duplicates[row] = replace(d, cluster=target)
    _number(result, keys)


def _number(result: Result, keys) -> None:
    """Number the clusters by the path of their kept copy, as find_duplicates does."""
    kept = {d.cluster: row for row, d in result.duplicates.items() if d.kept}
    numbers = {c: n for n, c in enumerate(sorted(kept, key=lambda c: keys[kept[c]]), 1)}
    for row, d in list(result.duplicates.items()):
        result.duplicates[row] = replace(d, cluster=numbers[d.cluster])


def keep_originals(
    result: Result,
    originals: dict[int, int],
    table: FingerprintTable,
    shingles_of: Callable[[int], np.ndarray],
) -> None:
    """A cluster whose kept copy is a spun copy of another member keeps that
    original instead (`originals`: copy row -> original row, from the
    paraphrase search): a spinner's multi-word synonyms make its copy the
    longer, and the longest copy is otherwise kept. The other members are
    measured again against the new kept copy. Clusters with a contained
    copy keep their rule: containment is measured against the container."""
    members = result.members()
    changed = False
    for copy, original in sorted(originals.items()):
        kept = result.duplicates.get(copy)
        if kept is None or not kept.kept or original not in members[kept.cluster]:
            continue
        rows = members[kept.cluster]
        if any(result.duplicates[r].kind not in (EXACT, NEAR) for r in rows if r != copy):
            continue
        reference = shingles_of(original)
        for row in rows:
            if row == original:
                result.duplicates[row] = Duplicate(kept.cluster, True)
            elif table.hashes[row] == table.hashes[original]:
                result.duplicates[row] = Duplicate(kept.cluster, False, original, 1.0, EXACT)
            else:
                jaccard = round(overlap(shingles_of(row), reference)[0], 4)
                result.duplicates[row] = Duplicate(kept.cluster, False, original, jaccard, NEAR)
        changed = True
    if changed:
        _number(result, table.keys)


def _original(match: Match, by_rank) -> Match:
    return Match(
        int(by_rank[match.small]),
        int(by_rank[match.large]),
        match.kind,
        match.jaccard,
        match.containment,
        match.estimate,
    )
