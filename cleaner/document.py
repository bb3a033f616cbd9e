"""The plain data that flows through the pipeline: a document and what was done to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A change's text longer than this is kept as an excerpt: its first and last
# EXCERPT_CHARS characters around EXCERPT_GAP (a whole page on one line
# removed, or rewritten, would otherwise be written out whole in the report).
LONG_CHARS = 10_000
EXCERPT_CHARS = 500
EXCERPT_GAP = " … "


def excerpt(text: str) -> str:
    """`text`, or its head and tail when it is longer than LONG_CHARS."""
    if len(text) <= LONG_CHARS:
        return text
    return text[:EXCERPT_CHARS] + EXCERPT_GAP + text[-EXCERPT_CHARS:]


def excerpt_ends(text: str) -> tuple[str, str] | None:
    """The head and tail of an excerpt made by `excerpt`; None if `text` is not one."""
    if len(text) != 2 * EXCERPT_CHARS + len(EXCERPT_GAP):
        return None
    if text[EXCERPT_CHARS : EXCERPT_CHARS + len(EXCERPT_GAP)] != EXCERPT_GAP:
        return None
    return text[:EXCERPT_CHARS], text[-EXCERPT_CHARS:]


@dataclass(frozen=True, slots=True)
class Change:
    """One thing a stage removed or rewrote, with the rule that did it.

    `code` is the stable code from `cleaner.codes` (``B101``), `reason` the
    rule's name (``related-articles``). `line` is 1-based, in the text the
    stage received; `detail` says more where a reader needs it
    (``first at line 5``).

    A `text` or `replacement` longer than LONG_CHARS is kept as an
    `excerpt`, its head and tail; `chars` and `nbytes` then give the length of
    the whole text, in characters and in UTF-8 bytes (the report's `chars` and
    `bytes`), so that counts over changes stay exact (`length`).
    """

    stage: str
    code: str
    reason: str
    text: str
    line: int | None = None
    replacement: str | None = None
    detail: str | None = None
    chars: int | None = None  # set when `text` is an excerpt: the whole text's length
    nbytes: int | None = None  # and its UTF-8 bytes

    def __post_init__(self) -> None:
        if len(self.text) > LONG_CHARS and self.chars is None:
            object.__setattr__(self, "chars", len(self.text))
            object.__setattr__(self, "nbytes", len(self.text.encode("utf-8", "surrogatepass")))
            object.__setattr__(self, "text", excerpt(self.text))
        if self.replacement is not None and len(self.replacement) > LONG_CHARS:
            object.__setattr__(self, "replacement", excerpt(self.replacement))

    @property
    def length(self) -> int:
        """The characters of the whole text (of which `text` may be an excerpt)."""
        return len(self.text) if self.chars is None else self.chars

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "stage": self.stage,
            "code": self.code,
            "reason": self.reason,
            "text": self.text,
        }
        if self.chars is not None:
            record["chars"] = self.chars
            record["bytes"] = self.nbytes
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
