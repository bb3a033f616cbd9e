"""Score boilerplate removal on the shared sets, English and French apart.

    python scripts/eval_boilerplate.py ../shared/eval [--show N]

- boilerplate_readability_testpages: bag-of-words precision, recall and F1 of
  the cleaned `input/` against `gold/` (lowercased word tokens, counted with
  multiplicity), averaged over pages. Doing nothing scores F1 0.78 (en) and
  0.65 (fr). Targets: F1 >= 0.93 and recall >= 0.97 for each language.
- boilerplate_trafilatura_snippets: among the snippets present in the input,
  the share of `without` snippets removed and of `with` snippets kept, after
  folding whitespace. Targets: >= 90 % removed and >= 97 % kept.

Each folder is cleaned as users clean it: `cleaner clean input/ -o OUT`, in
this process, with the default configuration. Exit status 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from cleaner.config import CleanerConfig, DedupConfig, SpunConfig
from cleaner.runner import clean

_TOKEN = re.compile(r"\w+")


def bag(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def prf(output: str, gold: str) -> tuple[float, float, float]:
    out, ref = bag(output), bag(gold)
    hit = sum((out & ref).values())
    p = hit / max(1, sum(out.values()))
    r = hit / max(1, sum(ref.values()))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def clean_folder(folder: Path, config: CleanerConfig) -> dict[str, str]:
    """Cleaned text of every file of `folder`, by file name."""
    with tempfile.TemporaryDirectory() as out:
        clean([str(folder)], config, out, errors=io.StringIO())
        return {p.name: p.read_text("utf-8") for p in Path(out).glob("*.txt")}


def score_readability(folder: Path, config: CleanerConfig, show: int) -> bool:
    index = [json.loads(line) for line in (folder / "index.jsonl").open(encoding="utf-8")]
    cleaned = clean_folder(folder / "input", config)
    ok = True
    for lang in ("en", "fr"):
        rows = []
        for page in index:
            if page["lang"] != lang:
                continue
            gold = (folder / "gold" / f"{page['id']}.txt").read_text("utf-8")
            raw = (folder / "input" / f"{page['id']}.txt").read_text("utf-8")
            rows.append(
                (page["id"], prf(cleaned.get(f"{page['id']}.txt", ""), gold), prf(raw, gold))
            )
        n = len(rows)
        p, r, f = (sum(row[1][k] for row in rows) / n for k in range(3))
        f0 = sum(row[2][2] for row in rows) / n
        print(
            f"readability {lang}: {n} pages  P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (doing nothing: F1 {f0:.3f})"
        )
        ok &= f >= 0.93 and r >= 0.97
        for name, (pp, rr, ff), _ in sorted(rows, key=lambda row: row[1][2])[:show]:
            print(f"    {name:32s} P {pp:.2f} R {rr:.2f} F1 {ff:.2f}")
    return ok


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score_trafilatura(folder: Path, config: CleanerConfig, show: int) -> bool:
    records = [json.loads(line) for line in (folder / "annotations.jsonl").open(encoding="utf-8")]
    cleaned = {name: _fold(text) for name, text in clean_folder(folder / "input", config).items()}
    ok = True
    for lang in ("en", "fr"):
        kept = kept_n = gone = gone_n = 0
        missed: list[tuple[str, str, str]] = []
        for rec in records:
            if rec["lang"] != lang:
                continue
            out = cleaned.get(f"{rec['id']}.txt", "")
            for snippet, present in zip(rec["with"], rec["with_in_input"], strict=True):
                if present:
                    kept_n += 1
                    hit = _fold(snippet) in out
                    kept += hit
                    if not hit:
                        missed.append(("lost", rec["id"], snippet))
            for snippet, present in zip(rec["without"], rec["without_in_input"], strict=True):
                if present:
                    gone_n += 1
                    hit = _fold(snippet) not in out
                    gone += hit
                    if not hit:
                        missed.append(("left", rec["id"], snippet))
        print(
            f"trafilatura {lang}: without removed {gone}/{gone_n} = {gone / gone_n:.1%}   "
            f"with kept {kept}/{kept_n} = {kept / kept_n:.1%}"
        )
        ok &= gone / gone_n >= 0.90 and kept / kept_n >= 0.97
        for what, doc, snippet in missed[:show]:
            print(f"    {what} {doc[:12]} {snippet[:90]!r}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval", type=Path, help="the shared eval folder (../shared/eval)")
    parser.add_argument("--show", type=int, default=0, help="list the N worst pages and misses")
    args = parser.parse_args()
    # every page is scored: two pages of the Readability set are the same
    # article, and deduplication would leave one of them out
    config = CleanerConfig(dedup=DedupConfig(enabled=False), spun=SpunConfig(enabled=False))
    ok = score_readability(args.eval / "boilerplate_readability_testpages", config, args.show)
    ok &= score_trafilatura(args.eval / "boilerplate_trafilatura_snippets", config, args.show)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
