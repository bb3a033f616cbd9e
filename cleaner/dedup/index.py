"""The persistent index: a corpus's fingerprints in one SQLite file.

`cleaner index build` and `cleaner index add` store, for every document, its
fingerprint, its LSH bucket keys, its passage hashes and its cleaned text
(compressed, to verify a candidate and show the shared passages without the
original file). `cleaner dedup --index` then looks a new document up by
bucket, passage and text hash, and verifies only the few documents found,
so checking one file against 200,000 takes a few indexed lookups.

Files are keyed by the hash of their bytes: a file whose size and
modification time are unchanged is not read again, one whose bytes are
unchanged is not cleaned again, and a copy of an indexed file reuses its
entries. The LSH parameters are fixed when the index is built (stored in its
`meta` table); the thresholds are chosen at query time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cleaner.dedup.candidates import band_keys
from cleaner.dedup.fingerprint import Fingerprint

SCHEMA_VERSION = "1"
# The parameters the stored signatures and bucket keys depend on.
FIXED = ("shingle", "num_perm", "seed", "bands", "rows")
# A bucket or passage shared by more indexed documents than this is too
# common to tell anything (a stock phrase left in by the cleaning).
_MAX_POSTINGS = 200

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY, file_hash BLOB NOT NULL, size INTEGER, mtime_ns INTEGER
);
CREATE TABLE docs (
    row INTEGER PRIMARY KEY,
    path TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL,
    content_hash BLOB NOT NULL, length INTEGER NOT NULL, words INTEGER NOT NULL,
    signature BLOB NOT NULL, passages BLOB NOT NULL, text BLOB NOT NULL
);
CREATE INDEX docs_path ON docs(path);
CREATE INDEX docs_content ON docs(content_hash);
CREATE TABLE buckets (key INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (key, row))
    WITHOUT ROWID;
CREATE TABLE passages (hash INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (hash, row))
    WITHOUT ROWID;
"""
# Translation duplicates (cleaner/xling/cache.py): a document's embedding, keyed like the
# documents by the hash of their normalised text, and by the model and what it embeds of
# a document. A cache: it may hold documents that are not indexed (checked by cleaner
# dedup --index), and an index written before it existed gets the table when opened.
EMBEDDINGS_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    content_hash BLOB NOT NULL, model TEXT NOT NULL, lang TEXT,
    paragraphs INTEGER NOT NULL, vectors BLOB NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (content_hash, model)
) WITHOUT ROWID;
"""


class IndexProblem(Exception):
    """An index that cannot be used: missing, not an index, built with other parameters."""


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    row: int
    path: str
    id: str
    position: int
    length: int
    fingerprint: Fingerprint
    text: str


def _signed(values: np.ndarray) -> list[int]:
    """uint64 bucket keys as SQLite's signed 64-bit integers."""
    return values.astype(np.uint64).view(np.int64).tolist()


