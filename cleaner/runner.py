"""What `cleaner clean` does, apart from parsing its arguments.

Find the inputs, run the pipeline over them (in order, on the local pool),
write the outputs and the report, and count. The CLI is a thin layer on top.
"""

from __future__ import annotations

import dataclasses
import math
import sqlite3
import sys
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.engine.local import ordered_map, resolve_jobs
from cleaner.inputs import (
    RECORD_FORMATS,
    InputError,
    Source,
    discover,
    read_source,
    total_size,
)
from cleaner.outputs import (
    AtomicFile,
    OutputError,
    Writer,
    json_line,
    remove_stale_temporaries,
    writable_folder,
)
from cleaner.pipeline import Context, CorpusStats, process_document, process_documents, warm_up
from cleaner.report import Summary, record
from cleaner.stages.spun import prepare as prepare_spun

# Below this much input a process pool costs more than it saves.
_POOL_MIN_BYTES = 2_000_000


class UsageError(ValueError):
    """Options that cannot work together; the CLI exits with status 2."""


@dataclass
class Run:
    """What a run did: the summary, and the problems met on the way."""

    summary: Summary = field(default_factory=Summary)
    input_errors: list[InputError] = field(default_factory=list)
    output_errors: list[str] = field(default_factory=list)  # files that could not be written

    @property
    def exit_code(self) -> int:
        if self.output_errors:
            return 2
        return 1 if self.summary.failed or self.input_errors else 0


def check_destination(destination: str | None, sources: list[Source], paths: list[str]) -> None:
    """Refuse an output folder inside the input tree, or one that would overwrite an input."""
    if destination in (None, "-", "in-place"):
        return
    out = Path(destination).resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {destination}: exists and is not a directory")
    for arg in paths:
        if arg == "-":
            continue
        root = Path(arg).resolve()
        if root.is_dir() and (out == root or root in out.parents):
            raise UsageError(
                f"-o {destination} is inside the input folder {arg}: "
                "choose another folder, or use --in-place"
            )
    inputs = {Path(s.path).resolve() for s in sources if not s.is_stdin}
    clash = next((s for s in sources if (out / s.name).resolve() in inputs), None)
    if clash is not None:
        raise UsageError(f"-o {destination} would overwrite the input {clash.path}")
    names = [s.name for s in sources]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate is not None:
        raise UsageError(f"two inputs would both be written to {destination}/{duplicate}")


def _documents(
    sources: list[Source], read_on_workers: bool = False
) -> Iterator[tuple[Document | Source, str]]:
    """The documents of `sources`, in order. With `read_on_workers`, a text
    file is sent as its Source and read by the worker that cleans it (the
    workers see the same files), so its bytes never pass through this process."""
    for source in sources:
        if read_on_workers and source.format == "text" and not source.is_stdin:
            yield source, source.format
            continue
        for doc in read_source(source):
            yield doc, source.format


def _loaded(item: tuple[Document | Source, str]) -> Document:
    """The document of an item of `_documents`: a text file is read here."""
    doc = item[0]
    if isinstance(doc, Source):
        [doc] = read_source(doc)  # a text file is one document (or one error)
    return doc


def _process(item: tuple[Document | Source, str], ctx: Context) -> tuple[Document, str]:
    return process_document(_loaded(item), ctx), item[1]


def _process_many(
    items: list[tuple[Document | Source, str]], ctx: Context
) -> list[tuple[Document, str]]:
    docs = process_documents([_loaded(item) for item in items], ctx)
    return [(doc, item[1]) for doc, item in zip(docs, items, strict=True)]


_process.many = _process_many  # type: ignore[attr-defined]  # see engine.run_all


def _corpus_keys(item: tuple[Document, str], ctx: Context) -> tuple[frozenset[int], frozenset[int]]:
    """What the corpus pass counts in one document: the hashes of its short
    non-prose blocks, and the keys of the bigrams the collocation layer watches."""
    from cleaner.blocks import PROSE, split_blocks
    from cleaner.stages.boilerplate import hash_line
    from cleaner.stages.encoding import repair_encoding

    doc = _loaded(item)
    doc = repair_encoding(doc, ctx) if doc.ok else doc
    if not doc.ok:
        return frozenset(), frozenset()
    limit = ctx.config.boilerplate.repeated_max_chars
    lines = frozenset(
        hash_line(b.text)
        for b in split_blocks(doc.text)
        if b.kind != PROSE and len(b.text) <= limit
    )
    bigrams: frozenset[int] = frozenset()
    if ctx.config.spun.enabled:
        from cleaner.spun.collocation import watched_bigrams
        from cleaner.spun.lexicon import LANGUAGES
        from cleaner.spun.words import norms_of

        words = norms_of(doc.text)
        bigrams = frozenset(k for lang in LANGUAGES for k in watched_bigrams(words, lang))
    return lines, bigrams


