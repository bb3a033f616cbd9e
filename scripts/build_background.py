"""Build the background bigram models of cleaner/spun/background.py.

English: the generic US-English trigram model shipped in the PyPI package
`pocketsphinx` (model/en-us/en-us.lm.bin, BSD licence), read straight from its
binary trie file: its unigrams, their backoff weights and its bigrams are kept
as they are (its trigrams are dropped); words that cleaner's tokenizer would
not produce as one token (`don't`, `u.s.`, `'s`, `<s>`) are dropped.

French: counts of the sentences Common Voice collected to redistribute as CC0
(the commonvoice-fr repository's CommonVoice-Data/data: National Assembly debates,
Project Gutenberg, Libre Théâtre, Wikisource; and the Common Voice
sentence-collector export), tokenized by cleaner.spun.words.tokenize, bigrams
within a line (one sentence a line). Interpolated Kneser-Ney, written in ARPA
backoff form:

    P(w|h) = max(c(h,w) - D, 0) / c(h) + a(h) Pc(w)      kept bigrams
    P(w|h) = a(h) Pc(w)                                  other bigrams
    a(h)   = (D N1+(h.) + sum over pruned bigrams of h of (c(h,w) - D)) / c(h)
    Pc(w)  = (N1+(.w) + 1/2) / (N1+(..) + V/2)           continuation probability

with D = n1 / (n1 + 2 n2) from the bigram count-of-counts. Vocabulary: words
seen at least --min-word times, at most --max-vocab of them; bigrams kept when
seen at least --min-bigram times, both words in the vocabulary.

Sources are read from git directories as `fetch` brings them (bare mirrors or
clones), at the commits named below, so a rebuild reads exactly the same text:

    .venv/bin/pip install pocketsphinx==5.1.1   # build time only
    .venv/bin/python scripts/build_background.py \
        --commonvoice-fr /work/.mirror/common-voice+commonvoice-fr/repo \
        --common-voice /work/.mirror/skanderbenalaya+common-voice/repo
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.spun.background import hashes, pair_keys  # noqa: E402
from cleaner.spun.words import norms  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "data" / "background"

COMMONVOICE_FR_COMMIT = "4b9437a5622d5d5b548438bf25968aedb621d58b"
# folders of commonvoice-fr's CommonVoice-Data/data that hold running text, each
# with its licence; addresses, names and prompt lists are left out, and so is
# framabook/ (its books are under several licences, not all of them open)
COMMONVOICE_FR_DIRS = {
    "debats-assemblee-nationale": "Assemblée nationale open data, Licence Ouverte (attribution)",
    "gutenberg": "Project Gutenberg books in the public domain",
    "libretheatre": "Libre Théâtre plays in the public domain",
    "wikisource/txt": "Wikisource transcriptions of public-domain novels",
}
# a fork of common-voice/common-voice (whose own snapshot is too large to fetch):
# the sentence-collector export of 2020-09
COMMON_VOICE_COMMIT = "26249db69c2db684e9629e61ef8d5dc353df11f5"
COMMON_VOICE_FR_FILES = ("server/data/fr/sentence-collector.txt",)


# ---------------------------------------------------------------- reading sources


def git_files(gitdir: Path, commit: str, prefixes: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(path, text) of the .txt files under `prefixes` at `commit`, in path order."""
    out = subprocess.run(
        ["git", "-C", str(gitdir), "ls-tree", "-r", "-z", commit, "--", *prefixes],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    entries = sorted(
        (path, sha)
        for line in out.split("\0")
        if line
        for meta, path in [line.split("\t", 1)]
        for _mode, kind, sha in [meta.split()]
        if kind == "blob" and path.endswith(".txt")
    )
    batch = subprocess.Popen(
        ["git", "-C", str(gitdir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert batch.stdin and batch.stdout
    for path, sha in entries:
        batch.stdin.write(sha.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if header[1] == b"missing":
            raise SystemExit(f"{gitdir}: blob {sha} of {path} is missing from the snapshot")
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)  # the newline after each object
        yield path, data.decode("utf-8", errors="replace")
    batch.stdin.close()
    batch.wait()


# ---------------------------------------------------------------- English: pocketsphinx


def read_sphinx_trie(path: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(words, unigram log10 P, unigram log10 backoff, bigrams) of a Sphinx trie LM.

    The layout is pocketsphinx's src/lm/lm_trie.c: header, order, n-gram counts,
    16-bit quantisation tables, unigram records (prob, backoff, first child),
    then bit-packed n-gram records. The trie is keyed by the *last* word: the
    children of unigram w are the histories h of the bigrams (h, w). Values are
    in Sphinx's logmath units (base 1.0001). Returns bigrams as an (n, 3) float64
    array of (history index, word index, log10 P(word|history))."""
    b = np.fromfile(path, np.uint8)
    header = b"Trie Language Model"
    if bytes(b[: len(header)]) != header:
        raise SystemExit(f"{path}: not a Sphinx trie language model")
    pos = len(header)
    order = int(b[pos])
    if order != 3:
        raise SystemExit(f"{path}: a {order}-gram model; this reader knows the trigram layout")
    counts = np.frombuffer(b[pos + 1 : pos + 1 + 4 * order].tobytes(), "<u4").astype(np.int64)
    pos += 1 + 4 * order + 4  # + the int that once named the quantisation type
    bins = 1 << 16
    tables = np.frombuffer(b[pos : pos + 3 * bins * 4].tobytes(), "<f4")
    pos += 3 * bins * 4  # bigram prob and backoff tables, trigram prob table
    middle_prob = tables[:bins]
    n1 = int(counts[0])
    unigrams = np.frombuffer(
        b[pos : pos + (n1 + 1) * 12].tobytes(), dtype=[("p", "<f4"), ("bo", "<f4"), ("next", "<u4")]
    )
    pos += (n1 + 1) * 12
    word_bits = n1.bit_length()
    next_bits = int(counts[2]).bit_length()
    bits = word_bits + 32 + next_bits  # word, 16-bit backoff code, 16-bit prob code, child
    middle = b[pos : pos + ((1 + int(counts[1])) * bits + 7) // 8 + 8]
    pos += len(middle) + ((1 + int(counts[2])) * (word_bits + 16) + 7) // 8 + 8  # + trigrams
    length = int(np.frombuffer(b[pos : pos + 4].tobytes(), "<i4")[0])
    words = bytes(b[pos + 4 : pos + 4 + length]).decode("utf-8").split("\0")[:n1]

    first = unigrams["next"].astype(np.int64)
    n2 = int(first[-1])  # the sentinel record ends the last word's children
    offsets = np.arange(n2, dtype=np.int64) * bits
    raw = middle[(offsets >> 3)[:, None] + np.arange(8)].copy().view("<u8").ravel()
    raw >>= (offsets & 7).astype(np.uint64)
    history = (raw & np.uint64((1 << word_bits) - 1)).astype(np.int64)
    prob_code = ((raw >> np.uint64(word_bits + 16)) & np.uint64(0xFFFF)).astype(np.int64)
    word = np.repeat(np.arange(n1), np.diff(first))
    to_log10 = math.log10(1.0001)
    bigrams = np.column_stack([history, word, middle_prob[prob_code].astype(np.float64) * to_log10])
    return (
        words,
        unigrams["p"][:n1].astype(np.float64) * to_log10,
        unigrams["bo"][:n1].astype(np.float64) * to_log10,
        bigrams,
    )


def build_english(lm_path: Path) -> None:
    words, logp, backoff, bigrams = read_sphinx_trie(lm_path)
    ok = np.array([norms(w) == (w,) for w in words])  # one token of cleaner's tokenizer
    h, w = bigrams[:, 0].astype(np.int64), bigrams[:, 1].astype(np.int64)
    keep = ok[h] & ok[w]
    print(f"en: {ok.sum():,} of {len(words):,} words, {keep.sum():,} of {len(h):,} bigrams kept")
    word_hashes = hashes(words)
    write_model(
        "en",
        unigram_keys=word_hashes[ok],
        unigram_logp=logp[ok],
        unigram_backoff=backoff[ok],
        bigram_keys=pair_keys(word_hashes[h[keep]], word_hashes[w[keep]]),
        bigram_logp=bigrams[keep, 2],
        unk_logp=float(logp[ok].min()) - 1.0,  # below the rarest word the model knows
        meta={
            "sources": [
                {
                    "name": "pocketsphinx generic US English language model (en-us.lm.bin)",
                    "package": f"pocketsphinx=={_version('pocketsphinx')} (PyPI)",
                    "licence": "BSD-2-Clause (Carnegie Mellon University)",
                    "file": "pocketsphinx/model/en-us/en-us.lm.bin",
                    "file_bytes": lm_path.stat().st_size,
                }
            ],
            "smoothing": "the model's own backoff weights (ARPA Katz-style); trigrams dropped",
            "words": len(words),
        },
    )


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# ---------------------------------------------------------------- French: counts


def french_lines(cv_fr: Path, cv: Path) -> Iterator[tuple[str, str]]:
    prefixes = tuple(f"CommonVoice-Data/data/{d}/" for d in COMMONVOICE_FR_DIRS)
    yield from git_files(cv_fr, COMMONVOICE_FR_COMMIT, prefixes)
    yield from git_files(cv, COMMON_VOICE_COMMIT, COMMON_VOICE_FR_FILES)


def count_text(files: Iterator[tuple[str, str]]) -> tuple[Counter, Counter, dict]:
    """Unigram and bigram (within a line) counts of the norms, and per-source token counts."""
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    per_source: dict[str, int] = {}
    for path, text in files:
        tokens = 0
        for line in text.splitlines():
            words = norms(line)
            unigrams.update(words)
            bigrams.update(zip(words, words[1:], strict=False))
            tokens += len(words)
        source = next((d for d in COMMONVOICE_FR_DIRS if f"/data/{d}/" in path), path)
        per_source[source] = per_source.get(source, 0) + tokens
    return unigrams, bigrams, per_source


def build_french(cv_fr: Path, cv: Path, min_word: int, max_vocab: int, min_bigram: int) -> None:
    start = time.time()
    unigrams, bigrams, per_source = count_text(french_lines(cv_fr, cv))
    tokens = sum(unigrams.values())
    print(
        f"fr: {tokens:,} tokens, {len(unigrams):,} words, {len(bigrams):,} bigrams counted "
        f"in {time.time() - start:.0f} s"
    )

    vocab = [w for w, c in unigrams.most_common(max_vocab) if c >= min_word]
    index = {w: i for i, w in enumerate(vocab)}
    big = np.array(
        [(index.get(a, -1), index.get(b, -1), c) for (a, b), c in bigrams.items()], dtype=np.int64
    )
    h, w, c = big[:, 0], big[:, 1], big[:, 2].astype(np.float64)
    n1, n2 = int((c == 1).sum()), int((c == 2).sum())
    discount = n1 / (n1 + 2 * n2)

    # statistics over every bigram counted, whatever is kept
    known_h = h >= 0
    history_count = np.bincount(h[known_h], weights=c[known_h], minlength=len(vocab))
    continuations = np.bincount(h[known_h], minlength=len(vocab)).astype(np.float64)
    known_w = w >= 0
    left_types = np.bincount(w[known_w], minlength=len(vocab)).astype(np.float64)
    p_cont = (left_types + 0.5) / (len(bigrams) + 0.5 * len(vocab))

    keep = known_h & known_w & (c >= min_bigram)
    pruned_mass = np.bincount(
        h[known_h & ~keep], weights=c[known_h & ~keep] - discount, minlength=len(vocab)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(
            history_count > 0, (discount * continuations + pruned_mass) / history_count, 1.0
        )
    hk, wk, ck = h[keep], w[keep], c[keep]
    p_kept = (ck - discount) / history_count[hk] + alpha[hk] * p_cont[wk]

    word_hashes = hashes(vocab)
    write_model(
        "fr",
        unigram_keys=word_hashes,
        unigram_logp=np.log10(p_cont),
        unigram_backoff=np.log10(alpha),
        bigram_keys=pair_keys(word_hashes[hk], word_hashes[wk]),
        bigram_logp=np.log10(p_kept),
        unk_logp=float(np.log10(0.5 / (len(bigrams) + 0.5 * len(vocab)))),
        meta={
            "sources": [
                {
                    "name": "Common Voice French sentence collections (commonvoice-fr)",
                    "repository": "github.com/common-voice/commonvoice-fr",
                    "commit": COMMONVOICE_FR_COMMIT,
                    "paths": {
                        f"CommonVoice-Data/data/{d}/": licence
                        for d, licence in COMMONVOICE_FR_DIRS.items()
                    },
                    "licence": "sentences chosen for Common Voice, which redistributes them "
                    "as CC0-1.0; per folder above",
                },
                {
                    "name": "Common Voice sentence-collector export, French",
                    "repository": "github.com/skanderbenalaya/common-voice "
                    "(a fork of github.com/common-voice/common-voice)",
                    "commit": COMMON_VOICE_COMMIT,
                    "paths": list(COMMON_VOICE_FR_FILES),
                    "licence": "CC0-1.0",
                },
            ],
            "tokens_per_source": per_source,
            "tokens": tokens,
            "words_seen": len(unigrams),
            "bigrams_seen": len(bigrams),
            "discount": discount,
            "pruning": {"min_word": min_word, "max_vocab": max_vocab, "min_bigram": min_bigram},
            "smoothing": "interpolated Kneser-Ney bigrams in ARPA backoff form "
            "(see scripts/build_background.py)",
        },
    )


# ---------------------------------------------------------------- writing


def write_model(
    lang: str,
    *,
    unigram_keys,
    unigram_logp,
    unigram_backoff,
    bigram_keys,
    bigram_logp,
    unk_logp: float,
    meta: dict,
) -> None:
    folder = OUT / lang
    folder.mkdir(parents=True, exist_ok=True)
    order = np.argsort(unigram_keys, kind="stable")
    uk = np.asarray(unigram_keys, dtype=np.uint64)[order]
    border = np.argsort(bigram_keys, kind="stable")
    bk = np.asarray(bigram_keys, dtype=np.uint64)[border]
    for name, keys in (("unigram", uk), ("bigram", bk)):
        if len(keys) > 1 and (np.diff(keys) == 0).any():
            raise SystemExit(f"{lang}: two {name}s share a 64-bit key")
    arrays = {
        "unigram_keys": uk,
        "unigram_logp": np.asarray(unigram_logp, dtype=np.float32)[order],
        "unigram_backoff": np.asarray(unigram_backoff, dtype=np.float32)[order],
        "bigram_keys": bk,
        "bigram_logp": np.asarray(bigram_logp, dtype=np.float16)[border],
    }
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array)
    meta = {
        "lang": lang,
        "unk_logp": round(unk_logp, 4),
        "unigrams": len(uk),
        "bigrams": len(bk),
        "hash": "blake2b-64 of the UTF-8 word norm, little-endian (0 reserved); "
        "bigram key (h1 * 0x9E3779B97F4A7C15) ^ h2 mod 2**64",
        **meta,
        "bytes": sum((folder / f"{n}.npy").stat().st_size for n in arrays),
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    print(f"{lang}: {len(uk):,} unigrams, {len(bk):,} bigrams, {meta['bytes'] / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("en", "fr", "all"), default="all")
    parser.add_argument("--sphinx-lm", type=Path, help="en-us.lm.bin (default: pocketsphinx's)")
    parser.add_argument(
        "--commonvoice-fr", type=Path, help="git dir of common-voice/commonvoice-fr"
    )
    parser.add_argument(
        "--common-voice",
        type=Path,
        help=f"git dir of a common-voice fork at {COMMON_VOICE_COMMIT[:12]}",
    )
    parser.add_argument("--min-word", type=int, default=2)
    parser.add_argument("--max-vocab", type=int, default=200_000)
    parser.add_argument("--min-bigram", type=int, default=2)
    args = parser.parse_args()
    if args.lang in ("en", "all"):
        lm = args.sphinx_lm
        if lm is None:
            spec = find_spec("pocketsphinx")  # its model folder, without loading its C extension
            if spec is None or not spec.submodule_search_locations:
                raise SystemExit("pip install pocketsphinx==5.1.1, or pass --sphinx-lm")
            lm = Path(spec.submodule_search_locations[0]) / "model" / "en-us" / "en-us.lm.bin"
        build_english(lm)
    if args.lang in ("fr", "all"):
        if not (args.commonvoice_fr and args.common_voice):
            raise SystemExit("French needs --commonvoice-fr and --common-voice (git directories)")
        build_french(
            args.commonvoice_fr, args.common_voice, args.min_word, args.max_vocab, args.min_bigram
        )


if __name__ == "__main__":
    main()
