"""Probe the context layer's data: does the original word fit its neighbours
better than a spinner's synonym, and how fast are the lookups?

Not a test: it prints numbers for a person to read.

1. Hand-made clean/spun sentence pairs, English and French: the window's
   log10 probability (cleaner.spun.background.fit_phrase) with the original
   words and with the substitution.
2. The tortured phrases of the Problematic Paper Screener (shared eval set,
   English): original vs tortured phrase on their own, same length only.
3. Whole articles, clean and spun by bench/spinner.py (needs the `eval`
   extra, and Debian's mythes-fr for French): a document's mean gain, the
   gain of a content word being how much better its best thesaurus candidate
   fits than itself (cleaner.spun.background.best_synonyms). A crude
   scorer, only to see whether the data separate clean from spun text.
4. Lookup speed on one core.

With trigram tables, the windows are scored with two words of context each
side; --bigram switches the trigram level off, to compare before and after
on the same code.

    .venv/bin/python scripts/probe_context.py [--eval ../shared/eval] [--articles 40] [--bigram]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner.blocks import stopwords  # noqa: E402
from cleaner.spun import background  # noqa: E402
from cleaner.spun.background import (  # noqa: E402
    Background,
    Synonyms,
    best_synonyms,
    fit,
    fit_phrase,
    hashes,
    substitution_odds,
    synonyms,
    thesaurus,
)
from cleaner.spun.words import norms  # noqa: E402

PAIRS = {
    "en": [
        ("the security council met on friday", "the safety council met on friday"),
        ("he said that the talks had failed", "he mentioned that the talks had failed"),
        ("the civil war in syria", "the civil warfare in syria"),
        ("advances in artificial intelligence", "advances in counterfeit consciousness"),
        (
            "the prime minister announced new measures",
            "the premier minister announced new measures",
        ),
        ("police arrested two men on tuesday", "police apprehended two men on tuesday"),
        ("the central bank raised interest rates", "the central bank raised interest charges"),
        ("the company reported a loss", "the company reported a deprivation"),
        ("thousands of people attended the funeral", "thousands of people attended the inhumation"),
        ("a big data approach to the problem", "a huge information approach to the problem"),
        ("the united nations said in a statement", "the united nations said in a affirmation"),
        ("officials said the death toll could rise", "officials said the death toll could ascend"),
        ("the election results were announced", "the election outcomes were announced"),
        ("the hospital was treating the wounded", "the infirmary was treating the wounded"),
    ],
    "fr": [
        ("le conseil de sécurité des nations unies", "le conseil de sûreté des nations unies"),
        ("il a dit que le projet était prêt", "il a mentionné que le projet était prêt"),
        (
            "la guerre civile a fait des milliers de morts",
            "la lutte civile a fait des milliers de morts",
        ),
        (
            "le premier ministre a annoncé des mesures",
            "le premier ministre a annoncé des dispositions",
        ),
        (
            "le gouvernement a présenté le projet de loi",
            "le gouvernement a présenté le dessein de loi",
        ),
        ("les forces de l'ordre sont intervenues", "les forces de l'ordre sont interposées"),
        ("le président de la république", "le président de la chose publique"),
        ("une hausse des prix de l'énergie", "une augmentation des prix de l'énergie"),
        ("une hausse des prix de l'énergie", "une hausse des tarifs de l'énergie"),
        ("la séance est ouverte", "la séance est débutée"),
        ("le ministre de l'intérieur", "le ministre de l'intériorité"),
        (
            "les élections législatives auront lieu en juin",
            "les élections législatives auront endroit en juin",
        ),
        ("à la fin de l'année", "à la conclusion de l'année"),
    ],
}


BIGRAM_ONLY = False  # --bigram: the models without their trigram level


def load(lang: str) -> Background:
    model = background.load(lang)
    if BIGRAM_ONLY:
        return model._replace(bigram_backoff=None, trigrams=None, trigram_logp=None)
    return model


# ---------------------------------------------------------------- 1. sentence pairs


def diff_span(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, int, int]:
    """Common prefix length i and the ends of the differing spans a[i:ja], b[i:jb]."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    ja, jb = len(a), len(b)
    while ja > i and jb > i and a[ja - 1] == b[jb - 1]:
        ja, jb = ja - 1, jb - 1
    return i, ja, jb


