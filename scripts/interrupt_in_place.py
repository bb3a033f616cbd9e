"""Kill `cleaner clean --in-place` in the middle of its writes, run it again,
and compare with a run that was never interrupted.

Builds a corpus of articles (paragraphs of real pages) with lines of site
furniture repeated in a few to many files, around the corpus-repeated rule's
thresholds, cleans one copy in one go, then for each moment kills a run on a
fresh copy with SIGKILL once that many files have been rewritten, runs the
same command again, and checks that every file is byte-identical to the
uninterrupted run and that no temporary or state file is left behind.

    python scripts/interrupt_in_place.py [--files 2000] [--moments 1,5,30,600,1800]

Exits 1 when a rerun differs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEANER = str(Path(sys.executable).parent / "cleaner")

# Lines of site furniture, each in this many files: around the
# corpus-repeated rule's minimum of 10 documents, so that counting again
# after a few files were rewritten would decide differently.
FURNITURE = {
    "Weather in Lyon: 14°C, light rain": 10,
    "Météo à Paris : 9°C, nuageux": 11,
    "Markets: CAC 40 +0.4%, FTSE -0.1%": 12,
    "Trafic : A7 chargée entre Lyon et Valence": 13,
    "Pollen index: high (grass)": 14,
    "Bourse : le Dow Jones ouvre en hausse": 16,
    "Air quality: good (AQI 32)": 25,
}


def paragraphs(eval_folder: Path) -> list[str]:
    paths = sorted(eval_folder.glob("boilerplate_*/input/*.txt")) or sorted(
        (ROOT / "fixtures").rglob("*.txt")
    )
    found = []
    for path in paths + sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text("utf-8", "replace")
        found += [p.strip() for p in re.split(r"\n\s*\n|\n", text) if len(p.split()) > 25]
    return found


def build(folder: Path, files: int, eval_folder: Path, seed: int = 3) -> None:
    rng = random.Random(seed)
    pool = paragraphs(eval_folder)
    folder.mkdir(parents=True)
    # line i in files i, i + 7, i + 14...: all among the first files written
    holders = {
        line: set(range(i, i + 7 * count, 7)) for i, (line, count) in enumerate(FURNITURE.items())
    }
    for number in range(files):
        lines = [f"Article {number}: {rng.choice(pool)[:80]}", ""]
        lines += [p + "\n" for p in rng.sample(pool, k=3)]
        lines += [line for line, where in holders.items() if number in where]
        (folder / f"f{number:04d}.txt").write_text("\n".join(lines) + "\n", "utf-8")


def changed_files(folder: Path, original: dict[str, int]) -> int:
    count = 0
    for entry in os.scandir(folder):
        if entry.name in original and entry.stat().st_mtime_ns != original[entry.name]:
            count += 1
    return count


def run(folder: Path, extra: list[str]) -> subprocess.CompletedProcess:
    command = [CLEANER, "clean", str(folder), "--in-place", "-q", *extra]
    return subprocess.run(command, capture_output=True, timeout=3600)


def kill_after(folder: Path, writes: int, extra: list[str]) -> int:
    """Start a run, SIGKILL it once `writes` files were rewritten; how many were."""
    original = {e.name: e.stat().st_mtime_ns for e in os.scandir(folder)}
    command = [CLEANER, "clean", str(folder), "--in-place", "-q", *extra]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:
        if changed_files(folder, original) >= writes:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait()
    return changed_files(folder, original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--moments", default="1,5,30,600,1800")
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("extra", nargs="*", help="more options for cleaner clean")
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="cleaner-kill-") as tmp:
        corpus = Path(tmp) / "corpus"
        build(corpus, args.files, args.eval)
        whole = Path(tmp) / "whole"
        shutil.copytree(corpus, whole)
        start = time.monotonic()
        result = run(whole, args.extra)
        print(f"uninterrupted: exit {result.returncode}, {time.monotonic() - start:.0f} s")
        expected = {p.name: p.read_bytes() for p in whole.iterdir()}
        removed = sum(
            line in text
            for text in map(bytes.decode, (p.read_bytes() for p in corpus.iterdir()))
            for line in FURNITURE
        ) - sum(line in data.decode() for data in expected.values() for line in FURNITURE)
        print(f"  furniture lines removed by the uninterrupted run: {removed}")
        for moment in map(int, args.moments.split(",")):
            cut = Path(tmp) / f"cut-{moment}"
            shutil.copytree(corpus, cut)
            rewritten = kill_after(cut, moment, args.extra)
            result = run(cut, args.extra)
            got = {p.name: p.read_bytes() for p in cut.iterdir()}
            differ = sorted(n for n in expected if got.get(n) != expected[n])
            left = sorted(set(got) - set(expected))
            same = not differ and not left and result.returncode == 0
            failures += not same
            print(
                f"killed after {rewritten} files rewritten: rerun exit {result.returncode}, "
                f"{len(differ)} files differ, left behind: {left or 'nothing'}"
                + ("" if same else "  <-- FAIL")
            )
            shutil.rmtree(cut)
    print(f"{len(args.moments.split(',')) - failures}/{len(args.moments.split(','))} identical")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
