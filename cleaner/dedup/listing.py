"""What `cleaner dedup` prints: clusters, most similar first, with the shared passages."""

from __future__ import annotations

from typing import Any, TextIO

from cleaner.dedup.corpus import Deduplication
from cleaner.dedup.passages import shared_passages
from cleaner.dedup.verify import CONTAINED, TRANSLATION


def clusters(dedup: Deduplication, only_new: bool = False) -> list[dict[str, Any]]:
    """Every cluster as a JSON-ready record.

    With `only_new` (checking new documents against an index), only the copies
    that involve a new document: duplicates among indexed documents are the
    index's business, not the new files'.
    """
    found = []
    for number, rows in dedup.result.members().items():
        if only_new and not any(dedup.is_new(r) for r in rows):
            continue
        kept = next(r for r in rows if dedup.result.duplicates[r].kept)
        copies = [
            _copy(dedup, r)
            for r in sorted(rows, key=dedup.table.keys.__getitem__)
            if not only_new or dedup.is_new(r) or dedup.is_new(kept)
        ]
        copies = [c for c in copies if c is not None]
        copies.sort(key=lambda c: -c["score"])
        found.append(
            {
                "cluster": number,
                "score": copies[0]["score"],
                "kept": _describe(dedup, kept),
                "duplicates": copies,
            }
        )
    found.sort(key=lambda c: (-c["score"], c["cluster"]))
    return found


def _describe(dedup: Deduplication, row: int) -> dict[str, Any]:
    return {
        **dedup.reference(row),
        "chars": dedup.table.lengths[row],
        "indexed": not dedup.is_new(row),
    }


def _copy(dedup: Deduplication, row: int) -> dict[str, Any] | None:
    duplicate = dedup.result.duplicates[row]
    if duplicate.kept:
        return None
    record = _describe(dedup, row)
    record["kind"] = duplicate.kind
    record["similarity"] = duplicate.similarity
    record["score"] = duplicate.score
    if duplicate.kind == CONTAINED:
        record["contained_in"] = dedup.reference(duplicate.contained_in)
        record["containment"] = duplicate.containment
    if duplicate.kind == TRANSLATION:
        translation = dedup.result.translations[row]
        record["evidence"] = translation.evidence.record()
        record["aligned"] = translation.aligned()
        record["shared"] = []
        return record
    record["shared"] = shared_passages(dedup.text(row), dedup.text(duplicate.match))
    return record


def _quote(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return "«" + (text if len(text) <= limit else text[: limit - 1] + "…") + "»"


def write_text(found: list[dict[str, Any]], out: TextIO) -> None:
    """The clusters for a person: each kept copy, then its duplicates and what they share."""
    for cluster in found:
        kept = cluster["kept"]
        size = len(cluster["duplicates"]) + 1
        out.write(
            f"cluster {cluster['cluster']}: {size} documents, keep {_where(kept)} "
            f"({kept['chars']:,} chars)\n"
        )
        for copy in cluster["duplicates"]:
            if copy["kind"] == CONTAINED:
                how = (
                    f"contained {copy['containment']:.2f} in {_where(copy['contained_in'])}"
                    f" (jaccard {copy['similarity']:.2f})"
                )
            elif copy["kind"] == TRANSLATION:
                e = copy["evidence"]
                how = (
                    f"translation {copy['similarity']:.2f} of {_where(kept)}"
                    f" (cosine {e['cosine']:.2f}, paragraphs aligned {e['aligned']:.2f},"
                    f" numbers {_share(e['numbers'])}, names {_share(e['names'])})"
                )
            else:
                how = f"{copy['kind']} {copy['similarity']:.2f}"
            out.write(f"  {_where(copy)}  {how}  ({copy['chars']:,} chars)\n")
            for pair in copy.get("aligned", []):
                out.write(
                    f"      {pair['cosine']:.2f}  {_column(pair['kept'])} | {_column(pair['other'])}\n"
                )
            for passage in copy["shared"]:
                out.write(f"      shared: {_quote(passage)} ({len(passage.split())} words)\n")


def _share(value: float | None) -> str:
    return "none" if value is None else f"{value:.2f}"


def _column(text: str, width: int = 48) -> str:
    """A paragraph cut to one column of the side-by-side listing."""
    text = " ".join(text.split())
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def _where(ref: dict[str, Any]) -> str:
    # a text file's id is its name; a JSONL record's id is shown beside the file
    place = ref["path"] if ref["path"].endswith(ref["id"]) else f"{ref['path']} [{ref['id']}]"
    return place + (" (indexed)" if ref.get("indexed") else "")
