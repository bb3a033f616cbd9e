"""`cleaner check`: lint files without changing them, as ruff lints code.

One finding per line, `path:line: CODE message`, from every stage: what the
cleaning would change (encoding, boilerplate, repeated paragraphs: fixable
with `--fix`), and what it can only report (a language outside the accepted
set, mixed languages, spun text, a copy of another document).

New files are compared with the corpus through the index of `cleaner index`
(`[tool.cleaner.dedup] index`): before the check, the index is brought up to
date with the corpus, the other files of the checked files' folders
(unchanged files are not read again; a missing index is built); after it,
the checked files with no finding are added, so the next check knows them.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cleaner.codes import CODES
from cleaner.config import CleanerConfig
from cleaner.document import Change, Document
from cleaner.inputs import RECORD_FORMATS, InputError, Source, discover
from cleaner.outputs import OutputError


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    code: str
    message: str

    @property
    def fixable(self) -> bool:
        return CODES[self.code].fixable if self.code in CODES else False

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "name": CODES[self.code].name if self.code in CODES else "",
            "message": self.message,
            "fixable": self.fixable,
        }

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"


def selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """As ruff: a code is selected by itself or a prefix (`B`, `B1`), the longest match wins."""

    def best(prefixes: Iterable[str]) -> int:
        return max((len(p) for p in prefixes if code.startswith(p)), default=-1)

    chosen, ignored = best(select), best(ignore)
    return chosen >= 0 and chosen > ignored


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def change_finding(path: str, change: Change) -> Finding:
    name = change.reason.replace("-", " ")
    detail = f" ({change.detail})" if change.detail else ""
    text = f": {_quote(change.text)}" if change.text else ""
    return Finding(path, change.line or 1, change.code, f"{name}{detail}{text}")


def _line_of(text: str, sentence: int) -> int:
    from cleaner.stages.language import sentence_units

    spans = sentence_units(text)
    start = spans[sentence - 1][0] if 0 < sentence <= len(spans) else 0
    return text.count("\n", 0, start) + 1


def document_findings(doc: Document, config: CleanerConfig) -> list[Finding]:
    """The findings of one cleaned document, apart from duplicates (they need the corpus)."""
    path = doc.source
    if not doc.ok:
        return [Finding(path, 1, "E100", f"unreadable: {doc.error}")]
    if doc.empty:
        # the only finding: --fix never empties a file, so a finding per
        # boilerplate line would stay fixable forever; deleting the file is the fix
        what = f"all {doc.chars_in:,} characters are boilerplate" if doc.chars_in else "empty file"
        return [Finding(path, 1, "B126", f"nothing left after cleaning ({what}): delete the file")]
    found = [change_finding(path, c) for c in doc.changes]
    lang = doc.report.get("lang")
    accepted = config.language.accepted
    if lang is not None and accepted and lang not in accepted:
        found.append(
            Finding(path, 1, "L301", f"main language {lang}, not one of {','.join(accepted)}")
        )
    if doc.report.get("mixed"):
        shares = ", ".join(f"{k} {v:.0%}" for k, v in doc.report["lang_share"].items())
        found.append(Finding(path, 1, "L302", f"languages mixed in one file ({shares})"))
    spun = doc.report.get("spun") or {}
    if spun.get("flagged"):
        found.append(_spun_finding(doc, spun))
    return found


def _spun_finding(doc: Document, spun: dict[str, Any]) -> Finding:
    # the firmest evidence first: aligned substitutions, strong phrases, collocations
    def firmness(item: dict[str, Any]) -> int:
        if item["layer"] == "alignment":
            return 0
        return 1 if item.get("strength") == "strong" else 2 if item["layer"] == "collocation" else 3

    evidence = sorted(spun["evidence"], key=lambda e: (firmness(e), e["sentence"]))
    shown = ", ".join(
        f"{e['phrase']!r} <- {e['likely_original']!r}" for e in evidence[:3] if e["likely_original"]
    )
    origin = spun.get("paraphrase_of")
    of = f", a spun copy of {origin['path']}" if origin else ""
    line = _line_of(doc.text, evidence[0]["sentence"]) if evidence else 1
    return Finding(
        doc.source,
        line,
        "S401",
        f"spun text (score {spun['score']:g}{of}): {shown}; {len(evidence)} pieces of evidence",
    )


_KIND_CODE = {"exact": "D501", "near": "D502", "contained": "D503"}


def duplicate_findings(dedup) -> dict[int, Finding]:
    """For each checked document with a copy elsewhere, the closest copy.

    A checked document is a copy of another, or has another (an indexed one)
    as its copy: either way it is the new file that is reported. Two checked
    files that copy each other: the one left out is reported.
    """
    found: dict[int, Finding] = {}
    for rows in dedup.result.members().values():
        for row in rows:
            if not dedup.is_new(row):
                continue
            mine = dedup.result.duplicates[row]
            links = []  # (score, other row, kind, how it is worded)
            if not mine.kept:
                links.append((mine.score, mine.match, mine.kind, "of"))
            for other in rows:
                theirs = dedup.result.duplicates[other]
                if other == row or dedup.is_new(other) or theirs.kept:
                    continue
                if theirs.match == row:
                    links.append((theirs.score, other, theirs.kind, "has"))
            if not links:
                continue
            score, other, kind, how = max(links, key=lambda link: (link[0], -link[1]))
            where = dedup.reference(other)["path"]
            if kind == "contained":
                text = f"contained in {where}" if how == "of" else f"contains {where}"
                message = f"{text} ({score:.2f} of its 3-grams)"
            else:
                message = f"{kind} duplicate of {where} (jaccard {score:.2f})"
            found[row] = Finding(dedup.table.keys[row][0], 1, _KIND_CODE[kind], message)
    return found


@dataclass
class CheckRun:
    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0  # findings fixed
    fixed_files: int = 0
    input_errors: list[InputError] = field(default_factory=list)
    output_errors: list[str] = field(default_factory=list)  # files --fix could not write
    index_note: str | None = None

    @property
    def exit_code(self) -> int:
        """0 clean, 1 findings, 2 an input that could not be found or read, or a
        file that could not be written."""
        return 2 if self.input_errors or self.output_errors else 1 if self.findings else 0


def corpus_files(sources: list[Source], config: CleanerConfig) -> list[str]:
    """The corpus of the checked files: the other files of their folders."""
    checked = {os.path.normpath(s.path) for s in sources if not s.is_stdin}
    folders = sorted({os.path.dirname(p) or "." for p in checked})
    if not folders:
        return []
    others, _ = discover(folders, config.glob, config.input_format)
    return sorted({os.path.normpath(s.path) for s in others} - checked)


def check(
    paths: list[str],
    config: CleanerConfig,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool = False,
    index_path: Path | None = None,
    errors: TextIO | None = None,
) -> CheckRun:
    """Check `paths`; with `fix`, rewrite what can be fixed. `index_path`
    None: no comparison with a corpus."""
    import sys

    from cleaner.dedup.corpus import Deduplication
    from cleaner.outputs import Writer
    from cleaner.runner import plan_for, processed

    errors = errors or sys.stderr
    # an ignored boilerplate rule is not applied by --fix either; translations
    # are no finding, so the hook never loads the embedding model (about 1 s)
    config = dataclasses.replace(
        config,
        boilerplate=dataclasses.replace(
            config.boilerplate,
            disable=tuple(config.boilerplate.disable) + tuple(c for c in ignore if c[:1] == "B"),
        ),
        xling=dataclasses.replace(config.xling, enabled=False),
    )
    run = CheckRun()
    sources, run.input_errors = discover(paths, config.glob, config.input_format)
    index = None
    if index_path is not None and any(not s.is_stdin for s in sources):
        index = _synced_index(index_path, sources, config, errors, run)
        config = dataclasses.replace(config, dedup=index.options)  # the index's shingles
    plan = plan_for(sources, [], config)
    writer = Writer("in-place" if fix else None)
    # an unreadable file is a finding (E100): not also a line on stderr
    dedup = Deduplication.of(processed(plan, io.StringIO()), config.dedup, index, config.spun)
    try:
        duplicates = duplicate_findings(dedup)
        clean_files: list[str] = []
        per_file: dict[str, list[Finding]] = {}
        for row, (doc, fmt, _) in enumerate(dedup.documents()):
            found = document_findings(doc, config)
            if row in duplicates:
                found.append(duplicates[row])
            found = [f for f in found if selected(f.code, select, ignore)]
            if fix and any(f.fixable for f in found):
                if _written(writer, doc, fmt, errors, run):
                    run.fixed += sum(f.fixable for f in found)
                    found = [f for f in found if not f.fixable]
            elif fix and fmt in RECORD_FORMATS:
                _written(
                    writer, doc, fmt, errors, run
                )  # a JSONL or Parquet file is rewritten whole
            per_file.setdefault(doc.source, []).extend(found)
        for path, found in per_file.items():
            run.findings.extend(sorted(found, key=lambda f: (f.line, f.code)))
            if not found:
                clean_files.append(path)
        try:
            writer.close()
        except OutputError as e:
            errors.write(f"cleaner: {e}\n")
            run.output_errors.append(str(e))
        run.fixed_files = writer.written
    except BaseException:
        writer.abort()
        raise
    finally:
        dedup.close()
        if index is not None:
            index.close()
    if index is not None and clean_files:
        _accept(index_path, clean_files, config, errors)
    return run


def _written(writer, doc: Document, fmt: str, errors: TextIO, run: CheckRun) -> bool:
    """Write a fixed document; a file that cannot be written is said once, and the check goes on."""
    try:
        writer.add(doc, fmt)
    except OutputError as e:
        errors.write(f"cleaner: {e}\n")
        run.output_errors.append(str(e))
        return False
    return True


def _synced_index(index_path: Path, sources, config: CleanerConfig, errors, run: CheckRun):
    """The index, up to date with the corpus (built if missing), opened for the check."""
    from cleaner.dedup.index import Index
    from cleaner.dedup.indexing import update_index

    corpus = corpus_files(sources, config)
    if corpus or not index_path.exists():
        update = update_index(
            index_path, corpus, config, fresh=not index_path.exists(), errors=errors
        )
        for problem in update.input_errors:
            errors.write(f"cleaner: {problem.path}: {problem.problem}\n")
        if update.files:
            run.index_note = f"{index_path}: indexed {update.files} corpus files"
    return Index.open(index_path, config.dedup)


def _accept(index_path: Path, files: list[str], config: CleanerConfig, errors) -> None:
    """Add the files that passed the check to the index."""
    from cleaner.dedup.indexing import update_index

    update_index(index_path, files, config, fresh=False, errors=errors)


def write_findings(run: CheckRun, out: TextIO, fmt: str) -> None:
    if fmt == "json":
        out.write(json.dumps([f.to_json() for f in run.findings], ensure_ascii=False, indent=2))
        out.write("\n")
        return
    for finding in run.findings:
        out.write(f"{finding}\n")


def summary(run: CheckRun) -> str:
    from cleaner.report import counted

    parts = [f"Found {counted(len(run.findings) + run.fixed, 'finding')}"]
    if run.fixed:
        parts.append(
            f" ({run.fixed} fixed in {counted(run.fixed_files, 'file')}, "
            f"{len(run.findings)} remaining)"
        )
    fixable = sum(f.fixable for f in run.findings)
    if fixable:
        parts.append(f"; {fixable} fixable with --fix")
    return "".join(parts) + "."
