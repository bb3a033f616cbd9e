"""Where each removed piece stood: the report's changes placed in the cleaned text.

A change records what was removed and the line it was on in the text its
stage received, not an offset in the output. The input, decoded and repaired
by the encoding stage as the run did it, holds every removed piece; set
whitespace aside and the cleaned text is that input with the pieces cut out.
So each piece is found in the repaired input (a boilerplate piece from the
start of its line; a repeated paragraph after its first copy; the rest in
order; a long piece, recorded as an excerpt, from its head to its tail),
the cut is checked against the cleaned text, and each piece is anchored at
the offset of the cleaned text where it stood. When the check fails, nothing
is placed and every change is listed without a position.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from cleaner.document import excerpt_ends

# Stages whose changes remove text (encoding changes rewrite it in place).
REMOVING_STAGES = ("boilerplate", "duplicates", "language")
# Codes whose removed copy repeats, word for word, a copy kept earlier.
_EXACT_REPEATS = frozenset({"C201", "C203"})
_NON_SPACE = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Removal:
    """A removed piece: `at` is the offset of the cleaned text before which it stood."""

    at: int
    text: str
    code: str
    reason: str
    line: int | None
    detail: str | None
    block: bool  # whole lines of the input, or part of a line


@dataclass(frozen=True, slots=True)
class Placement:
    """The cleaned text with its removed pieces in place.

    `exact` is False when the run's cleaned text was not at hand and `text`
    was rebuilt from the input without the pieces. `unplaced` holds the
    removing changes that could not be placed (as report records).
    """

    text: str
    removals: tuple[Removal, ...]
    unplaced: tuple[dict[str, Any], ...]
    exact: bool


class _Squeezed:
    """A text without its whitespace, and the way back to the text's offsets."""

    def __init__(self, text: str):
        spans = [m.span() for m in _NON_SPACE.finditer(text)]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        # non-space characters before each token
        self.before = list(accumulate((b - a for a, b in spans), initial=0))
        self.chars = "".join(text.split())

    def count_before(self, offset: int) -> int:
        """How many non-space characters come before `offset`."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return 0
        return self.before[i] + min(offset, self.ends[i]) - self.starts[i]

    def offset(self, index: int) -> int:
        """The offset in the text of non-space character `index` (its length past the end)."""
        i = bisect.bisect_right(self.before, index) - 1
        if i >= len(self.starts):
            return self.ends[-1] if self.ends else 0
        return self.starts[i] + index - self.before[i]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _overlaps(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    i = bisect.bisect_right(taken, (a, b))
    return (i > 0 and taken[i - 1][1] > a) or (i < len(taken) and taken[i][0] < b)


def _find(chars: str, needle: str, start: int, taken: list[tuple[int, int]]) -> int:
    """The first occurrence of `needle` from `start` that overlaps no piece taken, or -1."""
    i = chars.find(needle, start)
    while i >= 0 and _overlaps(taken, i, i + len(needle)):
        i = chars.find(needle, i + 1)
    return i


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def locate(
    repaired: str, changes: list[dict[str, Any]], squeezed: _Squeezed | None = None
) -> list[tuple[int, int] | None]:
    """The span of each removing change in `repaired` (None for the others, or when not found)."""
    squeezed = squeezed or _Squeezed(repaired)
    lines = _line_starts(repaired)
    taken: list[tuple[int, int]] = []  # in squeezed offsets, sorted
    found: list[tuple[int, int] | None] = []
    after: dict[str, int] = {}  # where the last piece of each stage ended
    for change in changes:
        # a long piece is recorded as an excerpt: its head is looked for, then its tail
        ends = excerpt_ends(change.get("text") or "") if change.get("chars") else None
        needle = _squeeze(ends[0] if ends else change.get("text") or "")
        stage = change.get("stage")
        if stage not in REMOVING_STAGES or not needle:
            found.append(None)
            continue
        start = after.get(stage, 0)
        line = change.get("line")
        if stage == "boilerplate" and line and line <= len(lines):
            start = squeezed.count_before(lines[line - 1])  # lines of the repaired input
        i = -1
        if change.get("code") in _EXACT_REPEATS:
            first = _find(squeezed.chars, needle, 0, taken)
            if first >= 0:  # the first copy stays: the removed one comes later
                i = _find(squeezed.chars, needle, max(start, first + 1), taken)
        if i < 0:
            i = _find(squeezed.chars, needle, start, taken)
        end = i + len(needle)
        if i >= 0 and ends is not None:
            tail = _squeeze(ends[1])
            j = squeezed.chars.find(tail, end)
            end = j + len(tail) if j >= 0 and not _overlaps(taken, i, j + len(tail)) else -1
        if i < 0 or end < 0:
            found.append(None)
            continue
        bisect.insort(taken, (i, end))
        after[stage] = end
        found.append((squeezed.offset(i), squeezed.offset(end - 1) + 1))
    return found


def _whole_lines(text: str, a: int, b: int) -> bool:
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    return (
        not text[line_start:a].strip()
        and not text[b : len(text) if line_end < 0 else line_end].strip()
    )


def place(changes: list[dict[str, Any]], repaired: str | None, cleaned: str | None) -> Placement:
    """The removing `changes` of a document anchored in its cleaned text.

    `repaired` is the input after the encoding stage (None when the input
    cannot be read again), `cleaned` the run's output (None when it is not at
    hand: the text is then rebuilt from the input without the pieces).
    """
    from cleaner.segment import cut_spans

    removing = [c for c in changes if c.get("stage") in REMOVING_STAGES and c.get("text")]
    if repaired is None:
        return Placement(cleaned or "", (), tuple(removing), cleaned is not None)
    source = _Squeezed(repaired)
    spans = locate(repaired, changes, source)
    pieces = sorted(
        (span, change) for span, change in zip(spans, changes, strict=True) if span is not None
    )
    cuts = [span for span, _ in pieces]
    exact = cleaned is not None
    text = cleaned if exact else cut_spans(repaired, cuts)
    kept = _Squeezed(text)
    unplaced = tuple(
        c for span, c in zip(spans, changes, strict=True) if span is None and c in removing
    )
    if _squeeze(cut_spans(repaired, cuts)) != kept.chars:
        return Placement(text, (), tuple(removing), exact)  # the pieces do not add up
    removals = []
    removed_before = 0  # non-space characters cut before the current piece
    for (a, b), change in pieces:
        start = source.count_before(a)
        kept_before = start - removed_before
        removed_before += source.count_before(b) - start
        at = kept.offset(kept_before) if kept_before < len(kept.chars) else len(text)
        removals.append(
            Removal(
                at=at,
                text=repaired[a:b],
                code=change["code"],
                reason=change["reason"],
                line=change.get("line"),
                detail=change.get("detail"),
                block=_whole_lines(repaired, a, b),
            )
        )
    return Placement(text, tuple(removals), unplaced, exact)
