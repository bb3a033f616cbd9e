"""Words with their offsets, as every spun-text layer reads them.

Elisions stay with their article (`l'`, `d'`) and hyphens split (`cessez le
feu`), so a lexicon phrase is tokenized exactly like the text it matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

_TOKEN = re.compile(r"\w+['’]?")
HELD_CHARS = 1 << 20  # the words of a longer text are not all held at once


class Word(NamedTuple):  # a tuple: made for every word of every document, so made cheaply
    start: int
    end: int
    norm: str  # lower case, ’ as '
    capital: bool  # written with a capital first letter


_SEEN: dict[str, tuple[str, bool]] = {}  # token -> (norm, capital): text is Zipfian, mostly hits
_SEEN_MAX = 1 << 16  # tokens remembered at most (about 13 MB), then forgotten all at once
_new = tuple.__new__  # a Word without NamedTuple's keyword handling: 3x cheaper to make


def _norm(token: str) -> tuple[str, bool]:
    if len(_SEEN) >= _SEEN_MAX:
        _SEEN.clear()
    found = _SEEN[token] = (token.lower().replace("’", "'"), token[0].isupper())
    return found


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of text[start:end], offsets in `text`."""
    return list(_words(text, start, len(text) if end is None else end))


def _words(text: str, start: int, end: int) -> Iterator[Word]:
    seen = _SEEN.get
    for m in _TOKEN.finditer(text, start, end):
        token = m.group()
        norm, capital = seen(token) or _norm(token)
        yield _new(Word, (m.start(), m.end(), norm, capital))


class _Rereading:
    """The words of a long text, tokenized again at each pass instead of held:
    a tuple per word is about 200 bytes, 600 MB for a 20 MB line."""

    def __init__(self, text: str):
        self.text = text

    def __iter__(self) -> Iterator[Word]:
        return _words(self.text, 0, len(self.text))


def words_of(text: str) -> Iterable[Word]:
    """The words of `text` to go through (once or more) in order: `tokenize(text)`,
    or for a long text an iterable that does not hold them all."""
    return tokenize(text) if len(text) <= HELD_CHARS else _Rereading(text)


def norms(text: str) -> tuple[str, ...]:
    return tuple(w.norm for w in tokenize(text))
