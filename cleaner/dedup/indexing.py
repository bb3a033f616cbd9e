"""`cleaner index build` and `cleaner index add`: clean files and store their fingerprints.

A file already indexed with the same size and modification time is not
read; one with the same bytes (touched, or a copy of an indexed file) is not
cleaned again. With the `xling` extra, the index also keeps the embedding of
every English and French document (cleaner/xling/cache.py), so that a
document is embedded once. `build` writes a new index beside the old one and replaces it
in one rename; `add` updates the index in one transaction. Either way an
interruption leaves the previous index as it was.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cleaner.config import CleanerConfig
from cleaner.dedup.index import Index
from cleaner.inputs import InputError, Source, discover
from cleaner.outputs import OutputError
from cleaner.report import counted


def _embeddings(index: Index, config: CleanerConfig, previous: Path | None):
    """The index's embedding cache when translations are looked for and the
    extra is installed (cleaner/xling/cache.py); a fresh build keeps the
    embeddings of the index it replaces."""
    if not (config.dedup.enabled and config.xling.enabled):
        return None
    from cleaner.xling import embed

    if not embed.available():
        return None
    from cleaner.xling.cache import EmbeddingCache

    cache = EmbeddingCache.of(index, config.xling)
    if cache is not None and previous is not None and previous.is_file():
        cache.copy_from(previous)
    return cache


@dataclass
class IndexRun:
    files: int = 0  # files cleaned and indexed
    unchanged: int = 0  # files skipped: already indexed as they are
    copied: int = 0  # files whose bytes were already indexed under another path
    documents: int = 0  # documents added
    total: int = 0  # documents in the index afterwards
    input_errors: list[InputError] = field(default_factory=list)
    failed: int = 0

    def write(self, out: TextIO, path: Path) -> None:
        out.write(
            f"cleaner: {path}: {counted(self.total, 'document')}; added "
            f"{counted(self.documents, 'document')} from {counted(self.files, 'file')}, "
            f"{counted(self.unchanged, 'file')} unchanged, "
            f"{counted(self.copied, 'copy', 'copies')} of indexed files, "
            f"{self.failed + len(self.input_errors)} failed\n"
        )


def _file_hash(path: str) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.digest()


def _index_path(source: Source) -> str:
    return os.path.normpath(source.path)


def _triage(index: Index, sources: list[Source], run: IndexRun) -> list[tuple[Source, bytes]]:
    """The sources that need cleaning; the others are recorded as they are."""
    todo = []
    for source in sources:
        path = _index_path(source)
        try:
            stat = os.stat(source.path)
            if index.unchanged(path, stat.st_size, stat.st_mtime_ns):
                run.unchanged += 1
                continue
            digest = _file_hash(source.path)
        except OSError as e:
            run.input_errors.append(InputError(source.path, e.strerror or str(e)))
            continue
        if index.file_hash(path) == digest:
            run.unchanged += 1
        elif (twin := index.path_with_hash(digest)) is not None:
            index.remove_path(path)
            index.copy_path(twin, path)
            run.copied += 1
        else:
            todo.append((source, digest))
            continue
        index.record_file(path, digest, stat.st_size, stat.st_mtime_ns)
    return todo


def update_index(
    index_path: Path,
    paths: list[str],
    config: CleanerConfig,
    fresh: bool,
    errors: TextIO | None = None,
) -> IndexRun:
    """Index `paths` into `index_path`: a new index (`fresh`) or an update of the
    existing one. Problems go to `errors` (the standard error of the moment)."""
    from cleaner.runner import plan_for, processed
    from cleaner.xling.pairs import eligible

    errors = errors if errors is not None else sys.stderr
    run = IndexRun()
    sources, run.input_errors = discover(paths, config.glob, config.input_format)
    if any(s.is_stdin for s in sources):
        raise ValueError("an index holds files: standard input cannot be indexed")
    if fresh or not index_path.exists():
        try:
            index_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=index_path.parent, prefix=f".{index_path.name}.")
            os.close(fd)
            os.unlink(tmp)
            index = Index.create(Path(tmp), config.dedup)
        except (OSError, sqlite3.Error) as e:
            raise OutputError(index_path, e if isinstance(e, OSError) else str(e)) from None
    else:
        tmp = None
        index = Index.open(index_path, config.dedup)
    try:
        cache = _embeddings(index, config, previous=index_path if tmp is not None else None)
        todo = _triage(index, sources, run)
        plan = plan_for([s for s, _ in todo], [], config.replace(dedup=index.options))
        digests = {s.path: (d, os.stat(s.path)) for s, d in todo}
        positions: dict[str, int] = {}
        for doc, _ in processed(plan, errors):
            path = os.path.normpath(doc.source)
            if path not in positions:
                positions[path] = 0
                index.remove_path(path)
                run.files += 1
                digest, stat = digests[doc.source]
                index.record_file(path, digest, stat.st_size, stat.st_mtime_ns)
            if not doc.ok:
                run.failed += 1
            elif doc.fingerprint is not None:
                index.add(path, doc.id, positions[path], doc.text, doc.fingerprint)
                run.documents += 1
                if cache is not None and eligible(doc.report.get("lang"), doc.text, cache.options):
                    cache.embedding(doc.fingerprint.content_hash, doc.text, doc.report["lang"])
            positions[path] += 1
        index.commit()
        run.total = len(index)
    except sqlite3.OperationalError as e:  # a read-only index or folder, a full disk
        index.close()
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(index_path, str(e)) from None
    except BaseException:
        index.close()
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    index.close()
    if tmp is not None:
        try:
            os.replace(tmp, index_path)
        except OSError as e:
            Path(tmp).unlink(missing_ok=True)
            raise OutputError(index_path, e) from None
    return run
