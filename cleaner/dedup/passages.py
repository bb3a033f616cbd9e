"""The passages two documents share, for showing a person why they are duplicates."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"\w+")


def shared_passages(a: str, b: str, min_words: int = 8, limit: int = 3) -> list[str]:
    """The longest runs of words (normalised) that `a` and `b` share, as they read in `a`.

    At most `limit` passages of at least `min_words` words, longest first.
    """
    spans = [m.span() for m in _WORD.finditer(a)]
    words_a = [a[s:e].lower() for s, e in spans]
    words_b = [w.lower() for w in _WORD.findall(b)]
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= min_words]
    blocks.sort(key=lambda m: (-m.size, m.a))
    return [a[spans[m.a][0] : spans[m.a + m.size - 1][1]] for m in blocks[:limit]]
