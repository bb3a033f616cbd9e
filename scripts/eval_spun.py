"""Score the spun-text stage: the spun seed, clean news, and spun copies.

    python scripts/eval_spun.py ../shared/eval [--rate 0.25] [--copies 40]

1. Seeds: `seeds/002_*` (a spun Guardian article) must be flagged with at
   least 8 of the 10 substitutions the issue lists found with the right
   original; no other seed may be flagged.
2. Clean news must not be flagged (at most 2 %), EN and FR separately: the
   gold article texts of boilerplate_readability_testpages, and the `with`
   snippets of each page of boilerplate_trafilatura_snippets (one document
   per page), each set cleaned as one corpus.
3. Spun copies: real articles (readability gold, EN; cleaned trafilatura
   pages, FR) are spun by bench/spinner.py, which swaps content words for
   WordNet synonyms (Open Multilingual Wordnet for French) and never reads
   cleaner's lexicon. Each copy is cleaned in one corpus with the originals;
   it must come out `paraphrase_of` its original, with at least 90 % of the
   spinner's substitutions listed (an `alignment` item whose phrase holds the
   spun words and whose likely original holds the original words).

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from cleaner.config import CleanerConfig
from cleaner.dedup.corpus import Deduplication
from cleaner.document import Document
from cleaner.runner import prepare, processed

ROOT = Path(__file__).resolve().parent.parent
SEED_PAIRS = [
    ("mentioned", "said"),
    ("searching for to seize", "seeking to seize"),
    ("safety menace", "security threat"),
    ("civil warfare", "civil war"),
    ("Libya knowledgeable", "Libya expert"),
    ("demise throes", "death throes"),
    ("consumer state", "client state"),
    ("impartial exterior states", "neutral outside states"),
    ("air marketing campaign", "air campaign"),
    ("in all probability essentially the most express but", "probably the most explicit yet"),
]


def cleaned(paths: list[str], config: CleanerConfig) -> list[Document]:
    """The documents of `paths` through `cleaner clean` (spun field set), in input order."""
    plan = prepare(paths, config)
    dedup = Deduplication.of(processed(plan, sys.stderr), config.dedup, spun_options=config.spun)
    try:
        return [doc for doc, _, _ in dedup.documents() if doc.ok]
    finally:
        dedup.close()


def cleaned_records(records: list[dict], config: CleanerConfig) -> list[Document]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return cleaned([str(path)], config)


def pair_found(spun: str, original: str, evidence: list[dict]) -> bool:
    """Whether the evidence gives back the original: one item covering the
    pair (`a Libya knowledgeable` <- `a Libya expert`), or several items
    that, applied to the spun phrase, rewrite it into the original."""
    for item in evidence:
        covers = spun.lower() in item["phrase"].lower()
        if covers and original.lower() in (item["likely_original"] or "").lower():
            return True
    text = spun.lower()
    for item in sorted(evidence, key=lambda e: -len(e["phrase"])):
        phrase = item["phrase"].lower()
        if item["likely_original"] and phrase in text:
            text = text.replace(phrase, item["likely_original"].lower())
    return text == original.lower() or original.lower() in text and text != spun.lower()


def seeds(config: CleanerConfig) -> bool:
    docs = cleaned([str(ROOT / "seeds")], config)
    ok = True
    for doc in docs:
        spun = doc.report["spun"]
        expected = doc.id.startswith("002_")
        print(
            f"  {doc.id}: score {spun['score']:g}, flagged {spun['flagged']}"
            f" ({len(spun['evidence'])} pieces of evidence)"
        )
        ok &= spun["flagged"] == expected
        if expected:
            found = [p for p in SEED_PAIRS if pair_found(*p, spun["evidence"])]
            missed = [p[0] for p in SEED_PAIRS if p not in found]
            print(
                f"  seed 002: {len(found)}/10 pairs found with the right original; missed {missed}"
            )
            ok &= len(found) >= 8
    return ok


def clean_news(eval_dir: Path, config: CleanerConfig) -> bool:
    ok = True
    readability = eval_dir / "boilerplate_readability_testpages"
    index = [json.loads(line) for line in (readability / "index.jsonl").open()]
    trafilatura = eval_dir / "boilerplate_trafilatura_snippets"
    pages = [json.loads(line) for line in (trafilatura / "annotations.jsonl").open()]
    for lang in ("en", "fr"):
        sets = {
            "readability gold": [
                {"id": p["id"], "text": (readability / "gold" / f"{p['id']}.txt").read_text()}
                for p in index
                if p["lang"] == lang
            ],
            "trafilatura with-snippets": [
                {"id": p["id"], "text": "\n".join(p["with"])}
                for p in pages
                if p["lang"] == lang and p["with"]
            ],
        }
        for name, records in sets.items():
            docs = cleaned_records(records, config)
            flagged = [d for d in docs if d.report["spun"]["flagged"]]
            share = len(flagged) / len(docs) if docs else 0.0
            print(f"  {lang} {name}: {len(flagged)}/{len(docs)} flagged ({share:.1%})")
            for d in flagged:
                items = ", ".join(e["phrase"] for e in d.report["spun"]["evidence"][:6])
                print(f"    {d.id}: score {d.report['spun']['score']:g}: {items}")
            ok &= share <= 0.02
    return ok


def articles(eval_dir: Path, lang: str, config: CleanerConfig, limit: int) -> list[dict]:
    """Real articles of at least 150 words: readability gold (EN), cleaned trafilatura pages (FR)."""
    readability = eval_dir / "boilerplate_readability_testpages"
    records = []
    if lang == "en":
        index = [json.loads(line) for line in (readability / "index.jsonl").open()]
        for p in index:
            if p["lang"] == lang and not p["synthetic_or_feature_test"]:
                records.append(
                    {"id": p["id"], "text": (readability / "gold" / f"{p['id']}.txt").read_text()}
                )
    else:
        trafilatura = eval_dir / "boilerplate_trafilatura_snippets"
        pages = [json.loads(line) for line in (trafilatura / "annotations.jsonl").open()]
        paths = [str(trafilatura / "input" / f"{p['id']}.txt") for p in pages if p["lang"] == "fr"]
        plain = config.replace(dedup=config.dedup.__class__(enabled=False))
        plain = plain.replace(spun=config.spun.__class__(enabled=False))
        for doc in cleaned(paths, plain):
            records.append({"id": Path(doc.source).stem, "text": doc.text})
    records = [r for r in records if len(r["text"].split()) >= 150]
    # two pages of the readability set have the same gold text: either would be
    # a right answer for the copy of one of them, so keep one
    unique = {r["text"]: r for r in sorted(records, key=lambda r: r["id"], reverse=True)}
    return sorted(unique.values(), key=lambda r: r["id"])[:limit]


def spun_copies(eval_dir: Path, config: CleanerConfig, rate: float, limit: int) -> bool:
    sys.path.insert(0, str(ROOT / "bench"))
    from spinner import spin

    ok = True
    for lang in ("en", "fr"):
        originals = articles(eval_dir, lang, config, limit)
        copies, truth = [], {}
        try:
            spin("Le gouvernement annonce une augmentation des impôts.", lang, rate=1.0)
        except FileNotFoundError as e:  # the French thesaurus is a Debian package
            print(f"  {lang}: SKIPPED: {e}")
            ok = False
            continue
        for k, record in enumerate(originals):
            text, substitutions = spin(record["text"], lang, rate=rate, seed=k + 1)
            copy_id = f"spun-{record['id']}"
            copies.append({"id": copy_id, "text": text})
            truth[copy_id] = (record["id"], substitutions)
        docs = {d.id: d for d in cleaned_records(originals + copies, config)}
        found_original = listed = total = 0
        for copy_id, (original_id, substitutions) in truth.items():
            spun = docs[copy_id].report["spun"]
            of = spun["paraphrase_of"]
            found_original += of is not None and of["id"] == original_id
            if of is None or of["id"] != original_id:
                print(f"    {copy_id}: paraphrase_of {of and of['id']}")
            aligned = [e for e in spun["evidence"] if e["layer"] == "alignment"]
            for s in substitutions:
                total += 1
                listed += any(
                    s.spun.lower() in e["phrase"].lower()
                    and s.original.lower() in e["likely_original"].lower()
                    for e in aligned
                )
        originals_flagged = sum(
            docs[r["id"]].report["spun"]["paraphrase_of"] is not None for r in originals
        )
        recall = listed / total if total else 0.0
        print(
            f"  {lang}: {found_original}/{len(truth)} copies paraphrase_of their original; "
            f"{listed}/{total} substitutions listed ({recall:.1%}); "
            f"originals wrongly called copies: {originals_flagged}"
        )
        ok &= found_original == len(truth) and recall >= 0.9
        # without their originals only the lexicon and collocations speak (no target:
        # this spinner's WordNet synonyms are not the lexicon's)
        alone = cleaned_records(copies, config)
        flagged = sum(d.report["spun"]["flagged"] for d in alone)
        print(f"  {lang}: without the originals, {flagged}/{len(alone)} copies flagged")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--rate", type=float, default=0.25, help="spinner substitution rate")
    parser.add_argument("--copies", type=int, default=40, help="articles spun per language")
    parser.add_argument("--skip-copies", action="store_true")
    args = parser.parse_args()
    config = CleanerConfig(jobs=1)
    print("seeds")
    ok = seeds(config)
    print("clean news (target: at most 2 % flagged)")
    ok &= clean_news(args.eval_dir, config)
    if not args.skip_copies:
        print(f"spun copies (spinner rate {args.rate}; target: all found, 90 % of substitutions)")
        ok &= spun_copies(args.eval_dir, config, args.rate, args.copies)
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
