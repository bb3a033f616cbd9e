"""Deduplication at scale: recall, precision, time and memory on a planted corpus.

    python bench/dedup_scale.py --eval ../shared/eval [--docs 200000] [--jobs 2] [--baseline]

Builds (once, cached in .bench/neardup/) the corpus of bench/neardup_corpus.py,
then, from the installed command, as a user runs it:

1. `cleaner clean corpus.jsonl -o OUT --jobs N`: the whole pipeline, duplicates
   left out; wall time and peak memory (the proportional set size of the
   command and its workers, summed, so that pages the forked workers share
   count once; sampled every 0.1 s). With --baseline, the same with
   --no-dedup, for the cost of deduplication alone.
2. From OUT/report.jsonl: recall of the planted near and exact copies by their
   exact Jaccard (target: >= 0.95 at 0.8 and above), of the wire stories
   inside their host articles (containment >= 0.8), and precision: the share
   of reported copies whose kept copy is truly related (target >= 0.99).
3. `cleaner index build corpus.jsonl`, then `cleaner dedup --index` on single
   new files (planted copies and fresh documents), start-up included: the
   median wall time (target: under 2 s).

Results are printed and saved to .bench/dedup_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neardup_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
CLEANER = str(Path(sys.executable).parent / "cleaner")


def _tree_memory(pid: int) -> int:
    """Memory of a process and its descendants, in bytes: the sum of their PSS
    (proportional set size), so that pages shared by forked workers count once."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except OSError:
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def measured(args: list[str], every: float = 0.1) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command: wall time, peak memory of its process tree (sampled
    every `every` seconds), the result."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(proc.pid))
            time.sleep(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, peak, subprocess.CompletedProcess(args, proc.returncode, out, err)


def score(report: Path, truth: dict) -> dict:
    duplicate = {}
    for line in report.open(encoding="utf-8"):
        record = json.loads(line)
        duplicate[record["id"]] = record.get("duplicate")

    def cluster(doc_id: str) -> int | None:
        d = duplicate.get(doc_id)
        return d["cluster"] if d else None

    family: dict[str, str] = {}
    for source, copy, _ in truth["near"]:
        family[source] = family[copy] = source
    hosts_of = {w["wire"]: {h for h, _ in w["hosts"]} for w in truth["wire"]}
    for w in truth["wire"]:
        family[w["wire"]] = w["wire"]

    buckets = [(0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0), (1.0, 1.01)]
    by_bucket = {b: [0, 0] for b in buckets}
    for source, copy, j in truth["near"]:
        for lo, hi in buckets:
            if lo <= j < hi:
                by_bucket[(lo, hi)][0] += 1
                by_bucket[(lo, hi)][1] += cluster(source) is not None and cluster(
                    source
                ) == cluster(copy)
    high = [
        (cluster(s) is not None and cluster(s) == cluster(c))
        for s, c, j in truth["near"]
        if j >= 0.8
    ]
    wires = [w for w in truth["wire"] if any(c >= 0.8 for _, c in w["hosts"])]
    wire_found = [
        any(
            cluster(w["wire"]) is not None and cluster(w["wire"]) == cluster(h)
            for h, _ in w["hosts"]
        )
        for w in wires
    ]
    reported = correct = 0
    wrong_examples = []
    for doc_id, d in duplicate.items():
        if not d or d["kept"]:
            continue
        reported += 1
        kept = d["duplicate_of"]["id"]
        related = (doc_id in family and family.get(kept) == family[doc_id]) or kept in hosts_of.get(
            doc_id, ()
        )
        correct += related
        if not related and len(wrong_examples) < 5:
            wrong_examples.append([doc_id, kept, d["kind"], d["similarity"]])
    return {
        "near_recall_by_jaccard": {
            f"{lo:.1f}-{min(hi, 1.0):.1f}" if hi <= 1.0 else "1.0 (exact)": [found, total]
            for (lo, hi), (total, found) in by_bucket.items()
        },
        "recall_at_0.8": sum(high) / len(high),
        "pairs_at_0.8": len(high),
        "wire_recall": sum(wire_found) / len(wire_found) if wires else None,
        "wires": len(wires),
        "reported_copies": reported,
        "precision": correct / reported if reported else None,
        "wrong_examples": wrong_examples,
    }


def bench_index(
    corpus_path: Path, truth: dict, records: dict[str, str], fresh: list[str], jobs: int
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "corpus.idx"
        t, peak, proc = measured(
            [CLEANER, "index", "build", str(corpus_path), "--index", str(index), "-j", str(jobs)]
        )
        if proc.returncode != 0:
            raise SystemExit(proc.stderr.decode()[-2000:])
        print(
            f"index     build: {t:.0f} s, peak {peak / 1e9:.2f} GB, "
            f"{index.stat().st_size / 1e6:.0f} MB on disk"
        )
        copies = [records[copy] for _, copy, j in truth["near"] if j >= 0.8][:5]
        queries = [("copy", text) for text in copies] + [("fresh", text) for text in fresh]
        times, right = [], 0
        for i, (kind, text) in enumerate(queries):
            path = Path(tmp) / f"new{i}.txt"
            path.write_text(text, encoding="utf-8")
            for _ in range(3):
                start = time.perf_counter()
                proc = subprocess.run(
                    [CLEANER, "dedup", "--index", str(index), str(path)], capture_output=True
                )
                times.append(time.perf_counter() - start)
            right += (proc.returncode == 1) == (kind == "copy")
        median = statistics.median(times)
        print(
            f"index     check one file against {len(records):,} documents: median {median:.2f} s "
            f"(max {max(times):.2f} s, {len(times)} runs); {right}/{len(queries)} answers right"
        )
        return {
            "build_seconds": t,
            "build_peak_bytes": peak,
            "size_bytes": index.stat().st_size,
            "query_median_seconds": median,
            "query_max_seconds": max(times),
            "queries_right": [right, len(queries)],
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--no-index", action="store_true")
    args = parser.parse_args()

    corpus_path, truth_path = neardup_corpus.ensure(args.eval, CACHE / "neardup", args.docs)
    truth = json.loads(truth_path.read_text())
    size = corpus_path.stat().st_size
    print(
        f"corpus    {corpus_path.relative_to(ROOT)}: {args.docs:,} documents, {size / 1e6:.0f} MB; "
        f"{len(truth['near']):,} planted copies, {len(truth['wire']):,} wire stories in "
        f"{sum(len(w['hosts']) for w in truth['wire']):,} articles"
    )
    results: dict = {"docs": args.docs, "mb": size / 1e6, "jobs": args.jobs}
    with tempfile.TemporaryDirectory() as out:
        command = [CLEANER, "clean", str(corpus_path), "-o", out, "-q", "--jobs", str(args.jobs)]
        t, peak, proc = measured(command)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr.decode()[-2000:])
        results["clean"] = {"seconds": t, "peak_bytes": peak}
        print(
            f"clean     cleaner clean --jobs {args.jobs}: {t:.0f} s ({size / 1e6 / t:.2f} MB/s), "
            f"peak memory {peak / 1e9:.2f} GB (PSS, command and workers)"
        )
        results["quality"] = quality = score(Path(out) / "report.jsonl", truth)
    if args.baseline:
        with tempfile.TemporaryDirectory() as out:
            t, peak, _ = measured(command[:4] + [out, "-q", "--jobs", str(args.jobs), "--no-dedup"])
            results["baseline"] = {"seconds": t, "peak_bytes": peak}
            print(f"baseline  --no-dedup: {t:.0f} s, peak memory {peak / 1e9:.2f} GB")
    print(
        f"quality   recall by exact Jaccard of the planted copies: {quality['near_recall_by_jaccard']}"
    )
    print(
        f"quality   recall at Jaccard >= 0.8: {quality['recall_at_0.8']:.4f} "
        f"({quality['pairs_at_0.8']:,} pairs); wire stories in their articles "
        f"(containment >= 0.8): {quality['wire_recall']:.4f} ({quality['wires']:,}); "
        f"precision {quality['precision']:.4f} of {quality['reported_copies']:,} reported copies"
    )
    if not args.no_index:
        records = {}
        for line in corpus_path.open(encoding="utf-8"):
            r = json.loads(line)
            records[r["id"]] = r["text"]
        import numpy as np

        training = neardup_corpus.training_texts(args.eval)
        fresh = []
        for lang in ("en", "fr"):
            model = neardup_corpus.train(training[lang])
            lengths = np.array([150, 400, 900][: 3 if lang == "en" else 2])
            fresh += neardup_corpus.generate(model, lengths, np.random.default_rng(7))
        results["index"] = bench_index(corpus_path, truth, records, fresh, args.jobs)
    CACHE.mkdir(exist_ok=True)
    (CACHE / "dedup_scale.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
