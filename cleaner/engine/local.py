"""The local executor: a pool of worker processes on one machine.

Documents come back in input order whatever the number of workers, so the
output and the report are the same for any `--jobs`. At most a few chunks
per worker are in flight, which keeps memory bounded on large corpora.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

from cleaner.engine import run_all

T = TypeVar("T")
R = TypeVar("R")

_worker_state: dict[str, Any] = {}


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_jobs(jobs: int) -> int:
    return jobs if jobs > 0 else available_cores()


def _init_worker(func: Callable[[Any, Any], Any], shared: Any) -> None:
    _worker_state["func"] = func
    _worker_state["shared"] = shared


def _run_chunk(items: list[Any]) -> list[Any]:
    return run_all(_worker_state["func"], items, _worker_state["shared"])


def ordered_map(
    func: Callable[[T, Any], R],
    items: Iterable[T],
    shared: Any,
    jobs: int,
    chunk_size: int = 16,
) -> Iterator[R]:
    """`func(item, shared)` for each item, in order, on `jobs` processes.

    `shared` (the run's context) is sent once to each worker, not per item.
    """
    if jobs <= 1:  # in chunks too: a function with a form for many uses it
        iterator = iter(items)
        while chunk := list(islice(iterator, chunk_size)):
            yield from run_all(func, chunk, shared)
        return
    # fork shares what the parent already loaded (language model, tables);
    # other platforms start workers afresh.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    iterator = iter(items)
    pending: deque[Future[list[R]]] = deque()
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(func, shared)
    ) as pool:
        while True:
            while len(pending) < jobs * 4:
                chunk = list(islice(iterator, chunk_size))
                if not chunk:
                    break
                pending.append(pool.submit(_run_chunk, chunk))
            if not pending:
                return
            yield from pending.popleft().result()