def learn_corpus(
    sources: list[Source], ctx: Context, mapper, on_workers: bool = False, engine=None
) -> CorpusStats:
    """What the corpus says: lines repeated across many documents (a site's
    menus and footers), and how many documents hold each watched bigram.

    Each document counts a line or a bigram once; a line is furniture when it
    is in at least `repeated_min_docs` documents and `repeated_min_share` of
    them. Counting is order-independent, so the result is the same for any
    --jobs. On the Dask `engine` the counts are a map, a shuffle by key and a
    reduce on the workers: only the keys found often come back.
    """
    options = ctx.config.boilerplate

    def minimums(docs: int) -> list[int]:
        # a bigram in one document says nothing about the corpus's usage
        return [max(options.repeated_min_docs, math.ceil(options.repeated_min_share * docs)), 2]

    documents = _documents(sources, on_workers)
    if engine is not None:
        _, (lines, bigrams) = engine.count_keys(_corpus_keys, documents, ctx, minimums)
        return CorpusStats(frozenset(lines), bigrams)
    import numpy as np

    line_keys = array("Q")  # every (document, line) once: 8 bytes each, counted at the end
    bigram_keys = array("Q")
    docs = 0
    for these_lines, these_bigrams in mapper(_corpus_keys, documents, ctx):
        docs += 1
        line_keys.extend(these_lines)
        bigram_keys.extend(these_bigrams)
    at_least_lines, at_least_bigrams = minimums(docs)
    values, counts = np.unique(np.frombuffer(line_keys, dtype=np.uint64), return_counts=True)
    pairs, seen = np.unique(np.frombuffer(bigram_keys, dtype=np.uint64), return_counts=True)
    often = seen >= at_least_bigrams
    return CorpusStats(
        frozenset(values[counts >= at_least_lines].tolist()),
        dict(zip(pairs[often].tolist(), seen[often].tolist(), strict=True)),
    )


def make_context(config: CleanerConfig) -> Context:
    """The run's context: the options and the rules they select."""
    from cleaner.rules import Rule, RuleError, build

    extra = [
        Rule(r.code, r.name, r.kind, r.pattern, "from the configuration")
        for r in config.boilerplate.rules
    ]
    try:
        rules = build(extra, config.boilerplate.disable)
    except RuleError as e:
        raise UsageError(f"boilerplate rules: {e}") from e
    return Context(config=config, rules=rules)


class Progress:
    """A progress bar on stderr, for long runs in a terminal."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO, enabled: bool):
        self.total, self.stream, self.enabled = total, stream, enabled
        self.done, self.docs, self.last = 0, 0, 0.0
        self.start = time.monotonic()

    def step(self, new_file: bool) -> None:
        self.docs += 1
        self.done += new_file
        now = time.monotonic()
        if self.enabled and now - self.last > 0.2:
            self.last = now
            share = self.done / max(self.total, 1)
            filled = int(share * self.WIDTH)
            bar = "=" * filled + (">" if filled < self.WIDTH else "") + " " * (self.WIDTH - filled)
            rate = self.docs / max(now - self.start, 1e-9)
            self.stream.write(
                f"\rcleaner: [{bar[: self.WIDTH]}] {share:4.0%}  "
                f"{self.done:,}/{self.total:,} files  {self.docs:,} docs  {rate:,.0f} docs/s"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\r\033[K")  # clear the line


@dataclass
class Plan:
    """What a run works on: the sources, the problems already met, the context, the workers."""

    sources: list[Source]
    input_errors: list[InputError]
    ctx: Context
    jobs: int
    engine: Any = None  # a DaskEngine with --engine dask; None: the local pool
    checkpoint: Any = None  # a Checkpoint with -o OUT: finished partitions kept on disk
    in_place_state: Any = None  # an InPlaceState with --in-place: the corpus counts kept

    @property
    def read_on_workers(self) -> bool:
        """Whether the workers read text files themselves: they share this
        machine's files (the local pool, a LocalCluster), and there are workers."""
        if self.engine is not None:
            return self.engine.cluster is not None
        return self.jobs > 1

    def map(self, func, items, shared):
        """`func(item, shared)` for each item, in order, on the run's executor."""
        if self.checkpoint is not None:
            return self.checkpoint.map(self._map, func, items, shared)
        return self._map(func, items, shared)

    def _map(self, func, items, shared, per_task: int | None = None):
        if self.engine is not None:
            return self.engine.ordered_map(func, items, shared, per_task)
        return ordered_map(func, items, shared, self.jobs, per_task or 16)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None

    def __enter__(self) -> Plan:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def prepare(paths: list[str], config: CleanerConfig) -> Plan:
    """Find the inputs, build the context, learn what the corpus says."""
    sources, input_errors = discover(paths, config.glob, config.input_format)
    return plan_for(sources, input_errors, config)


