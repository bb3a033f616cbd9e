"""The plain data that flows through the pipeline: a document and what was done to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    """One thing a stage removed or rewrote, with the rule that did it.

    `code` is the stable code from `cleaner.codes` (``B101``), `reason` the
    rule's name (``related-articles``). `line` is 1-based, in the text the
    stage received; `detail` says more where a reader needs it
    (``first at line 5``).
    """

    stage: str
    code: str
    reason: str
    text: str
    line: int | None = None
    replacement: str | None = None
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "stage": self.stage,
            "code": self.code,
            "reason": self.reason,
            "text": self.text,
        }
        if self.line is not None:
            record["line"] = self.line
        if self.replacement is not None:
            record["replacement"] = self.replacement
        if self.detail is not None:
            record["detail"] = self.detail
        return record


@dataclass(frozen=True, slots=True)
class Document:
    """A document on its way through the pipeline.

    `raw` holds the undecoded bytes of a text file until the encoding stage
    decodes them into `text`. `source` is the input file, `name` the path the
    output mirrors (relative to the input root). `fields` carries the other
    fields of a JSONL record through unchanged. `report` holds the fields each
    stage owns (``encoding``, ``lang``, ``duplicate``…), keyed by field name.
    `fingerprint` is what deduplication compares, computed by the last stage.
    """

    id: str
    source: str
    name: str
    text: str = ""
    raw: bytes | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    report: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    chars_in: int = 0
    fingerprint: Any = None  # cleaner.dedup.fingerprint.Fingerprint, for deduplication
    paraphrase_signature: Any = None  # cleaner.spun.paraphrase: MinHash of the immutables

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def empty(self) -> bool:
        """Read, but nothing is left after cleaning (an empty file, or all boilerplate)."""
        return self.ok and self.raw is None and not self.text.strip()
