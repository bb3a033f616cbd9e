"""The clustering of duplicates, local and distributed, on the near-duplicate bench corpus.

    python bench/cluster_steps.py [--docs 200000] [--jobs 2]

Fingerprints the documents of bench/neardup_corpus.py as they are (no other
stage: the clustering is what is measured), then finds the clusters three
ways and checks that they are the same: `find_duplicates` in this process,
the map/shuffle/reduce steps of cleaner/dedup/distributed.py in this process
(LocalExchange), and the same steps on a Dask LocalCluster of --jobs workers.
Prints each one's wall time and the rounds of label propagation.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neardup_corpus  # noqa: E402
from dedup_scale import CACHE, ROOT, _tree_memory  # noqa: E402

from cleaner.config import DedupConfig  # noqa: E402
from cleaner.dedup import distributed  # noqa: E402
from cleaner.dedup.cluster import find_duplicates  # noqa: E402
from cleaner.dedup.fingerprint import FingerprintTable, fingerprint  # noqa: E402
from cleaner.dedup.shingles import shingles  # noqa: E402


@contextmanager
def peak_memory(found: list[int]):
    """The peak PSS of this process and its children (Dask's workers) over the block, added to `found`."""
    base = _tree_memory(os.getpid())
    peak, done = [base], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_memory(os.getpid()))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield
    finally:
        done.set()
        sampler.join()
        found.extend((base, peak[0]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    corpus, _ = neardup_corpus.ensure(args.eval, CACHE / "neardup", args.docs)
    options = DedupConfig()
    texts = []
    table = FingerprintTable(options.num_perm)
    began = time.perf_counter()
    with corpus.open(encoding="utf-8") as lines:
        for k, line in enumerate(lines):
            text = json.loads(line)["text"]
            texts.append(text)
            table.add((str(corpus), k), len(text), fingerprint(text, options))
    print(f"fingerprints  {len(texts):,} documents: {time.perf_counter() - began:.1f} s")

    rounds = []
    real_propagate = distributed._propagate

    def counting(ex, labels, *rest):
        real_update = distributed._update
        calls = [0]

        def update(*a):
            calls[0] += 1
            return real_update(*a)

        distributed._update = update
        try:
            return real_propagate(ex, labels, *rest)
        finally:
            distributed._update = real_update
            rounds.append(calls[0] // len(labels))

    distributed._propagate = counting

    began = time.perf_counter()
    local = find_duplicates(table, options, lambda r: shingles(texts[r], options.shingle))
    print(f"local         find_duplicates: {time.perf_counter() - began:.1f} s, "
          f"{len(local.duplicates):,} documents in clusters")  # fmt: skip
    parts = max(2 * args.jobs, -(-len(texts) // 20_000))
    began = time.perf_counter()
    steps = distributed.find_duplicates_distributed(
        table, options, texts.__getitem__, distributed.LocalExchange(), parts
    )
    print(f"steps         in this process, {parts} partitions: {time.perf_counter() - began:.1f} s, "
          f"propagation rounds {rounds}")  # fmt: skip
    from cleaner.engine.dask import DaskEngine

    engine = DaskEngine(None, args.jobs)
    memory: list[int] = []
    try:
        began = time.perf_counter()
        with peak_memory(memory):
            on_dask = engine.find_duplicates(table, options, texts.__getitem__)
        print(f"dask          LocalCluster of {args.jobs}: {time.perf_counter() - began:.1f} s, "
              f"memory (PSS, this process and the cluster) {memory[0] / 1e9:.2f} GB before, "
              f"peak {memory[1] / 1e9:.2f} GB")  # fmt: skip
    finally:
        engine.close()
    same = local.duplicates == steps.duplicates == on_dask.duplicates
    print(f"equal         the same clusters, kept copies and fields: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
