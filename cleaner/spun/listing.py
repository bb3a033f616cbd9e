"""`cleaner spun`: each document's verdict and its evidence, phrases highlighted."""

from __future__ import annotations

from typing import Any, TextIO

from cleaner.document import Document
from cleaner.stages.language import sentence_units

_BOLD_RED, _RESET = "\x1b[1;31m", "\x1b[0m"


def highlight(sentence: str, phrase: str, color: bool, width: int = 110) -> str:
    """The sentence on one line, the phrase marked (in colour, or in [brackets]),
    cut around it to about `width` characters."""
    sentence = " ".join(sentence.split())
    at = sentence.find(phrase)
    if at < 0:
        at = sentence.lower().find(phrase.lower())
    if at < 0:
        return sentence[:width]
    before, after = sentence[:at], sentence[at + len(phrase) :]
    room = max((width - len(phrase)) // 2, 10)
    if len(before) > room:
        before = "…" + before[-room:]
    if len(after) > room:
        after = after[:room] + "…"
    mark = f"{_BOLD_RED}{phrase}{_RESET}" if color else f"[{phrase}]"
    return before + mark + after


def write_document(doc: Document, out: TextIO, color: bool) -> None:
    spun: dict[str, Any] = doc.report["spun"]
    verdict = "spun" if spun["flagged"] else "not flagged"
    origin = spun["paraphrase_of"]
    out.write(
        f"{doc.source}: {verdict}, score {spun['score']:g} ({doc.report.get('lang') or '-'})"
        + (f", paraphrase of {origin['path']}" if origin else "")
        + (f" [{doc.id}]" if doc.id != doc.name else "")
        + "\n"
    )
    spans = sentence_units(doc.text)
    for item in spun["evidence"]:
        a, b = spans[item["sentence"] - 1]
        layer = item["layer"] + (" (weak)" if item.get("strength") == "weak" else "")
        original = item["likely_original"]
        out.write(
            f"  {item['sentence']:>4}  {layer:<16} {item['phrase']!r}"
            + (f" <- {original!r}" if original else "")
            + "\n"
        )
        out.write(f"        {highlight(doc.text[a:b], item['phrase'], color)}\n")