def probe_pairs(lang: str) -> None:
    model, syn = load(lang), synonyms(lang)
    print(
        f"\n== {lang}: hand-made pairs (log10 P of the window; higher fits better; "
        "then, for one-word swaps, log10 odds of substitution, spun and clean)"
    )
    better = total = separated = swaps = 0
    for clean, spun in PAIRS[lang]:
        a, b = norms(clean), norms(spun)
        i, ja, jb = diff_span(a, b)
        if ja == i and jb == i:
            print(f"  (identical) {clean}")
            continue
        left = a[i - 1] if i else None
        right = a[ja] if ja < len(a) else None
        left2 = a[i - 2] if i >= 2 else None
        right2 = a[ja + 1] if ja + 1 < len(a) else None
        orig = fit_phrase(model, left, a[i:ja], right, left2, right2)
        sub = fit_phrase(model, left, b[i:jb], right, left2, right2)
        total += 1
        better += orig > sub
        mark = "ok " if orig > sub else "BAD"
        odds = ""
        if ja - i == 1 and jb - i == 1:
            spun_odds, clean_odds = (
                float(substitution_odds(model, syn, hashes(words), [i]).log_odds[0])
                for words in (b, a)
            )
            if np.isfinite(spun_odds) and np.isfinite(clean_odds):
                swaps += 1
                separated += spun_odds > clean_odds
            odds = f"   odds {spun_odds:6.2f} vs {clean_odds:6.2f}"
        print(
            f"  {mark} {' '.join(a[i:ja]):>24} {orig:7.2f}  vs {' '.join(b[i:jb]):<24} {sub:7.2f}"
            f"   [{left2} {left} _ {right} {right2}]{odds}"
        )
    print(
        f"  original fits better in {better}/{total} pairs; "
        f"spun word has the higher odds in {separated}/{swaps} one-word swaps"
    )


# ---------------------------------------------------------------- 2. tortured phrases


def probe_pps(path: Path) -> None:
    model = load("en")
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    better = ties = total = 0
    examples = []
    for p in pairs:
        orig, tort = norms(p["original"]), norms(p["tortured"])
        if "[" in p["original"] or len(orig) != len(tort) or orig == tort:
            continue
        o = fit_phrase(model, None, orig, None)
        t = fit_phrase(model, None, tort, None)
        total += 1
        better += o > t
        ties += o == t
        if len(examples) < 8:
            examples.append(f"  {' '.join(orig):>28} {o:7.2f}  vs {' '.join(tort):<28} {t:7.2f}")
    print(f"\n== en: tortured phrases ({path.name}), same length, no context")
    print("\n".join(examples))
    print(f"  original more probable in {better}/{total} pairs ({better / total:.1%}), ties {ties}")


# ---------------------------------------------------------------- 3. articles


def doc_gain(model: Background, syn: Synonyms, text: str, stop: frozenset, k: int) -> float:
    return gain(model, syn, norms(text), stop, k)


def gain(model: Background, syn: Synonyms, words: tuple, stop: frozenset, k: int) -> float:
    """Mean over content words of max(0, best candidate's window score - the word's own)."""
    h = hashes(words)
    content = [i for i, w in enumerate(words) if w not in stop and w.isalpha() and len(w) >= 3]
    own, best, _ = best_synonyms(model, syn, h, np.array(content, dtype=np.intp), k)
    has = best > -np.inf
    return float(np.maximum(best[has] - own[has], 0.0).mean()) if has.any() else 0.0


def articles(eval_dir: Path, lang: str, limit: int) -> list[str]:
    if lang == "en":
        index = eval_dir / "boilerplate_readability_testpages" / "index.jsonl"
        ids = [
            r["id"]
            for r in map(json.loads, index.read_text().splitlines())
            if r["lang"] == "en" and not r["synthetic_or_feature_test"]
        ]
        folder = eval_dir / "boilerplate_readability_testpages" / "gold"
        texts = [(folder / f"{i}.txt").read_text(encoding="utf-8") for i in ids]
    else:  # French news pages, kept to their long lines (the article's paragraphs)
        folder = eval_dir / "boilerplate_trafilatura_snippets"
        ids = [
            r["id"]
            for r in map(json.loads, (folder / "annotations.jsonl").read_text().splitlines())
            if r["lang"] == "fr"
        ]
        texts = [
            "\n".join(
                line
                for line in (folder / "input" / f"{i}.txt").read_text(encoding="utf-8").splitlines()
                if len(line.split()) >= 15
            )
            for i in ids
        ]
    return [t for t in texts if len(t.split()) >= 150][:limit]


