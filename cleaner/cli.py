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


class InputFormat(StrEnum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"


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
    return dataclasses.replace(config, language=language)


def _load_config(config_file: Path | None):
    from cleaner.config import ConfigError, load_config

    try:
        return load_config(explicit=config_file)
    except ConfigError as e:
        raise _usage_error(str(e)) from None


CLEAN_EPILOG = """\b
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
        str | None, typer.Option("--glob", help="Files to take in folders [default: *.txt].")
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
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this cleaner.toml or pyproject.toml.")
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

    try:
        run = run_clean(
            paths,
            config,
            destination,
            report_path=None if dry_run else report,
            explain=sys.stdout if dry_run else (sys.stderr if explain else None),
            split_languages=split_languages,
        )
    except UsageError as e:
        raise _usage_error(str(e)) from None
    if not quiet:
        run.summary.write(sys.stderr)
    raise typer.Exit(run.exit_code)


LANG_EPILOG = """\b
Examples:
  cleaner lang seeds                  the language spans of each file
  cleaner lang page.txt --json        the same, one JSON object per file
  cleaner lang corpus --lang en,fr,de
"""


@app.command(epilog=LANG_EPILOG)
def lang(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or - for stdin.")],
    json_output: Annotated[bool, typer.Option("--json", help="One JSON object per file.")] = False,
    languages: Annotated[
        str | None, typer.Option("--lang", help="Languages of the corpus [default: en,fr].")
    ] = None,
    glob: Annotated[str | None, typer.Option("--glob", help="Files to take in folders.")] = None,
    input_format: Annotated[
        InputFormat | None, typer.Option("--format", help="Input format.")
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Configuration file.")
    ] = None,
) -> None:
    """Show the language of each document and the spans of each language,
    on the cleaned text."""
    import json

    from cleaner.runner import prepare, processed

    config = _configure(config_file, glob=glob, input_format=input_format, languages=languages)
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


def main() -> None:
    app()
