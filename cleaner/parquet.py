"""Parquet shards in and out: a `text` column cleaned, every other column carried through.

A Parquet file is read one record batch at a time and written one row group
at a time, so a large shard is never held in memory. pyarrow is an optional
extra (`pip install 'cleaner[parquet]'`); without it a Parquet input is an
error document that names the file, and the other inputs are still cleaned.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner.document import Document
from cleaner.inputs import stdin_stream

BATCH_ROWS = 1024
# the columns of each Parquet input read in this process, for its output
_schemas: dict[str, Any] = {}
MISSING = "reading Parquet needs pyarrow: pip install 'cleaner[parquet]'"


class ParquetMissing(RuntimeError):
    pass


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise ParquetMissing(MISSING) from e
    return pa, pq


def documents(source) -> Iterator[Document]:
    """The rows of a Parquet file as documents; a problem becomes an error document."""
    try:
        _, pq = _pyarrow()
        shard = pq.ParquetFile(stdin_stream() if source.is_stdin else source.path)
    except ParquetMissing as e:
        yield Document(id=source.name, source=source.path, name=source.name, error=str(e))
        return
    except Exception as e:  # pyarrow raises its own errors for files that are not Parquet
        problem = f"not a Parquet file ({str(e).split('. ')[0]})"
        yield Document(id=source.name, source=source.path, name=source.name, error=problem)
        return
    _schemas[source.path] = shard.schema_arrow.remove_metadata()
    if "text" not in shard.schema_arrow.names:
        yield Document(
            id=source.name, source=source.path, name=source.name, error="no column 'text'"
        )
        return
    number = 0
    for batch in shard.iter_batches(batch_size=BATCH_ROWS):
        for record in batch.to_pylist():
            number += 1
            yield _row_document(source, number, record)
    if number == 0:
        yield Document(id=source.name, source=source.path, name=source.name, error="empty file")


def _row_document(source, number: int, record: dict[str, Any]) -> Document:
    where = f"{source.name}:{number}"
    text = record["text"]
    if not isinstance(text, str):
        # kept whole (with its `text` as it was), so the output never loses a row
        return Document(
            id=where,
            source=source.path,
            name=source.name,
            fields=record,
            error=f"row {number}: 'text' is not a string",
        )
    fields = {k: v for k, v in record.items() if k != "text"}
    doc_id = record.get("id")
    return Document(
        id=str(doc_id) if doc_id is not None else where,
        source=source.path,
        name=source.name,
        text=text,
        fields=fields,
        chars_in=len(text),
    )


def output_row(doc: Document) -> dict[str, Any]:
    """The output row of a Parquet document: its columns with `text` cleaned."""
    if not doc.ok:
        return dict(doc.fields)
    return {**doc.fields, "text": doc.text}


class ParquetOutput:
    """One Parquet file, written a row group at a time into `file` (an AtomicFile).

    The columns are those of the input, in its order; the columns the output
    adds (`id` and `lang` with --split-lang) are appended as string columns.
    """

    def __init__(self, file, source: str, extra_columns: tuple[str, ...] = ()):
        pa, _ = _pyarrow()
        self.pa, self.file = pa, file
        self.schema = _schemas[source]
        for name in extra_columns:
            if name not in self.schema.names:
                self.schema = self.schema.append(pa.field(name, pa.string()))
        self.writer = None
        self.rows: list[dict[str, Any]] = []

    def add(self, doc: Document) -> None:
        self.rows.append(output_row(doc))
        if len(self.rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        table = self.pa.Table.from_pylist(self.rows, schema=self.schema)
        if self.writer is None:
            import pyarrow.parquet as pq

            self.writer = pq.ParquetWriter(self.file, self.schema)
        self.writer.write_table(table)
        self.rows = []

    def close(self) -> None:
        self._flush()
        if self.writer is None:  # no rows: an empty file with the input's columns
            import pyarrow.parquet as pq

            self.writer = pq.ParquetWriter(self.file, self.schema)
        self.writer.close()


def same_table(a: Path, b: Path) -> bool:
    """Whether two Parquet files hold the same rows (for --in-place)."""
    _, pq = _pyarrow()
    return pq.read_table(a).equals(pq.read_table(b))
