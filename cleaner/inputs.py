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
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cleaner.document import Document

STDIN = "-"
# formats that hold one document per record, many records per file
RECORD_FORMATS = ("jsonl", "parquet")


@dataclass(frozen=True, slots=True)
class Source:
    """One input file. `name` is the path the output mirrors, relative to the
    directory given on the command line (or the file's own name)."""

    path: str
    name: str
    format: str  # "text", or one of RECORD_FORMATS
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
    if path.endswith((".jsonl", ".jsonl.gz")):
        return "jsonl"
    return "parquet" if path.endswith(".parquet") else "text"


def discover(paths: list[str], glob: str, fmt: str) -> tuple[list[Source], list[InputError]]:
    """Expand the command-line paths into sources, sorted by output name.

    `glob` holds one pattern or several separated by commas (`*.txt,*.md`).

    Sorting makes the output independent of the order the paths were given in.
    """
    sources: list[Source] = []
    errors: list[InputError] = []
    for arg in paths:
        if arg == STDIN:
            sources.append(Source(STDIN, "<stdin>", fmt if fmt in RECORD_FORMATS else "text"))
            continue
        path = Path(arg)
        if path.is_dir():
            try:
                os.scandir(path).close()  # rglob passes over a folder it cannot read
            except OSError as e:
                errors.append(InputError(arg, _problem(e)))
                continue
            patterns = [g.strip() for g in glob.split(",") if g.strip()]
            found = sorted(
                {p for g in patterns for p in path.rglob(g) if p.is_file() and not _is_report(p)}
            )
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


def _is_report(path: Path) -> bool:
    """Whether a JSONL file found in a folder is a cleaner report (a run's
    `report.jsonl`), not a shard: it is not cleaned again with the outputs."""
    if not path.name.endswith(".jsonl"):
        return False
    try:
        with open(path, "rb") as f:
            first = json.loads(f.readline(1 << 20) or b"null")
    except (OSError, ValueError):
        return False
    return isinstance(first, dict) and {"status", "changes"} <= first.keys() and "text" not in first


_stdin_copy: BinaryIO | None = None


def stdin_stream() -> BinaryIO:
    """Standard input, from its start: copied to a temporary file on first
    use, since a run reads its inputs twice (the corpus pass, then cleaning)."""
    global _stdin_copy
    if _stdin_copy is None:
        _stdin_copy = tempfile.TemporaryFile(prefix="cleaner-stdin-")  # noqa: SIM115 (kept for the run)
        shutil.copyfileobj(sys.stdin.buffer, _stdin_copy)
    _stdin_copy.seek(0)
    return _stdin_copy


def _read_bytes(source: Source) -> bytes:
    if source.is_stdin:
        return stdin_stream().read()
    with open(source.path, "rb") as f:
        return f.read()


def _problem(e: OSError) -> str:
    return (e.strerror or str(e)).lower() if e.errno else str(e)


def read_source(source: Source) -> Iterator[Document]:
    """The documents of one source; a problem becomes an error document.

    A JSONL file is read line by line, a Parquet file a batch of rows at a
    time, so a large shard is never held in memory.
    """
    if source.format == "jsonl":
        yield from _jsonl_documents(source)
        return
    if source.format == "parquet":
        from cleaner.parquet import documents

        yield from documents(source)
        return
    try:
        data = _read_bytes(source)
        if source.path.endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError) as e:
        yield _failed(source, e)
        return
    # an empty file is read like any other: it cleans to nothing (status "empty")
    yield Document(id=source.name, source=source.path, name=source.name, raw=data)


def _failed(source: Source, e: Exception, where: str | None = None) -> Document:
    problem = _problem(e) if isinstance(e, OSError) else "truncated gzip file"
    name = where or source.name
    return Document(id=name, source=source.path, name=source.name, error=problem)


def _open_lines(source: Source) -> BinaryIO:
    if source.is_stdin:
        return stdin_stream()
    if source.path.endswith(".gz"):
        return gzip.open(source.path, "rb")  # type: ignore[return-value]
    return open(source.path, "rb")


def _jsonl_documents(source: Source) -> Iterator[Document]:
    seen = False
    number = 0
    try:
        stream = _open_lines(source)
    except OSError as e:
        yield _failed(source, e)
        return
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            seen = True
            yield _jsonl_document(source, number, line)
    except (OSError, EOFError) as e:
        yield _failed(source, e, where=f"{source.name}:{number + 1}")
        return
    finally:
        if not source.is_stdin:
            stream.close()
    if not seen:
        yield Document(id=source.name, source=source.path, name=source.name, error="empty file")


def _jsonl_document(source: Source, number: int, line: bytes) -> Document:
    where = f"{source.name}:{number}"
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        reason = (
            f"{e.msg.rstrip(' at')} at column {e.colno}"
            if isinstance(e, json.JSONDecodeError)
            else "not UTF-8"
        )
        return _bad_line(source, where, line, f"line {number}: invalid JSON ({reason})")
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return _bad_line(source, where, line, f"line {number}: no string field 'text'")
    # the id names the record in messages, the report and the index: a lone
    # surrogate in it is shown as its escape (the output record keeps it as it was)
    doc_id = str(record.get("id", where)).encode("utf-8", "backslashreplace").decode("utf-8")
    text = record["text"]
    fields = {k: v for k, v in record.items() if k != "text"}
    return Document(
        id=doc_id,
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
