"""Segmentation: a text into lines (paragraphs) and lines into sentences.

A paragraph is a non-blank line: news files separate paragraphs by blank
lines or by single line breaks, and some have no line break at all, so every
stage that removes text can also work sentence by sentence inside a line.

The sentence splitter knows English and French: it does not end a sentence
at an abbreviation (`Gen.`, `M.`, `U.S.`, `p. ex.`, from data/abbreviations),
an initial (`J. Smith`), or a decimal, and it keeps closing quotes and
guillemets (`.»`, `. »`, `.”`) with the sentence they close.

A long text (a whole page, or a whole site, on one line) is worked through in
`pieces` cut after a whitespace character, so that folding it or listing its
words never holds millions of strings at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a text: `number` is 1-based, offsets exclude the newline."""

    number: int
    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    """Every line of `text`, blank ones included, with its offsets."""
    result: list[Line] = []
    start = 0
    number = 1
    while True:
        end = text.find("\n", start)
        if end < 0:
            result.append(Line(number, start, len(text)))
            return result
        result.append(Line(number, start, end))
        start = end + 1
        number += 1


# A candidate sentence end: terminal punctuation, the quotes and brackets that
# close with it (French puts a no-break space before » and ?), then space, then
# what can open a sentence: a capital, a digit, a quote, a bracket or a dash
# (a lowercase letter too, checked below: after a label in capitals).
_END = re.compile(
    r"""(?:[.!?…]+|\.\.\.)
        (?:[\s\u00a0\u202f]?[»”"’)\]])*
        (?=[\s\u00a0\u202f]+[«“"‘(\[¿¡–—-]?[\s\u00a0\u202f]*\w)""",
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"([\w.’'-]+)\.$")
_LIST_NUMBER = re.compile(r"\s*(?:\d{1,3}|[a-zA-Z])[.)]\s*")
_SPACE = " \t\u00a0\u202f\u2009"


@cache
def abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """(always, before_digit): abbreviations of both languages, from the data files."""
    always: set[str] = set()
    before_digit: set[str] = set()
    for name in ("en.tsv", "fr.tsv"):
        data = resources.files("cleaner.data.abbreviations").joinpath(name).read_text("utf-8")
        for line in data.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            word, _, condition = line.partition("\t")
            (before_digit if condition.strip() == "digit" else always).add(word.strip())
    return frozenset(always), frozenset(before_digit)


def _is_abbreviation(text: str, end: int, next_char: str) -> bool:
    """Whether the period ending at `end` belongs to an abbreviation or an initial."""
    m = _WORD_BEFORE.search(text, max(0, end - 24), end)
    if m is None:
        return False
    word = m.group(1)
    always, before_digit = abbreviations()
    if word in always or word.rsplit(" ", 1)[-1] in always:
        return True
    if word in before_digit:
        return next_char.isdigit()
    # An initial (J. Smith) or a dotted acronym (U.N.): a capital before the period.
    return len(word) == 1 and word.isupper() or bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], without surrounding spaces.

    >>> line = "Le général Haftar a vu M. Poutine. Il veut « un soutien »."
    >>> [line[a:b] for a, b in sentence_spans(line)]
    ['Le général Haftar a vu M. Poutine.', 'Il veut « un soutien ».']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    begin = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        after = stop
        while after < end and text[after] in _SPACE:
            after += 1
        next_char = text[after : after + 1]
        if next_char.islower() and not _is_label(text, begin, m.start()):
            continue  # "… etc. la suite": no new sentence starts in lower case
        punct = text[m.start() : m.start() + 1]
        if punct == "." and _is_abbreviation(text, m.start() + 1, next_char):
            continue
        if _LIST_NUMBER.fullmatch(text, begin, stop):
            continue  # "1. Take the blankets off": the number of a list item
        _append_trimmed(text, begin, stop, spans)
        begin = stop
    _append_trimmed(text, begin, end, spans)
    return spans


def _is_label(text: str, start: int, end: int) -> bool:
    """A fragment in capitals (`MOBILE VIEW.`): it ends even before a lowercase word."""
    fragment = text[start:end]
    return sum(c.isalpha() for c in fragment) >= 4 and not any(c.islower() for c in fragment)


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


_WORD = re.compile(r"\w+")
PIECE_CHARS = 1 << 16  # a text longer than this is worked through in pieces
_WHITESPACE = re.compile(r"\s")  # the characters str.split() splits on, exactly


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[str]:
    """`text` in consecutive pieces of `size` characters or a little more, each
    cut just after a whitespace character: no word (of `\\w+` or of
    str.split()) runs across two pieces, and str.lower() gives the same
    characters piece by piece. A text of `size` characters or fewer is one piece.
    """
    if len(text) <= size:
        yield text
        return
    start = 0
    while start < len(text):
        m = _WHITESPACE.search(text, start + size)
        end = m.end() if m else len(text)
        yield text[start:end]
        start = end


def fold(text: str) -> str:
    """`" ".join(text.split())`: the words separated by single spaces."""
    if len(text) <= PIECE_CHARS:
        return " ".join(text.split())
    return " ".join(f for f in (" ".join(p.split()) for p in pieces(text)) if f)


def folded_head(text: str, chars: int) -> str:
    """`fold(text)[:chars]`, folding no more of a long text than that needs
    (the fold of a text's head is the head of its fold)."""
    size = 2 * chars + 64
    while size < len(text):
        head = fold(text[:size])
        if len(head) >= chars:
            return head[:chars]
        size *= 4
    return fold(text)[:chars]


def count_words(text: str) -> int:
    """`len(text.split())`, without the list of a long text's words."""
    return sum(len(piece.split()) for piece in pieces(text))


def fold_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`fold(" ".join(text[a:b] for a, b in spans))`, without copying the spans whole."""
    folded = []
    for a, b in spans:
        while a < b:
            m = _WHITESPACE.search(text, a + PIECE_CHARS, b) if b - a > PIECE_CHARS else None
            end = m.end() if m else b
            piece = " ".join(text[a:end].split())
            if piece:
                folded.append(piece)
            a = end
    return " ".join(folded)


def words(text: str) -> list[str]:
    """The words of `text` for comparison: lower case, punctuation gone, accents kept.

    The words of a long text are interned: each distinct word is one string,
    however often it occurs.
    """
    if len(text) <= PIECE_CHARS:
        return _WORD.findall(text.lower())
    seen: dict[str, str] = {}
    return [seen.setdefault(w, w) for p in pieces(text) for w in _WORD.findall(p.lower())]


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def cut_spans(text: str, cuts: list[tuple[int, int]]) -> str:
    """`text` without the character spans `cuts` (sorted, not overlapping).

    What is left of a line is folded into single spaces; a line left empty
    goes with its newline, and no more than one blank line is left between
    paragraphs.
    """
    lines = []
    first = 0
    for line in split_lines(text):
        while first < len(cuts) and cuts[first][1] <= line.start:
            first += 1
        inside = []
        for a, b in cuts[first:]:
            if a >= line.end:
                break
            inside.append((max(a, line.start), min(b, line.end)))
        if not inside:
            lines.append(text[line.start : line.end])
            continue
        kept_spans, pos = [], line.start
        for a, b in inside:
            kept_spans.append((pos, a))
            pos = max(pos, b)
        kept_spans.append((pos, line.end))
        kept = fold_spans(text, kept_spans)
        if kept:
            lines.append(kept)
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + ("\n" if text.endswith("\n") and out else "")
