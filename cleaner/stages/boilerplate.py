"""Boilerplate stage: from a scraped news file to the article, every removal named.

In order:
1. metadata: a leading `date 2020-05-26` field goes to `metadata.date` and
   out of the text; a first line that is a headline goes to `metadata.title`
   and stays;
2. rules (cleaner/rules.py, data/boilerplate/rules.tsv) on each block
   (cleaner/blocks.py), and on each sentence of a block that holds several:
   share and follow lines, bylines, datelines, cookie notices… A header
   (`Autres articles`, `Comments`) takes the list of short lines after it;
3. lines repeated across many documents of the corpus (a site's menu);
4. the article span (cleaner/article.py): before and after it, menus and
   prose cut off from the article by page furniture go, provided there is
   enough furniture there to call it a page (`navigation_min_run`). A kept
   paragraph that copies an earlier kept one is left to the duplicates stage,
   and the span is cut again without its weight, so that cleaning the output
   again finds the same span (clean(clean(x)) == clean(x)).
When in doubt, keep: a clean article is one span, and nothing outside it goes.
The text keeps the line and paragraph structure of the input.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass

from cleaner.article import SpanModel, best_span, default_model, extend_span
from cleaner.blocks import FURNITURE, MEDIUM, PROSE, SHORT, Block, split_blocks
from cleaner.codes import code_for
from cleaner.document import Change, Document
from cleaner.rules import Rule, default_rules
from cleaner.segment import fold, fold_spans, sentence_spans, split_lines
from cleaner.stages.duplicates import find_repeats

STAGE = "boilerplate"

_DATE_FIELD = re.compile(r"\A[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*")
_LIST_ITEM_MAX_CHARS = 160
# The sentences of a paragraph are matched through the rules' cache (a site's
# repeated lines), unless it holds more: a whole page on one line.
_CACHED_SENTENCES = 1000


def normalise_line(line: str) -> str:
    """The form in which lines are compared across documents."""
    return " ".join(line.lower().split())


def hash_line(line: str) -> int:
    """A stable 64-bit hash of a line's normalised form (the same in every process)."""
    digest = hashlib.blake2b(normalise_line(line).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _is_headline(line: str) -> bool:
    words = line.split(maxsplit=40)  # 41: more than 40
    return (
        2 <= len(words) <= 40
        and len(line) <= 250
        and not line.rstrip().endswith((".", ":", ";", ","))
        and any(c.isupper() for c in line)
    )


@dataclass
class Analysis:
    """A document's blocks with the rules applied, before the article span is cut."""

    text: str  # the text without its leading date field
    blocks: list[Block]
    title: Block | None
    headers: list[tuple[Block, Rule]]
    metadata: dict
    changes: list[Change]


def analyse(doc: Document, ctx) -> Analysis:
    """Metadata, blocks and the rules: everything but the article span."""
    rules = getattr(ctx, "rules", None) or default_rules()
    options = ctx.config.boilerplate
    repeated = getattr(getattr(ctx, "corpus", None), "repeated_lines", frozenset())
    text = doc.text
    changes: list[Change] = []
    metadata = dict(doc.metadata)
    m = _DATE_FIELD.match(text)
    disabled = {d.lower() for d in options.disable}
    if m and not disabled & {"metadata-date", "b122"}:
        metadata["date"] = m.group(1)
        changes.append(_change("metadata-date", m.group(0).strip(), line=1, detail=m.group(1)))
        text = text[m.end() :]

    blocks = split_blocks(text)
    title = None
    if len(blocks) > 1 and len(blocks[0].lines) == 1 and _is_headline(blocks[0].text):
        title = blocks[0]
        metadata["title"] = title.text.strip()

    headers: list[tuple[Block, Rule]] = []
    for block in blocks:
        if block is title:
            continue
        header = rules.match_header(block.text) if len(block.lines) == 1 else None
        if header is not None:
            headers.append((block, header))
            block.remove(header)
            continue
        rule = rules.match_unit(block.text)
        if rule is not None:
            block.remove(rule)
        elif (
            repeated
            and len(block.text) <= options.repeated_max_chars
            and hash_line(block.text) in repeated
        ):
            block.remove("corpus-repeated")
        elif block.kind in (PROSE, MEDIUM):
            _remove_sentences(block, text, rules)
    return Analysis(text, blocks, title, headers, metadata, changes)


def remove_boilerplate(doc: Document, ctx) -> Document:
    found = analyse(doc, ctx)
    model = default_model()
    min_run = ctx.config.boilerplate.navigation_min_run
    by_rules = [list(block.removed) for block in found.blocks]
    cut_article(found, article_span(found, model), min_run, model)
    while mark_copies(found, ctx.config.duplicates):
        # The duplicates stage removes these copies next: had they held the
        # article span open, a second pass (without them) would end it
        # elsewhere. Cut again with the copies weighing nothing.
        for block, removed in zip(found.blocks, by_rules, strict=True):
            block.removed = list(removed)
        cut_article(found, article_span(found, model), min_run, model)
    return finish(doc, found)


def mark_copies(found: Analysis, options) -> bool:
    """Link each kept paragraph that copies an earlier kept one to it, as the
    duplicates stage will find them; whether any link is new."""
    kept = [b for b in found.blocks if not b.gone]
    by_start = {b.start: b for b in kept}
    by_line = {b.lines[0].number: b for b in kept}
    new = False
    for start, end, _, reason, first in find_repeats(found.text, kept, options):
        block = by_start.get(start)
        if block is None or block.end != end or reason == "duplicated-sentence":
            continue
        if block.copy_of is None and by_line.get(first) is not None:
            block.copy_of, new = by_line[first], True
    return new


def article_span(found: Analysis, model) -> tuple[int, int]:
    """First and last block of the article; all of it when nothing stands out."""
    if not found.blocks:
        return 0, -1
    span = best_span(model.scores(found.blocks, skip=found.title))
    return span if span is not None else (0, len(found.blocks) - 1)


def cut_article(found: Analysis, span: tuple[int, int], min_run: int, model: SpanModel) -> None:
    """Header blocks, then what lies outside the (extended) article span."""
    headers = {id(block) for block, _ in found.headers}
    for block, header in found.headers:
        _remove_block(block, header, found.blocks, headers)
    span = extend_span(found.blocks, span, model)
    _trim_outside(found.blocks, span, found.title, min_run)


def _remove_sentences(block: Block, text: str, rules) -> None:
    spans = sentence_spans(text, block.start, block.end)
    if len(spans) < 2:
        return
    cache = len(spans) <= _CACHED_SENTENCES
    for a, b in spans:
        rule = rules.match_unit(text[a:b], sentence=True, cache=cache)
        if rule is not None:
            block.removed.append((a, b, rule, None))
    if block.removed and all(
        any(x <= a and y >= b for x, y, _, _ in block.removed) for a, b in spans
    ):
        block.kind = FURNITURE


def _remove_block(
    header_block: Block, header: Rule, blocks: list[Block], headers: set[int]
) -> None:
    """A block of links (related articles, comments): the header and the
    short lines that follow it, up to the next paragraph of prose or the next
    header. Lines gone by a rule of their own keep their reason; bare
    separators ("-") are part of the block."""
    i = blocks.index(header_block)
    detail = f"after '{header_block.text.strip()[:40]}'"
    for block in blocks[i + 1 :]:
        if id(block) in headers:
            break
        if block.gone and block.reason != "navigation-link":
            continue
        if block.gone or (block.kind != PROSE and len(block.text) <= _LIST_ITEM_MAX_CHARS):
            block.removed = [(block.start, block.end, header, detail)]
        else:
            break


def _trim_outside(
    blocks: list[Block], span: tuple[int, int], title: Block | None, min_run: int
) -> None:
    """Menus before and after the article, and prose cut off from it by page
    furniture; a region with less furniture than `min_run` is left alone."""
    for region in (blocks[: span[0]], blocks[span[1] + 1 :]):
        region = [b for b in region if b is not title]
        furniture = sum(1 for b in region if b.gone or b.kind in (SHORT, FURNITURE))
        if furniture < min_run:
            continue
        for block in region:
            if block.copy_of is not None and not block.copy_of.gone:
                continue  # the duplicates stage removes it, naming its first copy
            if not block.gone:
                block.remove("navigation" if block.kind in (SHORT, MEDIUM) else "outside-article")


def finish(doc: Document, found: Analysis) -> Document:
    """Rebuild the text from what is kept, line by line, keeping paragraph breaks."""
    text, changes = found.text, list(found.changes)
    cuts: list[tuple[int, int]] = []
    for block in found.blocks:
        for a, b, reason, detail in sorted(block.removed, key=lambda r: r[0]):
            name = reason if isinstance(reason, str) else reason.name
            code = code_for(name) if isinstance(reason, str) else reason.code
            number = next(ln.number for ln in block.lines if ln.end >= a)
            changes.append(Change(STAGE, code, name, fold(text[a:b]), line=number, detail=detail))
            cuts.append((a, b))
    cuts.sort()
    out: list[str] = []
    blank_pending = False
    first_cut = 0  # lines and cuts are both in order: walk them together
    for line in split_lines(text):
        while first_cut < len(cuts) and cuts[first_cut][1] <= line.start:
            first_cut += 1
        inside = []
        for a, b in cuts[first_cut:]:
            if a >= line.end:
                break
            inside.append((max(a, line.start), min(b, line.end)))
        kept = _kept_text(text, line, inside)
        if kept is None:
            continue  # the whole line went: it leaves no blank behind
        if not kept:
            blank_pending = bool(out)
            continue
        if blank_pending:
            out.append("")
            blank_pending = False
        out.append(kept)
    cleaned = "\n".join(out)
    if cleaned and doc.text.endswith("\n"):
        cleaned += "\n"
    layout = _layout(text)
    if layout:
        changes.append(_change("layout", "", detail=layout))
    return dataclasses.replace(
        doc, text=cleaned, metadata=found.metadata, changes=doc.changes + tuple(changes)
    )


def _kept_text(text: str, line, inside: list[tuple[int, int]]) -> str | None:
    """The line without its removed parts `inside` (sorted, clipped to the
    line), stripped; None when nothing of it is left."""
    if not inside:
        return text[line.start : line.end].strip()
    spans, pos = [], line.start
    for a, b in inside:
        spans.append((pos, a))
        pos = max(pos, b)
    spans.append((pos, line.end))
    kept = fold_spans(text, spans)
    return kept or None


def _layout(text: str) -> str | None:
    lines = text.split("\n")
    indented = sum(1 for ln in lines if ln.strip() and ln[:1].isspace())
    blanks = sum(
        1 for a, b in zip(lines, lines[1:], strict=False) if not a.strip() and not b.strip()
    )
    parts = []
    if indented:
        parts.append(f"{indented} lines unindented")
    if blanks:
        parts.append(f"{blanks} extra blank lines removed")
    return ", ".join(parts) or None


def _change(reason: str, text: str, **kw) -> Change:
    return Change(stage=STAGE, code=code_for(reason), reason=reason, text=text, **kw)
