"""Score near-duplicate detection on the Clough-Stevenson corpus of plagiarised answers.

    python scripts/eval_neardup.py ../shared/eval [--sweep]

The 100 texts are cleaned and deduplicated as `cleaner dedup` does, at the
default settings. For each answer, its similarity to its task's source is
what cleaner measures on the cleaned text: the exact Jaccard of their
shingles and the containment of the shorter in the longer (containment is
never below Jaccard, and is what decides `contained`). Scores:

- ROC AUC of cut + light answers against non answers (target >= 0.98), on
  all answers and without the two answers the corpus README lists as label
  noise (g2pE_taskc copies another passage; g4pD_taskb shares 0.4 % of
  trigrams with its source): no similarity can rank those above a `non`.
- the clusters at the default settings: no `non` answer may share a cluster
  with a source (target), and the share of each category clustered with
  its source.
- the error of the MinHash estimate against the exact Jaccard, on all
  answer-source pairs.

`--sweep` prints the AUCs for shingle sizes 2 to 7.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from cleaner.config import CleanerConfig
from cleaner.dedup.corpus import Deduplication
from cleaner.dedup.minhash import estimated_jaccard, permutations, signature
from cleaner.dedup.shingles import shingles
from cleaner.dedup.verify import overlap
from cleaner.runner import prepare, processed

LABEL_NOISE = {"g2pE_taskc.txt", "g4pD_taskb.txt"}


def auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a positive scores above a negative (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()
    corpus = args.eval_dir / "neardup_clough_stevenson"
    pairs = list(csv.DictReader((corpus / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))

    config = CleanerConfig(jobs=1)
    options = config.dedup
    plan = prepare([str(corpus / "texts")], config)
    dedup = Deduplication.of(processed(plan, sys.stderr), options)
    row_of = {Path(path).name: row for row, (path, _) in enumerate(dedup.table.keys)}
    texts = {name: dedup.text(row) for name, row in row_of.items()}
    cluster_of = {
        Path(dedup.table.keys[row][0]).name: d.cluster for row, d in dedup.result.duplicates.items()
    }

    def scores(n: int, skip: set[str]) -> dict[str, tuple[list[float], list[float]]]:
        by_measure: dict[str, tuple[list[float], list[float]]] = {
            "jaccard": ([], []),
            "containment": ([], []),
        }
        for p in pairs:
            if p["answer_file"] in skip or p["category"] not in ("cut", "light", "non"):
                continue
            j, c = overlap(
                shingles(texts[p["answer_file"]], n), shingles(texts[p["source_file"]], n)
            )
            side = 1 if p["category"] == "non" else 0
            by_measure["jaccard"][side].append(j)
            by_measure["containment"][side].append(c)
        return by_measure

    failed = False
    print(
        f"defaults: shingle {options.shingle}, threshold {options.threshold}, "
        f"containment {options.containment}"
    )
    for label, skip in (("all answers", set()), ("without the 2 noisy labels", LABEL_NOISE)):
        measured = scores(options.shingle, skip)
        line = ", ".join(f"{m} {auc(*measured[m]):.4f}" for m in measured)
        print(f"ROC AUC cut+light vs non ({label}): {line}")
        if skip and auc(*measured["containment"]) < 0.98:
            failed = True

    clustered: dict[str, list[int]] = {}
    wrong = []
    for p in pairs:
        together = p["answer_file"] in cluster_of and cluster_of.get(
            p["answer_file"]
        ) == cluster_of.get(p["source_file"])
        clustered.setdefault(p["category"], []).append(together)
        if together and p["category"] == "non":
            wrong.append(p["answer_file"])
    for category in ("cut", "light", "heavy", "non"):
        hits = clustered[category]
        print(f"clustered with their source: {category:<6} {sum(hits):>2}/{len(hits)}")
    if wrong:
        print(f"FAIL: non answers clustered with a source: {', '.join(wrong)}")
        failed = True

    perms = permutations(options.num_perm, options.seed)
    errors = []
    for p in pairs:
        a, b = (
            shingles(texts[p["answer_file"]], options.shingle),
            shingles(texts[p["source_file"]], options.shingle),
        )
        exact = overlap(a, b)[0]
        errors.append(estimated_jaccard(signature(a, perms), signature(b, perms)) - exact)
    errors_array = np.abs(np.array(errors))
    print(
        f"MinHash estimate - exact Jaccard ({options.num_perm} permutations, {len(errors)} pairs):"
        f" mean abs {errors_array.mean():.4f}, max abs {errors_array.max():.4f}"
    )

    if args.sweep:
        print("shingle  AUC jaccard (all / clean labels)  AUC containment (all / clean labels)")
        for n in range(2, 8):
            every, clean = scores(n, set()), scores(n, LABEL_NOISE)
            print(
                f"{n:>7}  {auc(*every['jaccard']):.4f} / {auc(*clean['jaccard']):.4f}"
                f"                  {auc(*every['containment']):.4f} / "
                f"{auc(*clean['containment']):.4f}"
            )
    dedup.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
