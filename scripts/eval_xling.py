"""Translation duplicates on real English/French article pairs.

Reads `xling_pairs/` of the shared eval folder (WMT news test sets, see its README):

- test: 54 whole articles of newstest2011 in English and in French (the pairs), 12 topic
  groups; the default threshold was not chosen on them;
- dev: 52 windows of 16 newstest2012 articles, on which the threshold was chosen.

Three runs of the corpus pass (cleaner/xling/pairs.py) at the default configuration
(`XlingConfig()`, threshold 0.65):

1. test corpus: the 108 test documents plus 52 newstest2012 distractors of another year
   (the English side of the odd dev windows, the French side of the even ones: same-article
   and same-topic text, no translation among them). Recall = test pairs found / 54.
2. test hard negatives: inside each of the 13 topic groups (Wikileaks cables, two Grammy
   pieces, the arsenic microbe before and after NASA's conference, euro-crisis banking...),
   the English side of every other article and the French side of the articles in between,
   all groups in one corpus. No translation is present: every pair reported is a false
   positive.
   Precision = right pairs / all pairs reported in runs 1 and 2.
3. dev: the same two runs on the newstest2012 windows (recall, precision); the hard
   negatives there are windows of the same article (English of every other window, French
   of the ones in between).

`--sweep` adds recall and precision at other thresholds, so the choice can be checked.
Exit 1 when test recall < 0.95 or test precision < 0.98.

    python scripts/eval_xling.py ../shared/eval [--sweep]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.config import XlingConfig  # noqa: E402
from cleaner.xling.pairs import embedded, find_translations  # noqa: E402


def load(root: Path) -> dict[str, list[dict]]:
    lines = (root / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    splits: dict[str, list[dict]] = defaultdict(list)
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=True))
        row["en_text"] = (root / row["en"]).read_text(encoding="utf-8")
        row["fr_text"] = (root / row["fr"]).read_text(encoding="utf-8")
        splits[row["split"]].append(row)
    return splits


class Corpus:
    """Documents (text, language, pair id or None), embedded once for every run."""

    def __init__(self):
        self.texts: list[str] = []
        self.langs: list[str] = []
        self.pair: list[str | None] = []
        self._embedded: dict[str, object] = {}

    def add(self, text: str, lang: str, pair: str | None) -> int:
        self.texts.append(text)
        self.langs.append(lang)
        self.pair.append(pair)
        return len(self.texts) - 1

    def run(self, rows: list[int], options) -> list:
        def embedding_of(row: int):
            text = self.texts[row]
            if text not in self._embedded:
                self._embedded[text] = embedded(text, options)
            return self._embedded[text]

        return find_translations(
            rows, self.langs.__getitem__, self.texts.__getitem__, options, embedding_of
        )


def build(splits):
    """The corpus and, per split, the rows of its main run and of its hard-negative run."""
    corpus = Corpus()
    runs = {}
    for name, items in splits.items():
        en = [corpus.add(r["en_text"], "en", f"{name}:{r['id']}") for r in items]
        fr = [corpus.add(r["fr_text"], "fr", f"{name}:{r['id']}") for r in items]
        groups: dict[str, list[int]] = defaultdict(list)
        for k, r in enumerate(items):
            groups[r["topic"]].append(k)
        # hard negatives: in each group, the English side of every other item and the
        # French side of the items in between
        hard = []
        for members in groups.values():
            if len(members) < 2:
                continue
            hard += [corpus.add(items[k]["en_text"], "en", None) for k in members[0::2]]
            hard += [corpus.add(items[k]["fr_text"], "fr", None) for k in members[1::2]]
        runs[name] = {"main": en + fr, "hard": hard, "gold": len(items)}
    # another year's distractors for the test run: no translation among them
    dev = splits.get("dev", [])
    others = [
        corpus.add(r["en_text"] if k % 2 else r["fr_text"], "en" if k % 2 else "fr", None)
        for k, r in enumerate(dev)
    ]
    runs["test"]["main"] += others
    runs["test"]["distractors"] = len(others)
    return corpus, runs


def score(corpus: Corpus, run: dict, options):
    found = corpus.run(run["main"], options)
    wrong = corpus.run(run["hard"], options) if run["hard"] else []
    right = [
        t for t in found if corpus.pair[t.kept] and corpus.pair[t.kept] == corpus.pair[t.other]
    ]
    reported = len(found) + len(wrong)
    return {
        "recall": len(right) / run["gold"],
        "precision": len(right) / reported if reported else 1.0,
        "right": len(right),
        "false_main": len(found) - len(right),
        "false_hard": len(wrong),
        "right_scores": sorted(t.evidence.score for t in right),
        "wrong_scores": sorted(t.evidence.score for t in found if t not in right)
        + sorted(t.evidence.score for t in wrong),
    }


def report(name: str, result: dict, run: dict) -> None:
    extra = f" + {run['distractors']} other-year distractors" if "distractors" in run else ""
    print(f"{name}: {run['gold']} pairs{extra}; hard negatives: {len(run['hard'])} documents")
    print(
        f"  recall {result['recall']:.3f} ({result['right']}/{run['gold']}), "
        f"precision {result['precision']:.3f} (false positives: {result['false_main']} "
        f"in the corpus, {result['false_hard']} among the hard negatives)"
    )
    scores = result["right_scores"]
    if scores:
        print(f"  score of true pairs: min {scores[0]:.3f}, median {scores[len(scores) // 2]:.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_root", nargs="?", default="../shared/eval")
    parser.add_argument("--sweep", action="store_true", help="also other thresholds")
    args = parser.parse_args(argv)
    splits = load(Path(args.eval_root) / "xling_pairs")
    corpus, runs = build(splits)
    options = XlingConfig()
    start = time.perf_counter()
    results = {name: score(corpus, runs[name], options) for name in ("dev", "test")}
    seconds = time.perf_counter() - start
    print(f"threshold {options.threshold} (chosen on dev: newstest2012 windows)")
    for name in ("dev", "test"):
        report(name, results[name], runs[name])
    print(f"{seconds:.1f} s for {len(corpus.texts)} documents (embedding included)")
    if args.sweep:
        print("threshold  dev recall/precision  test recall/precision")
        for threshold in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8):
            at = dataclasses.replace(options, threshold=threshold)
            d, t = (score(corpus, runs[n], at) for n in ("dev", "test"))
            print(
                f"  {threshold:.2f}     {d['recall']:.3f}/{d['precision']:.3f}"
                f"          {t['recall']:.3f}/{t['precision']:.3f}"
            )
    test = results["test"]
    return 0 if test["recall"] >= 0.95 and test["precision"] >= 0.98 else 1


if __name__ == "__main__":
    sys.exit(main())
