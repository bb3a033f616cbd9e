"""The two executors on the 200,000-document bench corpus: the same bytes, and what each costs.

    python bench/engines.py [--docs 200000] [--jobs 2] [--translations]

Runs `cleaner clean` on the near-duplicate bench corpus (bench/neardup_corpus.py)
with the local process pool and with `--engine dask` (a LocalCluster of
--jobs workers), compares the outputs and reports byte for byte, and prints
the wall time and peak memory (PSS of the command and all its workers) of each.
Without --translations both run with --no-translations: the translation search
embeds every document (about 32 ms each, `make bench`'s xling section), which
would hide what the executors cost.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neardup_corpus  # noqa: E402
from dedup_scale import CACHE, CLEANER, ROOT, measured  # noqa: E402


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--translations", action="store_true", help="look for translations too")
    args = parser.parse_args()
    corpus, _ = neardup_corpus.ensure(args.eval, CACHE / "neardup", args.docs)
    size = corpus.stat().st_size / 1e6
    print(f"corpus    {corpus.relative_to(ROOT)}: {args.docs:,} documents, {size:.0f} MB")
    results = {}
    for engine in ("local", "dask"):
        with tempfile.TemporaryDirectory() as out:
            command = [CLEANER, "clean", str(corpus), "-o", out, "-q", "--jobs", str(args.jobs)]
            command += ["--engine", engine]
            command += [] if args.translations else ["--no-translations"]
            seconds, peak, proc = measured(command)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr.decode()[-2000:])
            results[engine] = digest(Path(out))
        print(
            f"{engine:<9} cleaner clean --engine {engine} --jobs {args.jobs}: {seconds:.0f} s "
            f"({size / seconds:.2f} MB/s), peak memory {peak / 1e9:.2f} GB "
            f"(PSS, command and workers: {peak / 1e9 / (args.jobs + 1):.2f} GB a process)"
        )
    same = results["local"] == results["dask"]
    print(f"equal     outputs and report identical byte for byte: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
