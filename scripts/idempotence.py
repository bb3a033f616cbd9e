"""Cleaning a cleaned text must change nothing: clean(clean(x)) == clean(x).

    python scripts/idempotence.py [../shared/eval] [--show] [--sample N] [--jobs N]

Every text document of the shared evaluation sets is cleaned twice, two ways:
- alone: each document through the pipeline in this process, as
  `cleaner clean FILE` does (no corpus statistics for a single file), then
  its output again;
- as a corpus: all of them written as files into a temporary folder,
  `cleaner clean IN -o OUT1`, then `cleaner clean OUT1 -o OUT2`, every file of
  OUT1 compared with OUT2. A file missing from OUT1 was left out as a
  duplicate copy or cleaned to nothing: that is fine. A file of OUT1 missing
  from OUT2 was dropped on the second pass: that is a change.

A document that cleans to nothing is counted apart, not as a change.
Exit status 1 when any document changes on the second pass.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from cleaner.config import load_config
from cleaner.document import Document
from cleaner.pipeline import Context, process_document
from cleaner.runner import make_context

# (set, name, bytes): a document as a file of the corpus would hold it
Item = tuple[str, str, bytes]


def _files(folder: Path, set_name: str, prefix: str = "") -> Iterator[Item]:
    for path in sorted(folder.glob("*.txt")):
        yield set_name, f"{prefix}{path.stem}", path.read_bytes()


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _records(path: Path, set_name: str, fields: tuple[str, ...]) -> Iterator[Item]:
    """The distinct texts of `fields` of each record (an input and its expected fix)."""
    for number, record in enumerate(_jsonl(path), start=1):
        texts = dict.fromkeys(record[f] for f in fields if isinstance(record.get(f), str))
        for k, text in enumerate(texts):
            key = record.get("id", number)
            yield set_name, f"{key}-{k}", text.encode("utf-8")


def _lines(path: Path, set_name: str, prefix: str) -> Iterator[Item]:
    """One document per line: the lingua items are independent sentences and words."""
    for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if line.strip():
            yield set_name, f"{prefix}{number:04d}", (line + "\n").encode("utf-8")


def eval_documents(root: Path) -> Iterator[Item]:
    """Every text document of the evaluation sets (each folder's README says its format)."""
    trafilatura = root / "boilerplate_trafilatura_snippets"
    yield from _files(trafilatura / "input", "trafilatura")
    readability = root / "boilerplate_readability_testpages"
    yield from _files(readability / "input", "readability", "input-")
    yield from _files(readability / "gold", "readability-gold", "gold-")
    yield from _records(
        root / "mojibake_ftfy" / "cases.jsonl", "ftfy", ("original", "fixed", "fixed_encoding")
    )
    yield from _records(
        root / "mojibake_leipzig_fr_c1" / "cases.jsonl",
        "leipzig-c1",
        ("original", "expected", "expected_strip_c0_controls"),
    )
    lingua = root / "langid_lingua_leipzig"
    for granularity in ("sentences", "word-pairs", "single-words"):
        for path in sorted((lingua / granularity).glob("*.txt")):
            yield from _lines(path, f"lingua-{granularity}", f"{path.stem}-")
    yield from _files(root / "neardup_clough_stevenson" / "texts", "clough")
    for number, pair in enumerate(_jsonl(root / "spun_pps" / "pairs_dev.jsonl"), start=1):
        # a tortured phrase and the phrase it replaced: two short items
        for field in ("tortured", "original"):
            yield "spun-pps", f"{number:04d}-{field}", (pair[field] + "\n").encode("utf-8")


KNOWN_SETS = {
    "boilerplate_trafilatura_snippets",
    "boilerplate_readability_testpages",
    "mojibake_ftfy",
    "mojibake_leipzig_fr_c1",
    "langid_lingua_leipzig",
    "neardup_clough_stevenson",
    "spun_pps",
}


def sampled(items: list[Item], sample: int | None, seed: int = 0) -> list[Item]:
    """All items, or `sample` of each set (the same ones every run)."""
    if sample is None:
        return items
    by_set: dict[str, list[Item]] = {}
    for item in items:
        by_set.setdefault(item[0], []).append(item)
    rng = random.Random(seed)
    chosen = []
    for group in by_set.values():
        chosen.extend(group if len(group) <= sample else rng.sample(group, sample))
    return chosen


def clean_bytes(data: bytes, name: str, ctx: Context) -> Document:
    """One file through the pipeline, as `cleaner clean FILE` reads and cleans it."""
    return process_document(Document(id=name, source=name, name=name, raw=data), ctx)


class Tally:
    """Per set: documents, those compared (cleaned twice), those changed on
    the second pass, those cleaned to nothing."""

    def __init__(self, items: list[Item]) -> None:
        self.docs = Counter(set_name for set_name, _, _ in items)
        self.compared: Counter[str] = Counter()
        self.changed: dict[str, list[str]] = {set_name: [] for set_name in self.docs}
        self.empty: Counter[str] = Counter()

    def add(self, set_name: str, name: str, changed: bool) -> None:
        self.compared[set_name] += 1
        if changed:
            self.changed[set_name].append(name)

    @property
    def total_changed(self) -> int:
        return sum(len(names) for names in self.changed.values())

    def write(self, title: str) -> None:
        print(
            f"{title}: {self.total_changed} of {sum(self.compared.values())} documents change"
            f" ({sum(self.docs.values())} in, {sum(self.empty.values())} clean to nothing)"
        )
        for set_name, docs in self.docs.items():
            names = self.changed[set_name]
            print(
                f"  {set_name:20s} {docs:6d} in {self.compared[set_name]:6d} compared"
                f" {len(names):4d} changed {self.empty[set_name]:5d} clean to nothing"
            )
            for name in names:
                print(f"      {name}")


def show_diff(name: str, first: str, second: str) -> None:
    diff = difflib.unified_diff(
        first.splitlines(), second.splitlines(), f"{name} (pass 1)", f"{name} (pass 2)", lineterm=""
    )
    print("\n".join(diff))


def check_alone(items: list[Item], show: bool) -> Tally:
    """Each document cleaned alone, then its output cleaned again."""
    ctx = make_context(load_config())
    tally = Tally(items)
    for set_name, name, data in items:
        first = clean_bytes(data, name, ctx)
        if not first.ok:
            print(f"  {set_name}/{name}: {first.error}", file=sys.stderr)
            continue
        if first.empty:  # its own status, not a change
            tally.empty[set_name] += 1
            continue
        second = clean_bytes(first.text.encode("utf-8"), name, ctx)
        changed = second.text != first.text
        tally.add(set_name, name, changed)
        if changed and show:
            show_diff(f"{set_name}/{name}", first.text, second.text)
    return tally


def run_cli(source: Path, destination: Path, jobs: int) -> None:
    # the translation search only reports (and drops with --drop-translations):
    # it changes no text, and it is the dearest step
    command = [sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(destination)]
    command += ["--no-resume", "-q", "--no-translations", "--jobs", str(jobs)]
    code = subprocess.run(command, check=False).returncode
    if code not in (0, 1):  # 1: an input could not be read, the others were cleaned
        raise SystemExit(f"{' '.join(command)}: exit status {code}")


def _statuses(report: Path) -> dict[str, str]:
    """Each output name's status in a run's report: ok, empty, or duplicate."""
    out = {}
    for record in _jsonl(report):
        dropped = not (record.get("duplicate") or {}).get("kept", True)
        out[record["id"]] = "duplicate" if dropped else record["status"]
    return out


def check_corpus(items: list[Item], show: bool, jobs: int) -> Tally:
    """All documents as one folder, cleaned by the CLI, then its output cleaned again."""
    tally = Tally(items)
    with tempfile.TemporaryDirectory(prefix="idempotence-") as tmp:
        source, first, second = Path(tmp, "in"), Path(tmp, "out1"), Path(tmp, "out2")
        for set_name, name, data in items:
            path = source / set_name / f"{name}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        run_cli(source, first, jobs)
        run_cli(first, second, jobs)  # the default glob (*.txt) leaves report.jsonl out
        first_status = _statuses(first / "report.jsonl")
        second_status = _statuses(second / "report.jsonl")
        for set_name, name, _ in items:
            relative = f"{set_name}/{name}.txt"
            if first_status.get(relative) == "empty":
                tally.empty[set_name] += 1
            once, twice = first / relative, second / relative
            if not once.exists():  # left out as a duplicate copy, or nothing left: fine
                continue
            text = once.read_text("utf-8")
            again = twice.read_text("utf-8") if twice.exists() else ""
            tally.add(set_name, name, again != text)
            if again != text and show:
                print(f"{relative}: second pass {second_status.get(relative, '?')}")
                show_diff(relative, text, again)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "eval", type=Path, nargs="?", default=Path("../shared/eval"), help="the shared eval folder"
    )
    parser.add_argument("--show", action="store_true", help="print a diff of each change")
    parser.add_argument("--sample", type=int, help="take this many documents of each set")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes of the corpus runs")
    parser.add_argument("--alone-only", action="store_true", help="skip the corpus runs")
    parser.add_argument("--corpus-only", action="store_true", help="skip the one-by-one check")
    args = parser.parse_args()
    unknown = sorted(p.name for p in args.eval.iterdir() if p.is_dir() and p.name not in KNOWN_SETS)
    if unknown:
        print(f"note: folders not read (unknown format): {', '.join(unknown)}", file=sys.stderr)
    items = sampled(list(eval_documents(args.eval)), args.sample)
    changed = 0
    if not args.corpus_only:
        alone = check_alone(items, args.show)
        alone.write("one by one")
        changed += alone.total_changed
    if not args.alone_only:
        corpus = check_corpus(items, args.show, args.jobs)
        corpus.write("as a corpus")
        changed += corpus.total_changed
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
