"""Arrays derived from the shipped data, computed once per machine.

The synonym tables compiled to arrays, their figures under a background
model, and the models' lookup indexes take seconds to derive in a process:
too slow for a pre-commit hook on one file. `arrays` keeps them in the
user's cache folder ($CLEANER_CACHE, else $XDG_CACHE_HOME/cleaner, else
~/.cache/cleaner), one folder per derivation, named after what it was
derived from so that new data is derived again. A folder appears whole or
not at all (written aside, then renamed into place); when the cache cannot
be written, the arrays are used from memory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def root() -> Path:
    if os.environ.get("CLEANER_CACHE"):
        return Path(os.environ["CLEANER_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cleaner"


# Bumped when the layout of a derived array changes: a cache written by an
# older version is then derived again instead of read wrongly.
FORMAT = 2


def folder(*parts: str) -> Path:
    """The cache folder of one derivation: `parts` under root(), the last
    one marked with FORMAT."""
    *above, name = parts
    return root().joinpath(*above, f"{name}-v{FORMAT}")


def arrays(
    folder: Path, names: Sequence[str], compute: Callable[[], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """The arrays `names` kept in `folder`, memory-mapped; else `compute()`d
    and kept there for the next process (or, when the cache cannot be
    written, used from memory)."""
    if not folder.is_dir() and hasattr(os, "fork") and _writable(folder.parent):
        _derive_in_child(folder, names, compute)
    if folder.is_dir():
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in names}
    # no fork, a read-only home, or a child that failed (its error is raised here)
    computed = compute()
    with contextlib.suppress(OSError):
        _save(folder, {name: computed[name] for name in names})
    return computed


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)


def _derive_in_child(
    folder: Path, names: Sequence[str], compute: Callable[[], dict[str, np.ndarray]]
) -> None:
    """Compute the arrays and keep them in `folder`, in a forked child, so
    that the derivation's temporaries (a thesaurus read into Python objects:
    100 MB and more, which the heap keeps once freed) never weigh on the run
    that needed them. A child that fails leaves no folder."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 1
        try:
            computed = compute()
            _save(folder, {name: computed[name] for name in names})
            status = 0
        finally:
            os._exit(status)
    os.waitpid(pid, 0)


def _save(folder: Path, named: dict[str, np.ndarray]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}.", dir=folder.parent) as tmp:
        for name, array in named.items():
            np.save(Path(tmp) / f"{name}.npy", array)
        try:
            os.rename(tmp, folder)
        except OSError:  # another process put it there first: the same bytes
            if not folder.is_dir():
                raise
        else:
            os.mkdir(tmp)  # for TemporaryDirectory to remove
