"""Where the article is: the span of blocks with the largest total weight.

Each block gets a weight from a few readable features: its class and its
length (prose pulls the span over it, the longer the more; menus and
headlines of other articles push it away), the rule that removed it (a
timestamp or a byline hardly sits between two paragraphs of one article, an
ad slot does), whether its text repeats inside the page (template lines such
as "Save" or "More like this", and the teasers between them) and whether it
carries a list marker (a list in the article; menus have none). The article
is the contiguous run of blocks with the largest total weight (Kadane's
algorithm); a clean article is one span, end to end.

The span then grows over thin gaps to the next paragraph (`extend_span`): an
article cut by a list of ingredients, a table or an ad slot is still one; and
over a list of figures at either edge (the ingredients before the method, a
table of results after the last paragraph). A paragraph that copies an earlier
one weighs nothing and costs nothing: the duplicates stage removes it, and a
span it held open would end elsewhere on a second pass.

All the numbers live in data/boilerplate/span_weights.tsv, tuned by
`scripts/tune_span.py` against the development pages of ../shared/eval.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from cleaner.blocks import FURNITURE, PROSE, Block
from cleaner.rules import read_tsv
from cleaner.segment import folded_head

# Furniture that also sits inside article bodies: an ad slot, a share bar, a
# "read also" link, a photo credit.
INLINE = frozenset(
    {
        "read-also",
        "advertisement",
        "share",
        "credits",
        "subscribe",
        "related-articles",
        "follow",
        "cookies",
    }
)
# Furniture that hardly sits between two paragraphs of one article: a
# timestamp (a live feed), a byline (another piece), a comment form.
SEPARATORS = frozenset(
    {
        "dateline",
        "byline",
        "comment-form",
        "comments",
        "login",
        "copyright",
        "tags",
        "mobile-switch",
    }
)
_LIST_MIN_ITEMS = 3  # lines of figures that make a list
_BULLET = re.compile(r"(?:[-+*•·–—▪►]|\d{1,3}[.)]|[a-z][.)])\s+\S")


def kind_of(block: Block) -> str:
    return FURNITURE if block.gone else block.kind


def _repeats(blocks: Sequence[Block]) -> list[int]:
    """How often each short block's text occurs in the page (1 for long ones)."""
    keys = [" ".join(b.text.lower().split()) if len(b.text) <= 80 else None for b in blocks]
    counts = Counter(k for k in keys if k)
    return [counts[k] if k else 1 for k in keys]


def features(blocks: Sequence[Block], i: int, repeats: Sequence[int]) -> dict[str, float]:
    """The features of block `i`, by name."""
    block = blocks[i]
    if block.gone or block.kind == FURNITURE:
        name = block.reason or "furniture"
        group = "inline" if name in INLINE else "separator" if name in SEPARATORS else "other"
        return {"bias": 1.0, f"removed:{group}": 1.0}
    kind = block.kind
    f = {"bias": 1.0, kind: 1.0, f"{kind}:words": min(block.words, 200) / 10}
    if repeats[i] > 1:  # a template line of the page: "Save", "More like this"
        f[f"{kind}:repeated"] = 1.0
    if any(repeats[j] > 1 for j in range(max(0, i - 2), min(len(blocks), i + 3)) if j != i):
        f[f"{kind}:near_repeated"] = 1.0  # a teaser between template lines
    if _BULLET.match(folded_head(block.text, 16)):  # a marker is the first few characters
        f[f"{kind}:bulleted"] = 1.0  # a list item with its marker: menus have none
    return f


@dataclass(frozen=True)
class SpanModel:
    """Feature weights (a block's weight is the sum over its features) and
    the costs of the gaps that `extend_span` may cross (names `gap:*`)."""

    weights: dict[str, float]

    def score(self, feats: dict[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in feats.items())

    def scores(self, blocks: Sequence[Block], skip: Block | None = None) -> list[float]:
        """Each block's weight; `skip` (the title line) weighs nothing."""
        repeats = _repeats(blocks)
        return [
            0.0 if b is skip or b.copy_of is not None else self.score(features(blocks, i, repeats))
            for i, b in enumerate(blocks)
        ]

    def gap_cost(self, block: Block) -> float:
        """What a block between two paragraphs costs the article that runs across it."""
        w = self.weights
        if block.copy_of is not None:
            return 0.0  # the duplicates stage removes it: as if it were not there
        if block.gone or block.kind == FURNITURE:
            name = block.reason
            if name in SEPARATORS:
                return float("inf")
            return w.get("gap:inline", 0.5) if name in INLINE else w.get("gap:furniture", 1.0)
        if block.kind == PROSE:
            return 0.0
        return w.get("gap:menu", 1.0) if _menu_like(block.text) else w.get("gap:data", 0.25)


def _menu_like(text: str) -> bool:
    """A link of a menu: a few capitalised words, no digits, no list marker."""
    words = text.split(maxsplit=5)  # six or more: not a menu link
    return (
        len(words) <= 5
        and not any(c.isdigit() for c in text)
        and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        and not _BULLET.match(text.strip())
    )


def _is_data(block: Block) -> bool:
    """A line of figures (a quantity, a table's row): not a menu's link, nor prose."""
    return (
        block.kind not in (PROSE, FURNITURE)
        and not block.gone
        and block.copy_of is None
        and any(c.isdigit() for c in block.text)
    )


def _data_run(blocks: Sequence[Block], start: int, step: int) -> int:
    """How many lines of figures run from `start` on (by `step`): a list of
    ingredients or a table's rows; fewer than a list's worth count as none
    (a lone "4 min read" or "21 comments" is page furniture)."""
    i = start
    while 0 <= i < len(blocks) and _is_data(blocks[i]):
        i += step
    run = abs(i - start)
    return run if run >= _LIST_MIN_ITEMS else 0


@cache
def default_model() -> SpanModel:
    rows = read_tsv("cleaner.data.boilerplate", "span_weights.tsv")
    return SpanModel({name: float(weight) for name, weight, *_ in rows})


def best_span(scores: Sequence[float]) -> tuple[int, int] | None:
    """(first, last) of the contiguous run with the largest positive sum, or
    None when no run is positive (Kadane's algorithm; the earliest on ties)."""
    best, span = 0.0, None
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = score, i
        else:
            total += score
        if total > best:
            best, span = total, (start, i)
    return span


def extend_span(
    blocks: Sequence[Block], span: tuple[int, int], model: SpanModel
) -> tuple[int, int]:
    """Grow the span over thin gaps to the next paragraph of prose, both ways:
    an article split by a list, a table or an ad slot is still one article.
    A separator (a timestamp, a byline) cannot be crossed. Then take the list
    of figures that touches either edge, if any."""
    limit = model.weights.get("gap:max", 3.0)
    first, last = span
    for step in (-1, 1):
        edge = first if step < 0 else last
        cost, i = 0.0, edge + step
        while 0 <= i < len(blocks):
            block = blocks[i]
            if block.kind == PROSE and not block.gone and block.copy_of is None:
                edge, cost = i, 0.0
            else:
                cost += model.gap_cost(block)
                if cost > limit:
                    break
            i += step
        edge += step * _data_run(blocks, edge + step, step)
        if step < 0:
            first = edge
        else:
            last = edge
    return first, last
