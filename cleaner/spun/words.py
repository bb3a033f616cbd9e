"""Words with their offsets, as every spun-text layer reads them.

Elisions stay with their article (`l'`, `d'`) and hyphens split (`cessez le
feu`), so a lexicon phrase is tokenized exactly like the text it matches.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(r"\w+['’]?")


class Word(NamedTuple):  # a tuple: made for every word of every document, so made cheaply
    start: int
    end: int
    norm: str  # lower case, ’ as '
    capital: bool  # written with a capital first letter


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of text[start:end], offsets in `text`."""
    words = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        token = m.group()
        words.append(Word(m.start(), m.end(), token.lower().replace("’", "'"), token[0].isupper()))
    return words


def norms(text: str) -> tuple[str, ...]:
    return tuple(w.norm for w in tokenize(text))
