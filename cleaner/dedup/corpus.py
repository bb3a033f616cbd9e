"""Deduplicating a stream of cleaned documents: park, find, then hand them back.

`Deduplication.of(documents, options)` parks every cleaned document in a
spool and its fingerprint in a table, finds the clusters, and then
`documents()` gives the documents back in input order with their
`duplicate` report field set, ready to be written or left out.

The same pass finds spun copies of other documents of the corpus
(cleaner/spun/paraphrase.py): their `spun` field gets `paraphrase_of` and
the aligned substitutions.

With an index, the indexed documents that may match a new one are loaded
into the same table (after the new ones), so they are verified and
clustered by the same code.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleaner.dedup.cluster import Duplicate, Result, find_duplicates, keep_originals
from cleaner.dedup.fingerprint import FingerprintTable
from cleaner.dedup.index import Index, IndexedDocument
from cleaner.dedup.shingles import shingles
from cleaner.dedup.verify import TRANSLATION
from cleaner.document import Document
from cleaner.spool import Spool


def _cache_of(index: Index, xling_options):
    from cleaner.xling import embed

    if not embed.available():
        return None
    from cleaner.xling.cache import EmbeddingCache

    return EmbeddingCache.of(index, xling_options)


@dataclass
class Deduplication:
    spool: Spool  # (document, format) in input order
    table: FingerprintTable
    ids: list[str]
    result: Result
    options: Any  # DedupConfig
    indexed: list[IndexedDocument] = field(default_factory=list)
    spun_options: Any = None  # SpunConfig, when paraphrases are looked for
    paraphrases: dict[int, Any] = field(default_factory=dict)  # row -> Paraphrase
    languages: dict[int, str] = field(default_factory=dict)  # row -> main language
    drop_translations: bool = False  # --drop-translations: leave the other language out

    @classmethod
    def of(
        cls,
        documents: Iterable[tuple[Document, str]],
        options,
        index: Index | None = None,
        spun_options=None,
        xling_options=None,
        embeddings=None,
        mapper=None,
        clusterer=None,
    ) -> Deduplication:
        """Park `documents`; find duplicates when `options.enabled`, spun
        copies when `spun_options` asks for paraphrases, and translations
        when `xling_options` is enabled and the extra installed. With an
        index, the documents' embeddings are read from and kept in its
        cache (`embeddings`: cleaner/xling/cache.py, by default the index's);
        without a cache, `mapper` (the run's executor: `mapper(func, items,
        shared)`) computes the document vectors on the workers. `clusterer`
        (`clusterer(table, options, text_of)`: the Dask engine's) finds the
        clusters instead of `find_duplicates` in this process."""
        spool = Spool()
        table = FingerprintTable(options.num_perm)
        ids: list[str] = []
        position: Counter[str] = Counter()
        from_index: set[int] = set()
        signatures: dict[int, np.ndarray] = {}
        langs: dict[int, str] = {}
        languages: dict[int, str] = {}
        for doc, fmt in documents:
            if doc.ok and doc.report.get("lang"):
                languages[len(ids)] = doc.report["lang"]
            if doc.ok and doc.paraphrase_signature is not None:
                signatures[len(ids)] = doc.paraphrase_signature
                langs[len(ids)] = doc.report.get("lang")
            spool.add((doc, fmt))
            ids.append(doc.id)
            table.add((doc.source, position[doc.source]), len(doc.text), doc.fingerprint)
            position[doc.source] += 1
            if index is not None and doc.ok and doc.fingerprint is not None:
                from_index.update(index.candidates(doc.fingerprint))
        dedup = cls(spool, table, ids, Result(), options, spun_options=spun_options)
        dedup.languages = languages
        if index is not None:
            new_paths = {os.path.normpath(path) for path in position}
            # an indexed older version of a file being checked is not a duplicate of it
            dedup.indexed = [d for d in index.load(sorted(from_index)) if d.path not in new_paths]
            for d in dedup.indexed:
                ids.append(d.id)
                table.add((d.path, d.position), d.length, d.fingerprint)
        if options.enabled and clusterer is not None:
            dedup.result = clusterer(table, options, dedup.text)
        elif options.enabled:
            dedup.result = find_duplicates(table, options, dedup.shingles)
        if spun_options is not None and spun_options.enabled and spun_options.paraphrase:
            dedup.paraphrases = dedup.find_paraphrases(signatures, langs)
            # a cluster of an article and its spun copy keeps the article
            originals = {copy: found.original for copy, found in dedup.paraphrases.items()}
            keep_originals(dedup.result, originals, table, dedup.shingles)
        if xling_options is not None and xling_options.enabled:
            if embeddings is None and index is not None:
                embeddings = _cache_of(index, xling_options)
            dedup.find_translations(xling_options, embeddings, index, mapper)
        return dedup

    def find_translations(self, xling_options, embeddings=None, index=None, mapper=None) -> None:
        """Pair the documents that are one article in two languages (cleaner/xling/).

        Only documents written to the output are paired: kept copies and
        documents in no cluster. Skipped when the extra is not installed.
        `embeddings` (cleaner/xling/cache.py) spares embedding a document
        twice; with the `index` it comes from, the indexed documents of the
        other language nearest to a new one are paired too. Without a cache,
        the document vectors are computed by `mapper` on the run's workers,
        and the paragraph vectors only for the candidate pairs.
        """
        from cleaner.xling import embed

        if not embed.available():
            return
        from cleaner.dedup.cluster import add_translations
        from cleaner.xling.pairs import document_vector, eligible, embedded, find_translations

        def embedding_of(row: int):
            digest = self.table.hashes[row]
            if embeddings is None or not digest:
                return embedded(self.text(row), xling_options)
            return embeddings.embedding(digest, self.text(row), self.languages.get(row))

        rows = [
            row
            for row in self.languages
            if row not in self.result.duplicates or self.result.duplicates[row].kept
        ]
        if index is not None and embeddings is not None:
            rows += self._indexed_translations(rows, index, embeddings, embedding_of)
        found = []
        # a pair needs a document in each language: without one, nothing is read or embedded
        if set(xling_options.languages[:2]) <= {self.languages.get(row) for row in rows}:
            vectors: dict[int, np.ndarray] = {}
            if embeddings is None and mapper is not None:
                todo = [
                    row
                    for row in rows
                    if eligible(self.languages.get(row), self.text(row), xling_options)
                ]
                texts = (self.text(row) for row in todo)
                vectors = dict(
                    zip(todo, mapper(document_vector, texts, xling_options), strict=True)
                )
            found = find_translations(
                rows,
                self.languages.get,
                self.text,
                xling_options,
                embedding_of,
                vector_of=vectors.__getitem__ if vectors else None,  # every eligible row is in it
            )
        if embeddings is not None:
            embeddings.commit()
        add_translations(self.result, found, self.table.keys)

    def _indexed_translations(self, rows, index: Index, embeddings, embedding_of) -> list[int]:
        """The indexed documents that may be a new document's translation: in
        the other language, among its nearest by the cached document vectors
        (`neighbours`, cosine at least `candidate`). They are loaded after the
        others, as the near-duplicate candidates are, and verified with them."""
        from cleaner.xling.pairs import eligible

        options = embeddings.options
        first, second = options.languages[:2]
        loaded = {(d.path, d.position) for d in self.indexed}
        new_paths = {os.path.normpath(self.table.keys[r][0]) for r in range(len(self.spool))}
        added = []
        for lang, other in ((first, second), (second, first)):
            mine = [
                r
                for r in rows
                if self.is_new(r)
                and self.languages.get(r) == lang
                and eligible(lang, self.text(r), options)
            ]
            if not mine:
                continue
            queries = np.stack([embedding_of(r).vector for r in mine])
            near = embeddings.nearest(queries, other, options.neighbours, options.candidate)
            for digest in sorted(near):
                for doc in index.load(index.rows_with_hash(digest)):
                    if doc.path in new_paths or (doc.path, doc.position) in loaded:
                        continue
                    loaded.add((doc.path, doc.position))
                    row = len(self.ids)
                    self.ids.append(doc.id)
                    self.table.add((doc.path, doc.position), doc.length, doc.fingerprint)
                    self.indexed.append(doc)
                    self.languages[row] = other
                    added.append(row)
        return added

    def find_paraphrases(self, signatures: dict[int, np.ndarray], langs: dict[int, str]):
        from cleaner.spun.paraphrase import find_paraphrases

        # near duplicates are compared too: a lightly spun copy is one
        return find_paraphrases(
            signatures, self.text, langs.get, self.table.keys.__getitem__, self.spun_options
        )

    def is_new(self, row: int) -> bool:
        return row < len(self.spool)

    def text(self, row: int) -> str:
        if row < len(self.spool):
            return self.spool.get(row)[0].text
        return self.indexed[row - len(self.spool)].text

    def shingles(self, row: int) -> np.ndarray:
        return shingles(self.text(row), self.options.shingle)

    def reference(self, row: int) -> dict[str, str]:
        return {"id": self.ids[row], "path": self.table.keys[row][0]}

    def report_field(self, row: int, duplicate: Duplicate) -> dict[str, Any]:
        """The `duplicate` field of the report (see README, "Report format")."""
        record: dict[str, Any] = {"cluster": duplicate.cluster, "kept": duplicate.kept}
        if not duplicate.kept:
            record["duplicate_of"] = self.reference(duplicate.duplicate_of)
            record["similarity"] = duplicate.similarity
            record["kind"] = duplicate.kind
        if duplicate.kind == TRANSLATION:
            record["evidence"] = self.result.translations[row].evidence.record()
        if duplicate.contained_in is not None:
            record["contained_in"] = self.reference(duplicate.contained_in)
            record["containment"] = duplicate.containment
        return record

    def documents(self) -> Iterator[tuple[Document, str, bool]]:
        """(document, format, is a dropped copy) in input order, `duplicate` set."""
        for row, (doc, fmt) in enumerate(self.spool):
            duplicate = self.result.duplicates.get(row)
            if doc.ok:
                record = self.report_field(row, duplicate) if duplicate else None
                doc = dataclasses.replace(doc, report={**doc.report, "duplicate": record})
                if row in self.paraphrases:
                    doc = self._with_paraphrase(doc, self.paraphrases[row])
            yield doc, fmt, self.left_out(duplicate)

    def left_out(self, duplicate: Duplicate | None) -> bool:
        """Whether a document stays out of the output: a copy, or with
        --drop-translations, the translation of a kept document."""
        if duplicate is None or duplicate.kept:
            return False
        return duplicate.kind != TRANSLATION or self.drop_translations

    def _with_paraphrase(self, doc: Document, found) -> Document:
        """The `spun` field of a spun copy: its original and the aligned substitutions."""
        from cleaner.stages.spun import with_alignment

        spun = with_alignment(doc.text, doc.report["spun"], found.substitutions, self.spun_options)
        spun["paraphrase_of"] = self.reference(found.original)
        return dataclasses.replace(doc, report={**doc.report, "spun": spun})

    def close(self) -> None:
        self.spool.close()
