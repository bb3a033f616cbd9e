"""Choose the shingle size on real news: background similarity against edit tolerance.

    python scripts/eval_shingles.py ../shared/eval

The real articles are the pages of the shared eval data (Readability's and
trafilatura's test pages), cleaned by cleaner, of 100 words or more. For each
shingle size from 2 to 6:

- background: the exact Jaccard and containment of every pair of different
  articles (a few pairs are the same page in both sets: they show as 1.0),
  as its maximum and 99.99th percentile;
- edit tolerance: copies of every third article with a share of its words
  substituted, deleted or inserted (1 % to 5 %, a fixed seed), and the share
  of those copies whose Jaccard with the original is still 0.8 or more.

A good size keeps lightly edited copies above the threshold while different
articles stay far below it.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import random
import sys
from pathlib import Path

import numpy as np

from cleaner.config import CleanerConfig
from cleaner.dedup.shingles import shingles, words
from cleaner.dedup.verify import overlap
from cleaner.runner import prepare, processed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from neardup_corpus import edit_words  # noqa: E402  (the bench's edits: one definition)

RATES = (0.01, 0.02, 0.03, 0.05)


def articles(eval_dir: Path) -> list[str]:
    config = CleanerConfig(jobs=2)
    config = dataclasses.replace(config, dedup=dataclasses.replace(config.dedup, enabled=False))
    folders = ("boilerplate_readability_testpages/input", "boilerplate_trafilatura_snippets/input")
    plan = prepare([str(eval_dir / f) for f in folders], config)
    return [d.text for d, _ in processed(plan, sys.stderr) if d.ok and len(words(d.text)) >= 100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    args = parser.parse_args()
    texts = articles(args.eval_dir)
    vocabulary = [w for t in texts for w in t.split()]
    print(f"{len(texts)} real articles, {len(texts) * (len(texts) - 1) // 2:,} pairs")
    print("n  background J max / p99.99   C max / p99.99   copies still >= 0.8 after edits of")
    print("                                                " + "  ".join(f"{r:.0%}" for r in RATES))
    for n in range(2, 7):
        sets = [shingles(t, n) for t in texts]
        pairs = [overlap(sets[i], sets[j]) for i, j in itertools.combinations(range(len(sets)), 2)]
        jac, con = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        tolerance = []
        for rate in RATES:
            rng = random.Random(1)
            kept = [
                overlap(sets[i], shingles(edit_words(texts[i], rate, vocabulary, rng), n))[0] >= 0.8
                for i in range(0, len(texts), 3)
            ]
            tolerance.append(f"{np.mean(kept):.0%}")
        print(
            f"{n}  {jac.max():.3f} / {np.quantile(jac, 0.9999):.3f}"
            f"            {con.max():.3f} / {np.quantile(con, 0.9999):.3f}    "
            + "  ".join(f"{t:>3}" for t in tolerance)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
