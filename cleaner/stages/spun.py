"""Spun-text stage: a score, a verdict and the evidence, per document.

Evidence comes in layers (cleaner/spun/), each able to explain itself with
the phrase and what it probably was:
- `lexicon`: a known spinner substitution (`safety menace` <- security threat);
- `collocation`: a rare synonym where the corpus writes the common word;
- `context`: a word whose thesaurus synonym fits its neighbours far better,
  by the background model of the language (cleaner/spun/context.py): needs
  neither the corpus nor a known spinner, so a single file is judged too;
- `alignment`: a substitution found by aligning the document with its
  original elsewhere in the corpus (added in the corpus pass,
  cleaner/dedup/corpus.py, which also sets `paraphrase_of`).

The score adds the weights of the distinct pieces of evidence, and
`context_weight` times the context layer's figure `z` (how far the document's
words sit from clean news, in standard units) divided by `flag_at` (the z
that less than 1 % of clean news reaches), when it is positive: with the
default weight, equal to the threshold, the context layer flags alone from
`flag_at` and corroborates the other layers below it. Context
items are the words behind `z`, listed to explain it: they add nothing on
their own. Weak lexicon entries (ordinary words that spinners also write)
only corroborate: they add no more than the rest of the evidence, so they
never flag a text alone. The stage flags and never removes; `--drop-spun`
leaves flagged documents out.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from cleaner.document import Document
from cleaner.spun import collocation, lexicon
from cleaner.spun.words import HELD_CHARS, Sentence, sentence, spans
from cleaner.stages.language import sentence_units

LAYERS = ("lexicon", "collocation", "context", "alignment")
# The context layer judges a huge text on its first quarter million characters
# (some 40,000 words): its figure is as sure by then (context.CAP), and the
# words judged are held at once.
JUDGED_CHARS = 1 << 18


def empty_report() -> dict[str, Any]:
    return {
        "score": 0.0,
        "flagged": False,
        "evidence": [],
        "context": None,
        "paraphrase_of": None,
    }


def score(evidence: list[dict[str, Any]], options, context: float = 0.0) -> float:
    """The weight of the distinct pieces of evidence, and of the context
    layer's figure as a share of the level where it flags alone (see the
    module doc)."""
    seen: set[tuple[str, str]] = set()
    firm = weak = 0.0
    for item in evidence:
        key = (item["layer"], item["phrase"].lower())
        if key in seen or item["layer"] == "context":
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
    return round(firm + min(weak, firm) + options.context_weight * max(context, 0.0), 2)


class _Judged(NamedTuple):
    """The words the context layer judges (the document's first words, up to
    JUDGED_CHARS), with what it needs to know of each."""

    norms: list[str]
    capitals: list[bool]
    langs: list[str | None]
    starts: list[bool]  # whether the word begins its sentence
    sentence: list[int]  # 1-based number of the word's sentence
    units: list[tuple[int, int]]  # the document's sentences (offsets)
    first: dict[int, int]  # sentence number -> the index of its first word

    def offsets(self, text: str, position: int, found: dict[int, list]) -> tuple[int, int]:
        """Where the word at `position` is in `text` (`found` keeps the
        offsets of each sentence asked for)."""
        number = self.sentence[position]
        if number not in found:
            found[number] = spans(text, *self.units[number - 1])
        return found[number][position - self.first[number]]


def _language_at(segments: list[dict] | None, lang: str) -> Callable[[int], str | None]:
    """The language of the text at an offset: its segment's, else the document's."""
    if not segments:
        return lambda offset: lang
    ends = [s["end"] for s in segments]

    def at(offset: int) -> str | None:
        i = bisect.bisect_right(ends, offset)
        return segments[i]["lang"] if i < len(segments) and segments[i]["start"] <= offset else lang

    return at


def _context_evidence(
    text: str, judged: _Judged, verdict, options, taken: set[int]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    figure = {
        "z": verdict.z,
        "flag_at": verdict.flag_at,
        "words": verdict.types,
        "judged": verdict.types >= options.context_min_words,
    }
    if not figure["judged"]:
        return [], figure
    evidence = []
    found: dict[int, list] = {}
    for suspect in verdict.suspects:
        if suspect.position in taken:
            continue
        original = suspect.original
        if judged.capitals[suspect.position]:
            original = original[:1].upper() + original[1:]
        start, end = judged.offsets(text, suspect.position, found)
        evidence.append(
            {
                "sentence": judged.sentence[suspect.position],
                "phrase": text[start:end],
                "likely_original": original,
                "layer": "context",
                "log10_odds": suspect.log_odds,
                "log10_p": {"written": suspect.fit, "original": suspect.original_fit},
            }
        )
    return evidence, figure


class _Gathered(NamedTuple):
    """A document's evidence from the lexicon and collocation layers, and
    what the context layer is to judge."""

    evidence: list[dict[str, Any]]
    judged: _Judged
    taken: set[int]  # the indices in the document of the words other layers explained
    held: int  # characters of the sentences judged


def _phrase(
    text: str, words: Sentence, offsets: list[tuple[int, int]], first: int, last: int
) -> str:
    """The text of a sentence's words first to last - 1; `offsets` holds the
    sentence's word offsets once one phrase needed them."""
    if not offsets:
        offsets.extend(spans(text, words.start, words.end))
    return text[offsets[first][0] : offsets[last - 1][1]]