def probe_articles(eval_dir: Path, lang: str, limit: int, rate: float, k: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from spinner import spin
    except ImportError as e:  # pragma: no cover
        print(f"\n== {lang}: articles skipped ({e})")
        return
    model, syn, stop = load(lang), synonyms(lang), stopwords()
    texts = articles(eval_dir, lang, limit)
    clean, spun = [], []
    for n, text in enumerate(texts):
        try:
            spun_text, _ = spin(text, lang, rate=rate, seed=n + 1)
        except FileNotFoundError as e:
            print(f"\n== {lang}: articles skipped ({e})")
            return
        clean.append(doc_gain(model, syn, text, stop, k))
        spun.append(doc_gain(model, syn, spun_text, stop, k))
    clean_a, spun_a = np.array(clean), np.array(spun)
    threshold = np.quantile(clean_a, 0.95)
    auc = float((spun_a[:, None] > clean_a[None, :]).mean())
    print(f"\n== {lang}: {len(texts)} articles, clean vs spun at rate {rate} (top {k} candidates)")
    print(
        f"  mean gain clean {clean_a.mean():.3f} (sd {clean_a.std():.3f}), "
        f"spun {spun_a.mean():.3f} (sd {spun_a.std():.3f})"
    )
    print(
        f"  spun > clean for the same article: {(spun_a > clean_a).mean():.0%}; "
        f"AUC {auc:.3f}; spun above the clean 95th percentile: {(spun_a > threshold).mean():.0%}"
    )


# ---------------------------------------------------------------- 4. speed


def best_time(run, repeat: int = 5) -> float:
    """The fastest of a few runs: the machine is shared, the slow runs are other people's."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def probe_speed(eval_dir: Path, lang: str, k: int) -> None:
    model, syn, stop = load(lang), synonyms(lang), stopwords()
    texts = articles(eval_dir, lang, 200)
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    docs = [norms(t) for t in texts]
    n = sum(map(len, docs))

    def tokenize() -> None:
        for t in texts:
            norms(t)

    def fit_all() -> None:  # every word between its neighbours, document by document
        for words in docs:
            h = hashes(words)
            edge = np.zeros(2, dtype=np.uint64)
            padded = np.r_[edge, h, edge]
            fit(model, padded[1:-3], h, padded[3:-1], padded[:-4], padded[4:])

    def gain_all() -> None:
        for words in docs:
            gain(model, syn, words, stop, k)

    judged = [
        np.array(
            [i for i, w in enumerate(words) if w not in stop and w.isalpha() and len(w) >= 3],
            dtype=np.intp,
        )
        for words in docs
    ]

    def odds_all() -> None:  # what the context layer runs: every candidate of every content word
        for words, positions in zip(docs, judged, strict=True):
            substitution_odds(model, syn, hashes(words), positions)

    print(
        f"\n== {lang}: speed on {len(texts)} documents, {n:,} words ({nbytes / 1e6:.2f} MB), "
        "one core, best of 5"
    )
    for name, run in (
        ("tokenize (cleaner.spun.words, for scale)", tokenize),
        ("hash + fit of every word", fit_all),
        (f"hash + gain of every content word, up to {k} candidates", gain_all),
        ("hash + substitution odds of every content word, all candidates", odds_all),
    ):
        seconds = best_time(run)
        print(f"  {name}: {n / seconds:,.0f} words/s, {nbytes / seconds / 1e6:.1f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--rate", type=float, default=0.25)
    parser.add_argument("--candidates", type=int, default=12)
    parser.add_argument("--bigram", action="store_true", help="switch the trigram level off")
    args = parser.parse_args()
    global BIGRAM_ONLY
    BIGRAM_ONLY = args.bigram
    for lang in ("en", "fr"):
        model = load(lang)
        m = model.meta
        trigrams = f", {m['trigrams']:,} trigrams" if model.trigrams is not None else ""
        print(
            f"{lang}: {m['unigrams']:,} unigrams, {m['bigrams']:,} bigrams{trigrams}, "
            f"{m['bytes'] / 1e6:.1f} MB; thesaurus {len(thesaurus(lang)):,} forms"
        )
    for lang in ("en", "fr"):
        probe_pairs(lang)
    pps = args.eval / "spun_pps" / "pairs_dev.jsonl"
    if pps.exists():
        probe_pps(pps)
    for lang in ("en", "fr"):
        probe_articles(args.eval, lang, args.articles, args.rate, args.candidates)
    for lang in ("en", "fr"):
        probe_speed(args.eval, lang, args.candidates)


if __name__ == "__main__":
    main()
