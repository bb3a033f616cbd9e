"""`make bench`: throughput of cleaner on a corpus built from real text.

    python bench/run.py --eval ../shared/eval [--size-mb 60] [--only encoding,cli]
        [--xling-sizes 1000,5000,20000]

Figures are printed and saved to .bench/results.json. Timings are single
runs on this machine (2 cores); ratios are measured in the same run, on the
same documents, so they hold better than the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def mb(n: int) -> float:
    return n / 1e6


def _ftfy_fix(text: str) -> str:
    import ftfy

    return ftfy.fix_text(text, uncurl_quotes=False)


def bench_encoding(docs: list[dict], broken: list[dict], eval_dir: Path) -> dict:
    """The encoding stage against ftfy.fix_text on every document, one core each."""
    import ftfy

    from cleaner.config import CleanerConfig
    from cleaner.document import Document
    from cleaner.pipeline import Context
    from cleaner.stages.encoding import fix_text_fast, ftfy_config, repair_encoding

    texts = [d["text"] for d in docs]
    size = sum(len(t.encode("utf-8")) for t in texts)
    config = ftfy_config(False)
    ctx = Context(CleanerConfig())
    inputs = [Document(id=d["id"], source="b", name="b", text=d["text"]) for d in docs]

    t_ftfy, reference = timed(lambda: [ftfy.fix_text(t, config) for t in texts])
    t_fast, fast = timed(lambda: [fix_text_fast(t, config)[0] for t in texts])
    t_stage, _ = timed(lambda: [repair_encoding(d, ctx) for d in inputs])
    same_clean = sum(a == b for a, b in zip(fast, reference, strict=True))

    broken_texts = [d["text"] for d in broken]
    with Pool(2) as pool:
        broken_reference = pool.map(_ftfy_fix, broken_texts, chunksize=64)
    broken_fast = [fix_text_fast(t, config)[0] for t in broken_texts]
    same_broken = sum(a == b for a, b in zip(broken_fast, broken_reference, strict=True))
    changed_broken = sum(a != b for a, b in zip(broken_reference, broken_texts, strict=True))

    sets = 0
    same_sets = 0
    for name in ("mojibake_ftfy", "mojibake_leipzig_fr_c1"):
        for line in (eval_dir / name / "cases.jsonl").open(encoding="utf-8"):
            text = json.loads(line)["original"]
            sets += 1
            same_sets += fix_text_fast(text, config)[0] == ftfy.fix_text(text, config)

    result = {
        "corpus_mb": mb(size),
        "docs": len(texts),
        "ftfy_fix_text_mb_s": mb(size) / t_ftfy,
        "fix_text_fast_mb_s": mb(size) / t_fast,
        "encoding_stage_mb_s": mb(size) / t_stage,
        "stage_speedup_vs_ftfy": t_ftfy / t_stage,
        "fast_speedup_vs_ftfy": t_ftfy / t_fast,
        "identical_clean": f"{same_clean}/{len(texts)}",
        "identical_mojibake_copy": f"{same_broken}/{len(broken_texts)}",
        "mojibake_copy_docs_changed_by_ftfy": changed_broken,
        "identical_mojibake_sets": f"{same_sets}/{sets}",
    }
    print(
        f"encoding  ftfy.fix_text {result['ftfy_fix_text_mb_s']:.2f} MB/s | "
        f"fix_text_fast {result['fix_text_fast_mb_s']:.1f} MB/s | "
        f"stage {result['encoding_stage_mb_s']:.1f} MB/s | "
        f"stage {result['stage_speedup_vs_ftfy']:.1f}x faster than ftfy"
    )
    print(
        f"          identical to ftfy.fix_text: clean {result['identical_clean']}, "
        f"mojibake copy {result['identical_mojibake_copy']} "
        f"({changed_broken} docs repaired), mojibake sets {result['identical_mojibake_sets']}"
    )
    return result


def _stage_rates(docs: list, label: str) -> dict:
    """Segmentation, boilerplate and duplicates, one core, on already repaired text."""
    from cleaner import rules
    from cleaner.blocks import split_blocks
    from cleaner.config import CleanerConfig
    from cleaner.pipeline import Context
    from cleaner.segment import sentence_spans
    from cleaner.stages.boilerplate import remove_boilerplate
    from cleaner.stages.duplicates import remove_duplicate_paragraphs

    ctx = Context(CleanerConfig())
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    rules._cached_match.cache_clear()  # a cold start: nothing learned yet
    t_seg, _ = timed(lambda: [(split_blocks(d.text), sentence_spans(d.text)) for d in docs])
    t_bp, cleaned = timed(lambda: [remove_boilerplate(d, ctx) for d in docs])
    t_dup, _ = timed(lambda: [remove_duplicate_paragraphs(d, ctx) for d in cleaned])
    together = t_bp + t_dup  # the boilerplate stage segments on its own
    result = {
        "mb": mb(size),
        "segmentation_mb_s": mb(size) / t_seg,
        "boilerplate_mb_s": mb(size) / t_bp,
        "duplicates_mb_s": mb(size) / t_dup,
        "together_mb_s": mb(size) / together,
    }
    print(
        f"boilerplate {label}: {mb(size):.1f} MB | segmentation alone {result['segmentation_mb_s']:.1f} MB/s | "
        f"boilerplate (segmentation included) {result['boilerplate_mb_s']:.2f} MB/s | "
        f"duplicates {result['duplicates_mb_s']:.2f} MB/s | together {result['together_mb_s']:.2f} MB/s per core"
    )
    return result


def bench_boilerplate(docs: list[dict], eval_dir: Path) -> dict:
    """The article stages on the bench corpus, and on every real page once."""
    from cleaner.document import Document

    bench_docs = [Document(id=d["id"], source="b", name="b", text=d["text"]) for d in docs]
    pages = corpus.real_pages(eval_dir)
    unique = [
        Document(id=f"{lang}{i}", source="u", name="u", text="\n".join(p) + "\n")
        for lang in pages
        for i, p in enumerate(pages[lang])
    ]
    return {
        "bench_corpus": _stage_rates(bench_docs, "bench corpus"),
        "unique_pages": _stage_rates(unique, "unique pages"),
    }


def bench_language(docs: list[dict]) -> dict:
    """The language stage, one core, on the bench corpus (model already loaded)."""
    from cleaner import langmodel
    from cleaner.config import CleanerConfig
    from cleaner.document import Document
    from cleaner.pipeline import Context
    from cleaner.stages.language import identify_languages, sentence_units

    langmodel.load()  # once per process, like the pipeline does
    ctx = Context(CleanerConfig())
    inputs = [Document(id=d["id"], source="b", name="b", text=d["text"]) for d in docs]
    size = sum(len(d.text.encode("utf-8")) for d in inputs)
    sentences = sum(len(sentence_units(d.text)) for d in inputs)
    t, _ = timed(lambda: [identify_languages(d, ctx) for d in inputs])
    result = {"mb_s": mb(size) / t, "sentences_s": sentences / t}
    print(
        f"language  stage {result['mb_s']:.2f} MB/s per core, {result['sentences_s']:,.0f} sentences/s"
    )
    return result


def bench_spun(docs: list[dict]) -> dict:
    """The spun-text stage, one core, on the bench corpus: the corpus pass's
    bigram counts, the per-document stage (lexicon, collocations, the
    immutables' signature) and the corpus-wide paraphrase search."""
    from cleaner.config import CleanerConfig
    from cleaner.document import Document
    from cleaner.pipeline import Context, CorpusStats
    from cleaner.spun import background
    from cleaner.spun.collocation import watched_bigrams, zipf
    from cleaner.spun.paraphrase import find_paraphrases
    from cleaner.spun.words import norms_of
    from cleaner.stages.spun import flag_spun_many

    zipf("the", "en"), zipf("le", "fr")  # wordfreq's tables load once per process
    for lang in background.LANGS:  # so do the background models and synonym tables
        background.synonyms(lang)
    config = CleanerConfig()
    inputs = [
        Document(id=d["id"], source="b", name=d["id"], text=d["text"], report={"lang": d["lang"]})
        for d in docs
    ]
    size = sum(len(d.text.encode("utf-8")) for d in inputs)

    def count() -> dict[int, int]:
        seen: dict[int, int] = {}
        for d in inputs:
            for key in set(watched_bigrams(norms_of(d.text), d.report["lang"])):
                seen[key] = seen.get(key, 0) + 1
        return {k: v for k, v in seen.items() if v >= 2}

    t_count, counts = timed(count)
    ctx = Context(config, corpus=CorpusStats(bigrams=counts))

    # as the executors run it: 16 documents at a time (engine.run_all), their
    # words judged by the context layer together
    def stage(context: Context) -> list[Document]:
        return [
            d
            for i in range(0, len(inputs), 16)
            for d in flag_spun_many(inputs[i : i + 16], context)
        ]

    t_stage, flagged = timed(lambda: stage(ctx))
    plain = Context(config.replace(spun=config.spun.__class__(context=False)), corpus=ctx.corpus)
    t_plain, _ = timed(lambda: stage(plain))
    signatures = {
        i: d.paraphrase_signature
        for i, d in enumerate(flagged)
        if d.paraphrase_signature is not None
    }
    t_search, found = timed(
        lambda: find_paraphrases(
            signatures,
            lambda i: flagged[i].text,
            lambda i: flagged[i].report["lang"],
            lambda i: flagged[i].id,
            config.spun,
        )
    )
    result = {
        "corpus_counts_mb_s": mb(size) / t_count,
        "stage_mb_s": mb(size) / t_stage,
        "stage_without_context_mb_s": mb(size) / t_plain,
        "paraphrase_search_mb_s": mb(size) / t_search,
        "together_mb_s": mb(size) / (t_count + t_stage + t_search),
        "flagged": sum(d.report["spun"]["flagged"] for d in flagged),
        "paraphrases": len(found),
    }
    print(
        f"spun      corpus counts {result['corpus_counts_mb_s']:.2f} MB/s | "
        f"stage {result['stage_mb_s']:.2f} MB/s (without the context layer "
        f"{result['stage_without_context_mb_s']:.2f}) | paraphrase search "
        f"{result['paraphrase_search_mb_s']:.2f} MB/s | together {result['together_mb_s']:.2f} MB/s "
        f"per core ({result['flagged']} flagged, {result['paraphrases']} paraphrase pairs)"
    )
    return result


def bench_signatures(docs: list[dict], size_mb: int = 10) -> dict:
    """MinHash signatures from text, one core: datasketch's MinHash.bulk (default
    hash, sha1) against cleaner's, both end to end (tokenising and shingling
    included), word 3-grams and 128 permutations, on the same documents."""
    from datasketch import MinHash

    from cleaner.config import DedupConfig
    from cleaner.dedup.fingerprint import fingerprint
    from cleaner.dedup.minhash import permutations, signature
    from cleaner.dedup.shingles import tokenize, word_shingles, words

    options = DedupConfig()
    n = options.shingle
    texts, size = [], 0
    for d in docs:
        if size >= size_mb * 1_000_000:
            break
        texts.append(d["text"])
        size += len(d["text"].encode("utf-8"))

    def datasketch_bulk():
        sets = []
        for text in texts:
            w = words(text)
            k = min(n, len(w))
            sets.append([" ".join(w[i : i + k]).encode("utf-8") for i in range(len(w) - k + 1)])
        return MinHash.bulk(sets, num_perm=options.num_perm)

    perms = permutations(options.num_perm, options.seed)
    t_ds, _ = timed(datasketch_bulk)
    t_ours, _ = timed(
        lambda: [signature(word_shingles(tokenize(t).words, n), perms) for t in texts]
    )
    t_fp, _ = timed(lambda: [fingerprint(t, options) for t in texts])
    result = {
        "datasketch_bulk_mb_s": mb(size) / t_ds,
        "cleaner_signature_mb_s": mb(size) / t_ours,
        "cleaner_fingerprint_mb_s": mb(size) / t_fp,
        "ratio_signature": t_ds / t_ours,
        "ratio_fingerprint": t_ds / t_fp,
    }
    print(
        f"minhash   {len(texts):,} docs, {mb(size):.1f} MB, word {n}-grams, "
        f"{options.num_perm} permutations, one core:\n"
        f"          datasketch MinHash.bulk {result['datasketch_bulk_mb_s']:.2f} MB/s, "
        f"cleaner signature {result['cleaner_signature_mb_s']:.2f} MB/s "
        f"({result['ratio_signature']:.1f}x), full fingerprint "
        f"{result['cleaner_fingerprint_mb_s']:.2f} MB/s ({result['ratio_fingerprint']:.1f}x)"
    )
    return result


def bench_cli(clean_path: Path, size: int, docs: int) -> dict:
    """`cleaner clean` end to end, from the installed command."""
    cleaner = Path(sys.executable).parent / "cleaner"
    result = {}
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            t, proc = timed(
                lambda jobs=jobs, out=out: subprocess.run(
                    [str(cleaner), "clean", str(clean_path), "-o", out, "-q", "--jobs", str(jobs)],
                    capture_output=True,
                )
            )
            if proc.returncode != 0:
                raise SystemExit(f"cleaner clean failed: {proc.stderr.decode()[-2000:]}")
        result[f"jobs{jobs}_seconds"] = t
        result[f"jobs{jobs}_mb_s"] = mb(size) / t
        result[f"jobs{jobs}_docs_s"] = docs / t
        print(
            f"cli       cleaner clean --jobs {jobs}: {t:.1f} s, {mb(size) / t:.2f} MB/s "
            f"({mb(size) / t / jobs:.2f} MB/s per core), {docs / t:,.0f} docs/s"
        )
    return result


def bench_check(runs: int = 15) -> dict:
    """`cleaner check` on one new file against the seeds' index, as the
    pre-commit hook runs it (start-up, index sync, check, index update), and
    `cleaner --help`; median wall time of `runs` runs of the installed command."""
    import statistics

    cleaner = str(Path(sys.executable).parent / "cleaner")
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        index = str(Path(tmp) / "seeds.idx")
        subprocess.run(
            [cleaner, "index", "build", str(seeds), "--index", index],
            check=True,
            capture_output=True,
        )
        new = seeds / "new.txt"
        shutil.copy(ROOT / "fixtures" / "spun" / "clean_consumer_credit.txt", new)
        check_times, help_times = [], []
        for _ in range(runs):
            os.utime(new)  # a changed file each time: never skipped as already indexed
            t, proc = timed(
                lambda: subprocess.run(
                    [cleaner, "check", str(new), "--index", index], capture_output=True
                )
            )
            if proc.returncode != 0:
                raise SystemExit(
                    f"cleaner check failed: {proc.stdout.decode()}{proc.stderr.decode()}"
                )
            check_times.append(t)
            t, _ = timed(lambda: subprocess.run([cleaner, "--help"], capture_output=True))
            help_times.append(t)
    result = {
        "check_one_file_median_s": statistics.median(check_times),
        "check_one_file_max_s": max(check_times),
        "help_median_s": statistics.median(help_times),
    }
    print(
        f"check     one new file against the seeds' index: median {result['check_one_file_median_s']:.2f} s "
        f"(max {result['check_one_file_max_s']:.2f} s, {runs} runs) | cleaner --help median "
        f"{result['help_median_s']:.2f} s"
    )
    return result


def bench_xling(docs: list[dict], sizes: tuple[int, ...] = (250, 1000, 2000)) -> dict:
    """Translation duplicates, one core: embedding (per document, once, on the
    largest sample; the others are its first documents), reading an embedding
    back from the index's cache, and the cross-language search and
    verification (the part that grows with n^2), on the first documents of the
    bench corpus (real text, few translations)."""
    import sqlite3

    from cleaner.config import XlingConfig
    from cleaner.dedup.index import EMBEDDINGS_SCHEMA
    from cleaner.xling import embed, search
    from cleaner.xling.cache import EmbeddingCache
    from cleaner.xling.pairs import embedded, find_translations

    if not embed.available():
        print("xling     skipped: the xling extra is not installed")
        return {}
    options = XlingConfig()
    embed.model()  # loaded once per process
    sample = docs[: max(sizes)]
    t_embed, vectors_of = timed(lambda: [embedded(d["text"], options) for d in sample])
    paras = sum(len(e.paragraphs) for e in vectors_of)
    db = sqlite3.connect(":memory:")
    db.executescript(EMBEDDINGS_SCHEMA)
    cached = EmbeddingCache(db, options)
    keys = [i.to_bytes(16, "little") for i in range(len(sample))]
    for key, found, d in zip(keys, vectors_of, sample, strict=True):
        cached.put(key, found, d["lang"])
    t_read, _ = timed(lambda: [cached.get(k, d["text"]) for k, d in zip(keys, sample, strict=True)])
    # dedup --index: one new English file against the kept French vectors
    t_scan, _ = timed(lambda: cached.nearest(vectors_of[0].vector[None, :], "fr", 3, 0.5))
    results = {
        "embedded_docs": len(sample),
        "embed_ms_doc": 1000 * t_embed / len(sample),
        "paragraphs_s": paras / t_embed,
        "cache_read_ms_doc": 1000 * t_read / len(sample),
        "index_scan_s": t_scan,
    }
    print(
        f"xling     embedding {len(sample):,} docs: {1000 * t_embed / len(sample):.1f} ms/doc "
        f"({paras / t_embed:.0f} paragraphs/s); read back from the index cache "
        f"{1000 * t_read / len(sample):.2f} ms/doc; one file against the French vectors "
        f"{t_scan:.3f} s"
    )
    for n in sizes:
        langs = [d["lang"] for d in sample[:n]]
        texts = [d["text"] for d in sample[:n]]
        t_pass, found = timed(
            lambda t=texts, g=langs: find_translations(
                range(len(t)), g.__getitem__, t.__getitem__, options, vectors_of.__getitem__
            )
        )
        vectors = np.stack([e.vector for e in vectors_of[:n]])
        t_search, _ = timed(lambda v=vectors: search.nearest(v, v, options.neighbours))
        results[n] = {
            "pass_ms_doc": 1000 * t_pass / n,
            "search_s": t_search,
            "pairs": len(found),
            "en": langs.count("en"),
            "fr": langs.count("fr"),
        }
        print(
            f"xling     {n:,} docs (en {langs.count('en'):,}, fr {langs.count('fr'):,}): "
            f"search + verification {1000 * t_pass / n:.2f} ms/doc "
            f"(all-pairs search {t_search:.3f} s), {len(found)} pairs"
        )
    return results


SECTIONS = ("encoding", "boilerplate", "language", "spun", "xling", "minhash", "check", "cli")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--size-mb", type=int, default=60)
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument(
        "--xling-sizes", default="250,1000,2000", help="corpus sizes of the xling section"
    )
    args = parser.parse_args()
    wanted = set(args.only.split(","))

    clean_path, broken_path = corpus.ensure(args.eval, CACHE / "corpus", args.size_mb * 1_000_000)
    docs = corpus.read_jsonl(clean_path)
    size = sum(len(d["text"].encode("utf-8")) for d in docs)
    by_lang = {lang: sum(d["lang"] == lang for d in docs) for lang in ("en", "fr")}
    print(
        f"corpus    {clean_path.relative_to(ROOT)}: {len(docs):,} docs, {mb(size):.1f} MB "
        f"(en {by_lang['en']:,}, fr {by_lang['fr']:,}); built from {args.eval}"
    )
    print(f"machine   {os.cpu_count()} cores, python {sys.version.split()[0]}")
    results: dict = {"corpus": {"path": str(clean_path), "docs": len(docs), "mb": mb(size)}}
    if "encoding" in wanted:
        results["encoding"] = bench_encoding(docs, corpus.read_jsonl(broken_path), args.eval)
    if "boilerplate" in wanted:
        results["boilerplate"] = bench_boilerplate(docs, args.eval)
    if "language" in wanted:
        results["language"] = bench_language(docs)
    if "spun" in wanted:
        results["spun"] = bench_spun(docs)
    if "xling" in wanted:
        sizes = tuple(int(n) for n in args.xling_sizes.split(","))
        results["xling"] = bench_xling(docs, sizes)
    if "minhash" in wanted:
        results["minhash"] = bench_signatures(docs)
    if "check" in wanted:
        results["check"] = bench_check()
    if "cli" in wanted:
        results["cli"] = bench_cli(clean_path, size, len(docs))
    CACHE.mkdir(exist_ok=True)
    (CACHE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
