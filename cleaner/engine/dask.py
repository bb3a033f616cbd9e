"""The Dask executor: the same stage functions as tasks on a Dask cluster.

`cleaner clean --engine dask` sends partitions of the document stream
(`partition_docs` documents each) to the workers of a cluster: a
`LocalCluster` on this machine, or the scheduler at `--scheduler ADDRESS`
(a cluster started by `dask scheduler`/`dask worker`, dask-jobqueue or
dask-kubernetes). The run's context is sent to every worker once. Results
come back in input order, a bounded number of partitions in flight, so the
output and the report are those of the local executor, byte for byte.

A task whose worker dies is run again elsewhere (`retries`); the run's
output is complete all the same. Dask is an optional extra:
`pip install 'cleaner[dask]'`.
"""

from __future__ import annotations

import logging
import math
import operator
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TextIO

import numpy as np

from cleaner.engine import run_all


class DaskMissing(RuntimeError):
    pass


def _count_partition(
    func: Callable[[Any, Any], tuple[Iterable[int], ...]],
    items: list[Any],
    shared: Any,
    buckets: int,
) -> tuple[int, list[list[tuple[np.ndarray, np.ndarray]]]]:
    """(items, for each bucket, for each kind: its distinct keys and in how
    many items each is): the partial counts of one partition, cut by key."""
    found_by_kind = zip(*(func(item, shared) for item in items), strict=True)
    kinds = [[key for keys in found for key in keys] for found in found_by_kind]
    cut: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(buckets)]
    for found in kinds:
        values, counts = np.unique(np.array(found, dtype=np.uint64), return_counts=True)
        bucket = (values % np.uint64(buckets)).astype(np.int64)
        for b in range(buckets):
            cut[b].append((values[bucket == b], counts[bucket == b]))
    return len(items), cut


def _frequent(pieces: list[list[tuple[np.ndarray, np.ndarray]]], minimums: list[int]):
    """The keys of one bucket counted at least `minimums[kind]` times in all, with their counts."""
    out = []
    for kind, minimum in enumerate(minimums):
        parts = [p[kind] for p in pieces]
        values = np.concatenate([v for v, _ in parts])
        counts = np.concatenate([c for _, c in parts])
        unique, inverse = np.unique(values, return_inverse=True)
        total = np.bincount(inverse, weights=counts, minlength=len(unique)).astype(np.int64)
        often = total >= minimum
        out.append(dict(zip(unique[often].tolist(), total[often].tolist(), strict=True)))
    return out


def _run_partition(func: Callable[[Any, Any], Any], items: list[Any], shared: Any) -> list[Any]:
    return run_all(func, items, shared)


