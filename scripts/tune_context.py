"""How the context layer's prior share and CAP were chosen (cleaner/spun/context.py).

For each (prior, CAP) asked: calibrate as scripts/calibrate_context.py does
(mean and spread on the Leipzig documents, flag_at from every clean set),
then count the copies of bench/spinner.py (the spinner whose thesauri the
layer reads; never the held-out bench/phrase_spinner.py) whose z reaches
flag_at, the context layer alone, at each intensity. Two samples: the
articles scripts/eval_spun.py spins, and a second one (English: the further
articles; French, which has no more: the same articles spun with other seeds).
Nothing is written.

    .venv/bin/python scripts/tune_context.py ../shared/eval --priors 0.05,0.1,0.2 --caps 100,150
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaner.config import CleanerConfig  # noqa: E402
from cleaner.spun import context  # noqa: E402
from scripts.calibrate_context import calibrate, document_z, terms_of  # noqa: E402
from scripts.eval_spun import INTENSITIES, articles, clean_sets  # noqa: E402

COPIES = 60


def samples(eval_dir: Path, lang: str) -> dict[str, dict[str, list[str]]]:
    """Per sample, per intensity: the spun texts."""
    from spinner import spin

    every = articles(eval_dir, lang, CleanerConfig(), 10_000)
    rest = every[COPIES:]
    second = (rest, 1) if len(rest) >= COPIES // 2 else (every[:COPIES], 1001)
    found = {}
    for name, (chosen, first_seed) in (("eval", (every[:COPIES], 1)), ("second", second)):
        found[name] = {
            level: [
                spin(r["text"], lang, rate=rate, seed=k + first_seed)[0]
                for k, r in enumerate(chosen)
            ]
            for level, rate in INTENSITIES.items()
        }
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--priors", default="0.05,0.1,0.2")
    parser.add_argument("--caps", default="100,150")
    args = parser.parse_args()
    priors = [float(p) for p in args.priors.split(",")]
    caps = [int(c) for c in args.caps.split(",")]
    for lang in context.LANGUAGES:
        clean = clean_sets(args.eval_dir, lang)
        spun = samples(args.eval_dir, lang)
        for cap in caps:
            context.CAP = cap
            for prior in priors:
                table = calibrate(clean, lang, prior)
                mean, spread, flag_at = table["mean"], table["spread"], table["flag_at"]
                found = []
                for name, levels in spun.items():
                    counts = [
                        f"{sum(document_z(terms_of(d, lang, prior), mean, spread) >= flag_at for d in docs)}/{len(docs)}"
                        for docs in levels.values()
                    ]
                    found.append(f"{name} {' '.join(counts)}")
                print(
                    f"{lang} prior {prior:<5} CAP {cap:<4} flag_at {flag_at}: light medium heavy flagged: {'; '.join(found)}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
