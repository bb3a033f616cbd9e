"""Writing cleaned documents where the user asked, never losing anything.

Output mirrors input: a text file gives a text file at the same relative
path under `-o OUT`, a JSONL or Parquet file gives a file of the same
format with `text` replaced. A JSONL line or Parquet row that could not be
read is copied through as it was, so a shard never loses a record. Every file is written atomically (a temporary
file in the same folder, then a rename), and `--in-place` rewrites a file
only when its content changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import gzip
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.document import Document
from cleaner.inputs import RECORD_FORMATS


class OutputError(Exception):
    """A file that could not be written: `str()` is one line naming it."""

    def __init__(self, path: Path | str, error: OSError | str):
        self.path = str(path)
        if isinstance(error, OSError) and error.errno:
            error = (error.strerror or str(error)).lower()
        super().__init__(f"{self.path}: cannot write: {error}")


def json_line(record: Any) -> bytes:
    """One JSON object as a UTF-8 line. A lone surrogate (valid in JSON, common
    in scraped text: half of a cut emoji) is written as its JSON escape, so the
    line reads back as the same string instead of failing to encode."""
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files an interrupted run left beside `path`."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    with contextlib.suppress(OSError):
        for other in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            if pattern.fullmatch(other.name):
                other.unlink(missing_ok=True)


def writable_folder(folder: Path) -> None:
    """Make `folder` if missing and make sure files can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as e:
        raise OutputError(folder, e) from None


class AtomicFile:
    """A file that appears at `path` only when committed, in one rename.

    Until then it is a temporary file in the same folder; an error or an
    interruption leaves `path` as it was.
    """

    def __init__(self, path: Path, like: Path | None = None, durable: bool = False):
        self.path, self.like, self.durable = path, like, durable
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(path)
            fd, self._tmp = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
        except OSError as e:
            raise OutputError(path, e) from None
        self._file = os.fdopen(fd, "wb")

    @property
    def temporary_path(self) -> Path:
        return Path(self._tmp)

    @property
    def stream(self) -> BinaryIO:
        """The open temporary file, for writers that want a real file object."""
        return self._file

    def write(self, data: bytes) -> int:
        try:
            return self._file.write(data)
        except OSError as e:  # a full disk
            raise OutputError(self.path, e) from None

    def flush(self) -> None:
        self._file.flush()

    def commit(self) -> None:
        try:
            self._file.flush()
            if self.durable:  # replacing a user's file: make sure the data is on disk first
                os.fsync(self._file.fileno())
            self._file.close()
            if self.like is not None and self.like.exists():
                os.chmod(self._tmp, self.like.stat().st_mode & 0o7777)
            else:  # mkstemp makes the file private; a new output gets the usual mode
                os.chmod(self._tmp, 0o666 & ~_umask())
            os.replace(self._tmp, self.path)
        except OSError as e:
            self.abort()
            raise OutputError(self.path, e) from None

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(OSError):
            Path(self._tmp).unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, like: Path | None = None) -> None:
    """Replace `path` with `data` in one rename; keep the mode of `like`.

    Replacing an existing file (`like`) syncs the data to disk before the rename.
    """
    with AtomicFile(path, like, durable=like is not None) as f:
        f.write(data)


def jsonl_line(doc: Document) -> bytes:
    """The output line of a JSONL document: its record with `text` cleaned."""
    if not doc.ok and doc.raw is not None:
        return doc.raw if doc.raw.endswith(b"\n") else doc.raw + b"\n"
    record = dict(doc.fields)
    record["text"] = doc.text
    return json_line(record)


