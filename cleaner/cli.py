"""The command line: parse, load the configuration, run, print, exit.

Exit status: 0 when every input succeeded, 1 when any input failed, 2 for a
usage error (bad option, bad configuration file).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cleaner import __version__

MAIN_EPILOG = """\b
Examples:
  cleaner clean seeds -o out      clean a folder into out/, with out/report.jsonl
  cleaner clean seeds --dry-run   show what would change, write nothing
  cleaner lang seeds              the languages of each file
  cleaner spun seeds              spun text, with the evidence
  cleaner check seeds/*.txt       lint files: path:line: CODE message
  cleaner report out/report.jsonl -o report.html   a page to look at
  cleaner clean --help            the options of one command
"""

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Clean and deduplicate English and French news text, explaining every change.",
    epilog=MAIN_EPILOG,
)


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


class InputFormat(StrEnum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    parquet = "parquet"


IndexOption = Annotated[
    Path | None, typer.Option("--index", help="The index file [default: .cleaner-index.sqlite].")
]
PathsArgument = Annotated[list[str], typer.Argument(help="Files or folders.")]
InputsArgument = Annotated[list[str], typer.Argument(help="Files, folders or - for stdin.")]
GlobOption = Annotated[
    str | None,
    typer.Option(
        "--glob", help="Files to take in folders, comma-separated [text, JSONL, Parquet]."
    ),
]
FormatOption = Annotated[InputFormat | None, typer.Option("--format", help="Input format.")]
JobsOption = Annotated[int | None, typer.Option("-j", "--jobs", help="Worker processes.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="Configuration file.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Clean and deduplicate English and French news text, explaining every change."""


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"cleaner: error: {message}", err=True)
    return typer.Exit(2)


def _language_list(option: str, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    codes = tuple(code.strip() for code in value.split(",") if code.strip())
    from cleaner import langmodel

    known = langmodel.load().classes
    unknown = [code for code in codes if code not in known]
    if not codes or unknown:
        raise _usage_error(f"{option}: unknown language code {', '.join(unknown) or repr(value)}")
    return codes


def _configure(
    config_file: Path | None,
    jobs: int | None = None,
    glob: str | None = None,
    input_format: InputFormat | None = None,
    uncurl_quotes: bool | None = None,
    languages: str | None = None,
    keep_languages: str | None = None,
    dedup: bool | None = None,
    spun: bool | None = None,
    keep_engine: bool = False,
    **dedup_options,
):
    """The configuration file's options, overridden by the flags given."""
    import dataclasses

    if jobs is not None and jobs < 0:
        raise _usage_error("--jobs must be 0 (all cores) or more")
    config = _load_config(config_file).replace(
        jobs=jobs,
        glob=glob,
        input_format=input_format.value if input_format else None,
        uncurl_quotes=uncurl_quotes,
    )
    language = config.language
    accepted = _language_list("--lang", languages)
    keep = _language_list("--keep-lang", keep_languages)
    if accepted is not None:
        language = dataclasses.replace(language, accepted=accepted)
    if keep is not None:
        language = dataclasses.replace(language, keep=keep)
    changes = {k: v for k, v in dedup_options.items() if v is not None}
    if dedup is not None:
        changes["enabled"] = dedup
    deduplication = dataclasses.replace(config.dedup, **changes)
    if deduplication.problem():
        raise _usage_error(deduplication.problem())
    spun_options = config.spun if spun is None else dataclasses.replace(config.spun, enabled=spun)
    return dataclasses.replace(config, language=language, dedup=deduplication, spun=spun_options)


def _with_engine(config, engine, scheduler, partition_docs, resume=None):
    import dataclasses

    changes = {
        "name": engine.value if engine else None,
        "scheduler": scheduler,
        "partition_docs": partition_docs,
        "resume": resume,
    }
    chosen = dataclasses.replace(
        config.engine, **{k: v for k, v in changes.items() if v is not None}
    )
    if chosen.name not in ("local", "dask"):
        raise _usage_error(f"engine: unknown engine {chosen.name!r} (local or dask)")
    if chosen.scheduler and chosen.name != "dask":
        raise _usage_error("--scheduler needs --engine dask")
    if chosen.partition_docs < 1:
        raise _usage_error("--partition-docs must be at least 1")
    return dataclasses.replace(config, engine=chosen)


def _load_config(config_file: Path | None):
    from cleaner.config import ConfigError, load_config

    try:
        return load_config(explicit=config_file)
    except ConfigError as e:
        raise _usage_error(str(e)) from None


CLEAN_EPILOG = """\b
Exit status: 0 every input cleaned (documents with nothing left after
cleaning are reported, not written), 1 an input could not be read or
decoded (the others are still cleaned), 2 trouble (a bad option, an output
that cannot be written), 130 interrupted.
\b
Examples:
  cleaner clean seeds -o out            clean a folder into out/ (+ out/report.jsonl)
  cleaner clean a.txt b.txt -o out      clean files; out/a.txt, out/b.txt
  cat page.txt | cleaner clean -        clean standard input to standard output
  cleaner clean corpus.jsonl -o out     JSONL in, JSONL out (fields id, text)
  cleaner clean seeds --dry-run         show what would change, write nothing
  cleaner clean seeds --in-place        rewrite changed files, atomically
  cleaner clean docs --glob '*.md' -o out --report run.jsonl
  cleaner clean corpus -o out --keep-lang en,fr   drop sentences in other languages
  cleaner clean corpus -o out --split-lang        mixed files as name.en.txt, name.fr.txt
  cleaner clean seeds -o out --html report.html   also a page to look at
"""


@app.command(epilog=CLEAN_EPILOG)
def clean(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (searched recursively) or - for stdin.")
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "-o", "--output", help="Output folder (mirrors the input paths), or - for stdout."
        ),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Rewrite changed input files, atomically.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing; print what would change.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also print each change to stderr.")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("-j", "--jobs", help="Worker processes (default: all cores).")
    ] = None,
    glob: Annotated[
        str | None,
        typer.Option(
            "--glob",
            help="Files to take in folders, comma-separated "
            "[default: *.txt,*.jsonl,*.jsonl.gz,*.parquet].",
        ),
    ] = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--format", help="Input format [default: auto, by file extension]."),
    ] = None,
    report: Annotated[
        str | None,
        typer.Option("--report", help="Write the JSONL report here [default: OUT/report.jsonl]."),
    ] = None,
    uncurl_quotes: Annotated[
        bool | None,
        typer.Option("--uncurl-quotes/--keep-quotes", help="Straighten curly quotes."),
    ] = None,
    languages: Annotated[
        str | None, typer.Option("--lang", help="Languages of the corpus [default: en,fr].")
    ] = None,
    keep_languages: Annotated[
        str | None,
        typer.Option("--keep-lang", help="Drop sentences in other languages (e.g. en,fr)."),
    ] = None,
    split_languages: Annotated[
        bool,
        typer.Option("--split-lang", help="Write a mixed document as one file per language."),
    ] = False,
    keep_duplicates: Annotated[
        bool,
        typer.Option("--keep-duplicates", help="Write duplicate copies too (still reported)."),
    ] = False,
    dedup: Annotated[
        bool | None,
        typer.Option("--dedup/--no-dedup", help="Find duplicate documents [default: on]."),
    ] = None,
    drop_spun: Annotated[
        bool,
        typer.Option("--drop-spun", help="Leave documents flagged as spun out of the output."),
    ] = False,
    spun: Annotated[
        bool | None,
        typer.Option("--spun/--no-spun", help="Flag spun text [default: on]."),
    ] = None,
    drop_translations: Annotated[
        bool,
        typer.Option(
            "--drop-translations",
            help="Of an article found in English and French, write only the English one.",
        ),
    ] = False,
    translations: Annotated[
        bool | None,
        typer.Option(
            "--translations/--no-translations",
            help="Look for translation pairs [default: on with the xling extra].",
        ),
    ] = None,
    engine: Annotated[
        EngineName | None,
        typer.Option("--engine", help="Run the stages on a local pool or on Dask [local]."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address [default: a LocalCluster]."),
    ] = None,
    partition_docs: Annotated[
        int | None,
        typer.Option("--partition-docs", help="Documents per task and per kept partition [64]."),
    ] = None,
    resume: Annotated[
        bool | None,
        typer.Option(
            "--resume/--no-resume",
            help="Keep finished partitions in OUT/.cleaner-partial; a rerun skips them [on].",
        ),
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this cleaner.toml or pyproject.toml.")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write the report as an HTML page here.")
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No summary on stderr.")] = False,
) -> None:
    """Clean documents: repair encoding, remove boilerplate and repeated
    paragraphs, identify languages, and record every change in a report."""
    from cleaner.runner import UsageError
    from cleaner.runner import clean as run_clean

    if in_place and output is not None:
        raise _usage_error("-o and --in-place cannot be used together")
    if in_place and "-" in paths:
        raise _usage_error("--in-place cannot rewrite standard input")
    config = _configure(
        config_file,
        jobs=jobs,
        glob=glob,
        input_format=input_format,
        uncurl_quotes=uncurl_quotes,
        languages=languages,
        keep_languages=keep_languages,
        dedup=dedup,
        spun=spun,
        keep_engine=True,
    )
    config = _with_engine(config, engine, scheduler, partition_docs, resume)
    if translations is not None:
        import dataclasses

        config = dataclasses.replace(
            config, xling=dataclasses.replace(config.xling, enabled=translations)
        )
    if drop_spun and not config.spun.enabled:
        raise _usage_error("--drop-spun needs the spun-text stage (not --no-spun)")
    if drop_translations:
        from cleaner.xling.embed import INSTALL_HINT, available

        if not available():
            raise _usage_error(f"--drop-translations: {INSTALL_HINT}")
        if not config.dedup.enabled:
            raise _usage_error("--drop-translations needs deduplication (not --no-dedup)")
        if not config.xling.enabled:
            raise _usage_error(
                "--drop-translations needs the translation search (not --no-translations)"
            )
    if dry_run:
        destination = None
    elif in_place:
        destination = "in-place"
    else:
        destination = output or "-"
    if report is None and destination not in (None, "-", "in-place"):
        report = str(Path(destination) / "report.jsonl")
    if report == "-" and destination == "-":
        raise _usage_error("--report - and output to stdout cannot share standard output")
    collector = None
    if html is not None:
        from cleaner.html import Collector

        collector = Collector()

    try:
        run = run_clean(
            paths,
            config,
            destination,
            report_path=None if dry_run else report,
            explain=sys.stdout if dry_run else (sys.stderr if explain else None),
            split_languages=split_languages,
            keep_duplicates=keep_duplicates,
            drop_spun=drop_spun,
            on_document=collector.add if collector else None,
            drop_translations=drop_translations,
        )
    except UsageError as e:
        raise _usage_error(str(e)) from None
    except KeyboardInterrupt:
        kept = config.engine.resume and destination not in (None, "-", "in-place")
        typer.echo(
            "cleaner: interrupted"
            + ("; run the same command again to resume where it stopped" if kept else ""),
            err=True,
        )
        raise typer.Exit(130) from None
    if collector is not None:
        from cleaner.html import run_info

        info = run_info(config, sys.argv[1:], keep_duplicates, drop_spun, drop_translations)
        size = collector.write(html, info)
        if not quiet:
            typer.echo(f"cleaner: {html}: HTML report, {size:,} bytes", err=True)
    if not quiet:
        run.summary.write(sys.stderr)
    raise typer.Exit(run.exit_code)


REPORT_EPILOG = """\b
Examples:
  cleaner report out/report.jsonl                   out/report.html
  cleaner report out/report.jsonl -o report.html
  cleaner report run.jsonl --texts out -o run.html  cleaned files in out/
"""


@app.command("report", epilog=REPORT_EPILOG)
def report_page(
    report_file: Annotated[Path, typer.Argument(help="A JSONL report of cleaner clean.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The HTML page [default: REPORT with .html]."),
    ] = None,
    texts: Annotated[
        Path | None,
        typer.Option("--texts", help="The cleaned files [default: the report's folder]."),
    ] = None,
) -> None:
    """Write a static HTML page of a run's report: summary, documents with
    each removed piece in place, pairs of copies side by side."""
    from cleaner import __version__
    from cleaner.html import ReportError, RunInfo, read_report, write_page

    try:
        records = read_report(report_file)
    except ReportError as e:
        raise _usage_error(str(e)) from None
    target = output or report_file.with_suffix(".html")
    folder = texts or report_file.parent
    size = write_page(target, records, RunInfo(__version__), output_folder=folder)
    typer.echo(f"cleaner: {target}: HTML report, {size:,} bytes", err=True)


LANG_EPILOG = """\b
Examples:
  cleaner lang seeds                  the language spans of each file
  cleaner lang page.txt --json        the same, one JSON object per file
  cleaner lang corpus --lang en,fr,de
"""


@app.command(epilog=LANG_EPILOG)
def lang(
    paths: InputsArgument,
    json_output: Annotated[bool, typer.Option("--json", help="One JSON object per file.")] = False,
    languages: Annotated[
        str | None, typer.Option("--lang", help="Languages of the corpus [default: en,fr].")
    ] = None,
    glob: GlobOption = None,
    input_format: FormatOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Show the language of each document and the spans of each language,
    on the cleaned text."""
    import json

    from cleaner.runner import prepare, processed

    config = _configure(
        config_file,
        glob=glob,
        input_format=input_format,
        languages=languages,
        dedup=False,
        spun=False,
    )
    plan = prepare(paths, config)
    failed = bool(plan.input_errors)
    for doc, _ in processed(plan, sys.stderr):
        if not doc.ok:
            failed = True
            continue
        fields = {k: doc.report.get(k) for k in ("lang", "lang_share", "mixed", "segments")}
        if json_output:
            typer.echo(json.dumps({"id": doc.id, "path": doc.source, **fields}, ensure_ascii=False))
            continue
        shares = ", ".join(
            f"{code} {share:.0%}" for code, share in (fields["lang_share"] or {}).items()
        )
        typer.echo(
            f"{doc.source}: {fields['lang'] or '-'} ({shares or 'no text'})"
            + (" mixed" if fields["mixed"] else "")
        )
        for seg in fields["segments"] or []:
            text = " ".join(doc.text[seg["start"] : seg["end"]].split())
            text = text if len(text) <= 70 else text[:69] + "…"
            typer.echo(f"  {seg['start']:>6}-{seg['end']:<6} {seg['lang']:<3} {text}")
    raise typer.Exit(1 if failed else 0)


DEDUP_EPILOG = """\b
Exit status: 0 no duplicates, 1 duplicates found, 2 trouble (a bad option,
an unreadable input or index).
\b
Examples:
  cleaner dedup corpus                     clusters of duplicates, most similar first
  cleaner dedup corpus --json              one JSON object per cluster
  cleaner dedup --index corpus.idx new.txt is new.txt a copy of an indexed document?
  cleaner dedup corpus --threshold 0.7     looser near duplicates
"""


@app.command(epilog=DEDUP_EPILOG)
def dedup(
    paths: InputsArgument,
    json_output: Annotated[
        bool, typer.Option("--json", help="One JSON object per cluster.")
    ] = False,
    index: Annotated[
        Path | None,
        typer.Option("--index", help="Check PATHS against the documents of this index."),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Jaccard of near duplicates [0.8].")
    ] = None,
    containment: Annotated[
        float | None,
        typer.Option("--containment", help="Share of a document inside another [0.8]."),
    ] = None,
    jobs: JobsOption = None,
    glob: GlobOption = None,
    input_format: FormatOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Find duplicate documents (exact, near, contained) on the cleaned text
    and show the passages they share."""
    import dataclasses
    import json

    from cleaner.dedup.corpus import Deduplication
    from cleaner.dedup.index import Index, IndexProblem
    from cleaner.dedup.listing import clusters, write_text
    from cleaner.inputs import discover
    from cleaner.report import counted
    from cleaner.runner import plan_for

    config = _configure(
        config_file,
        jobs=jobs,
        glob=glob,
        input_format=input_format,
        dedup=True,
        spun=False,
        threshold=threshold,
        containment=containment,
    )
    opened = None
    if index is not None:
        try:
            opened = Index.open(index, config.dedup)
        except IndexProblem as e:
            raise _usage_error(str(e)) from None
        config = dataclasses.replace(config, dedup=opened.options)
    sources, input_errors = discover(paths, config.glob, config.input_format)
    plan = plan_for(sources, input_errors, config)
    checked = _Checked(plan)
    found_dedup = Deduplication.of(checked, config.dedup, opened, xling_options=config.xling)
    try:
        found = clusters(found_dedup, only_new=opened is not None)
    finally:
        found_dedup.close()
        if opened is not None:
            opened.close()
    if json_output:
        for cluster in found:
            typer.echo(json.dumps(cluster, ensure_ascii=False))
    else:
        write_text(found, sys.stdout)
        copies = sum(len(c["duplicates"]) for c in found)
        typer.echo(
            f"cleaner: {counted(len(found_dedup.spool), 'document')}, "
            f"{counted(len(found), 'cluster')}, {counted(copies, 'duplicate copy', 'duplicate copies')}",
            err=True,
        )
    raise typer.Exit(2 if checked.failed else 1 if found else 0)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


CHECK_EPILOG = """\b
Exit status: 0 nothing found, 1 findings, 2 trouble (a bad option, a missing
or unreadable input).
\b
Examples:
  cleaner check seeds/*.txt                 lint files: path:line: CODE message
  cleaner check new.txt --fix               rewrite what can be fixed, report the rest
  cleaner check seeds --select E,B --ignore B111
  cleaner check seeds --format json
  cleaner check new.txt --index seeds/.cleaner-index.sqlite
"""


def _codes(option: str, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    from cleaner.codes import CODES

    codes = tuple(c.strip().upper() for c in value.split(",") if c.strip())
    unknown = [c for c in codes if not any(known.startswith(c) for known in CODES)]
    if unknown:
        raise _usage_error(f"{option}: unknown code {', '.join(unknown)}")
    return codes


@app.command(epilog=CHECK_EPILOG)
def check(
    paths: InputsArgument,
    fix: Annotated[
        bool, typer.Option("--fix", help="Rewrite the files with what can be fixed, atomically.")
    ] = False,
    select: Annotated[
        str | None, typer.Option("--select", help="Codes or prefixes to report [default: all].")
    ] = None,
    ignore: Annotated[
        str | None,
        typer.Option("--ignore", help="Codes or prefixes to leave out [default: B100,B122]."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text: one finding per line; json.")
    ] = OutputFormat.text,
    index: IndexOption = None,
    use_index: Annotated[
        bool | None,
        typer.Option("--index-check/--no-index", help="Compare with the corpus's index [on]."),
    ] = None,
    languages: Annotated[
        str | None, typer.Option("--lang", help="Languages of the corpus [default: en,fr].")
    ] = None,
    glob: GlobOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Lint files without changing them: one line per finding, path:line: CODE
    message. New files are compared with the corpus through its index."""
    from cleaner.check import check as run_check
    from cleaner.check import summary, write_findings

    config = _configure(config_file, glob=glob, languages=languages, dedup=True, spun=True)
    chosen = _codes("--select", select) or config.check.select
    left_out = _codes("--ignore", ignore)
    left_out = config.check.ignore if left_out is None else left_out
    with_index = config.check.index if use_index is None else use_index
    target = (index or Path(config.dedup.index)) if with_index else None
    from cleaner.dedup.index import IndexProblem

    try:
        run = run_check(paths, config, chosen, left_out, fix=fix, index_path=target)
    except IndexProblem as e:
        raise _usage_error(str(e)) from None
    for problem in run.input_errors:
        typer.echo(f"cleaner: {problem.path}: {problem.problem}", err=True)
    write_findings(run, sys.stdout, output_format.value)
    if output_format is OutputFormat.text and (run.findings or run.fixed):
        typer.echo(summary(run), err=True)
    raise typer.Exit(run.exit_code)


SPUN_EPILOG = """\b
Exit status: 0 nothing flagged, 1 spun text flagged, 2 trouble (a bad
option, an unreadable input).
\b
Examples:
  cleaner spun seeds                every document's verdict, evidence highlighted
  cleaner spun corpus --flagged     only the documents flagged as spun
  cleaner spun corpus --json        one JSON object per document
"""


@app.command(epilog=SPUN_EPILOG)
def spun(
    paths: InputsArgument,
    json_output: Annotated[
        bool, typer.Option("--json", help="One JSON object per document.")
    ] = False,
    flagged_only: Annotated[
        bool, typer.Option("--flagged", help="Only the documents flagged as spun.")
    ] = False,
    color: Annotated[
        bool | None,
        typer.Option("--color/--no-color", help="Highlight in colour [default: on a terminal]."),
    ] = None,
    jobs: JobsOption = None,
    glob: GlobOption = None,
    input_format: FormatOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Flag spun and paraphrased text: each document's score and the evidence,
    which phrase and what it probably was."""
    import json

    from cleaner.dedup.corpus import Deduplication
    from cleaner.report import counted
    from cleaner.runner import prepare
    from cleaner.spun.listing import write_document

    config = _configure(
        config_file, jobs=jobs, glob=glob, input_format=input_format, dedup=False, spun=True
    )
    plan = prepare(paths, config)
    checked = _Checked(plan)
    found = Deduplication.of(checked, config.dedup, spun_options=config.spun)
    color = sys.stdout.isatty() if color is None else color
    flagged = 0
    try:
        for doc, _, _ in found.documents():
            if not doc.ok:
                continue
            verdict = doc.report["spun"]
            flagged += verdict["flagged"]
            if flagged_only and not verdict["flagged"]:
                continue
            if json_output:
                record = {"id": doc.id, "path": doc.source, "lang": doc.report.get("lang")}
                typer.echo(json.dumps({**record, **verdict}, ensure_ascii=False))
            else:
                write_document(doc, sys.stdout, color)
    finally:
        found.close()
    typer.echo(
        f"cleaner: {counted(len(found.spool), 'document')}, {flagged:,} flagged as spun",
        err=True,
    )
    raise typer.Exit(2 if checked.failed else 1 if flagged else 0)


class _Checked:
    """The processed documents of a plan, remembering whether any input failed."""

    def __init__(self, plan):
        self.plan = plan
        self.failed = bool(plan.input_errors)

    def __iter__(self):
        from cleaner.runner import processed

        for doc, fmt in processed(self.plan, sys.stderr):
            self.failed = self.failed or not doc.ok
            yield doc, fmt


index_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Keep the fingerprints of a corpus in an index file, for cleaner dedup --index.",
)
app.add_typer(index_app, name="index")

INDEX_EPILOG = """\b
Examples:
  cleaner index build corpus --index corpus.idx   index a corpus (a new index file)
  cleaner index add new --index corpus.idx        add files; unchanged files are skipped
  cleaner dedup --index corpus.idx new/x.txt      check a file against the index
"""


def _index_command(
    paths: list[str], index: Path | None, config_file, glob, input_format, jobs, fresh
):
    from cleaner.dedup.index import IndexProblem
    from cleaner.dedup.indexing import update_index

    config = _configure(
        config_file, jobs=jobs, glob=glob, input_format=input_format, dedup=True, spun=False
    )
    target = index or Path(config.dedup.index)
    try:
        run = update_index(target, paths, config, fresh=fresh)
    except (IndexProblem, ValueError) as e:
        raise _usage_error(str(e)) from None
    for problem in run.input_errors:
        typer.echo(f"cleaner: {problem.path}: {problem.problem}", err=True)
    run.write(sys.stderr, target)
    raise typer.Exit(1 if run.input_errors or run.failed else 0)


@index_app.command("build", epilog=INDEX_EPILOG)
def index_build(
    paths: PathsArgument,
    index: IndexOption = None,
    glob: GlobOption = None,
    input_format: FormatOption = None,
    jobs: JobsOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Build a new index of PATHS (replaces the index file, atomically)."""
    _index_command(paths, index, config_file, glob, input_format, jobs, fresh=True)


@index_app.command("add", epilog=INDEX_EPILOG)
def index_add(
    paths: PathsArgument,
    index: IndexOption = None,
    glob: GlobOption = None,
    input_format: FormatOption = None,
    jobs: JobsOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Add PATHS to an index (created if missing); unchanged files are skipped."""
    _index_command(paths, index, config_file, glob, input_format, jobs, fresh=False)


def main() -> None:
    # A lone surrogate (valid in JSON input) is printed as its escape, never a traceback.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    from cleaner.outputs import OutputError

    try:
        app()
    except OutputError as e:  # every command writes through cleaner.outputs
        typer.echo(f"cleaner: error: {e}", err=True)
        sys.exit(2)
