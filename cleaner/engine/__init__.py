"""Executors: the same stage functions, run in one process or many."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def run_all(func: Callable[[Any, Any], Any], items: Sequence[Any], shared: Any) -> list[Any]:
    """`func(item, shared)` of each item. A function that does better on many
    items at once carries that form as `func.many(items, shared)` (the same
    results, in order): the executors hand it the items they hold together."""
    many = getattr(func, "many", None)
    if many is not None:
        return many(items, shared)
    return [func(item, shared) for item in items]