class Writer:
    """Receives documents in source order and writes them to one destination.

    destination: a folder (`-o OUT`), "-" for standard output, "in-place",
    or None (write nothing: `--dry-run`).
    """

    def __init__(
        self, destination: str | None, stdout: BinaryIO | None = None, split_languages: bool = False
    ):
        self.destination = destination
        self._stdout = stdout
        self.split_languages = split_languages
        self._shard_source: str | None = None
        self._shard: _ShardOutput | None = None
        self._line_open = False  # standard output's last document had no final line break
        self._failed_shards: set[str] = set()  # record files whose output could not be written
        self.written = 0

    @property
    def stdout(self) -> BinaryIO:
        return self._stdout or sys.stdout.buffer

    def add(self, doc: Document, fmt: str) -> None:
        """Write `doc`. A document with nothing left after cleaning is not
        written: no empty file, no empty record; in place, a file is left as
        it was and a record keeps its place with an empty text."""
        if self.destination is None:
            return
        if doc.empty and (fmt not in RECORD_FORMATS or self.destination != "in-place"):
            return
        parts = self._language_parts(doc)
        if fmt in RECORD_FORMATS:
            if not doc.ok and doc.raw is None and not doc.fields:
                return  # the file itself could not be read: no record to carry through
            if doc.source in self._failed_shards:
                return  # its output could not be written: said once, when it failed
            if doc.source != self._shard_source:
                self._flush_shard()
                self._open_shard(doc, fmt)
            try:
                if parts is None:
                    self._shard.write(doc)
                else:
                    for lang, text in parts.items():
                        fields = {**doc.fields, "id": f"{doc.id}.{lang}", "lang": lang}
                        self._shard.write(dataclasses.replace(doc, text=text, fields=fields))
            except OSError as e:  # a full disk, under the gzip or Parquet writer
                self._shard_failed()
                raise e if isinstance(e, OutputError) else OutputError(doc.source, e) from None
            return
        if not doc.ok:
            return
        if parts is None:
            self._write_text(doc)
        else:
            stem, dot, ext = doc.name.rpartition(".")
            for lang, text in parts.items():
                name = f"{stem}.{lang}.{ext}" if dot else f"{doc.name}.{lang}"
                self._write_text(dataclasses.replace(doc, name=name, text=text), split=True)

    def _language_parts(self, doc: Document) -> dict[str, str] | None:
        """With --split-lang, a mixed document's text by language; None otherwise."""
        if not (self.split_languages and doc.ok and doc.report.get("mixed")):
            return None
        from cleaner.stages.language import split_by_language

        return split_by_language(doc.text, doc.report["segments"])

    def close(self) -> None:
        self._flush_shard()
        if self.destination == "-":
            self.stdout.flush()

    def _write_text(self, doc: Document, split: bool = False) -> None:
        data = doc.text.encode("utf-8")
        if self.destination == "-":
            # the same bytes as `-o` writes; a line break only between two
            # documents, where the first has no final one
            if self._line_open:
                self.stdout.write(b"\n")
            self.stdout.write(data)
            self._line_open = not data.endswith(b"\n")
        elif self.destination == "in-place":
            source = Path(doc.source)
            if split:  # the parts go beside the source, which stays as it was
                atomic_write(source.with_name(Path(doc.name).name), data)
                self.written += 1
                return
            if source.read_bytes() != data:
                atomic_write(source, data, like=source)
                self.written += 1
        else:
            atomic_write(Path(self.destination) / doc.name, data)
            self.written += 1

    def _open_shard(self, doc: Document, fmt: str) -> None:
        try:
            self._shard = _ShardOutput(
                self.destination, doc.source, doc.name, fmt, self.stdout, self.split_languages
            )
        except OutputError:
            self._failed_shards.add(doc.source)
            raise
        self._shard_source = doc.source

    def _shard_failed(self) -> None:
        if self._shard is not None:
            self._shard.abort()
            self._failed_shards.add(self._shard.source_path)
        self._shard_source, self._shard = None, None

    def _flush_shard(self) -> None:
        shard, self._shard_source, self._shard = self._shard, None, None
        if shard is not None:
            try:
                self.written += shard.close()
            except OSError as e:
                shard.abort()
                raise (
                    e if isinstance(e, OutputError) else OutputError(shard.source_path, e)
                ) from None

    def abort(self) -> None:
        """Leave the JSONL or Parquet file being written as it was (an interrupted run)."""
        if self._shard is not None:
            self._shard.abort()
        self._shard_source, self._shard = None, None


class _ShardOutput:
    """One JSONL or Parquet output, written record by record to a temporary
    file and renamed at the end.

    With --in-place the source is replaced only if the content changed.
    """

    def __init__(
        self, destination: str, source: str, name: str, fmt: str, stdout: BinaryIO, split: bool
    ):
        self.destination, self.source, self.stdout = destination, Path(source), stdout
        self.source_path = source
        self.fmt = fmt
        self.digest = hashlib.blake2b()
        if destination == "-":
            self.file = None
        else:
            target = self.source if destination == "in-place" else Path(destination) / name
            self.file = AtomicFile(
                target,
                like=self.source if destination == "in-place" else None,
                durable=destination == "in-place",
            )
        self.stream: Any
        if fmt == "parquet":
            from cleaner.parquet import ParquetOutput

            self.sink = io.BytesIO() if self.file is None else self.file.stream
            self.stream = ParquetOutput(self.sink, source, ("id", "lang") if split else ())
        elif self.file is None:
            self.stream = stdout
        elif name.endswith(".gz"):
            self.stream = gzip.GzipFile(fileobj=self.file, mode="wb", mtime=0)  # type: ignore[arg-type]
        else:
            self.stream = self.file

    def write(self, doc: Document) -> None:
        if self.fmt == "parquet":
            self.stream.add(doc)
            return
        line = jsonl_line(doc)
        self.digest.update(line)
        self.stream.write(line)

    def close(self) -> int:
        """Commit the file; the number of files written (0 or 1)."""
        if self.stream is not self.file and self.stream is not self.stdout:
            self.stream.close()  # the gzip trailer or Parquet footer; the file stays open
        if self.file is None:
            if self.fmt == "parquet":
                self.stdout.write(self.sink.getvalue())
            return 0
        if self.destination == "in-place" and self._unchanged():
            self.file.abort()
            return 0
        self.file.commit()
        return 1

    def _unchanged(self) -> bool:
        if self.fmt == "parquet":
            from cleaner.parquet import same_table

            self.file.flush()
            return same_table(self.source, self.file.temporary_path)
        return _digest_of(self.source) == self.digest.digest()

    def abort(self) -> None:
        if self.file is not None:
            self.file.abort()


def _digest_of(path: Path) -> bytes:
    """The hash of a file's (decompressed) content."""
    digest = hashlib.blake2b()
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.digest()
