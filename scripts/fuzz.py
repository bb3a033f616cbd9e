"""Fuzz `cleaner clean`: thousands of hostile documents, every one accounted for.

Generates documents of every kind a scraped corpus throws at the cleaner
(random bytes, random code points with lone surrogates, controls, RTL and
combining marks, real text cut mid-character, NUL bytes, mojibake, BOMs and
UTF-16, repeated paragraphs, all-boilerplate and empty files, bad JSON
lines), runs `cleaner clean` on them as a folder of text files and as a
JSONL shard, and checks the run: the exit status is the documented one, no
traceback, and every input is in the report exactly once and in the summary
(written + left out + empty + failed = inputs).

    python scripts/fuzz.py [--docs 20000] [--seed 1] [--eval ../shared/eval]

Exits 1 when a check fails. tests/test_fuzz.py runs a sample of it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Real text to mangle: the seeds and fixtures (always there), and the
# evaluation pages when their folder is given.
_BOILERPLATE = [
    "Comments",
    "Share on Facebook",
    "MOBILE VIEW",
    "By .",
    "Autres articles",
    "Partager sur Twitter",
    "#news #breaking",
    "Subscribe to our newsletter",
]
_ODD_CHARS = (
    [chr(c) for c in range(0x00, 0x20)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x300, 0x370)]  # combining marks
    + [chr(c) for c in range(0x590, 0x700)]  # Hebrew, Arabic
    + ["\u200f", "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\ufeff", "\u00a0"]
    + ["\u2028", "\u2029", "\x85", "\ufffd", "\U0001f600", "\u4e2d", "\uff21", "\ufb01"]
)
_SURROGATES = [chr(c) for c in (0xD800, 0xD83D, 0xDBFF, 0xDC00, 0xDCEF, 0xDE00, 0xDFFF)]


def real_texts(eval_folder: Path | None, limit: int = 400) -> list[str]:
    """Real documents to start from: seeds, fixtures, and eval pages when given."""
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "fixtures").rglob("*.txt"))
    if eval_folder is not None and eval_folder.is_dir():
        paths += sorted(eval_folder.glob("boilerplate_*/input/*.txt"))[:limit]
    texts = []
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace")[:2500]  # hostility, not volume
        if text.strip():
            texts.append(text)
    return texts


def _paragraphs(texts: list[str]) -> list[str]:
    return [p[:600] for t in texts for p in re.split(r"\n\s*\n", t) if len(p.strip()) > 40]


def _mangle(rng: random.Random, texts: list[str], paragraphs: list[str]) -> str | bytes:
    """One hostile document: text (str, may hold lone surrogates) or raw bytes."""
    kind = rng.randrange(14)
    text = rng.choice(texts)
    if kind == 0:  # random bytes
        return rng.randbytes(rng.randrange(0, 3000))
    if kind == 1:  # random code points, lone surrogates included
        chars = [rng.choice(_ODD_CHARS + _SURROGATES) for _ in range(rng.randrange(1, 400))]
        return "".join(chars)
    if kind == 2:  # real text cut at a random byte, often inside a character
        data = text.encode("utf-8")
        return data[rng.randrange(len(data) + 1) :][: rng.randrange(1, len(data) + 1)]
    if kind == 3:  # NUL bytes inserted
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randrange(1, 5)):
            data.insert(rng.randrange(len(data) + 1), 0)
        return bytes(data)
    if kind == 4:  # mojibake, once or twice
        broken = text.encode("utf-8").decode("cp1252", "replace")
        if rng.random() < 0.3:
            broken = broken.encode("utf-8").decode("cp1252", "replace")
        return broken
    if kind == 5:  # a legacy codec file
        return text.encode("cp1252", "replace")
    if kind == 6:  # BOMs and UTF-16/32
        codec = rng.choice(["utf-8-sig", "utf-16", "utf-32", "utf-16-le"])
        return text.encode(codec, "replace")
    if kind == 7:  # repeated paragraphs
        chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randrange(1, 5)))
        return "\n\n".join(chosen * rng.randrange(2, 4))
    if kind == 8:  # all boilerplate, or empty, or blank
        return rng.choice(
            ["", "\n\n  \n", "\n".join(rng.sample(_BOILERPLATE, k=rng.randrange(1, 5)))]
        )
    if kind == 9:  # odd characters sprinkled into real text
        chars = list(text[: rng.randrange(1, 4000)])
        for _ in range(rng.randrange(1, 30)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(_ODD_CHARS + _SURROGATES))
        return "".join(chars)
    if kind == 10:  # line endings of every kind, trailing spaces
        return text.replace("\n", rng.choice(["\r\n", "\r", "\n  \t", "\u2028"]))
    if kind == 11:  # one long line
        return " ".join(rng.choice(paragraphs).replace("\n", " ") for _ in range(10))
    if kind == 12:  # boilerplate around real text
        return "\n".join(_BOILERPLATE[:3]) + "\n\n" + text + "\n\n" + "\n".join(_BOILERPLATE[3:])
    return text  # clean text (and the copies deduplication finds among them)


def generate(count: int, seed: int, eval_folder: Path | None = None) -> list[str | bytes]:
    rng = random.Random(seed)
    texts = real_texts(eval_folder)
    paragraphs = _paragraphs(texts)
    return [_mangle(rng, texts, paragraphs) for _ in range(count)]


def _as_bytes(doc: str | bytes) -> bytes:
    # a lone surrogate in a file is what it is on disk: bytes that are not UTF-8
    return doc if isinstance(doc, bytes) else doc.encode("utf-8", "surrogatepass")


def _as_record_line(rng: random.Random, number: int, doc: str | bytes) -> bytes:
    text = doc.decode("utf-8", "surrogateescape") if isinstance(doc, bytes) else doc
    record: dict = {"id": f"doc-{number}", "text": text}
    roll = rng.random()
    if roll < 0.05:  # a lone surrogate in the id and in a carried field
        record["id"] += rng.choice(_SURROGATES)
        record["source"] = "web" + rng.choice(_SURROGATES)
    elif roll < 0.08:
        record["text"] = 42  # not a string
    line = json.dumps(record, ensure_ascii=True).encode("ascii")  # surrogates as \\uXXXX
    if rng.random() < 0.03:
        line = line[: rng.randrange(1, len(line))]  # a cut line: invalid JSON (never blank)
    return line.replace(b"\n", b" ") + b"\n"


def write_inputs(docs: list[str | bytes], folder: Path, seed: int) -> tuple[Path, Path]:
    """The documents as a folder of text files and as one JSONL shard."""
    texts = folder / "texts"
    texts.mkdir(parents=True)
    for number, doc in enumerate(docs):
        (texts / f"f{number:05d}.txt").write_bytes(_as_bytes(doc))
    rng = random.Random(seed + 1)
    shard = folder / "shard.jsonl"
    with open(shard, "wb") as f:
        for number, doc in enumerate(docs):
            f.write(_as_record_line(rng, number, doc))
    return texts, shard


def _summary_counts(stderr: str) -> tuple[int, int, int] | None:
    found = re.search(r"cleaner: ([\d,]+) documents: ([\d,]+) ok, ([\d,]+) failed", stderr)
    if found is None:
        return None
    return tuple(int(g.replace(",", "")) for g in found.groups())  # type: ignore[return-value]


def check_run(inputs: Path, out: Path, expected: int, jobs: int = 1) -> list[str]:
    """Clean `inputs` into `out`; the problems found with the run (empty: all good)."""
    command = [
        str(Path(sys.executable).parent / "cleaner"),
        "clean",
        str(inputs),
        "-o",
        str(out),
        "--jobs",
        str(jobs),
        "--no-resume",
    ]
    result = subprocess.run(command, capture_output=True, timeout=3600)
    stderr = result.stderr.decode("utf-8", "replace")
    problems = []
    if "Traceback" in stderr:
        problems.append(f"{inputs.name}: traceback:\n{stderr[stderr.index('Traceback') :]}")
    records = [json.loads(line) for line in (out / "report.jsonl").read_bytes().splitlines()]
    failed = sum(r["status"] == "error" for r in records)
    wanted_exit = 1 if failed else 0
    if result.returncode != wanted_exit:
        problems.append(f"{inputs.name}: exit {result.returncode}, documented {wanted_exit}")
    if len(records) != expected:
        problems.append(f"{inputs.name}: {len(records)} report records for {expected} inputs")
    keys = [(r["path"], r["id"]) for r in records]
    if len(set(keys)) != len(keys):
        problems.append(f"{inputs.name}: a document reported twice")
    counts = _summary_counts(stderr)
    ok = sum(r["status"] == "ok" for r in records)
    empty = sum(r["status"] == "empty" for r in records)
    if counts != (expected, ok + empty, failed):
        problems.append(f"{inputs.name}: summary {counts}, report {(expected, ok + empty, failed)}")
    left_out = sum(  # copies are left out; both sides of a translation pair are written
        bool(r.get("duplicate"))
        and not r["duplicate"]["kept"]
        and r["duplicate"]["kind"] != "translation"
        for r in records
        if r["status"] == "ok"
    )
    written = ok - left_out
    if inputs.is_dir():
        files = sum(1 for p in out.rglob("*.txt"))
        if files != written:
            problems.append(f"{inputs.name}: {files} files written, {written} expected")
    else:
        lines = (out / inputs.name).read_bytes().splitlines()
        # a line that could not be read as a record is carried through as it was
        bad_lines = sum(r["status"] == "error" for r in records)
        if len(lines) != written + bad_lines:
            problems.append(
                f"{inputs.name}: {len(lines)} records written, {written + bad_lines} expected"
            )
    if not problems:
        print(
            f"{inputs.name}: {expected:,} inputs: {ok:,} ok ({left_out:,} copies left out), "
            f"{empty:,} empty, {failed:,} failed; exit {result.returncode}; no traceback"
        )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    docs = generate(args.docs, args.seed, args.eval)
    problems = []
    with tempfile.TemporaryDirectory(prefix="cleaner-fuzz-") as tmp:
        texts, shard = write_inputs(docs, Path(tmp), args.seed)
        for inputs in (texts, shard):
            start = time.monotonic()
            problems += check_run(inputs, Path(tmp) / f"out-{inputs.name}", args.docs, args.jobs)
            print(f"  {time.monotonic() - start:.0f} s")
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
