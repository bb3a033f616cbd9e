"""Writing cleaned documents where the user asked, never losing anything.

Output mirrors input: a text file gives a text file at the same relative
path under `-o OUT`, a JSONL or Parquet file gives a file of the same
format with `text` replaced. A JSONL line or Parquet row that could not be
read is copied through as it was, so a shard never loses a record. Every file is written atomically (a temporary
file in the same folder, then a rename), and `--in-place` rewrites a file
only when its content changed.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.document import Document
from cleaner.inputs import RECORD_FORMATS


class AtomicFile:
    """A file that appears at `path` only when committed, in one rename.

    Until then it is a temporary file in the same folder; an error or an
    interruption leaves `path` as it was.
    """

    def __init__(self, path: Path, like: Path | None = None, durable: bool = False):
        self.path, self.like, self.durable = path, like, durable
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self._file = os.fdopen(fd, "wb")

    @property
    def temporary_path(self) -> Path:
        return Path(self._tmp)

    @property
    def stream(self) -> BinaryIO:
        """The open temporary file, for writers that want a real file object."""
        return self._file

    def write(self, data: bytes) -> int:
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def commit(self) -> None:
        self._file.flush()
        if self.durable:  # replacing a user's file: make sure the data is on disk first
            os.fsync(self._file.fileno())
        self._file.close()
        if self.like is not None and self.like.exists():
            os.chmod(self._tmp, self.like.stat().st_mode & 0o7777)
        else:  # mkstemp makes the file private; a new output gets the usual mode
            os.chmod(self._tmp, 0o666 & ~_umask())
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._file.close()
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
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


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
        self.written = 0

    @property
    def stdout(self) -> BinaryIO:
        return self._stdout or sys.stdout.buffer

    def add(self, doc: Document, fmt: str) -> None:
        if self.destination is None:
            return
        parts = self._language_parts(doc)
        if fmt in RECORD_FORMATS:
            if not doc.ok and doc.raw is None and not doc.fields:
                return  # the file itself could not be read: no record to carry through
            if doc.source != self._shard_source:
                self._flush_shard()
                self._shard_source = doc.source
                self._shard = _ShardOutput(
                    self.destination, doc.source, doc.name, fmt, self.stdout, self.split_languages
                )
            if parts is None:
                self._shard.write(doc)
            else:
                for lang, text in parts.items():
                    fields = {**doc.fields, "id": f"{doc.id}.{lang}", "lang": lang}
                    self._shard.write(dataclasses.replace(doc, text=text, fields=fields))
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
            self.stdout.write(data if not data or data.endswith(b"\n") else data + b"\n")
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

    def _flush_shard(self) -> None:
        if self._shard is not None:
            self.written += self._shard.close()
        self._shard_source, self._shard = None, None

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
