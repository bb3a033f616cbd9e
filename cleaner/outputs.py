"""Writing cleaned documents where the user asked, never losing anything.

Output mirrors input: a text file gives a text file at the same relative
path under `-o OUT`, a JSONL file gives a JSONL file with `text` replaced.
A JSONL line that could not be read is copied through as it was, so a JSONL
output never loses a line. Every file is written atomically (a temporary
file in the same folder, then a rename), and `--in-place` rewrites a file
only when its content changed.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from cleaner.document import Document


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

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self) -> None:
        self._file.flush()
        if self.durable:  # replacing a user's file: make sure the data is on disk first
            os.fsync(self._file.fileno())
        self._file.close()
        if self.like is not None and self.like.exists():
            os.chmod(self._tmp, self.like.stat().st_mode & 0o7777)
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


def _encode(data: bytes, name: str) -> bytes:
    return gzip.compress(data, mtime=0) if name.endswith(".gz") else data


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
        self._jsonl_source: str | None = None
        self._jsonl_name = ""
        self._jsonl_lines: list[bytes] = []
        self.written = 0

    @property
    def stdout(self) -> BinaryIO:
        return self._stdout or sys.stdout.buffer

    def add(self, doc: Document, fmt: str) -> None:
        if self.destination is None:
            return
        parts = self._language_parts(doc)
        if fmt == "jsonl":
            if doc.source != self._jsonl_source:
                self._flush_jsonl()
                self._jsonl_source, self._jsonl_name = doc.source, doc.name
            if parts is None:
                self._jsonl_lines.append(jsonl_line(doc))
            else:
                for lang, text in parts.items():
                    part = dataclasses.replace(
                        doc,
                        text=text,
                        fields={**doc.fields, "id": f"{doc.id}.{lang}", "lang": lang},
                    )
                    self._jsonl_lines.append(jsonl_line(part))
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
        self._flush_jsonl()
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

    def _flush_jsonl(self) -> None:
        if self._jsonl_source is None:
            return
        data = b"".join(self._jsonl_lines)
        source, name = self._jsonl_source, self._jsonl_name
        self._jsonl_source, self._jsonl_lines = None, []
        if self.destination == "-":
            self.stdout.write(data)
        elif self.destination == "in-place":
            path = Path(source)
            encoded = _encode(data, name)
            old = path.read_bytes()
            if (gzip.decompress(old) if name.endswith(".gz") else old) != data:
                atomic_write(path, encoded, like=path)
                self.written += 1
        else:
            atomic_write(Path(self.destination) / name, _encode(data, name))
            self.written += 1
