"""Calibrate the context layer of the spun-text stage on clean news.

The context figure of a document is the mean, over its distinct judged words,
of a log likelihood ratio (cleaner/spun/context.py), standardised by that
term's mean and spread on clean text. This script measures them on the
Leipzig news sentences of the shared evaluation data (1,000 a language, cut
into documents of 15 consecutive sentences) and writes
cleaner/data/background/calibration.json. The other clean sets
(Readability gold, trafilatura snippets, the bench corpus's articles) are
kept out of that. Then `flag_at`, per language: the lowest z that at most
1 % of the documents of each clean news set of scripts/eval_spun.py exceed
(Leipzig, Readability gold, trafilatura snippets, the bench corpus; news
pages only; in a set of fewer than 100 documents, its highest z), plus
0.05, rounded up to a tenth: the context layer alone flags at most 1 document in 100 of
each.

    .venv/bin/python scripts/calibrate_context.py ../shared/eval [--prior 0.1]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.spun import context  # noqa: E402
from cleaner.spun.words import sentence  # noqa: E402
from cleaner.stages.language import sentence_units  # noqa: E402
from scripts.eval_spun import clean_sets  # noqa: E402

OUT = ROOT / "cleaner" / "data" / "background" / "calibration.json"
SENTENCES_PER_DOC = 15  # as scripts/eval_spun.py cuts them
MARGIN = 0.05


def document_z(terms: list[float], mean: float, spread: float) -> float:
    """As cleaner/spun/context.py `judge` computes it."""
    if len(terms) < 20:  # SpunConfig.context_min_words
        return float("-inf")
    return context.figure((np.array(terms) - mean) / spread)


def terms_of(text: str, lang: str, prior: float) -> list[float]:
    """The per-type terms of a text written all in `lang`."""
    words = context.text_of((sentence(text, a, b) for a, b in sentence_units(text)), lang)
    values: list[float] = []
    for part in context.examine(words):
        values.extend(context.type_terms(part, prior).tolist())
    return values


def calibrate(sets: dict[str, list[dict]], lang: str, prior: float) -> dict:
    """The calibration of `lang` from its clean sets (`eval_spun.clean_sets`):
    the mean and spread of a word type's term on the Leipzig documents, and
    flag_at from every set (see the module doc)."""
    docs = [r["text"] for r in sets["leipzig (calibration)"]]
    values = np.array([t for doc in docs for t in terms_of(doc, lang, prior)])
    mean, spread = round(float(values.mean()), 5), round(float(values.std()), 5)
    p99 = {}
    for name, records in sets.items():
        zs = [document_z(terms_of(r["text"], lang, prior), mean, spread) for r in records]
        judged = sorted((z for z in zs if z > -np.inf), reverse=True)
        if judged:  # French trafilatura snippets are all too short to judge
            # the level that at most 1 % of the set's documents exceed:
            # in a set under 100 documents, its highest
            p99[name] = round(judged[len(judged) // 100], 2)
    return {
        "prior": prior,
        "mean": mean,
        "spread": spread,
        # a margin over the highest: the clean sets are read here as raw
        # text, the stage sees them cleaned, and z moves a little
        "flag_at": float(np.ceil((max(p99.values()) + MARGIN) * 10) / 10),
        "clean_z_p99": p99,
        "types": int(len(values)),
        "documents": len(docs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    # 0.1 and CAP 150 (cleaner/spun/context.py): of the values tried (prior
    # 0.05-0.3, CAP 60-250) those that flagged most copies of bench/spinner.py
    # at this calibration, on two samples of articles (scripts/tune_context.py);
    # never tried on the held-out spinner
    parser.add_argument("--prior", type=float, default=0.1, help="share of words substituted")
    args = parser.parse_args()
    languages = {}
    for lang in context.LANGUAGES:
        languages[lang] = calibrate(clean_sets(args.eval_dir, lang), lang, args.prior)
        print(lang, languages[lang])
    OUT.write_text(
        json.dumps(
            {
                "about": "context layer calibration (scripts/calibrate_context.py): mean and "
                "spread of a word type's term on clean news, the Leipzig sentences of the shared "
                f"eval data in documents of {SENTENCES_PER_DOC} sentences; flag_at, the z that "
                f"at most 1 % of each clean news set exceeds, plus {MARGIN}, rounded up",
                "languages": languages,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
