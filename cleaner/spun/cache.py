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


def arrays(
    folder: Path, names: Sequence[str], compute: Callable[[], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """The arrays `names` kept in `folder`, memory-mapped; else `compute()`d
    and kept there for the next process."""
    if folder.is_dir():
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in names}
    computed = compute()
    with contextlib.suppress(OSError):  # a read-only home: computed again next time
        _save(folder, {name: computed[name] for name in names})
    return computed


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
