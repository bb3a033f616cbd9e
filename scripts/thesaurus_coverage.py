"""How often a spinner's original word is among the synonym table's candidates.

Two checks, for one or more builds of cleaner/data/thesaurus/{en,fr}.tsv
(scripts/build_thesaurus.py, `--out DIR` for builds kept elsewhere):

- `--pairs FILE`: synonym pairs held out of a build (`build_thesaurus.py
  --holdout 0.1 --holdout-pairs FILE`, one `a<TAB>b<TAB>pos` a line): the share
  of the directed pairs (a for b, b for a) where the one is among the other's
  candidates, of the pairs whose words the background model knows. It stands
  for an unseen thesaurus: do the other pairs of the added source, and the old
  sources, put a's synonyms among b's?
- `--spinner N`: the substitutions bench/spinner.py (WordNet 3.0 / mythes-fr)
  makes in the first N Leipzig news sentences of ../shared/eval: the share
  whose original is among the spun word's candidates.

    .venv/bin/python scripts/thesaurus_coverage.py --lang en \\
        --table old=/tmp/old --table new=cleaner/data/thesaurus \\
        --pairs /tmp/heldout.en.tsv --spinner 1000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scripts.build_thesaurus import Vocab  # noqa: E402


def read_table(path: Path) -> dict[str, set[str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            form, candidates = line.split("\t")
            table[form] = set(candidates.split("|"))
    return table


def pair_coverage(tables: dict[str, dict[str, set[str]]], pairs: Path, vocab: Vocab) -> None:
    directed = []
    for line in pairs.read_text(encoding="utf-8").splitlines():
        a, b, _ = line.split("\t")
        if vocab.known(a) and vocab.known(b):
            directed += [(a, b), (b, a)]
    print(f"held-out pairs, both words known: {len(directed) // 2:,} ({len(directed):,} directed)")
    for name, table in tables.items():
        hit = sum(a in table.get(b, ()) for a, b in directed)
        print(f"  {name:>12}: {hit / len(directed):6.1%} of the originals among the candidates")


def spinner_coverage(
    tables: dict[str, dict[str, set[str]]], lang: str, sentences: int, eval_dir: Path
) -> None:
    from spinner import spin  # bench/spinner.py

    from cleaner.spun.words import norms

    path = eval_dir / "langid_lingua_leipzig" / "sentences" / f"{lang}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()[:sentences]
    subs = []
    for i in range(0, len(lines), 15):
        _, found = spin(" ".join(lines[i : i + 15]), lang, rate=0.25, seed=1 + i)
        subs += [(" ".join(norms(s.original)), " ".join(norms(s.spun))) for s in found]
    print(f"bench/spinner.py substitutions in {len(lines)} sentences: {len(subs):,}")
    for name, table in tables.items():
        hit = sum(original in table.get(spun, ()) for original, spun in subs)
        print(f"  {name:>12}: {hit / len(subs):6.1%} of the originals among the candidates")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("en", "fr"), required=True)
    parser.add_argument("--table", action="append", required=True, help="NAME=DIR")
    parser.add_argument("--pairs", type=Path)
    parser.add_argument("--spinner", type=int, default=0, help="sentences to spin (0: none)")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    tables = {
        name: read_table(Path(folder) / f"{args.lang}.tsv")
        for name, folder in (t.split("=", 1) for t in args.table)
    }
    if args.pairs:
        pair_coverage(tables, args.pairs, Vocab(args.lang))
    if args.spinner:
        spinner_coverage(tables, args.lang, args.spinner, args.eval_dir)


if __name__ == "__main__":
    main()
