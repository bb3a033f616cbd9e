"""The report: one JSON record per document, and a summary for people."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from cleaner.codes import CODES
from cleaner.document import Document


def record(doc: Document) -> dict[str, Any]:
    """The report record of one document (see README, "Report format")."""
    rec: dict[str, Any] = {
        "id": doc.id,
        "path": doc.source,
        "status": "error" if not doc.ok else "empty" if doc.empty else "ok",
        "error": doc.error,
        "chars_in": doc.chars_in,
        "chars_out": len(doc.text) if doc.ok else 0,
    }
    rec.update(doc.report)
    rec["metadata"] = doc.metadata
    rec["changes"] = [c.to_json() for c in doc.changes]
    return rec


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`1 copy`, `2 copies`: a count with its noun."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


@dataclass
class Summary:
    """Counts over a run, for the table printed at the end."""

    docs: int = 0
    failed: int = 0
    empty: int = 0  # read, but nothing left after cleaning: not written
    chars_in: int = 0
    chars_out: int = 0
    changed_docs: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    docs_by_code: Counter[str] = field(default_factory=Counter)
    chars_by_code: Counter[str] = field(default_factory=Counter)
    codecs: Counter[str] = field(default_factory=Counter)
    clusters: int = 0
    duplicates: int = 0
    duplicates_written: bool = False
    translations: int = 0
    translations_dropped: bool = False
    spun: int = 0
    spun_dropped: bool = False

    def add(self, doc: Document) -> None:
        self.docs += 1
        if not doc.ok:
            self.failed += 1
            return
        duplicate = doc.report.get("duplicate")
        if duplicate:
            if duplicate["kept"]:
                self.clusters += 1
            elif duplicate.get("kind") == "translation":
                self.translations += 1
            else:
                self.duplicates += 1
        if (doc.report.get("spun") or {}).get("flagged"):
            self.spun += 1
        self.empty += doc.empty
        self.chars_in += doc.chars_in
        self.chars_out += len(doc.text)
        if doc.changes:
            self.changed_docs += 1
        codec = doc.report.get("encoding", {}).get("codec")
        if codec:
            self.codecs[codec] += 1
        for code in {c.code for c in doc.changes}:
            self.docs_by_code[code] += 1
        for change in doc.changes:
            self.by_code[change.code] += 1
            self.chars_by_code[change.code] += change.length  # the whole text, not its excerpt

    @property
    def ok(self) -> int:
        return self.docs - self.failed

    def write(self, out: TextIO) -> None:
        """A short table: documents, characters, and changes by code."""
        kept = f"{self.chars_out / self.chars_in:.1%}" if self.chars_in else "-"
        out.write(
            f"cleaner: {self.docs} documents: {self.ok} ok, {self.failed} failed, "
            f"{self.changed_docs} changed; {self.chars_in:,} chars in, "
            f"{self.chars_out:,} out ({kept} kept)\n"
        )
        if self.empty:
            out.write(
                f"  empty: {counted(self.empty, 'document')} with nothing left after "
                "cleaning, not written\n"
            )
        if self.duplicates:
            fate = "written all the same" if self.duplicates_written else "left out of the output"
            out.write(
                f"  duplicates: {counted(self.duplicates, 'copy', 'copies')} in "
                f"{counted(self.clusters, 'cluster')}, {fate}\n"
            )
        if self.translations:
            fate = "left out of the output" if self.translations_dropped else "both written"
            out.write(f"  translations: {counted(self.translations, 'pair')}, {fate}\n")
        if self.spun:
            fate = (
                "left out of the output"
                if self.spun_dropped
                else "kept (--drop-spun leaves them out)"
            )
            out.write(f"  spun: {counted(self.spun, 'document')} flagged, {fate}\n")
        if self.codecs:
            codecs = ", ".join(f"{name} {n}" for name, n in sorted(self.codecs.items()))
            out.write(f"  encodings: {codecs}\n")
        if self.by_code:
            out.write(f"  {'code':<6}{'reason':<26}{'docs':>6}{'changes':>9}{'chars':>9}\n")
            for code in sorted(self.by_code):
                name = CODES[code].name if code in CODES else ""
                out.write(
                    f"  {code:<6}{name:<26}{self.docs_by_code[code]:>6}"
                    f"{self.by_code[code]:>9}{self.chars_by_code[code]:>9}\n"
                )
