"""Finished partitions kept on disk, so that a run started again after an
interruption skips the work already done.

With `-o OUT`, each pass over the documents (the corpus pass, then
cleaning) works in partitions of `partition_docs` documents; the results of
a finished partition are written to `OUT/.cleaner-partial/KEY/`, one file
per partition, each appearing whole or not at all (AtomicFile). KEY is a
hash of cleaner's version, the options that change results and the inputs
(path, size, modification time), so a partition is reused only by the same
run on the same files. The folder is removed when the run completes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from cleaner import __version__
from cleaner.engine import run_all
from cleaner.outputs import AtomicFile, OutputError

FOLDER = ".cleaner-partial"


def run_key(config, sources) -> str:
    """What makes two runs give the same partitions: version, options, inputs."""
    options = dataclasses.asdict(dataclasses.replace(config, jobs=0))
    options["engine"] = {"partition_docs": config.engine.partition_docs}
    inputs = []
    for source in sources:
        stat = os.stat(source.path)
        inputs.append([source.path, source.name, source.format, stat.st_size, stat.st_mtime_ns])
    described = json.dumps([__version__, options, inputs], sort_keys=True, default=_sorted)
    return hashlib.blake2b(described.encode(), digest_size=12).hexdigest()


def _sorted(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)


def _partition(item: list[Any], shared: tuple[Callable[[Any, Any], Any], Any]) -> list[Any]:
    func, ctx = shared
    return run_all(func, item, ctx)


class Checkpoint:
    def __init__(self, output: Path, key: str, partition_docs: int, messages: TextIO):
        self.messages = messages
        self.root = output / FOLDER
        self.folder = self.root / key
        self.partition_docs = max(1, partition_docs)
        if self.root.is_dir():  # another run's partitions (other inputs or options): useless
            for other in self.root.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OutputError(self.folder, e) from None

    def _path(self, tag: str, number: int) -> Path:
        return self.folder / f"{tag}-{number:07d}.pickle"

    def map(
        self, mapper, func: Callable[[Any, Any], Any], items: Iterable[Any], shared: Any
    ) -> Iterator[Any]:
        """`func(item, shared)` for each item, in order, through `mapper`,
        by partitions; finished partitions are read back, the others run."""
        tag = func.__name__.strip("_")
        waiting: deque[tuple[int, bool]] = deque()  # (partition, already done) in order
        counts = {"done": 0, "all": 0}

        def to_run() -> Iterator[list[Any]]:
            iterator = iter(items)
            number = 0
            while part := list(islice(iterator, self.partition_docs)):
                done = self._path(tag, number).exists()
                waiting.append((number, done))
                counts["all"] += 1
                counts["done"] += done
                if not done:
                    yield part
                number += 1

        def finished_first() -> Iterator[Any]:
            while waiting and waiting[0][1]:
                number, _ = waiting.popleft()
                with open(self._path(tag, number), "rb") as f:
                    yield from pickle.load(f)

        # the mapper takes one partition per task: they are the tasks already
        for results in mapper(_partition, to_run(), (func, shared), 1):
            yield from finished_first()
            number, _ = waiting.popleft()
            with AtomicFile(self._path(tag, number)) as f:
                pickle.dump(results, f, protocol=pickle.HIGHEST_PROTOCOL)
            yield from results
        yield from finished_first()
        if counts["done"]:
            self.messages.write(
                f"cleaner: {tag}: {counts['done']} of {counts['all']} partitions "
                f"read back from {self.folder.parent} (left by an interrupted run)\n"
            )

    def remove(self) -> None:
        """The run is complete: its partitions are no longer needed."""
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.root.is_dir() and not any(self.root.iterdir()):
            self.root.rmdir()


class InPlaceState:
    """What an `--in-place` run learned of its corpus, kept until it completes.

    The corpus pass counts lines repeated across the files; once some files
    are rewritten, counting again would see a mix of cleaned and uncleaned
    files and decide differently. So the counts are written before the first
    file is, and a run interrupted and started again reads them back: it
    then cleans every file as the uninterrupted run would have. The file,
    `.cleaner-in-place-KEY.pickle` in the inputs' common folder, is removed
    when the run completes. KEY covers the version, the options and the
    input paths (not their contents, which the run itself changes).
    """

    def __init__(self, config, sources, messages: TextIO):
        options = dataclasses.asdict(dataclasses.replace(config, jobs=0))
        inputs = [[s.path, s.name, s.format] for s in sources]
        described = json.dumps([__version__, options, inputs], sort_keys=True, default=_sorted)
        key = hashlib.blake2b(described.encode(), digest_size=12).hexdigest()
        folders = [os.path.dirname(os.path.abspath(s.path)) for s in sources]
        self.path = Path(os.path.commonpath(folders)) / f".cleaner-in-place-{key}.pickle"
        self.messages = messages

    def load(self) -> Any:
        """The corpus statistics an interrupted run saved, or None."""
        try:
            with open(self.path, "rb") as f:
                stats = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        self.messages.write(
            f"cleaner: {self.path}: an interrupted --in-place run's corpus counts, read back\n"
        )
        return stats

    def save(self, stats: Any) -> None:
        with AtomicFile(self.path, durable=True) as f:
            pickle.dump(stats, f, protocol=pickle.HIGHEST_PROTOCOL)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