def _gather(
    text: str, lang: str, options, counts: dict[int, int], segments: list[dict] | None
) -> _Gathered:
    units = sentence_units(text)
    sentences: Iterable[Sentence]
    if len(text) <= HELD_CHARS:
        sentences = [sentence(text, a, b) for a, b in units]
        present = frozenset(n for words in sentences for n in words.norms)
    else:  # not all held at once: each sentence is tokenized again when its turn comes
        present = frozenset(n for a, b in units for n in sentence(text, a, b).norms)
        sentences = (sentence(text, a, b) for a, b in units)
    evidence: list[dict[str, Any]] = []
    language_at = _language_at(segments, lang)
    judged = _Judged([], [], [], [], [], units, {})
    held = 0  # characters of the sentences judged, up to JUDGED_CHARS
    taken: set[int] = set()
    index = 0  # of the sentence's first word in the document
    for number, words in enumerate(sentences, start=1):
        count = len(words.norms)
        if options.context and count and held < JUDGED_CHARS:
            # the words judged are the document's first ones: index is theirs in judged too
            held += words.end - words.start
            judged.first[number] = index
            judged.norms.extend(words.norms)
            judged.capitals.extend(words.capitals)
            judged.langs.extend([language_at(words.start)] * count)
            judged.starts.extend([True] + [False] * (count - 1))
            judged.sentence.extend([number] * count)
        offsets: list[tuple[int, int]] = []  # the sentence's, made when a phrase is cut
        explained: set[int] = set()
        for hit in lexicon.find(words, lang, present):
            explained.update(range(hit.first, hit.last))
            evidence.append(
                {
                    "sentence": number,
                    "phrase": _phrase(text, words, offsets, hit.first, hit.last),
                    "likely_original": hit.original,
                    "layer": "lexicon",
                    "strength": "strong" if hit.entry.strong else "weak",
                }
            )
        for first, last, original in collocation.odd_pairs(
            words.norms, lang, counts, options.collocation_min_docs, options.collocation_ratio
        ):
            if explained.isdisjoint(range(first, last)):
                evidence.append(
                    {
                        "sentence": number,
                        "phrase": _phrase(text, words, offsets, first, last),
                        "likely_original": original,
                        "layer": "collocation",
                    }
                )
        taken.update(index + i for i in explained)
        index += count
    return _Gathered(evidence, judged, taken, held)