def plan_for(
    sources: list[Source],
    input_errors: list[InputError],
    config: CleanerConfig,
    output: Path | None = None,
    messages: TextIO | None = None,
    in_place: bool = False,
) -> Plan:
    """The plan for sources already found; with `output` (an output folder),
    finished partitions are kept there for a rerun (cleaner/checkpoint.py);
    `in_place`, the corpus counts are kept until the run completes."""
    ctx = make_context(config)
    prepare_spun(config.spun)
    jobs = resolve_jobs(config.jobs)
    plan = Plan(sources, input_errors, ctx, jobs)
    if config.engine.name == "dask":
        from cleaner.engine.dask import DaskEngine, DaskMissing

        try:
            plan.engine = DaskEngine(config.engine.scheduler, jobs, config.engine.partition_docs)
        except DaskMissing as e:
            raise UsageError(str(e)) from None
    else:
        if total_size(sources) < _POOL_MIN_BYTES:
            plan.jobs = 1
        if len(sources) == 1 and sources[0].format == "text":
            plan.jobs = 1  # one document: workers would only hold a copy of it
        if plan.jobs > 1:
            warm_up()
    if output is not None and config.engine.resume and not any(s.is_stdin for s in sources):
        from cleaner.checkpoint import Checkpoint, run_key

        key = run_key(config, sources)
        messages = messages if messages is not None else sys.stderr
        plan.checkpoint = Checkpoint(output, key, config.engine.partition_docs, messages)
    if len(sources) >= config.boilerplate.repeated_min_docs or any(
        s.format in RECORD_FORMATS for s in sources
    ):
        try:
            if in_place:
                from cleaner.checkpoint import InPlaceState

                plan.in_place_state = InPlaceState(config, sources, messages or sys.stderr)
            stats = plan.in_place_state.load() if plan.in_place_state else None
            if stats is None:
                stats = learn_corpus(sources, ctx, plan.map, plan.read_on_workers, plan.engine)
                if plan.in_place_state:  # before the first file is rewritten
                    plan.in_place_state.save(stats)
            plan.ctx = dataclasses.replace(ctx, corpus=stats)
        except BaseException:
            plan.close()
            raise
    return plan


def processed(plan: Plan, errors: TextIO) -> Iterator[tuple[Document, str]]:
    """Every document through the pipeline, in input order, with the
    problems of each written to `errors` as they come."""
    for problem in plan.input_errors:
        errors.write(f"cleaner: {problem.path}: {problem.problem}\n")
    long_run = len(plan.sources) > 200 or plan.engine is not None or total_size(plan.sources) > 5e7
    progress = Progress(len(plan.sources), errors, enabled=errors.isatty() and long_run)
    last_source = None
    try:
        documents = _documents(plan.sources, plan.read_on_workers)
        for doc, fmt in plan.map(_process, documents, plan.ctx):
            progress.step(new_file=doc.source != last_source)
            last_source = doc.source
            if not doc.ok:
                errors.write(f"cleaner: {doc.source}: {doc.error}\n")
            yield doc, fmt
    finally:
        progress.close()


def clean(
    paths: list[str],
    config: CleanerConfig,
    destination: str | None,
    report_path: str | None = None,
    explain: TextIO | None = None,
    errors: TextIO | None = None,
    split_languages: bool = False,
    keep_duplicates: bool = False,
    drop_spun: bool = False,
    on_document: Callable[[Document], None] | None = None,
    drop_translations: bool = False,
) -> Run:
    """Clean `paths` into `destination` (a folder, "-", "in-place", or None).

    Duplicate copies are left out of the output unless `keep_duplicates`, and
    documents flagged as spun when `drop_spun`, and the second-language copy
    of a translation pair when `drop_translations`; `--in-place` never removes a
    file, it only reports them. `on_document` sees every document as it is
    reported (the HTML page keeps them). Problems go to `errors` (the standard
    error of the moment).
    """
    errors = errors if errors is not None else sys.stderr
    sources, input_errors = discover(paths, config.glob, config.input_format)
    check_destination(destination, sources, paths)
    folder = None if destination in (None, "-", "in-place") else Path(destination)
    if folder is not None:  # an output that cannot be written fails now, not after the work
        writable_folder(folder)
    in_place = destination == "in-place"
    if in_place:
        for source in sources:
            if not source.is_stdin:
                remove_stale_temporaries(Path(source.path))
    report = _ReportSink(report_path)
    try:
        plan = plan_for(sources, input_errors, config, folder, errors, in_place)
    except BaseException:
        report.abort()
        raise
    with plan:  # closes the Dask cluster, if any, whatever happens
        run = Run(input_errors=plan.input_errors)
        writer = Writer(destination, split_languages=split_languages)
        keep_duplicates = keep_duplicates or destination == "in-place"
        run.summary.duplicates_written = keep_duplicates
        drop_spun = drop_spun and destination != "in-place"
        run.summary.spun_dropped = drop_spun
        try:
            drop_translations = drop_translations and destination != "in-place"
            run.summary.translations_dropped = drop_translations
            for doc, fmt, dropped in _deduplicated(plan, errors, drop_translations):
                spun = drop_spun and (doc.report.get("spun") or {}).get("flagged", False)
                if (not dropped or keep_duplicates) and not spun:
                    try:
                        writer.add(doc, fmt)
                    except OutputError as e:  # this file only: the others are still written
                        errors.write(f"cleaner: {e}\n")
                        run.output_errors.append(str(e))
                run.summary.add(doc)
                report.add(doc)
                if on_document is not None:
                    on_document(doc)
                if explain is not None:
                    explain_document(doc, explain)
            try:
                writer.close()
            except OutputError as e:
                errors.write(f"cleaner: {e}\n")
                run.output_errors.append(str(e))
        except BaseException:
            writer.abort()  # an interrupted run leaves no half file behind
            report.abort()
            raise
        for problem in plan.input_errors:
            report.add(_error_document(problem))
            if on_document is not None:
                on_document(_error_document(problem))
            run.summary.docs += 1
            run.summary.failed += 1
        report.close()
        if plan.checkpoint is not None:
            plan.checkpoint.remove()
        if plan.in_place_state is not None:
            plan.in_place_state.remove()
        return run


