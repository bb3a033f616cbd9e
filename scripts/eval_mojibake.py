"""Score the encoding stage on the shared mojibake sets.

    python scripts/eval_mojibake.py ../shared/eval

- mojibake_ftfy/cases.jsonl: each case with expect == "pass" must match
  `fixed` or `fixed_encoding` once curly quotes are straightened on both
  sides (cleaner keeps curly quotes by default, ftfy's `fixed` straightens
  them); each case of negative.json must come out unchanged, except that a C1
  control character may become its cp1252 meaning. The whole encoding stage
  also trims trailing spaces from lines, so its output is compared with
  trailing spaces trimmed on both sides; the repair step alone
  (`fix_text_fast`) is compared without that allowance.
- mojibake_leipzig_fr_c1/cases.jsonl: each sentence must match
  `expected_strip_c0_controls`.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ftfy.fixes import uncurl_quotes

from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.pipeline import Context
from cleaner.stages.encoding import fix_text_fast, ftfy_config, repair_encoding

_C1 = re.compile("[\x80-\x9f]")
_TRAILING = re.compile(r"[^\S\n]+$", re.MULTILINE)


def repair(text: str, ctx: Context) -> str:
    doc = Document(id="case", source="case", name="case", text=text, chars_in=len(text))
    return repair_encoding(doc, ctx).text


def straight(text: str) -> str:
    return uncurl_quotes(text)


def trimmed(text: str) -> str:
    return _TRAILING.sub("", text)


def c1_as_cp1252(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        try:
            return m.group().encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return m.group()

    return _C1.sub(one, text)


def score_ftfy(folder: Path, ctx: Context) -> bool:
    cases = [json.loads(line) for line in (folder / "cases.jsonl").open(encoding="utf-8")]
    passing = [c for c in cases if c["expect"] == "pass"]
    hits, step_hits, misses = 0, 0, []
    for case in passing:
        expected = (straight(case["fixed"]), straight(case["fixed_encoding"]))
        out = straight(repair(case["original"], ctx))
        if out in {trimmed(e) for e in expected}:
            hits += 1
        else:
            misses.append(case["id"])
        step, _ = fix_text_fast(case["original"], ftfy_config(False))
        step_hits += straight(step) in expected
    negatives = [c for c in cases if c["source_file"] == "negative.json"]
    neg_ok, neg_bad = 0, []
    for case in negatives:
        out = repair(case["original"], ctx)
        if out in (case["original"], c1_as_cp1252(case["original"])):
            neg_ok += 1
        else:
            neg_bad.append(case["id"])
    print(
        f"mojibake_ftfy: pass cases matched {hits}/{len(passing)} (repair step alone {step_hits})"
    )
    print(f"mojibake_ftfy: negative cases unchanged {neg_ok}/{len(negatives)}")
    for name in misses + neg_bad:
        print(f"  miss: {name}")
    return hits == len(passing) and neg_ok == len(negatives)


def score_leipzig(folder: Path, ctx: Context) -> bool:
    cases = [json.loads(line) for line in (folder / "cases.jsonl").open(encoding="utf-8")]
    misses = [
        c["id"] for c in cases if repair(c["original"], ctx) != c["expected_strip_c0_controls"]
    ]
    print(f"mojibake_leipzig_fr_c1: matched {len(cases) - len(misses)}/{len(cases)}")
    for name in misses:
        print(f"  miss: {name}")
    return not misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval", type=Path, help="the shared eval folder (../shared/eval)")
    args = parser.parse_args()
    ctx = Context(config=CleanerConfig())
    ok = score_ftfy(args.eval / "mojibake_ftfy", ctx)
    ok &= score_leipzig(args.eval / "mojibake_leipzig_fr_c1", ctx)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
