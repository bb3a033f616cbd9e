"""Translation duplicates on real English/French article pairs.

Reads `xling_pairs/` of the shared eval folder (WMT newstest2012, see its
README): 52 pairs of article windows, many from the same article or on the
same topic. Two runs of the corpus pass (cleaner/xling/pairs.py) at the
default configuration:

1. all 104 documents: recall and precision of the pairs found;
2. hard negatives: the English side of the odd-numbered pairs with the French
   side of the even-numbered ones, so no translation is present and every
   document has same-article or same-topic neighbours: every pair reported is
   a false positive (they count in the precision).

Exit 1 when recall < 0.95 or precision < 0.98.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.config import XlingConfig  # noqa: E402
from cleaner.xling.pairs import find_translations  # noqa: E402


def main(eval_root: str) -> int:
    root = Path(eval_root) / "xling_pairs"
    rows = [line.split("\t") for line in (root / "pairs.tsv").read_text().splitlines()[1:]]
    texts, langs = [], []
    for row in rows:
        texts += [(root / row[1]).read_text(encoding="utf-8"), (root / row[2]).read_text()]
        langs += ["en", "fr"]
    gold = {(2 * k, 2 * k + 1) for k in range(len(rows))}
    options = XlingConfig()
    start = time.perf_counter()
    found = find_translations(range(len(texts)), langs.__getitem__, texts.__getitem__, options)
    seconds = time.perf_counter() - start
    got = {(t.kept, t.other) for t in found}
    negatives = [2 * k if k % 2 else 2 * k + 1 for k in range(len(rows))]
    wrong = find_translations(negatives, langs.__getitem__, texts.__getitem__, options)
    right = len(got & gold)
    recall = right / len(gold)
    precision = right / max(len(got) + len(wrong), 1)
    print(
        f"xling_pairs: {len(rows)} pairs, {len(texts)} documents "
        f"({len({r[3] for r in rows})} articles), threshold {options.threshold}"
    )
    print(f"  all documents: {len(got)} pairs found, {right} right: recall {recall:.3f}")
    print(f"  hard negatives ({len(negatives)} documents, no translation): {len(wrong)} pairs")
    print(f"  precision {precision:.3f} (false positives: {len(got - gold) + len(wrong)})")
    scores = sorted(t.evidence.score for t in found if (t.kept, t.other) in gold)
    if scores:
        print(f"  score of true pairs: min {scores[0]:.3f}, median {scores[len(scores) // 2]:.3f}")
    print(f"  {seconds:.1f} s for {len(texts)} documents (embedding included)")
    return 0 if recall >= 0.95 and precision >= 0.98 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval"))