def _finish(
    text: str, gathered: _Gathered, verdict, options
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The evidence with the context layer's (`verdict`; None when that layer
    is off), and its figure."""
    if verdict is None:
        return gathered.evidence, None
    found, figure = _context_evidence(text, gathered.judged, verdict, options, gathered.taken)
    evidence = gathered.evidence + found
    evidence.sort(key=lambda e: (e["sentence"], LAYERS.index(e["layer"])))
    return evidence, figure


def _verdicts(gathered: list[_Gathered], options) -> list:
    if not options.context:
        return [None] * len(gathered)
    from cleaner.spun import context

    texts = [
        context.Text(g.judged.norms, g.judged.capitals, g.judged.langs, g.judged.starts)
        for g in gathered
    ]
    return context.judge_many(texts, options.context_min_log_odds)


def find_evidence(
    text: str,
    lang: str,
    options,
    counts: dict[int, int],
    segments: list[dict] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The evidence found in `text`, and the context layer's figure (None when
    that layer is off)."""
    gathered = _gather(text, lang, options, counts, segments)
    return _finish(text, gathered, _verdicts([gathered], options)[0], options)


def prepare(options) -> None:
    """Map the context layer's models and tables now, before any document
    is read: on the first run on a machine they are derived then (a few
    seconds, 300 MB in a child process) while the run holds nothing else."""
    if options.enabled and options.context:
        from cleaner.spun import background

        for lang in background.LANGS:
            background.synonyms(lang)


def flag_spun(doc: Document, ctx) -> Document:
    return flag_spun_many([doc], ctx)[0]


def flag_spun_many(docs: list[Document], ctx) -> list[Document]:
    """`flag_spun` of each document, their words judged by the context layer
    together (`context.judge_many`: the same figures, in a fraction of the
    time for short documents). Judged together up to JUDGED_CHARS of words,
    so that a group holds no more than one huge document does."""
    options = ctx.config.spun
    out = list(docs)
    group: list[tuple[int, _Gathered]] = []
    held = 0
    for i, doc in enumerate(docs):
        lang = doc.report.get("lang")
        if not options.enabled or lang not in lexicon.LANGUAGES:
            out[i] = dataclasses.replace(doc, report={**doc.report, "spun": empty_report()})
            continue
        gathered = _gather(doc.text, lang, options, ctx.corpus.bigrams, doc.report.get("segments"))
        group.append((i, gathered))
        held += gathered.held
        if held >= JUDGED_CHARS:
            _flag(out, group, ctx)
            group, held = [], 0
    if group:
        _flag(out, group, ctx)
    return out


def _flag(out: list[Document], group: list[tuple[int, _Gathered]], ctx) -> None:
    """The documents of `group` (by index in `out`) with their spun report."""
    options = ctx.config.spun
    verdicts = _verdicts([gathered for _, gathered in group], options)
    for (i, gathered), verdict in zip(group, verdicts, strict=True):
        doc = out[i]
        evidence, figure = _finish(doc.text, gathered, verdict, options)
        total = score(evidence, options, _z(figure))
        flagged = total >= options.threshold
        if not flagged:  # clean text has odd words too: they explain a flag, not a pass
            evidence = [item for item in evidence if item["layer"] != "context"]
        report = dict(doc.report)
        report["spun"] = {
            "score": total,
            "flagged": flagged,
            "evidence": evidence,
            "context": figure,
            "paraphrase_of": None,
        }
        signature = None
        if options.paraphrase:
            from cleaner.spun.paraphrase import signature_of

            signature = signature_of(doc.text, options)
        out[i] = dataclasses.replace(doc, report=report, paraphrase_signature=signature)


def with_alignment(text: str, spun: dict[str, Any], substitutions, options) -> dict[str, Any]:
    """`spun` with the substitutions found by alignment added, and scored again."""
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
    total = score(evidence, options, _z(spun.get("context")))
    return {**spun, "score": total, "flagged": total >= options.threshold, "evidence": evidence}


def _z(figure: dict[str, Any] | None) -> float:
    """The context figure that counts in the score, as a share of the level
    where it flags alone: none for a text too short to judge."""
    return figure["z"] / figure["flag_at"] if figure and figure["judged"] else 0.0
