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
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this cleaner.toml or pyproject.toml.")
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No summary on stderr.")] = False,
) -> None:
    """Clean documents: repair encoding, and record every change in a report."""
    from cleaner.runner import UsageError
    from cleaner.runner import clean as run_clean

    if jobs is not None and jobs < 0:
        raise _usage_error("--jobs must be 0 (all cores) or more")
    if in_place and output is not None:
        raise _usage_error("-o and --in-place cannot be used together")
    if in_place and "-" in paths:
        raise _usage_error("--in-place cannot rewrite standard input")
    config = _load_config(config_file).replace(
        jobs=jobs,
        glob=glob,
        input_format=input_format.value if input_format else None,
        uncurl_quotes=uncurl_quotes,
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
        )
    except UsageError as e:
        raise _usage_error(str(e)) from None
    if not quiet:
        run.summary.write(sys.stderr)
    raise typer.Exit(run.exit_code)


def main() -> None:
    app()
