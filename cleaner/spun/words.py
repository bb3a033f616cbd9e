"""Words with their offsets, as every spun-text layer reads them.

Elisions stay with their article (`l'`, `d'`) and hyphens split (`cessez le
feu`), so a lexicon phrase is tokenized exactly like the text it matches.

Two shapes of the same words: `tokenize` makes a `Word` (offsets, norm,
capital) per word, for the few places that need offsets; `sentence` gives a
stretch of text as parallel lists of surfaces, norms and capitals, which the
spun stage reads for every word of every document: made by the regex engine
and dictionary lookups, without a Python object per word, several times
faster. `spans` gives a stretch's offsets when they are needed after all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

_TOKEN = re.compile(r"\w+['’]?")
HELD_CHARS = 1 << 20  # the words of a longer text are not all held at once


class Word(NamedTuple):  # a tuple: made for every word of a text, so made cheaply
    start: int
    end: int
    norm: str  # lower case, ’ as '
    capital: bool  # written with a capital first letter


class Sentence(NamedTuple):
    """The words of text[start:end] as parallel lists (see the module doc)."""

    start: int
    end: int
    tokens: list[str]  # as written
    norms: list[str]
    capitals: list[bool]


# token -> its norm, and whether it starts with a capital: text is Zipfian,
# so these are mostly hits
_NORMS: dict[str, str] = {}
_CAPITALS: dict[str, bool] = {}
_SEEN_MAX = 1 << 16  # tokens remembered at most (about 13 MB), then forgotten all at once
_new = tuple.__new__  # a Word without NamedTuple's keyword handling: 3x cheaper to make


def _learn(tokens: Iterable[str]) -> None:
    if len(_NORMS) >= _SEEN_MAX:
        _NORMS.clear()
        _CAPITALS.clear()
    for token in tokens:
        if token not in _NORMS:
            _NORMS[token] = token.lower().replace("’", "'")
            _CAPITALS[token] = token[0].isupper()


def sentence(text: str, start: int = 0, end: int | None = None) -> Sentence:
    """The words of text[start:end] as a `Sentence`."""
    end = len(text) if end is None else end
    tokens = _TOKEN.findall(text, start, end)
    norms = list(map(_NORMS.get, tokens))
    if None in norms:
        _learn(tokens)
        norms = list(map(_NORMS.get, tokens))
    return Sentence(start, end, tokens, norms, list(map(_CAPITALS.get, tokens)))  # type: ignore[arg-type]


def spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) offsets in `text` of the words of text[start:end]."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of text[start:end], offsets in `text`."""
    return list(_words(text, start, len(text) if end is None else end))


def _words(text: str, start: int, end: int) -> Iterator[Word]:
    norm_of, capital_of = _NORMS.get, _CAPITALS.get
    for m in _TOKEN.finditer(text, start, end):
        token = m.group()
        norm = norm_of(token)
        if norm is None:
            _learn((token,))
            norm = _NORMS[token]
        yield _new(Word, (m.start(), m.end(), norm, capital_of(token)))


class _Rereading:
    """The norms of a long text, tokenized again at each pass instead of held:
    a string reference and a list slot per word, 100 MB for a 20 MB line."""

    def __init__(self, text: str):
        self.text = text

    def __iter__(self) -> Iterator[str]:
        return (w.norm for w in _words(self.text, 0, len(self.text)))


def norms_of(text: str) -> Iterable[str]:
    """The norms of the words of `text` to go through (once or more) in order:
    a list, or for a long text an iterable that does not hold them all."""
    return sentence(text).norms if len(text) <= HELD_CHARS else _Rereading(text)


def norms(text: str) -> tuple[str, ...]:
    return tuple(sentence(text).norms)
