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
seen at least --min-bigram times (default once), both words in the vocabulary.

Sources are read from git directories as `fetch` brings them (bare mirrors or
clones), at the commits named below, so a rebuild reads exactly the same text:

    .venv/bin/pip install pocketsphinx==5.1.1   # build time only
    .venv/bin/python scripts/build_background.py \
        --commonvoice-fr /work/.mirror/common-voice+commonvoice-fr/repo \
        --common-voice /work/.mirror/skanderbenalaya+common-voice/repo
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple

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


class SphinxLM(NamedTuple):
    words: list[str]
    logp: np.ndarray  # per word: log10 P(w)
    backoff: np.ndarray  # per word: log10 backoff weight of w as a history
    bigrams: np.ndarray  # (n2, 3) float64: history index, word index, log10 P(word|history)
    bigram_backoff: np.ndarray  # (n2,) float64: log10 backoff weight of the pair as a history
    trigrams: np.ndarray  # (n3, 2) int64: index of the first word, of the bigram record (u v)->w
    trigram_logp: np.ndarray  # (n3,) float64: log10 P(w | u v)


def _bit_fields(buf: np.ndarray, offsets: np.ndarray, nbits: int) -> np.ndarray:
    """The `nbits`-bit little-endian fields that start at bit `offsets` of `buf` (nbits <= 57)."""
    raw = buf[(offsets >> 3)[:, None] + np.arange(8)].copy().view("<u8").ravel()
    raw >>= (offsets & 7).astype(np.uint64)
    return (raw & np.uint64((1 << nbits) - 1)).astype(np.int64)


