"""The pipeline: stages run in a fixed order, each a pure function of a document.

A stage is `stage(doc, ctx) -> Document`: it returns a new document
(`dataclasses.replace`) and writes only its own report fields. Adding a stage
is adding it to `STAGES`. `Context` carries the options and whatever the
corpus-wide passes learned (shared by every document of a run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.stages.encoding import repair_encoding


@dataclass(frozen=True, slots=True)
class Context:
    config: CleanerConfig


Stage = Callable[[Document, Context], Document]

# Repair first: everything after it reads repaired text.
STAGES: tuple[Stage, ...] = (repair_encoding,)


def process_document(doc: Document, ctx: Context) -> Document:
    """Run every stage on one document; a document with an error goes through untouched."""
    for stage in STAGES:
        if not doc.ok:
            break
        doc = stage(doc, ctx)
    return doc
