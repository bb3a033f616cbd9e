"""The texts behind the report's records: each input read again, and each cleaned output.

The report holds what was removed, not where: the page places the pieces in
the input, read again with cleaner's own reader and repaired by its own
encoding stage, as the run did (`align.py`). A text file is one document; a
JSONL shard is read once and its records are found by id. An input that
cannot be read again (standard input, a file since moved) gives None, and
the page lists that document's changes without positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner.document import Document

_LINE_ID = re.compile(r"^(.*):(\d+)$")  # the id of a JSONL record without one


def _is_jsonl(path: str) -> bool:
    return path.endswith((".jsonl", ".jsonl.gz"))


def _shard_name(records: list[dict[str, Any]], path: str) -> str:
    """The name the run gave a shard: what its id-less records are called after."""
    for record in records:
        m = _LINE_ID.match(record["id"])
        if m and path.endswith(m.group(1)):
            return m.group(1)
    return Path(path).name


def _shard_texts(path: str, name: str) -> dict[str, str]:
    """Every readable record of a JSONL shard, by id (the first of equal ids)."""
    from cleaner.inputs import Source, read_source

    texts: dict[str, str] = {}
    for doc in read_source(Source(path, name, "jsonl")):
        if doc.ok:
            texts.setdefault(doc.id, doc.text)
    return texts


def _repair(doc: Document, uncurl_quotes: bool) -> str | None:
    from cleaner.config import CleanerConfig
    from cleaner.pipeline import Context
    from cleaner.stages.encoding import repair_encoding

    repaired = repair_encoding(doc, Context(config=CleanerConfig(uncurl_quotes=uncurl_quotes)))
    return repaired.text if repaired.ok else None


def _uncurled(record: dict[str, Any]) -> bool:
    """Whether the run straightened quotes: the report says so by its E111 changes."""
    return any(c.get("code") == "E111" for c in record.get("changes", ()))


def repaired_inputs(records: list[dict[str, Any]]) -> Iterator[str | None]:
    """Each record's input after the encoding stage, or None when it cannot be read again."""
    shards: dict[str, dict[str, str]] = {}
    for record in records:
        path = record.get("path") or ""
        if record.get("status") != "ok" or path in ("", "-"):
            yield None
            continue
        try:
            if _is_jsonl(path):
                if path not in shards:
                    same = [r for r in records if r.get("path") == path]
                    shards[path] = _shard_texts(path, _shard_name(same, path))
                text = shards[path].get(record["id"])
                doc = None if text is None else Document(record["id"], path, path, text=text)
            else:
                raw = Path(path).read_bytes()
                doc = Document(record["id"], path, path, raw=raw) if raw else None
        except OSError:
            doc = None
        yield None if doc is None else _repair(doc, _uncurled(record))


def cleaned_outputs(records: list[dict[str, Any]], folder: Path) -> Iterator[str | None]:
    """Each record's cleaned text as written in `folder` (the run's -o), or None.

    A text file's output mirrors its id; a JSONL record is looked for in the
    shard of the same name. Duplicate copies left out of the output give None.
    """
    shards: dict[str, dict[str, str]] = {}
    for record in records:
        path = record.get("path") or ""
        if record.get("status") != "ok":
            yield None
            continue
        if not _is_jsonl(path):
            target = folder / record["id"]
            try:
                yield target.read_text("utf-8") if target.is_file() else None
            except (OSError, UnicodeDecodeError):
                yield None
            continue
        if path not in shards:
            same = [r for r in records if r.get("path") == path]
            name = _shard_name(same, path)
            target = folder / name
            shards[path] = _shard_texts(str(target), name) if target.is_file() else {}
        yield shards[path].get(record["id"])