def read_sphinx_trie(path: Path) -> SphinxLM:
    """Words, unigrams, bigrams and trigrams of a Sphinx trie LM (a trigram model).

    The layout is pocketsphinx's src/lm/lm_trie.c: header, order, n-gram counts,
    16-bit quantisation tables (bigram prob, bigram backoff, trigram prob:
    lm_trie_quant.c), unigram records (prob, backoff, first child), then
    bit-packed records: bigrams (word, backoff code, prob code, first child),
    then trigrams (word, prob code). The trie is keyed by the *last* word and
    walks the history backwards: the children of unigram w are the bigram
    records of (v, w), each holding v, P(w|v) and the backoff of (v, w) as a
    history; the children of record (v, w) are the trigram records of
    (u, v, w), each holding u and P(w|u v). Every record array ends with a
    sentinel whose child pointer ends the last record's children. Values are in
    Sphinx's logmath units (base 1.0001), returned as log10."""
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
    pos += 3 * bins * 4
    middle_prob, middle_backoff, longest_prob = (
        tables[:bins],
        tables[bins : 2 * bins],
        tables[2 * bins :],
    )
    n1 = int(counts[0])
    unigrams = np.frombuffer(
        b[pos : pos + (n1 + 1) * 12].tobytes(), dtype=[("p", "<f4"), ("bo", "<f4"), ("next", "<u4")]
    )
    pos += (n1 + 1) * 12
    word_bits = n1.bit_length()
    next_bits = int(counts[2]).bit_length()
    bits = word_bits + 32 + next_bits  # word, 16-bit backoff code, 16-bit prob code, child
    middle = b[pos : pos + ((1 + int(counts[1])) * bits + 7) // 8 + 8]
    pos += len(middle)
    long_bits = word_bits + 16  # word, 16-bit prob code
    longest = b[pos : pos + ((1 + int(counts[2])) * long_bits + 7) // 8 + 8]
    pos += len(longest)
    length = int(np.frombuffer(b[pos : pos + 4].tobytes(), "<i4")[0])
    words = bytes(b[pos + 4 : pos + 4 + length]).decode("utf-8").split("\0")[:n1]

    first = unigrams["next"].astype(np.int64)
    n2 = int(first[-1])  # the sentinel record ends the last word's children
    offsets = np.arange(n2 + 1, dtype=np.int64) * bits  # + the sentinel bigram record
    history = _bit_fields(middle, offsets[:-1], word_bits)
    backoff_code = _bit_fields(middle, offsets[:-1] + word_bits, 16)
    prob_code = _bit_fields(middle, offsets[:-1] + word_bits + 16, 16)
    child = _bit_fields(middle, offsets + word_bits + 32, next_bits)
    word = np.repeat(np.arange(n1), np.diff(first))
    to_log10 = math.log10(1.0001)
    bigrams = np.column_stack([history, word, middle_prob[prob_code].astype(np.float64) * to_log10])

    n3 = int(child[-1])
    if (np.diff(child) < 0).any() or n3 > int(counts[2]):
        raise SystemExit(f"{path}: bigram child pointers out of order")
    long_offsets = np.arange(n3, dtype=np.int64) * long_bits
    trigram_first = _bit_fields(longest, long_offsets, word_bits)
    trigram_code = _bit_fields(longest, long_offsets + word_bits, 16)
    return SphinxLM(
        words,
        unigrams["p"][:n1].astype(np.float64) * to_log10,
        unigrams["bo"][:n1].astype(np.float64) * to_log10,
        bigrams,
        middle_backoff[backoff_code].astype(np.float64) * to_log10,
        np.column_stack([trigram_first, np.repeat(np.arange(n2), np.diff(child))]),
        longest_prob[trigram_code].astype(np.float64) * to_log10,
    )


def prefix_records(lm: SphinxLM) -> np.ndarray:
    """The bigram records that are the first two words of some trigram (histories)."""
    n1 = len(lm.words)
    h, w = lm.bigrams[:, 0].astype(np.int64), lm.bigrams[:, 1].astype(np.int64)
    codes = h * n1 + w
    order = np.argsort(codes, kind="stable")
    record = lm.trigrams[:, 1]
    prefix = np.unique(lm.trigrams[:, 0] * n1 + h[record])
    at = order[np.minimum(np.searchsorted(codes, prefix, sorter=order), len(codes) - 1)]
    if (codes[at] != prefix).any():
        raise SystemExit("en: a trigram whose first two words are not a bigram of the model")
    return at


def build_english(lm_path: Path) -> None:
    lm = read_sphinx_trie(lm_path)
    words, logp, backoff, bigrams = lm.words, lm.logp, lm.backoff, lm.bigrams
    ok = np.array([norms(w) == (w,) for w in words])  # one token of cleaner's tokenizer
    h, w = bigrams[:, 0].astype(np.int64), bigrams[:, 1].astype(np.int64)
    keep = ok[h] & ok[w]
    u, record = lm.trigrams[:, 0], lm.trigrams[:, 1]
    keep3 = ok[u] & keep[record]  # the suffix (v, w) is the trigram's parent record
    # the scorer searches a triple only when both its bigrams are stored: check the prefix
    kept = np.flatnonzero(keep)
    kept_codes = h[kept] * len(words) + w[kept]
    order = np.argsort(kept_codes, kind="stable")
    prefix = u[keep3] * len(words) + h[record[keep3]]
    at = order[np.minimum(np.searchsorted(kept_codes, prefix, sorter=order), len(kept) - 1)]
    if (kept_codes[at] != prefix).any():
        raise SystemExit("en: a kept trigram whose first two words are not a kept bigram")
    # the backoff weight of a history stays the model's even when the trigrams of
    # dropped words go: it still applies to every other word
    is_history = np.zeros(len(h), dtype=bool)
    is_history[prefix_records(lm)] = True
    print(
        f"en: {ok.sum():,} of {len(words):,} words, {keep.sum():,} of {len(h):,} bigrams, "
        f"{keep3.sum():,} of {len(u):,} trigrams kept"
    )
    word_hashes = hashes(words)
    bigram_keys = pair_keys(word_hashes[h], word_hashes[w])
    write_model(
        "en",
        unigram_keys=word_hashes[ok],
        unigram_logp=logp[ok],
        unigram_backoff=backoff[ok],
        bigram_keys=bigram_keys[keep],
        bigram_logp=bigrams[keep, 2],
        bigram_backoff=_history_backoff(lm.bigram_backoff, is_history)[keep],
        trigram_keys=pair_keys(
            pair_keys(word_hashes[u[keep3]], word_hashes[h[record[keep3]]]),
            word_hashes[w[record[keep3]]],
        ),
        trigram_logp=lm.trigram_logp[keep3],
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
            "smoothing": "the model's own backoff weights (ARPA Katz-style), unigrams to trigrams",
            "words": len(words),
            "trigrams_in_file": len(u),
        },
    )


def check_english(lm_path: Path, samples: int = 5000, seed: int = 0) -> None:
    """Compare the decoded trie with pocketsphinx's own scorer (NGramModel.prob,
    whose argument is the word then its history, nearest first) on random
    stored trigrams and on random triples that back off from a stored
    bigram history; prints the largest differences in log10."""
    from pocketsphinx import Config, LogMath, NGramModel

    lm = read_sphinx_trie(lm_path)
    ps = NGramModel(Config(), LogMath(), str(lm_path))
    to_log10 = math.log10(1.0001)
    words, n1 = lm.words, len(lm.words)
    h, w = lm.bigrams[:, 0].astype(np.int64), lm.bigrams[:, 1].astype(np.int64)
    bigram_codes = h * n1 + w
    border = np.argsort(bigram_codes)
    u_rec = lm.trigrams[:, 1]
    trigram_codes = (lm.trigrams[:, 0] * n1 + h[u_rec]) * n1 + w[u_rec]
    torder = np.argsort(trigram_codes)

    def find(codes, order, code):
        at = np.searchsorted(codes, code, sorter=order)
        return order[at] if at < len(order) and codes[order[at]] == code else -1

    def model(a: int, b: int, c: int) -> float:  # ARPA backoff over the decoded arrays
        t = find(trigram_codes, torder, (a * n1 + b) * n1 + c)
        if t >= 0:
            return lm.trigram_logp[t]
        ab, bc = find(bigram_codes, border, a * n1 + b), find(bigram_codes, border, b * n1 + c)
        bigram = lm.bigrams[bc, 2] if bc >= 0 else lm.backoff[b] + lm.logp[c]
        return (lm.bigram_backoff[ab] if ab >= 0 else 0.0) + bigram

    rng = np.random.default_rng(seed)
    stored = rng.choice(len(lm.trigram_logp), samples, replace=False)
    diff_stored = max(
        abs(
            lm.trigram_logp[t]
            - ps.prob([words[w[u_rec[t]]], words[h[u_rec[t]]], words[lm.trigrams[t, 0]]]) * to_log10
        )
        for t in stored
    )
    # (a, b) a stored bigram, then c any word (half) or such that (b, c) is stored too
    histories = rng.choice(len(h), samples, replace=False)
    thirds = rng.choice(n1, samples)
    pairs = rng.choice(len(h), samples // 2, replace=False)  # (b, c) stored
    starts, ends = np.searchsorted(w, h[pairs]), np.searchsorted(w, h[pairs], side="right")
    has = ends > starts
    pick = starts[has] + (rng.random(has.sum()) * (ends - starts)[has]).astype(np.int64)
    histories[: has.sum()], thirds[: has.sum()] = pick, w[pairs[has]]
    diff_backoff, backed_off = 0.0, 0
    for j, c in zip(histories, thirds, strict=True):
        a, b = int(h[j]), int(w[j])
        if words[c] == "<s>" or words[b] == "</s>":
            continue
        backed_off += find(trigram_codes, torder, (a * n1 + b) * n1 + c) < 0
        got = ps.prob([words[c], words[b], words[a]]) * to_log10
        diff_backoff = max(diff_backoff, abs(model(a, b, int(c)) - got))
    print(
        f"en check: {samples:,} stored trigrams, max |diff| {diff_stored:.5f} log10; "
        f"{samples:,} triples after a stored bigram ({backed_off:,} backed off), "
        f"max |diff| {diff_backoff:.5f}"
    )


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# ---------------------------------------------------------------- French: counts


def french_lines(cv_fr: Path, cv: Path) -> Iterator[tuple[str, str]]:
    prefixes = tuple(f"CommonVoice-Data/data/{d}/" for d in COMMONVOICE_FR_DIRS)
    yield from git_files(cv_fr, COMMONVOICE_FR_COMMIT, prefixes)
    yield from git_files(cv, COMMON_VOICE_COMMIT, COMMON_VOICE_FR_FILES)


def count_text(files: Iterator[tuple[str, str]]) -> tuple[Counter, Counter, dict, Trigrams]:
    """Unigram and bigram (within a line) counts of the norms, per-source token
    counts, and the trigrams (within a line) as `Trigrams`."""
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    per_source: dict[str, int] = {}
    ids: dict[str, int] = {}  # word -> id, in order of first sight
    stream = array("i")  # every line's word ids, each line followed by -1
    for path, text in files:
        tokens = 0
        for line in text.splitlines():
            words = norms(line)
            unigrams.update(words)
            bigrams.update(zip(words, words[1:], strict=False))
            tokens += len(words)
            stream.extend([ids.setdefault(w, len(ids)) for w in words])
            stream.append(-1)
        source = next((d for d in COMMONVOICE_FR_DIRS if f"/data/{d}/" in path), path)
        per_source[source] = per_source.get(source, 0) + tokens
    return unigrams, bigrams, per_source, _trigrams(np.frombuffer(stream, dtype=np.int32), ids)


class Trigrams(NamedTuple):
    """Distinct trigrams within a line: ids of their words (`ids`), sorted, and counts."""

    words: list[str]  # id -> word
    first: np.ndarray  # int64 word ids
    second: np.ndarray
    third: np.ndarray
    count: np.ndarray  # int64


def _trigrams(stream: np.ndarray, ids: dict[str, int]) -> Trigrams:
    bits = max(1, len(ids).bit_length())
    if 3 * bits > 63:
        raise SystemExit(f"{len(ids):,} distinct words: too many to pack three ids in 63 bits")
    s = stream.astype(np.int64)
    a, b, c = s[:-2], s[1:-1], s[2:]
    inside = (a >= 0) & (b >= 0) & (c >= 0)  # no line end inside the window
    codes, count = np.unique(
        (a[inside] << (2 * bits)) | (b[inside] << bits) | c[inside], return_counts=True
    )
    mask = (1 << bits) - 1
    return Trigrams(
        list(ids),
        codes >> (2 * bits),
        (codes >> bits) & mask,
        codes & mask,
        count.astype(np.int64),
    )


def trigram_level(
    tri: Trigrams,
    index: dict[str, int],
    bigram_p: tuple[np.ndarray, np.ndarray, np.ndarray],
    alpha: np.ndarray,
    p_cont: np.ndarray,
    min_trigram: int,
) -> dict:
    """Interpolated Kneser-Ney trigrams over the bigram model, in ARPA backoff form.

    bigram_p is (history, word, P(word|history)) of the kept bigrams (vocabulary
    indices); the bigram model gives P2(w|v) = that P when (v, w) is kept, else
    alpha(v) Pc(w). Returns the kept trigrams (vocabulary indices and log10 P),
    log10 gamma for each kept bigram as a history, the discount and counts."""
    to_vocab = np.array([index.get(w, -1) for w in tri.words], dtype=np.int64)
    u, v, w = to_vocab[tri.first], to_vocab[tri.second], to_vocab[tri.third]
    c = tri.count.astype(np.float64)
    n1, n2 = int((tri.count == 1).sum()), int((tri.count == 2).sum())
    discount = n1 / (n1 + 2 * n2)
    vocab_bits = max(1, len(p_cont).bit_length())

    # histories (u, v), both in the vocabulary: statistics over every trigram counted
    has_history = (u >= 0) & (v >= 0)
    history = (u << vocab_bits) | v
    keys, inverse = np.unique(history[has_history], return_inverse=True)
    history_count = np.bincount(inverse, weights=c[has_history])
    continuations = np.bincount(inverse).astype(np.float64)
    keep = has_history & (w >= 0) & (tri.count >= min_trigram)
    pruned = ~keep[has_history]
    pruned_mass = np.bincount(
        inverse[pruned], weights=c[has_history][pruned] - discount, minlength=len(keys)
    )
    gamma = (discount * continuations + pruned_mass) / history_count

    # P2(w | v) of the kept trigrams, from the bigram model
    bh, bw, bp = bigram_p
    bigram_codes = (bh << vocab_bits) | bw
    order = np.argsort(bigram_codes, kind="stable")
    bigram_codes, bp_sorted = bigram_codes[order], bp[order]
    uk, vk, wk, ck = u[keep], v[keep], w[keep], c[keep]
    at = np.minimum(np.searchsorted(bigram_codes, (vk << vocab_bits) | wk), len(bigram_codes) - 1)
    stored = bigram_codes[at] == ((vk << vocab_bits) | wk)
    p2 = np.where(stored, bp_sorted[at], alpha[vk] * p_cont[wk])
    hk = inverse[keep[has_history]]  # the history of each kept trigram
    p3 = (ck - discount) / history_count[hk] + gamma[hk] * p2

    # log10 gamma of each kept bigram as a history: 0 (gamma 1) unless it keeps trigrams
    with_trigrams = np.zeros(len(keys), dtype=bool)
    with_trigrams[hk] = True
    at = np.minimum(np.searchsorted(keys, (bh << vocab_bits) | bw), len(keys) - 1)
    is_history = (keys[at] == ((bh << vocab_bits) | bw)) & with_trigrams[at]
    bigram_backoff = _history_backoff(np.where(is_history, np.log10(gamma[at]), 0.0), is_history)
    if not stored.all():
        raise SystemExit("a kept trigram whose last two words are not a kept bigram")
    if (with_trigrams & ~np.isin(keys, bigram_codes)).any():
        raise SystemExit("a trigram history that is not a kept bigram")
    return {
        "first": uk,
        "second": vk,
        "third": wk,
        "logp": np.log10(p3),
        "bigram_backoff": bigram_backoff,
        "discount": discount,
        "seen": len(tri.count),
        "histories_with_trigrams": int(with_trigrams.sum()),
    }


def build_french(
    cv_fr: Path, cv: Path, min_word: int, max_vocab: int, min_bigram: int, min_trigram: int
) -> None:
    start = time.time()
    unigrams, bigrams, per_source, trigrams = count_text(french_lines(cv_fr, cv))
    tokens = sum(unigrams.values())
    print(
        f"fr: {tokens:,} tokens, {len(unigrams):,} words, {len(bigrams):,} bigrams, "
        f"{len(trigrams.count):,} trigrams counted in {time.time() - start:.0f} s"
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
    tri = trigram_level(trigrams, index, (hk, wk, p_kept), alpha, p_cont, min_trigram)
    del trigrams
    print(f"fr: {len(tri['logp']):,} of {tri['seen']:,} trigrams kept")

    word_hashes = hashes(vocab)
    write_model(
        "fr",
        unigram_keys=word_hashes,
        unigram_logp=np.log10(p_cont),
        unigram_backoff=np.log10(alpha),
        bigram_keys=pair_keys(word_hashes[hk], word_hashes[wk]),
        bigram_logp=np.log10(p_kept),
        bigram_backoff=tri["bigram_backoff"],
        trigram_keys=pair_keys(
            pair_keys(word_hashes[tri["first"]], word_hashes[tri["second"]]),
            word_hashes[tri["third"]],
        ),
        trigram_logp=tri["logp"],
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
            "trigrams_seen": tri["seen"],
            "discount": discount,
            "trigram_discount": tri["discount"],
            "trigram_histories": tri["histories_with_trigrams"],
            "pruning": {
                "min_word": min_word,
                "max_vocab": max_vocab,
                "min_bigram": min_bigram,
                "min_trigram": min_trigram,
            },
            "smoothing": "interpolated Kneser-Ney bigrams, and trigrams over them, in ARPA "
            "backoff form (see scripts/build_background.py)",
        },
    )


# ---------------------------------------------------------------- writing


HISTORY_MARK = -(2.0**-24)  # the smallest float16 below 0: a factor of 0.99999994


def _history_backoff(backoff: np.ndarray, is_history: np.ndarray) -> np.ndarray:
    """Bigram backoff weights such that, stored as float16, they are non-zero
    exactly for the histories with trigrams (and zero without): the scorer
    searches the trigram table only after a history with a non-zero weight.
    A history whose weight would round to 0 gets HISTORY_MARK."""
    out = np.where(is_history, backoff, 0.0)
    zero = is_history & (out.astype(np.float16) == 0)
    out[zero] = HISTORY_MARK
    return out


def write_model(
    lang: str,
    *,
    unigram_keys,
    unigram_logp,
    unigram_backoff,
    bigram_keys,
    bigram_logp,
    bigram_backoff=None,
    trigram_keys=None,
    trigram_logp=None,
    unk_logp: float,
    meta: dict,
) -> None:
    folder = OUT / lang
    folder.mkdir(parents=True, exist_ok=True)
    order = np.argsort(unigram_keys, kind="stable")
    uk = np.asarray(unigram_keys, dtype=np.uint64)[order]
    border = np.argsort(bigram_keys, kind="stable")
    bk = np.asarray(bigram_keys, dtype=np.uint64)[border]
    arrays = {
        "unigram_keys": uk,
        "unigram_logp": np.asarray(unigram_logp, dtype=np.float32)[order],
        "unigram_backoff": np.asarray(unigram_backoff, dtype=np.float32)[order],
        "bigram_keys": bk,
        "bigram_logp": np.asarray(bigram_logp, dtype=np.float16)[border],
    }
    tk = np.zeros(0, dtype=np.uint64)
    if trigram_keys is not None:
        torder = np.argsort(trigram_keys, kind="stable")
        tk = np.asarray(trigram_keys, dtype=np.uint64)[torder]
        arrays["bigram_backoff"] = np.asarray(bigram_backoff, dtype=np.float16)[border]
        arrays["trigram_keys"] = tk
        arrays["trigram_logp"] = np.asarray(trigram_logp, dtype=np.float16)[torder]
    for name, keys in (("unigram", uk), ("bigram", bk), ("trigram", tk)):
        if len(keys) > 1 and (np.diff(keys) == 0).any():
            raise SystemExit(f"{lang}: two {name}s share a 64-bit key")
    for name, values in arrays.items():
        np.save(folder / f"{name}.npy", values)
    meta = {
        "lang": lang,
        "unk_logp": round(unk_logp, 4),
        "unigrams": len(uk),
        "bigrams": len(bk),
        **({"trigrams": len(tk)} if trigram_keys is not None else {}),
        "hash": "blake2b-64 of the UTF-8 word norm, little-endian (0 reserved); "
        "bigram key (h1 * 0x9E3779B97F4A7C15) ^ h2 mod 2**64"
        + ("; trigram key: the bigram key of (bigram key of (h1, h2), h3)" if len(tk) else ""),
        **meta,
        "bytes": sum((folder / f"{n}.npy").stat().st_size for n in arrays),
        "sha256": {
            f"{n}.npy": hashlib.sha256((folder / f"{n}.npy").read_bytes()).hexdigest()[:16]
            for n in arrays
        },
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    print(
        f"{lang}: {len(uk):,} unigrams, {len(bk):,} bigrams, {len(tk):,} trigrams, "
        f"{meta['bytes'] / 1e6:.1f} MB"
    )


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
    # every bigram seen is kept (not only those seen twice): on the copies of
    # bench/spinner.py the context layer then flags more French copies
    # (scripts/tune_context.py, medium: 47 -> 52 of 60, 49 -> 51 of 60) for
    # 16 MB more; keeping every trigram too (81 MB) did a little better
    # still but took the 20 MB line of bench/big_line.py past 500 MB
    parser.add_argument("--min-bigram", type=int, default=1)
    parser.add_argument("--min-trigram", type=int, default=2)
    parser.add_argument(
        "--check",
        action="store_true",
        help="English: compare the decoded trie with pocketsphinx's scorer instead of building",
    )
    args = parser.parse_args()
    if args.lang in ("en", "all"):
        lm = args.sphinx_lm
        if lm is None:
            spec = find_spec("pocketsphinx")  # its model folder, without loading its C extension
            if spec is None or not spec.submodule_search_locations:
                raise SystemExit("pip install pocketsphinx==5.1.1, or pass --sphinx-lm")
            lm = Path(spec.submodule_search_locations[0]) / "model" / "en-us" / "en-us.lm.bin"
        if args.check:
            check_english(lm)
            return
        build_english(lm)
    if args.lang in ("fr", "all"):
        if not (args.commonvoice_fr and args.common_voice):
            raise SystemExit("French needs --commonvoice-fr and --common-voice (git directories)")
        build_french(
            args.commonvoice_fr,
            args.common_voice,
            args.min_word,
            args.max_vocab,
            args.min_bigram,
            args.min_trigram,
        )


if __name__ == "__main__":
    main()