def _deduplicated(
    plan: Plan, errors: TextIO, drop_translations: bool = False
) -> Iterator[tuple[Document, str, bool]]:
    """The processed documents, each with whether it is a duplicate copy to leave out."""
    config = plan.ctx.config
    if not config.dedup.enabled and not (config.spun.enabled and config.spun.paraphrase):
        for doc, fmt in processed(plan, errors):
            yield doc, fmt, False
        return
    from cleaner.dedup.corpus import Deduplication

    index = _embedding_index(config)
    try:
        dedup = Deduplication.of(
            processed(plan, errors),
            config.dedup,
            spun_options=config.spun,
            xling_options=config.xling if config.dedup.enabled else None,
            embeddings=_embedding_cache(index, config),
            mapper=plan.map,
            clusterer=plan.engine.find_duplicates if plan.engine is not None else None,
        )
    finally:
        if index is not None:
            index.close()
    dedup.drop_translations = drop_translations
    try:
        yield from dedup.documents()
    finally:
        dedup.close()


def _embedding_index(config):
    """The corpus's index ([dedup] index), when there is one and translations
    are looked for: its embeddings spare embedding a document again."""
    if not (config.dedup.enabled and config.xling.enabled and Path(config.dedup.index).is_file()):
        return None
    from cleaner.dedup.index import Index, IndexProblem
    from cleaner.xling import embed

    if not embed.available():
        return None
    try:
        return Index.open(Path(config.dedup.index), config.dedup)
    except (IndexProblem, sqlite3.Error):
        return None


def _embedding_cache(index, config):
    if index is None:
        return None
    from cleaner.xling.cache import EmbeddingCache

    return EmbeddingCache.of(index, config.xling)


class _ReportSink:
    """The JSONL report, streamed to a file that appears complete or not at all."""

    def __init__(self, path: str | None):
        self.stdout = path == "-"
        self.file = AtomicFile(Path(path)) if path not in (None, "-") else None

    def add(self, doc: Document) -> None:
        if self.stdout:
            sys.stdout.flush()
            sys.stdout.buffer.write(json_line(record(doc)))
        elif self.file is not None:
            self.file.write(json_line(record(doc)))

    def close(self) -> None:
        if self.file is not None:
            self.file.commit()

    def abort(self) -> None:
        if self.file is not None:
            self.file.abort()


def _error_document(problem: InputError) -> Document:
    return Document(id=problem.path, source=problem.path, name=problem.path, error=problem.problem)


def _quote(text: str, limit: int = 70) -> str:
    text = text.replace("\n", "⏎")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def explain_document(doc: Document, out: TextIO) -> None:
    """Each change of a document, one per line, for `--dry-run` and `--explain`."""
    if not doc.ok or not doc.changes:
        return
    out.write(
        f"{doc.source}: {len(doc.changes)} changes ({doc.chars_in:,} -> {len(doc.text):,} chars)"
        + (f" [{doc.id}]" if doc.id != doc.name else "")
        + "\n"
    )
    for change in doc.changes:
        where = f"line {change.line}" if change.line is not None else "file"
        text = _quote(change.text) if change.text else ""
        if change.replacement is not None:
            text += f" -> {_quote(change.replacement)}"
        detail = f" ({change.detail})" if change.detail else ""
        out.write(f"  {where:<9} {change.code} {change.reason:<22} {text}{detail}\n")
