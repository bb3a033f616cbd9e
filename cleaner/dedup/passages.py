"""The passages two documents share, for showing a person why they are duplicates."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"\w+")


def shared_blocks(a: str, b: str, min_words: int = 8, limit: int = 3) -> list[list[int]]:
    """The longest runs of words (normalised) that `a` and `b` share, as
    character spans `[a_start, a_end, b_start, b_end]`.

    At most `limit` runs of at least `min_words` words, longest first.
    """
    spans_a = [m.span() for m in _WORD.finditer(a)]
    spans_b = [m.span() for m in _WORD.finditer(b)]
    words_a = [a[s:e].lower() for s, e in spans_a]
    words_b = [b[s:e].lower() for s, e in spans_b]
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= min_words]
    blocks.sort(key=lambda m: (-m.size, m.a))
    return [
        [
            spans_a[m.a][0],
            spans_a[m.a + m.size - 1][1],
            spans_b[m.b][0],
            spans_b[m.b + m.size - 1][1],
        ]
        for m in blocks[:limit]
    ]


def shared_passages(a: str, b: str, min_words: int = 8, limit: int = 3) -> list[str]:
    """The longest runs of words (normalised) that `a` and `b` share, as they read in `a`.

    At most `limit` passages of at least `min_words` words, longest first.
    """
    return [a[start:end] for start, end, _, _ in shared_blocks(a, b, min_words, limit)]