class DaskEngine:
    """A Dask client (and its LocalCluster when no scheduler is given)."""

    def __init__(
        self,
        scheduler: str | None,
        workers: int,
        partition_docs: int = 64,
        retries: int = 3,
        messages: TextIO | None = None,
    ):
        try:
            from distributed import Client, LocalCluster
        except ImportError as e:  # an optional extra
            raise DaskMissing(
                "--engine dask needs Dask: pip install 'cleaner[dask]' (dask[distributed])"
            ) from e
        self.partition_docs = max(1, partition_docs)
        self.cluster_rows = 20_000
        self.retries = retries
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)
        self.messages = messages or sys.stderr
        self.messages.write(f"cleaner: Dask dashboard at {self.client.dashboard_link}\n")

    def ordered_map(
        self,
        func: Callable[[Any, Any], Any],
        items: Iterable[Any],
        shared: Any,
        per_task: int | None = None,
    ) -> Iterator[Any]:
        """`func(item, shared)` for each item, in order, on the cluster's
        workers, `per_task` items per task [partition_docs]."""
        per_task = per_task or self.partition_docs
        [shared_on_workers] = self.client.scatter([shared], broadcast=True)
        iterator = iter(items)
        pending: deque = deque()
        window = self.workers * 4
        try:
            while True:
                while len(pending) < window:
                    partition = list(islice(iterator, per_task))
                    if not partition:
                        break
                    pending.append(
                        self.client.submit(
                            _run_partition,
                            func,
                            partition,
                            shared_on_workers,
                            retries=self.retries,
                            pure=False,
                        )
                    )
                if not pending:
                    return
                future = pending.popleft()
                results = future.result()
                future.release()
                yield from results
        finally:
            for future in pending:
                future.cancel()

    def count_keys(
        self,
        func: Callable[[Any, Any], tuple[Iterable[int], ...]],
        items: Iterable[Any],
        shared: Any,
        minimums: Callable[[int], list[int]],
    ) -> tuple[int, list[dict[int, int]]]:
        """How many items hold each key, for keys found often: a map, a shuffle
        and a reduce on the cluster. `func(item, shared)` gives an item's
        distinct keys of each kind; the partial counts of each partition stay
        on its worker, cut by key; one reducer a bucket adds them up and sends
        back only the keys held by at least `minimums(items)[kind]` items.
        Returns (items, {key: items holding it} for each kind)."""
        from distributed import wait

        [shared_on_workers] = self.client.scatter([shared], broadcast=True)
        buckets = 2 * self.workers
        iterator = iter(items)
        counted: list[Any] = []
        while batch := list(islice(iterator, self.partition_docs * 8)):
            counted.append(
                self.client.submit(
                    _count_partition, func, batch, shared_on_workers, buckets,
                    retries=self.retries, pure=False,
                )
            )  # fmt: skip
            if len(counted) > self.workers * 4:  # the client reads no faster than they count
                wait(counted[-self.workers * 4])
        exchange = DaskExchange(self.client, self.retries)
        sizes = exchange.map(operator.itemgetter(0), counted)
        total = sum(self.client.gather(sizes))
        cut = exchange.split(exchange.map(operator.itemgetter(1), counted), buckets)
        frequent = self.client.gather(exchange.map(_frequent, cut, minimums=minimums(total)))
        merged = [
            dict(sorted(kv for f in kind for kv in f.items()))
            for kind in zip(*frequent, strict=True)
        ]
        return total, merged

    def find_duplicates(self, table, options, text_of: Callable[[int], str]):
        """The near-duplicate clusters of `table`, computed on the cluster as
        map/shuffle/reduce steps (cleaner/dedup/distributed.py): the same
        result as the local `find_duplicates`, the fingerprints in partitions
        of at most `cluster_rows` rows.

        The partitions are sent from here (scattered), so a worker lost with
        one cannot recompute it: the steps start again, up to `retries` times."""
        from concurrent.futures import CancelledError

        from cleaner.dedup.distributed import find_duplicates_distributed

        parts = max(2 * self.workers, math.ceil(len(table) / self.cluster_rows))
        exchange = DaskExchange(self.client, self.retries)
        for _ in range(self.retries):
            try:
                return find_duplicates_distributed(table, options, text_of, exchange, parts)
            except CancelledError:  # "lost dependencies": a worker died with a partition
                self.messages.write("cleaner: a worker was lost while clustering; starting again\n")
        return find_duplicates_distributed(table, options, text_of, exchange, parts)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class DaskExchange:
    """The steps of the distributed clustering as Dask tasks (the Exchange of
    cleaner/dedup/distributed.py): a handle is a future, a value stays on the
    worker that computed it until a task elsewhere needs it."""

    def __init__(self, client, retries: int):
        self.client, self.retries = client, retries

    def scatter(self, values: list[Any]) -> list[Any]:
        return self.client.scatter(values, hash=False)

    def map(self, func: Callable[..., Any], *columns, **shared) -> list[Any]:
        return [
            self.client.submit(func, *row, **shared, retries=self.retries, pure=False)
            for row in zip(*columns, strict=True)
        ]

    def split(self, handles: list[Any], n: int) -> list[list[Any]]:
        return [
            [self.client.submit(operator.getitem, h, j, retries=self.retries) for h in handles]
            for j in range(n)
        ]

    def gather(self, handles: list[Any]) -> list[Any]:
        return self.client.gather(handles)
