"""Finding the inputs and reading them into documents.

A path on the command line is a file, a directory (searched recursively for
the `glob`), or `-` for standard input. A text file is one document; a JSONL
file holds one document per line (`id` and `text`, other fields carried
through). Problems with one input become error documents, so that the other
inputs are still processed.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cleaner.document import Document

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One input file. `name` is the path the output mirrors, relative to the
    directory given on the command line (or the file's own name)."""

    path: str
    name: str
    format: str  # "text" or "jsonl"
    root: str | None = None  # the input directory it was found in

    @property
    def is_stdin(self) -> bool:
        return self.path == STDIN


@dataclass(frozen=True, slots=True)
class InputError:
    path: str
    problem: str


def _format_of(path: str, wanted: str) -> str:
    if wanted != "auto":
        return wanted
    return "jsonl" if path.endswith((".jsonl", ".jsonl.gz")) else "text"


def discover(paths: list[str], glob: str, fmt: str) -> tuple[list[Source], list[InputError]]:
    """Expand the command-line paths into sources, sorted by output name.

    Sorting makes the output independent of the order the paths were given in.
    """
    sources: list[Source] = []
    errors: list[InputError] = []
    for arg in paths:
        if arg == STDIN:
            sources.append(Source(STDIN, "<stdin>", "jsonl" if fmt == "jsonl" else "text"))
            continue
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.rglob(glob) if p.is_file())
            if not found:
                errors.append(InputError(arg, f"no files matching '{glob}'"))
            for p in found:
                name = p.relative_to(path).as_posix()
                sources.append(Source(str(p), name, _format_of(name, fmt), root=str(path)))
        elif path.exists():
            sources.append(Source(arg, path.name, _format_of(path.name, fmt)))
        else:
            errors.append(InputError(arg, "no such file or directory"))
    sources.sort(key=lambda s: (s.name, s.path))
    return sources, errors


def _read_bytes(source: Source) -> bytes:
    if source.is_stdin:
        return sys.stdin.buffer.read()
    with open(source.path, "rb") as f:
        return f.read()


def _problem(e: OSError) -> str:
    return (e.strerror or str(e)).lower() if e.errno else str(e)


def read_source(source: Source) -> Iterator[Document]:
    """The documents of one source; a problem becomes an error document."""
    try:
        data = _read_bytes(source)
        if source.path.endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError) as e:
        problem = _problem(e) if isinstance(e, OSError) else "truncated gzip file"
        yield Document(id=source.name, source=source.path, name=source.name, error=problem)
        return
    if source.format == "jsonl":
        yield from _jsonl_documents(source, data)
        return
    if not data:
        yield Document(id=source.name, source=source.path, name=source.name, error="empty file")
        return
    yield Document(id=source.name, source=source.path, name=source.name, raw=data)


def _jsonl_documents(source: Source, data: bytes) -> Iterator[Document]:
    if not data.strip():
        yield Document(id=source.name, source=source.path, name=source.name, error="empty file")
        return
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if not line.strip():
            continue
        where = f"{source.name}:{number}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            reason = (
                f"{e.msg.rstrip(' at')} at column {e.colno}"
                if isinstance(e, json.JSONDecodeError)
                else "not UTF-8"
            )
            yield _bad_line(source, where, line, f"line {number}: invalid JSON ({reason})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield _bad_line(source, where, line, f"line {number}: no string field 'text'")
            continue
        doc_id = record.get("id", where)
        text = record["text"]
        fields = {k: v for k, v in record.items() if k != "text"}
        yield Document(
            id=str(doc_id),
            source=source.path,
            name=source.name,
            text=text,
            fields=fields,
            chars_in=len(text),
        )


def _bad_line(source: Source, where: str, line: bytes, problem: str) -> Document:
    # The raw line is kept so that a JSONL output never loses a line.
    return Document(id=where, source=source.path, name=source.name, raw=line, error=problem)


def total_size(sources: list[Source]) -> int:
    size = 0
    for s in sources:
        if not s.is_stdin:
            with contextlib.suppress(OSError):  # an unreadable input fails later, clearly
                size += os.path.getsize(s.path)
    return size
