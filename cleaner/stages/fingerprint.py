"""The last stage: the fingerprint that deduplication compares (see cleaner.dedup).

Computed here, in the worker that cleaned the document, so that finding
duplicates across the corpus afterwards only reads a few hundred bytes per
document. Mojibake copies match their clean twin because this runs on the
repaired, cleaned text.
"""

from __future__ import annotations

import dataclasses

from cleaner.dedup.fingerprint import fingerprint
from cleaner.document import Document


def fingerprint_document(doc: Document, ctx) -> Document:
    options = ctx.config.dedup
    if not options.enabled:
        return doc
    return dataclasses.replace(doc, fingerprint=fingerprint(doc.text, options))