def _band_keys(signature: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """The bucket keys of one signature, one per band, distinct between bands."""
    keys = band_keys(signature[None, :], bands, rows)[0]
    return keys ^ (np.arange(bands, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93))


class Index:
    """An open index file. Use `Index.create` or `Index.open`; close or use as a context."""

    def __init__(self, connection: sqlite3.Connection, options):
        self.db = connection
        self.options = options

    @classmethod
    def create(cls, path: Path, options) -> Index:
        db = sqlite3.connect(path)
        db.executescript(_SCHEMA + EMBEDDINGS_SCHEMA)
        meta = {"version": SCHEMA_VERSION} | {k: str(getattr(options, k)) for k in FIXED}
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        db.commit()
        return cls(db, options)

    @classmethod
    def open(cls, path: Path, options) -> Index:
        """Open an index; `options` take the index's fixed parameters."""
        if not path.is_file():
            raise IndexProblem(f"{path}: no such index (build one with: cleaner index build)")
        db = sqlite3.connect(path)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as e:
            db.close()
            raise IndexProblem(f"{path}: not a cleaner index ({e})") from None
        if meta.get("version") != SCHEMA_VERSION:
            db.close()
            raise IndexProblem(
                f"{path}: index format {meta.get('version')!r}, this cleaner reads "
                f"{SCHEMA_VERSION!r}: rebuild it with cleaner index build"
            )
        fixed = {k: int(meta[k]) for k in FIXED}
        # a read-only index keeps no embeddings: they are computed each time
        with contextlib.suppress(sqlite3.OperationalError):
            db.executescript(EMBEDDINGS_SCHEMA)
        return cls(db, dataclasses.replace(options, **fixed))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    # -- files ---------------------------------------------------------------

    def unchanged(self, path: str, size: int, mtime_ns: int) -> bool:
        found = self.db.execute(
            "SELECT 1 FROM files WHERE path = ? AND size = ? AND mtime_ns = ?",
            (path, size, mtime_ns),
        ).fetchone()
        return found is not None

    def file_hash(self, path: str) -> bytes | None:
        found = self.db.execute("SELECT file_hash FROM files WHERE path = ?", (path,)).fetchone()
        return found[0] if found else None

    def path_with_hash(self, file_hash: bytes) -> str | None:
        found = self.db.execute(
            "SELECT path FROM files WHERE file_hash = ? ORDER BY path LIMIT 1", (file_hash,)
        ).fetchone()
        return found[0] if found else None

    def record_file(self, path: str, file_hash: bytes, size: int, mtime_ns: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (path, file_hash, size, mtime_ns)
        )

    def remove_path(self, path: str) -> None:
        rows = [r for (r,) in self.db.execute("SELECT row FROM docs WHERE path = ?", (path,))]
        for table in ("buckets", "passages", "docs"):
            self.db.executemany(f"DELETE FROM {table} WHERE row = ?", [(r,) for r in rows])

    def copy_path(self, source: str, path: str) -> int:
        """Index the documents of `source` again under `path` (a copy of an indexed file)."""
        columns = "id, position, content_hash, length, words, signature, passages, text"
        copied = 0
        for (row,) in self.db.execute(
            "SELECT row FROM docs WHERE path = ? ORDER BY position", (source,)
        ).fetchall():
            cursor = self.db.execute(
                f"INSERT INTO docs (path, {columns}) SELECT ?, {columns} FROM docs WHERE row = ?",
                (path, row),
            )
            new = cursor.lastrowid
            for table, key in (("buckets", "key"), ("passages", "hash")):
                self.db.execute(
                    f"INSERT INTO {table} SELECT {key}, ? FROM {table} WHERE row = ?", (new, row)
                )
            copied += 1
        return copied

    # -- documents -----------------------------------------------------------

    def add(self, path: str, doc_id: str, position: int, text: str, fp: Fingerprint) -> None:
        options = self.options
        cursor = self.db.execute(
            "INSERT INTO docs (path, id, position, content_hash, length, words, signature,"
            " passages, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                path,
                doc_id,
                position,
                fp.content_hash,
                len(text),
                fp.words,
                fp.signature.astype("<u4").tobytes(),
                fp.passages.astype("<u4").tobytes(),
                zlib.compress(text.encode("utf-8"), 6),
            ),
        )
        row = cursor.lastrowid
        keys = _signed(_band_keys(fp.signature, options.bands, options.rows))
        self.db.executemany("INSERT OR IGNORE INTO buckets VALUES (?, ?)", [(k, row) for k in keys])
        self.db.executemany(
            "INSERT OR IGNORE INTO passages VALUES (?, ?)",
            [(int(h), row) for h in fp.passages],
        )

    def commit(self) -> None:
        self.db.commit()

    def candidates(self, fp: Fingerprint) -> list[int]:
        """Rows that may duplicate or contain a document with fingerprint `fp`."""
        options = self.options
        rows = {
            r
            for (r,) in self.db.execute(
                "SELECT row FROM docs WHERE content_hash = ?", (fp.content_hash,)
            )
        }
        if fp.words < options.min_words:
            return sorted(rows)
        for key in _signed(_band_keys(fp.signature, options.bands, options.rows)):
            found = self.db.execute(
                "SELECT row FROM buckets WHERE key = ? LIMIT ?", (key, _MAX_POSTINGS + 1)
            ).fetchall()
            if len(found) <= _MAX_POSTINGS:
                rows.update(r for (r,) in found)
        shared: dict[int, int] = {}
        for h in fp.passages.tolist():
            found = self.db.execute(
                "SELECT row FROM passages WHERE hash = ? LIMIT ?", (h, _MAX_POSTINGS + 1)
            ).fetchall()
            if len(found) <= _MAX_POSTINGS:
                for (r,) in found:
                    shared[r] = shared.get(r, 0) + 1
        needed = min(2, len(fp.passages))
        rows.update(r for r, count in shared.items() if count >= needed)
        return sorted(rows)

    def rows_with_hash(self, content_hash: bytes) -> list[int]:
        """The indexed documents whose normalised text has this hash."""
        return [
            r
            for (r,) in self.db.execute(
                "SELECT row FROM docs WHERE content_hash = ? ORDER BY row", (content_hash,)
            )
        ]

    def load(self, rows: Iterable[int]) -> list[IndexedDocument]:
        found = []
        for row in rows:
            record = self.db.execute(
                "SELECT row, path, id, position, content_hash, length, words, signature,"
                " passages, text FROM docs WHERE row = ?",
                (row,),
            ).fetchone()
            if record is None:
                continue
            row, path, doc_id, position, digest, length, words, sig, passages, text = record
            fp = Fingerprint(
                digest,
                words,
                np.frombuffer(sig, dtype="<u4").astype(np.uint32),
                np.frombuffer(passages, dtype="<u4").astype(np.uint32),
            )
            found.append(
                IndexedDocument(
                    row, path, doc_id, position, length, fp, zlib.decompress(text).decode("utf-8")
                )
            )
        return found
