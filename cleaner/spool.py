"""Documents parked on disk between cleaning and writing.

Deduplication needs the whole corpus before it can say which copies to
keep, so `cleaner clean` cleans every document first, parks it here (a
temporary file, removed on close), finds the duplicates, then writes. Memory
stays bounded: only the offsets are kept in memory.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any


class Spool:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="cleaner-spool-")  # noqa: SIM115 (closed by close())
        self._offsets = array("q")

    def __len__(self) -> int:
        return len(self._offsets)

    def add(self, item: Any) -> int:
        self._file.seek(0, 2)
        self._offsets.append(self._file.tell())
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        return len(self._offsets) - 1

    def get(self, index: int) -> Any:
        self._file.seek(self._offsets[index])
        return pickle.load(self._file)

    def __iter__(self) -> Iterator[Any]:
        """Every item in order (get() may be called in between)."""
        for offset in self._offsets:
            self._file.seek(offset)
            yield pickle.load(self._file)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
