"""The pipeline: stages run in a fixed order, each a pure function of a document.

A stage is `stage(doc, ctx) -> Document`: it returns a new document
(`dataclasses.replace`) and writes only its own report fields. Adding a stage
is adding it to `STAGES`; a stage that does better on many documents at
once gives that form too (`TOGETHER`), with the same results, and the
executors run chunks of documents through `process_documents`. `Context`
carries the options and whatever the corpus-wide passes learned (shared by
every document of a run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cleaner import memory
from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.rules import RuleSet, default_rules
from cleaner.stages.boilerplate import remove_boilerplate
from cleaner.stages.duplicates import remove_duplicate_paragraphs
from cleaner.stages.encoding import repair_encoding
from cleaner.stages.fingerprint import fingerprint_document
from cleaner.stages.language import identify_languages
from cleaner.stages.spun import flag_spun, flag_spun_many


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """What the corpus-wide pass learned: hashes of lines repeated across many
    documents, and in how many documents each bigram the spun-text
    collocation layer watches occurs (cleaner/spun/collocation.py)."""

    repeated_lines: frozenset[int] = frozenset()
    bigrams: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Context:
    config: CleanerConfig
    rules: RuleSet = field(default_factory=default_rules)
    corpus: CorpusStats = field(default_factory=CorpusStats)


Stage = Callable[[Document, Context], Document]

# Repair first: everything after it reads repaired text (mojibake hides a
# language, and a mojibake copy matches its twin only once repaired);
# languages are identified, fingerprints taken on the cleaned article and
# spun text flagged (its lexicon is per language; it changes no text). The
# fingerprint comes before the spun stage, whose background models' pages stay
# in memory once read: on a huge document their peaks then do not add up.
STAGES: tuple[Stage, ...] = (
    repair_encoding,
    remove_boilerplate,
    remove_duplicate_paragraphs,
    identify_languages,
    fingerprint_document,
    flag_spun,
)

# From this many characters, the memory a stage freed is handed back to the
# system before the next stage (see `memory.release`).
HUGE_CHARS = 1 << 22


# Stages that also have a form for many documents at once, with the same
# results: the spun stage's context layer scores the words of many short
# documents in one pass of its model (most of a short text's cost there is
# numpy's per-call cost).
TOGETHER: dict[Stage, Callable[[list[Document], Context], list[Document]]] = {
    flag_spun: flag_spun_many,
}


def process_document(doc: Document, ctx: Context) -> Document:
    """Run every stage on one document; a document with an error goes through untouched."""
    return process_documents([doc], ctx)[0]


def process_documents(docs: list[Document], ctx: Context) -> list[Document]:
    """`process_document` of each document, stage by stage over all of them."""
    for stage in STAGES:
        many = TOGETHER.get(stage)
        if many is not None:
            done = iter(many([d for d in docs if d.ok], ctx))
            docs = [next(done) if d.ok else d for d in docs]
        else:
            docs = [stage(d, ctx) if d.ok else d for d in docs]
        if any(len(d.text) >= HUGE_CHARS for d in docs):
            memory.release()
    return docs


def warm_up() -> None:
    """Load what the stages share (the language model) in this process, so
    that worker processes forked from it share it instead of loading it again."""
    from cleaner import langmodel

    langmodel.load()
