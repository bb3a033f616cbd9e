"""Score the spun-text stage: the spun seed, clean news, and spun copies.

    python scripts/eval_spun.py ../shared/eval [--copies 60] [--spinners wordnet,phrase]

1. Seeds: `seeds/002_*` (a spun Guardian article) must be flagged with at
   least 8 of the 10 substitutions the issue lists found with the right
   original; no other seed may be flagged.
2. Clean news must not be flagged (at most 1 %), EN and FR separately, each
   set on its own: the gold article texts of boilerplate_readability_testpages,
   the `with` snippets of each page of boilerplate_trafilatura_snippets (one
   document per page), the Leipzig news sentences in documents of 15 (the
   set the context layer is calibrated on, scripts/calibrate_context.py) and
   the bench corpus's documents (bench/corpus.py: windows of real pages).
3. Spun copies, per spinner, intensity and language: real articles
   (readability gold, EN; cleaned trafilatura pages, FR; and Leipzig news
   sentences in documents of 25, both) put through each spinner:
   - `wordnet` (bench/spinner.py): single words swapped for WordNet / mythes-fr
     synonyms, the thesauri the context layer reads (not held out);
   - `phrase` (bench/phrase_spinner.py): Moby / WOLF synonyms plus a phrase
     table of multi-word and function-word rewrites, data the project does
     not ship (held out: never tuned on).
   At intensities light, medium and heavy: the share of eligible words
   rewritten, 0.1, 0.25, 0.5 for `wordnet`, and the spinner's own
   INTENSITIES for `phrase` (0.15, 0.35, 0.65: 10, 22, 40 % of English
   content words changed). Without their originals: the share flagged,
   and of the context items in flagged copies, the share whose likely
   original is the word the spinner replaced. With the originals in the same
   corpus: the share `paraphrase_of` their original, and the share of
   substitutions listed (an `alignment` item whose phrase holds the spun
   words and whose likely original holds the original words).

Exit status 1 when a target is missed (targets: issue 17).
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


def _leipzig(eval_dir: Path, lang: str, per: int) -> list[dict]:
    path = eval_dir / "langid_lingua_leipzig" / "sentences" / f"{lang}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        {"id": f"leipzig-{lang}-{i // per:03d}", "text": " ".join(lines[i : i + per])}
        for i in range(0, len(lines), per)
    ]


def clean_sets(eval_dir: Path, lang: str, news_only: bool = True) -> dict[str, list[dict]]:
    """Clean text of `lang`, by set. `news_only`: without the 12 pages that
    Readability's index marks as feature tests (its README: "exclude them if
    you only want ordinary news or blog pages"; one is Melville's Bartleby,
    1853), from its gold and from the bench corpus, whose windows are drawn
    from every page."""
    readability = eval_dir / "boilerplate_readability_testpages"
    index = [json.loads(line) for line in (readability / "index.jsonl").open()]
    trafilatura = eval_dir / "boilerplate_trafilatura_snippets"
    pages = [json.loads(line) for line in (trafilatura / "annotations.jsonl").open()]
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import build

    feature_lines = set()
    for p in index:
        if p["synthetic_or_feature_test"] and news_only:
            for part in ("gold", "input"):
                text = (readability / part / f"{p['id']}.txt").read_text(errors="replace")
                feature_lines.update(line for line in text.splitlines() if len(line) > 30)
    return {
        "readability gold": [
            {"id": p["id"], "text": (readability / "gold" / f"{p['id']}.txt").read_text()}
            for p in index
            if p["lang"] == lang and not (news_only and p["synthetic_or_feature_test"])
        ],
        "trafilatura with-snippets": [
            {"id": p["id"], "text": "\n".join(p["with"])}
            for p in pages
            if p["lang"] == lang and p["with"]
        ],
        "leipzig (calibration)": _leipzig(eval_dir, lang, 15),
        "bench corpus": [
            d
            for d in build(eval_dir, 3_000_000)
            if d["lang"] == lang and feature_lines.isdisjoint(d["text"].splitlines())
        ],
    }


def clean_news(eval_dir: Path, config: CleanerConfig) -> bool:
    ok = True
    for lang in ("en", "fr"):
        sets = clean_sets(eval_dir, lang)
        every = clean_sets(eval_dir, lang, news_only=False)
        sets["readability gold, feature tests too"] = every["readability gold"]
        sets["bench corpus, feature tests too"] = every["bench corpus"]
        for name, records in sets.items():
            docs = [d for d in cleaned_records(records, config) if d.report.get("lang") == lang]
            flagged = [d for d in docs if d.report["spun"]["flagged"]]
            share = len(flagged) / len(docs) if docs else 0.0
            print(f"  {lang} {name}: {len(flagged)}/{len(docs)} flagged ({share:.1%})")
            for d in flagged:
                spun = d.report["spun"]
                items = ", ".join(e["phrase"] for e in spun["evidence"][:6])
                print(f"    {d.id}: score {spun['score']:g}, z {spun['context']}: {items}")
            ok &= share <= 0.01 or "feature tests too" in name  # not news: reported only
    return ok


def articles(eval_dir: Path, lang: str, config: CleanerConfig, limit: int) -> list[dict]:
    """Real articles of at least 150 words: readability gold (EN), cleaned
    trafilatura pages (FR), Leipzig news sentences in runs of 25 (both)."""
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
    records = sorted(unique.values(), key=lambda r: r["id"])
    return (records + _leipzig(eval_dir, lang, 25))[:limit]


SPINNERS = {"wordnet": "spinner", "phrase": "phrase_spinner"}
INTENSITIES = {"light": 0.1, "medium": 0.25, "heavy": 0.5}
# targets of issue 17: flagged without originals, per language
FLAG_TARGETS = {"heavy": {"en": 0.9, "fr": 0.8}, "medium": {"en": 0.7, "fr": 0.6}}


def _listed(substitution, items: list[dict]) -> bool:
    return any(
        substitution.spun.lower() in e["phrase"].lower()
        and substitution.original.lower() in (e["likely_original"] or "").lower()
        for e in items
    )


def spun_copies(eval_dir: Path, config: CleanerConfig, spinners: list[str], limit: int) -> bool:
    import importlib

    sys.path.insert(0, str(ROOT / "bench"))
    ok = True
    originals = {lang: articles(eval_dir, lang, config, limit) for lang in ("en", "fr")}
    for name in spinners:
        module = importlib.import_module(SPINNERS[name])
        spin = module.spin
        for intensity, rate in getattr(module, "INTENSITIES", INTENSITIES).items():
            for lang in ("en", "fr"):
                try:
                    spin("Le gouvernement annonce une augmentation des impôts.", lang, rate=1.0)
                except FileNotFoundError as e:  # a thesaurus that is a Debian package
                    print(f"  {name} {intensity} {lang}: SKIPPED: {e}")
                    ok = False
                    continue
                ok &= _score_copies(name, intensity, lang, originals[lang], spin, rate, config)
    return ok


def _score_copies(name, intensity, lang, originals, spin, rate, config) -> bool:
    copies, truth = [], {}
    for k, record in enumerate(originals):
        text, substitutions = spin(record["text"], lang, rate=rate, seed=k + 1)
        copy_id = f"spun-{record['id']}"
        copies.append({"id": copy_id, "text": text})
        truth[copy_id] = (record["id"], substitutions)
    # without their originals: the context layer (and the lexicon) must speak
    alone = {d.id: d for d in cleaned_records(copies, config)}
    flagged = [d for d in alone.values() if d.report["spun"]["flagged"]]
    items = right = 0
    for d in flagged:
        substitutions = truth[d.id][1]
        for e in d.report["spun"]["evidence"]:
            if e["layer"] != "context":
                continue
            items += 1
            right += any(
                s.spun.lower() == e["phrase"].lower()
                and s.original.lower() == e["likely_original"].lower()
                for s in substitutions
            )
    # with them: paraphrase_of and the substitutions listed
    docs = {d.id: d for d in cleaned_records(originals + copies, config)}
    found_original = listed = total = 0
    for copy_id, (original_id, substitutions) in truth.items():
        spun = docs[copy_id].report["spun"]
        of = spun["paraphrase_of"]
        found_original += of is not None and of["id"] == original_id
        aligned = [e for e in spun["evidence"] if e["layer"] == "alignment"]
        total += len(substitutions)
        listed += sum(_listed(s, aligned) for s in substitutions)
    n = len(truth)
    flag_share = len(flagged) / n
    print(
        f"  {name:7} {intensity:6} {lang}: flagged alone {len(flagged)}/{n} ({flag_share:.0%}); "
        f"context items naming the replaced word {right}/{items} "
        f"({right / items if items else 0:.0%}); "
        f"paraphrase_of {found_original}/{n} ({found_original / n:.0%}); "
        f"substitutions listed {listed}/{total} ({listed / total if total else 0:.0%})"
    )
    target = FLAG_TARGETS.get(intensity, {}).get(lang, 0.0)
    return flag_share >= target and found_original >= 0.95 * n and listed >= 0.9 * total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--copies", type=int, default=60, help="articles spun per language")
    parser.add_argument("--spinners", default=",".join(SPINNERS), help="comma-separated")
    parser.add_argument("--skip-copies", action="store_true")
    args = parser.parse_args()
    config = CleanerConfig(jobs=1)
    print("seeds")
    ok = seeds(config)
    print("clean news (target: at most 1 % flagged)")
    ok &= clean_news(args.eval_dir, config)
    if not args.skip_copies:
        print("spun copies (targets: issue 17)")
        ok &= spun_copies(args.eval_dir, config, args.spinners.split(","), args.copies)
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
