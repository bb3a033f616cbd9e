"""Blocks: the logical paragraphs of a scraped text, and their classes.

A block is one line, or several lines when text was wrapped mid-sentence (a
line without sentence punctuation followed by one that starts in lower
case). Removals are recorded as character spans of the text, so a block can
lose a sentence that runs across its lines, and the text keeps its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from cleaner.rules import Rule, read_tsv
from cleaner.segment import Line, fold, pieces, split_lines

# Sentence punctuation at the end of a line: . ! ? … : ; and what closes it,
# citation markers included ("over and over.[29]").
_CLOSE = r"(?:[\s\u00a0\u202f»”\"’)\]]|\[\w{1,4}\])*"
TERMINAL = re.compile(rf"[.!?…:;]{_CLOSE}$")
# A sentence ending inside a block: ". " then a capital.
INNER_END = re.compile(rf"\w[.!?…]{_CLOSE}\s+[«“\"(]?[A-ZÀ-Ý]")
WORD = re.compile(r"\w+")

PROSE, MEDIUM, SHORT, FURNITURE = "prose", "medium", "short", "furniture"
PROSE_MIN_WORDS = 10  # with sentence punctuation
SHORT_MAX_WORDS = 8


@dataclass
class Block:
    """A logical paragraph and what is decided about it."""

    lines: list[Line]
    text: str = ""  # the block's text, newlines included
    kind: str = SHORT
    words: int = 0
    removed: list[tuple[int, int, Rule | str, str | None]] = field(default_factory=list)
    # the earlier paragraph of the page it copies: the duplicates stage removes it
    copy_of: Block | None = field(default=None, compare=False, repr=False)

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def gone(self) -> bool:
        """Removed as a whole."""
        return any(a <= self.start and b >= self.end for a, b, _, _ in self.removed)

    @property
    def reason(self) -> str | None:
        """The name of the rule that removed it (the first one), if any."""
        if not self.removed:
            return None
        reason = self.removed[0][2]
        return reason if isinstance(reason, str) else reason.name

    def remove(self, reason: Rule | str, detail: str | None = None) -> None:
        """Remove the whole block, unless it is gone already."""
        if not self.gone:
            self.removed = [(self.start, self.end, reason, detail)]


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the sentence `previous` broke off (wrapped text)."""
    head = line.lstrip()[:1]
    return bool(head) and TERMINAL.search(previous) is None and (head.islower() or head in ",;)]")


def split_blocks(text: str) -> list[Block]:
    """The blocks of `text`, classified, in order; blank lines are not blocks."""
    blocks: list[Block] = []
    previous = ""
    for line in split_lines(text):
        body = text[line.start : line.end]
        if not body.strip():
            previous = ""
            continue
        if blocks and previous and _continues(previous, body):
            blocks[-1].lines.append(line)
        else:
            blocks.append(Block([line]))
        previous = body.rstrip()
    for block in blocks:
        block.text = text[block.start : block.end]
        block.kind, block.words = classify(block.text)
    return blocks


def classify(text: str) -> tuple[str, int]:
    """PROSE has sentence punctuation; SHORT is a few words without it (a menu
    item, a heading); MEDIUM is the rest, mostly headlines of other articles."""
    words = sum(len(WORD.findall(piece)) for piece in pieces(text))
    folded = fold(text)
    terminal = TERMINAL.search(folded) is not None
    if (terminal or INNER_END.search(folded)) and words >= PROSE_MIN_WORDS:
        return PROSE, words
    if words <= SHORT_MAX_WORDS and not terminal:
        return SHORT, words
    return MEDIUM, words


@cache
def stopwords() -> frozenset[str]:
    """English and French function words (data/stopwords)."""
    words: set[str] = set()
    for name in ("en.txt", "fr.txt"):
        for row in read_tsv("cleaner.data.stopwords", name):
            words.update(row[0].split())
    return frozenset(words)
