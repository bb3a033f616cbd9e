"""Document embeddings kept in the index file, so a document is embedded once.

Keyed by the hash of the normalised text (the key of the index's documents)
and by `model_key` (the model and what of a document it embeds): a copy of an
indexed file, or the same article met again by `cleaner clean` or `cleaner
dedup --index`, reuses the vectors. A row holds the number of paragraphs, the
paragraph vectors (float16: 1 KB a paragraph; `pairs.embedded` rounds them the
same way, so a cached and a fresh embedding are equal) and the document vector
(float32), and the document's language, so that `cleaner dedup --index` can
look for the translations of a new file among the indexed documents. The
paragraphs themselves are cut again from the text, which is cheap; when they
do not match the cached count (a text equal only once normalised), the
document is embedded again.

Example:
    >>> cache = EmbeddingCache.of(index, XlingConfig())  # doctest: +SKIP
    >>> cache.embedding(fp.content_hash, text)  # embedded once, then read back  # doctest: +SKIP
"""

from __future__ import annotations

import sqlite3

import numpy as np

from cleaner.xling import embed
from cleaner.xling.pairs import Embedded, embedded


def model_key(options) -> str:
    """What an embedding depends on (`options`: XlingConfig)."""
    return f"usem3-v3:{options.max_paragraphs}:{options.max_paragraph_chars}"


class EmbeddingCache:
    """The `embeddings` table of an index; `computed` and `reused` count the lookups."""

    def __init__(self, db: sqlite3.Connection, options):
        self.db = db
        self.options = options
        self.key = model_key(options)
        self.computed = 0
        self.reused = 0

    @classmethod
    def of(cls, index, options) -> EmbeddingCache | None:
        """The cache of an open index (cleaner/dedup/index.py), None without the table."""
        found = index.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'embeddings'"
        ).fetchone()
        return cls(index.db, options) if found else None

    def get(self, content_hash: bytes, text: str) -> Embedded | None:
        record = self.db.execute(
            "SELECT paragraphs, vectors, vector FROM embeddings WHERE content_hash = ? AND model = ?",
            (content_hash, self.key),
        ).fetchone()
        if record is None:
            return None
        count, vectors, vector = record
        paras = embed.paragraphs(
            text, self.options.max_paragraphs, self.options.max_paragraph_chars
        )
        if len(paras) != count:
            return None
        vectors = np.frombuffer(vectors, dtype="<f2").astype(np.float32).reshape(count, embed.DIM)
        vector = np.frombuffer(vector, dtype="<f4").astype(np.float32)
        return Embedded(tuple(paras), vectors, vector)

    def put(self, content_hash: bytes, found: Embedded, lang: str | None = None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?, ?)",
            (
                content_hash,
                self.key,
                lang,
                len(found.paragraphs),
                found.vectors.astype("<f2").tobytes(),
                found.vector.astype("<f4").tobytes(),
            ),
        )

    def embedding(self, content_hash: bytes, text: str, lang: str | None = None) -> Embedded:
        """The document's embedding: read back, or computed and kept."""
        found = self.get(content_hash, text)
        if found is not None:
            self.reused += 1
            return found
        found = embedded(text, self.options)
        self.put(content_hash, found, lang)
        self.computed += 1
        return found

    def nearest(
        self, queries: np.ndarray, lang: str, k: int, floor: float, block: int = 8192
    ) -> set[bytes]:
        """Content hashes of the kept documents in `lang` that are among the `k`
        nearest of a query (unit vectors), with a cosine of at least `floor`.

        The table is read a block at a time: memory is one block of vectors
        and one of scores, time grows with the number of documents kept.
        """
        best = np.full((len(queries), k), -np.inf, dtype=np.float32)
        owners = np.empty((len(queries), k), dtype=object)
        cursor = self.db.execute(
            "SELECT content_hash, vector FROM embeddings WHERE model = ? AND lang = ?",
            (self.key, lang),
        )
        while records := cursor.fetchmany(block):
            hashes = np.array([h for h, _ in records], dtype=object)
            vectors = np.frombuffer(b"".join(v for _, v in records), dtype="<f4")
            scores = queries @ vectors.reshape(len(records), embed.DIM).T
            merged = np.concatenate((best, scores), axis=1)
            names = np.concatenate((owners, np.broadcast_to(hashes, scores.shape)), axis=1)
            top = np.argsort(-merged, axis=1, kind="stable")[:, :k]
            best = np.take_along_axis(merged, top, axis=1)
            owners = np.take_along_axis(names, top, axis=1)
        return {h for h, s in zip(owners.ravel(), best.ravel(), strict=True) if s >= floor}

    def commit(self) -> None:
        self.db.commit()

    def copy_from(self, path) -> int:
        """Keep the embeddings of another index file (the one a fresh build replaces)."""
        try:
            self.db.execute("ATTACH DATABASE ? AS previous", (str(path),))
        except sqlite3.Error:
            return 0
        try:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO embeddings SELECT * FROM previous.embeddings WHERE model = ?",
                (self.key,),
            )
            copied = cursor.rowcount
            self.db.commit()
        except sqlite3.Error:
            copied = 0
        self.db.execute("DETACH DATABASE previous")
        return max(copied, 0)
