"""Spun-text stage: a score, a verdict and the evidence, per document.

Evidence comes in layers (cleaner/spun/), each able to explain itself with
the phrase and what it probably was:
- `lexicon`: a known spinner substitution (`safety menace` <- security threat);
- `collocation`: a rare synonym where the corpus writes the common word;
- `alignment`: a substitution found by aligning the document with its
  original elsewhere in the corpus (added in the corpus pass,
  cleaner/dedup/corpus.py, which also sets `paraphrase_of`).

The score adds the weights of the distinct pieces of evidence. Weak lexicon
entries (ordinary words that spinners also write) only corroborate: they add
no more than the rest of the evidence, so they never flag a text alone. The
stage flags and never removes; `--drop-spun` leaves flagged documents out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from cleaner.document import Document
from cleaner.spun import collocation, lexicon
from cleaner.spun.words import HELD_CHARS, Word, tokenize
from cleaner.stages.language import sentence_units

LAYERS = ("lexicon", "collocation", "alignment")


def empty_report() -> dict[str, Any]:
    return {"score": 0.0, "flagged": False, "evidence": [], "paraphrase_of": None}


def score(evidence: list[dict[str, Any]], options) -> float:
    """The weight of the distinct pieces of evidence (see the module doc)."""
    seen: set[tuple[str, str]] = set()
    firm = weak = 0.0
    for item in evidence:
        key = (item["layer"], item["phrase"].lower())
        if key in seen:
            continue
        seen.add(key)
        if item["layer"] == "lexicon":
            if item.get("strength") == "strong":
                firm += options.strong_weight
            else:
                weak += options.weak_weight
        elif item["layer"] == "collocation":
            firm += options.collocation_weight
        else:
            firm += options.alignment_weight
    return round(firm + min(weak, firm), 2)


def find_evidence(text: str, lang: str, options, counts: dict[int, int]) -> list[dict[str, Any]]:
    units = sentence_units(text)
    sentences: Iterable[list[Word]]
    if len(text) <= HELD_CHARS:
        sentences = [tokenize(text, a, b) for a, b in units]
        present = frozenset(w.norm for words in sentences for w in words)
    else:  # not all held at once: each sentence is tokenized again when its turn comes
        present = frozenset(w.norm for a, b in units for w in tokenize(text, a, b))
        sentences = (tokenize(text, a, b) for a, b in units)
    evidence: list[dict[str, Any]] = []
    for number, words in enumerate(sentences, start=1):
        taken: set[int] = set()
        for hit in lexicon.find(text, words, lang, present):
            taken.update(range(hit.first, hit.last))
            evidence.append(
                {
                    "sentence": number,
                    "phrase": text[words[hit.first].start : words[hit.last - 1].end],
                    "likely_original": hit.original,
                    "layer": "lexicon",
                    "strength": "strong" if hit.entry.strong else "weak",
                }
            )
        for first, last, original in collocation.odd_pairs(
            words, lang, counts, options.collocation_min_docs, options.collocation_ratio
        ):
            if taken.isdisjoint(range(first, last)):
                evidence.append(
                    {
                        "sentence": number,
                        "phrase": text[words[first].start : words[last - 1].end],
                        "likely_original": original,
                        "layer": "collocation",
                    }
                )
    return evidence


def flag_spun(doc: Document, ctx) -> Document:
    options = ctx.config.spun
    report = dict(doc.report)
    lang = report.get("lang")
    if not options.enabled or lang not in lexicon.LANGUAGES:
        report["spun"] = empty_report()
        return dataclasses.replace(doc, report=report)
    evidence = find_evidence(doc.text, lang, options, ctx.corpus.bigrams)
    total = score(evidence, options)
    report["spun"] = {
        "score": total,
        "flagged": total >= options.threshold,
        "evidence": evidence,
        "paraphrase_of": None,
    }
    signature = None
    if options.paraphrase:
        from cleaner.spun.paraphrase import signature_of

        signature = signature_of(doc.text, options)
    return dataclasses.replace(doc, report=report, paraphrase_signature=signature)


def with_alignment(text: str, spun: dict[str, Any], substitutions, options) -> dict[str, Any]:
    """`spun` with the substitutions found by alignment added, and scored again."""
    import bisect

    starts = [a for a, _ in sentence_units(text)]
    evidence = list(spun["evidence"]) + [
        {
            "sentence": max(bisect.bisect_right(starts, s.start), 1),
            "phrase": s.phrase,
            "likely_original": s.original,
            "layer": "alignment",
        }
        for s in substitutions
    ]
    evidence.sort(key=lambda e: (e["sentence"], LAYERS.index(e["layer"])))
    total = score(evidence, options)
    return {**spun, "score": total, "flagged": total >= options.threshold, "evidence": evidence}
