"""A huge one-line file: report size and peak memory of `cleaner clean` on it.

Some scraped files hold a whole page, or a whole site, on one line. This
writes such a file from real English and French news sentences (the
project's fixtures and cleaned seeds; with --eval, the Leipzig sentences of the
shared evaluation data too) joined with spaces into one line, in variants:

- `parts`: articles (runs of 10 to 80 sentences in one language) of which
  about one in six is mojibake (UTF-8 read as cp1252, so "é" reads "Ã©"):
  the E103 rule fires in many places of the one line;
- `all`: the whole line mojibake;
- `none`: no mojibake;
- `jsonl`: the `parts` line as the text of a single JSONL record.

Then it runs `cleaner clean FILE -o OUT --no-resume` on each and prints the
peak memory of the process tree (the sum of the PSS of the process and its
children, sampled every 50 ms, and the max RSS `/usr/bin/time -v` gives) and
the size of OUT/report.jsonl:

    .venv/bin/python bench/big_line.py --mb 20 [--eval ../shared/eval]

The same seed and size give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-1252)

ROOT = Path(__file__).resolve().parent.parent
CLEANER = str(Path(sys.executable).parent / "cleaner")
VARIANTS = ("parts", "all", "none", "jsonl")

# Clean news text written for the project (fixtures/README.md), and the
# seeds as cleaned (fixtures/golden) but one (002 is an article put through a
# spinner).
_SOURCES = (
    "fixtures/golden/00[0134]_*.txt",
    "fixtures/encoding/en.txt",
    "fixtures/encoding/fr.txt",
    "fixtures/boilerplate/*.txt",
    "fixtures/dedup/depeche_tripoli.txt",
    "fixtures/dedup/haftar_moscow.txt",
    "fixtures/dedup/tripoli_*.txt",
    "fixtures/spun/clean_*.txt",
    "fixtures/spun/libya_jets.txt",
    "fixtures/spun/tripoli_sarraj.txt",
    "fixtures/xling/*.txt",
)


def sentences(eval_dir: Path | None = None) -> dict[str, list[str]]:
    """Real sentences of English and French news, each once, in a fixed order,
    by language (langid's, as cleaner has it); none that cleaner's boilerplate
    rules would remove (a cookie notice, "MOBILE VIEW.")."""
    from cleaner import langmodel
    from cleaner.rules import default_rules
    from cleaner.segment import sentences as split

    rules = default_rules()
    found: dict[str, None] = {}
    for pattern in _SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines():
                found.update(dict.fromkeys(split(line)))
    if eval_dir is not None:
        folder = eval_dir / "langid_lingua_leipzig" / "sentences"
        for lang in ("en", "fr"):
            lines = (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
            found.update(dict.fromkeys(line.strip() for line in lines))
    kept = [
        s
        for s in found
        if len(s) >= 40 and s[-1] in '.!?»”"' and rules.match_unit(s, sentence=True) is None
    ]
    model = langmodel.load()
    labels = model.log_probs(kept).argmax(axis=1)
    by_lang: dict[str, list[str]] = {"en": [], "fr": []}
    for sentence, label in zip(kept, labels, strict=True):
        by_lang.get(model.classes[label], []).append(sentence)
    return by_lang


def mojibake(text: str) -> str:
    """`text` as UTF-8 read as cp1252: "é" becomes "Ã©"."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def big_line(
    target_bytes: int,
    broken: str = "parts",
    eval_dir: Path | None = None,
    seed: int = 20261121,
    every: int = 6,
) -> str:
    """One line of about `target_bytes` UTF-8 bytes of news joined with spaces,
    no newline: articles of 10 to 80 sentences, each in English or French (the
    language of the one before, two times in three). `broken`: "parts" (about
    one article in `every` turned to mojibake), "all" or "none".

    There are far fewer real sentences than 20 MB holds, and a repeated
    sentence is something the cleaner removes (C203), which real text rarely
    asks for: each sentence is the head, the middle and the tail of three
    real sentences of one language, cut at words, so that sentences seldom
    repeat while their words and phrases stay those of real news.
    """
    pool = {lang: [s.split(" ") for s in found] for lang, found in sentences(eval_dir).items()}
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    lang = "en"
    while size < target_bytes:
        if rng.random() < 1 / 3:
            lang = "fr" if lang == "en" else "en"
        article = []
        for _ in range(rng.randint(10, 80)):
            a, b, c = (rng.choice(pool[lang]) for _ in range(3))
            head = a[: rng.randint(1, max(1, len(a) // 3))]
            middle = b[len(b) // 3 : 2 * len(b) // 3]
            tail = c[rng.randint(2 * len(c) // 3, len(c) - 1) :]
            article.append(" ".join(head + middle + tail))
        text = " ".join(article)
        if broken == "parts" and rng.randrange(every) == 0:
            text = mojibake(text)
        out.append(text)
        size += len(text.encode("utf-8")) + 1
    line = " ".join(out)
    return mojibake(line) if broken == "all" else line


def write(folder: Path, mb: float, eval_dir: Path | None = None) -> dict[str, Path]:
    """Each variant's file in `folder`, built once."""
    folder.mkdir(parents=True, exist_ok=True)
    target = int(mb * 1_000_000)
    paths: dict[str, Path] = {}
    for variant in VARIANTS:
        ext = "jsonl" if variant == "jsonl" else "txt"
        path = folder / f"big-{variant}-{mb:g}MB.{ext}"
        if not path.exists():
            text = big_line(target, "parts" if variant == "jsonl" else variant, eval_dir)
            if variant == "jsonl":
                text = json.dumps({"id": "big", "text": text}, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
        paths[variant] = path
    return paths


def measure(path: Path, extra: list[str]) -> dict:
    """Clean `path`: peak memory, report size, exit status."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from dedup_scale import measured  # wall time and peak PSS of the process tree

    with tempfile.TemporaryDirectory(prefix="big-line-") as tmp:
        out = Path(tmp) / "out"
        timing = Path(tmp) / "time.txt"
        args = ["/usr/bin/time", "-v", "-o", str(timing), CLEANER, "clean", str(path)]
        args += ["-o", str(out), "--no-resume", "-q", *extra]
        elapsed, peak, proc = measured(args, every=0.05)
        max_rss = 0
        for line in timing.read_text().splitlines():
            if "Maximum resident set size" in line:
                max_rss = int(line.rsplit(":", 1)[1]) * 1024
        report = out / "report.jsonl"
        records = [json.loads(line) for line in report.open(encoding="utf-8")]
        changes = [c for r in records for c in r["changes"]]
        return {
            "status": proc.returncode,
            "seconds": round(elapsed, 1),
            "peak_pss_mb": round(peak / 1e6),
            "max_rss_mb": round(max_rss / 1e6),
            "report_bytes": report.stat().st_size,
            "changes": len(changes),
            "e103": sum(c["code"] == "E103" for c in changes),
            "stderr": proc.stderr.decode("utf-8", "replace").strip()[-300:],
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20, help="size of the line [20 MB]")
    parser.add_argument("--eval", type=Path, help="the shared eval data: more sentences")
    parser.add_argument("--folder", type=Path, default=ROOT / ".bench" / "big_line")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--write-only", action="store_true")
    parser.add_argument("extra", nargs="*", help="more options for cleaner clean (after --)")
    args = parser.parse_args()
    paths = write(args.folder, args.mb, args.eval)
    for variant in args.variants.split(","):
        path = paths[variant]
        print(f"{variant:<6} {path} {path.stat().st_size / 1e6:.1f} MB", flush=True)
        if not args.write_only:
            print(f"       {json.dumps(measure(path, args.extra))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
