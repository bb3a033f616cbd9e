"""Duplicated paragraphs: a paragraph or sentence that repeats an earlier one.

A repeat is exact once case, spaces and punctuation are normalised (accents
kept), or near when only a few words differ. The first copy stays and the
report names its line. Short repeats are kept on purpose: a refrain or a
quoted slogan repeats by design (`min_chars`, `min_words`).
"""

from __future__ import annotations

import dataclasses
from difflib import SequenceMatcher

from cleaner.blocks import split_blocks
from cleaner.codes import code_for
from cleaner.document import Change, Document
from cleaner.segment import cut_spans, sentence_spans
from cleaner.segment import words as words_of

STAGE = "duplicates"
_ANCHOR = 3  # words at each end used to find candidates for a near repeat


class _Seen:
    """Paragraphs and sentences met so far, findable exactly and nearly."""

    def __init__(self, near_similarity: float):
        self.near_similarity = near_similarity
        self.exact: dict[tuple[str, ...], int] = {}
        self.by_anchor: dict[tuple[str, ...], list[tuple[list[str], int]]] = {}

    def find(self, words: list[str], near: bool = True) -> tuple[int, bool] | None:
        """(line of the first copy, exact?) if `words` repeats something seen."""
        key = tuple(words)
        if key in self.exact:
            return self.exact[key], True
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

    def add(self, words: list[str], line: int) -> None:
        self.exact.setdefault(tuple(words), line)
        self.by_anchor.setdefault(tuple(words[:_ANCHOR]), []).append((words, line))
        self.by_anchor.setdefault(tuple(words[-_ANCHOR:]), []).append((words, line))


def remove_duplicate_paragraphs(doc: Document, ctx) -> Document:
    options = ctx.config.duplicates
    text = doc.text
    seen = _Seen(options.near_similarity)
    removed: list[tuple[int, int, int, str, int]] = []  # start, end, line, reason, first line

    def long_enough(a: int, b: int, words: list[str]) -> bool:
        return b - a >= options.min_chars and len(words) >= options.min_words

    for block in split_blocks(text):  # paragraphs, with wrapped lines joined
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
