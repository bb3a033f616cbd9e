"""Duplicated paragraphs: a paragraph or sentence that repeats an earlier one.

A repeat is exact once case, spaces and punctuation are normalised (accents
kept), or near when only a few words differ. The first copy stays and the
report names its line. Short repeats are kept on purpose: a refrain or a
quoted slogan repeats by design (`min_chars`, `min_words`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from difflib import SequenceMatcher

from cleaner.blocks import Block, split_blocks
from cleaner.codes import code_for
from cleaner.config import DuplicatesConfig
from cleaner.document import Change, Document
from cleaner.segment import cut_spans, sentence_spans
from cleaner.segment import words as segment_words

STAGE = "duplicates"
_ANCHOR = 3  # words at each end used to find candidates for a near repeat


class _Seen:
    """Paragraphs and sentences met so far, findable exactly and nearly."""

    def __init__(self, near_similarity: float):
        self.near_similarity = near_similarity
        self.exact: dict[tuple[str, ...], int] = {}
        self.by_anchor: dict[tuple[str, ...], list[tuple[tuple[str, ...], int]]] = {}

    def find(self, words: tuple[str, ...], near: bool = True) -> tuple[int, bool] | None:
        """(line of the first copy, exact?) if `words` repeats something seen."""
        if words in self.exact:
            return self.exact[words], True
        if not near:
            return None
        candidates = self.by_anchor.get(tuple(words[:_ANCHOR]), []) + self.by_anchor.get(
            tuple(words[-_ANCHOR:]), []
        )
        for other, line in candidates:
            if min(len(other), len(words)) / max(len(other), len(words)) < self.near_similarity:
                continue
            if SequenceMatcher(None, other, words, autojunk=False).ratio() >= self.near_similarity:
                return line, False
        return None

    def add(self, words: tuple[str, ...], line: int) -> None:
        # the one tuple in both: a page on one line holds a great many sentences
        self.exact.setdefault(words, line)
        self.by_anchor.setdefault(words[:_ANCHOR], []).append((words, line))
        self.by_anchor.setdefault(words[-_ANCHOR:], []).append((words, line))


# A repeat found: its span, its line, its reason and the line of the first copy.
Repeat = tuple[int, int, int, str, int]


def find_repeats(text: str, blocks: Iterable[Block], options: DuplicatesConfig) -> list[Repeat]:
    """The paragraphs of `blocks` (in order) that repeat an earlier paragraph
    or sentence, and the sentences inside them that repeat an earlier one."""
    seen = _Seen(options.near_similarity)
    removed: list[Repeat] = []
    interned: dict[str, str] = {}  # one string per distinct word: `seen` keeps every word

    def words_of(text: str) -> tuple[str, ...]:
        return tuple(interned.setdefault(w, w) for w in segment_words(text))

    def long_enough(a: int, b: int, words: tuple[str, ...]) -> bool:
        return b - a >= options.min_chars and len(words) >= options.min_words

    for block in blocks:  # paragraphs, with wrapped lines joined
        number = block.lines[0].number
        words = words_of(block.text)
        if long_enough(block.start, block.end, words):
            found = seen.find(words, near=len(words) >= options.near_min_words)
            if found is not None:
                first, exact = found
                reason = "duplicated-paragraph" if exact else "near-duplicated-paragraph"
                removed.append((block.start, block.end, number, reason, first))
                continue
        spans = sentence_spans(text, block.start, block.end)
        if len(spans) > 1:
            for a, b in spans:
                sentence_words = words_of(text[a:b])
                if (
                    not long_enough(a, b, sentence_words)
                    or len(sentence_words) < options.sentence_min_words
                ):
                    continue
                found = seen.find(sentence_words, near=False)
                if found is not None:
                    removed.append((a, b, number, "duplicated-sentence", found[0]))
                else:
                    seen.add(sentence_words, number)
        if words:
            seen.add(words, number)
    return removed


def remove_duplicate_paragraphs(doc: Document, ctx) -> Document:
    text = doc.text
    removed = find_repeats(text, split_blocks(text), ctx.config.duplicates)
    if not removed:
        return doc
    return dataclasses.replace(
        doc,
        text=cut_spans(text, sorted((a, b) for a, b, *_ in removed)),
        changes=doc.changes
        + tuple(
            Change(
                STAGE,
                code_for(reason),
                reason,
                text[a:b].strip(),
                line=line,
                detail=f"first at line {first}",
            )
            for a, b, line, reason, first in removed
        ),
    )
