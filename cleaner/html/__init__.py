"""The HTML report: one static page per run, for a person to see what happened.

`cleaner clean --html PAGE` and `cleaner report REPORT -o PAGE` write it. The
page needs no server and no network. The parts, one concern each:
`sources.py` reads each document's input again and its cleaned output,
`align.py` places the removed pieces in the cleaned text, `data.py` builds
the page's data (pure), `render.py` lays it out with Jinja2 and the
template's CSS and script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleaner.html.data import RunInfo, page_data

__all__ = ["Collector", "ReportError", "RunInfo", "page_data", "read_report", "write_page"]


class ReportError(ValueError):
    """A report file that cannot be read: the message names the file and the problem."""


def read_report(path: Path) -> list[dict[str, Any]]:
    """The records of a JSONL report (README, "Report format")."""
    try:
        # split on newlines only: JSON text may hold U+2028 or U+0085, which splitlines() splits on
        lines = path.read_text("utf-8").split("\n")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a directory, not a report file") from None
    except (OSError, UnicodeDecodeError) as e:
        reason = getattr(e, "strerror", None) or "not UTF-8 text"
        raise ReportError(f"{path}: {reason.lower()}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise ReportError(f"{path}: line {number}: invalid JSON ({e.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise ReportError(f"{path}: line {number}: not a cleaner report record (no 'id')")
        records.append(record)
    if not records:
        raise ReportError(f"{path}: empty report")
    return records


def write_page(
    path: Path,
    records: list[dict[str, Any]],
    run: RunInfo,
    cleaned: list[str | None] | None = None,
    output_folder: Path | None = None,
) -> int:
    """Write the page of `records` to `path` (atomically); return its size in bytes.

    The cleaned texts are `cleaned` (the run's documents, in memory) or else
    read from `output_folder`; the inputs are read again from their paths.
    """
    from cleaner.html.render import render_page
    from cleaner.html.sources import cleaned_outputs, repaired_inputs
    from cleaner.outputs import AtomicFile

    if cleaned is None:
        cleaned = (
            list(cleaned_outputs(records, output_folder))
            if output_folder is not None
            else [None] * len(records)
        )
    data = page_data(records, repaired_inputs(records), cleaned, run)
    page = render_page(data).encode("utf-8", "backslashreplace")  # a lone surrogate: its escape
    out = AtomicFile(path)
    try:
        out.write(page)
    except BaseException:
        out.abort()
        raise
    out.commit()
    return len(page)


class Collector:
    """The records and cleaned texts of a run, kept for its page (`cleaner clean --html`)."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.texts: list[str | None] = []

    def add(self, doc) -> None:
        from cleaner.report import record

        self.records.append(record(doc))
        self.texts.append(doc.text if doc.ok else None)

    def write(self, path: Path, run: RunInfo) -> int:
        return write_page(path, self.records, run, cleaned=self.texts)


def run_info(
    config,
    command: list[str],
    keep_duplicates: bool,
    drop_spun: bool,
    drop_translations: bool = False,
) -> RunInfo:
    """What the page says about a `cleaner clean` run: its command and the options that
    decide what was removed, dropped and flagged."""
    import shlex

    from cleaner import __version__

    language = config.language
    dedup, spun = config.dedup, config.spun
    options = {
        "command": shlex.join(["cleaner", *command]),
        "languages": ",".join(language.accepted),
        "kept languages": ",".join(language.keep) or "all",
        "quotes": "straightened" if config.uncurl_quotes else "kept",
        "duplicates": (
            f"threshold {dedup.threshold}, containment {dedup.containment}, "
            + ("copies written" if keep_duplicates else "copies left out")
            if dedup.enabled
            else "not searched"
        ),
        "spun text": (
            f"threshold {spun.threshold}, "
            + ("flagged documents left out" if drop_spun else "flagged documents kept")
            if spun.enabled
            else "not flagged"
        ),
    }
    if dedup.enabled and config.xling.enabled:
        options["translations"] = f"threshold {config.xling.threshold}, " + (
            "the second language left out" if drop_translations else "both languages written"
        )
    return RunInfo(
        __version__, options, keep_duplicates, drop_spun and spun.enabled, drop_translations
    )
