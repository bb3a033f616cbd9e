"""Background bigram language models and synonym tables, English and French,
for the context layer.

A spinner swaps a word for a synonym without looking at its neighbours, so the
synonym tends to fit its context worse than the word it replaced (`civil
warfare`, `Conseil de sûreté`). This module answers "how well does this word
fit between these two neighbours" from a backoff bigram model per language,
built by scripts/build_background.py into cleaner/data/background/{lang}/:

    unigram_keys.npy     uint64, sorted   word_hash(w)
    unigram_logp.npy     float32          log10 P(w)
    unigram_backoff.npy  float32          log10 backoff weight of w as a history
    bigram_keys.npy      uint64, sorted   pair_keys(word_hash(w1), word_hash(w2))
    bigram_logp.npy      float16          log10 P(w2 | w1)
    meta.json            sources, sizes, smoothing, log10 P of an unknown word

Lookups are ARPA backoff: P(w2|w1) is the stored bigram when there is one,
else backoff(w1) * P(w2); an unknown history has backoff 1, an unknown word
gets meta["unk_logp"]. Words are the norms of cleaner.spun.words.tokenize
(lower case, accents kept, ’ as ').

The synonym candidates (cleaner/data/thesaurus/{lang}.tsv, built by
scripts/build_thesaurus.py) are read by `thesaurus`, and `synonyms` turns them
into arrays so that `best_synonyms` scores every candidate of a document in
one batch.

Everything is vectorised: hash the words once (`hashes`), then pass uint64
arrays. The tables are memory-mapped on the first `load` (importing this
module reads nothing), so worker processes share their pages.

Example:
    >>> m = load("en")
    >>> float(logp_bigram(m, "civil", "war")) > float(logp_bigram(m, "civil", "warfare"))
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import numpy as np

LANGS = ("en", "fr")
NONE = np.uint64(0)  # the hash of "no word" (a document edge): P(w | NONE) is P(w)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: (h1 * _MIX) ^ h2 keys a pair


# ---------------------------------------------------------------- hashing


_HASHES: dict[str | None, int] = {None: 0}  # word -> hash; text is Zipfian, so mostly hits
_HASHES_MAX = 2_000_000  # distinct words kept before the cache starts over (~200 MB)


def word_hash(word: str) -> int:
    """A stable 64-bit hash of a word norm: blake2b, 8 bytes, little-endian (never 0)."""
    h = _HASHES.get(word)
    if h is None:
        if len(_HASHES) > _HASHES_MAX:
            _HASHES.clear()
            _HASHES[None] = 0
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        h = _HASHES[word] = int.from_bytes(digest, "little") or 1
    return h


def hashes(words: Sequence[str | None]) -> np.ndarray:
    """uint64 hashes of word norms; None (a document edge) hashes to 0."""
    get = _HASHES.get
    found = [get(w) for w in words]  # the fast path: one dict lookup a word
    if None in found:
        found = [word_hash(w) if h is None else h for w, h in zip(words, found, strict=True)]
    return np.array(found, dtype=np.uint64)


def pair_keys(h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
    """Bigram keys from the hashes of the two words (wrapping uint64 arithmetic)."""
    with np.errstate(over="ignore"):
        return (np.asarray(h1, dtype=np.uint64) * _MIX) ^ np.asarray(h2, dtype=np.uint64)


def _as_hashes(words) -> np.ndarray:
    if isinstance(words, str):
        return np.array([word_hash(words)], dtype=np.uint64)
    if words is None:
        return np.array([0], dtype=np.uint64)
    if isinstance(words, np.ndarray):
        return words.astype(np.uint64, copy=False)
    return hashes(words)


# ---------------------------------------------------------------- sorted tables


class Table(NamedTuple):
    """Sorted uint64 keys with a bucket index on their top bits.

    The keys are hashes, so uniform: with about one key per bucket, a lookup
    reads the bucket's bounds and one or two keys. That is 5 to 7 times faster
    than np.searchsorted's 21 dependent probes into a 15 MB memory-mapped array."""

    keys: np.ndarray
    starts: np.ndarray  # int64, 2**bits + 1: keys of bucket b are keys[starts[b]:starts[b + 1]]
    shift: int  # 64 - bits


def _table(keys: np.ndarray) -> Table:
    bits = max(1, len(keys).bit_length())
    shift = 64 - bits
    counts = np.bincount((keys >> np.uint64(shift)).astype(np.intp), minlength=1 << bits)
    return Table(keys, np.r_[0, np.cumsum(counts)], shift)


def _find(table: Table, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each query key is in table.keys (a valid index either way), and whether it is."""
    keys, query = table.keys, np.asarray(query, dtype=np.uint64)
    bucket = (query >> np.uint64(table.shift)).astype(np.intp)
    pos, end = table.starts[bucket], table.starts[bucket + 1]
    found = np.zeros(len(query), dtype=bool)
    active = np.flatnonzero(pos < end)
    while active.size:  # walk each bucket until the key or a larger one: ~1.5 rounds
        p = pos[active]
        key, q = keys[p], query[active]
        found[active[key == q]] = True
        on = (key < q) & (p + 1 < end[active])
        pos[active[on]] += 1
        active = active[on]
    return np.minimum(pos, len(keys) - 1), found


# ---------------------------------------------------------------- the model


class Background(NamedTuple):
    lang: str
    unigrams: Table
    unigram_logp: np.ndarray
    unigram_backoff: np.ndarray
    bigrams: Table
    bigram_logp: np.ndarray
    unk_logp: float
    meta: dict


def data_dir(lang: str) -> Path:
    return Path(str(resources.files("cleaner") / "data" / "background" / lang))


@cache
def load(lang: str) -> Background:
    """The model of `lang`, memory-mapped, once per process (about 0.1 s)."""
    if lang not in LANGS:
        raise ValueError(f"no background model for language {lang!r} (have {', '.join(LANGS)})")
    folder = data_dir(lang)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def array(name: str) -> np.ndarray:
        return np.load(folder / f"{name}.npy", mmap_mode="r")

    return Background(
        lang,
        _table(array("unigram_keys")),
        array("unigram_logp"),
        array("unigram_backoff"),
        _table(array("bigram_keys")),
        array("bigram_logp"),
        float(meta["unk_logp"]),
        meta,
    )


def _unigram(model: Background, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(log10 P(w), log10 backoff weight of w): unk_logp and 0 for unknown words and NONE."""
    pos, known = _find(model.unigrams, h)
    logp = np.where(known, model.unigram_logp[pos], model.unk_logp).astype(np.float64)
    return logp, np.where(known, model.unigram_backoff[pos], 0.0)


def _bigram(model: Background, h1, backoff1, h2, logp2) -> np.ndarray:
    """log10 P(h2|h1) when both words' unigram values are known: one table search."""
    pos, found = _find(model.bigrams, pair_keys(h1, h2))
    stored = model.bigram_logp[pos].astype(np.float64)
    return np.where(found & (h1 != 0), stored, backoff1 + logp2)


def logp_unigram(model: Background, words) -> np.ndarray:
    """log10 P(w) (float64), unk_logp for unknown words."""
    return _unigram(model, _as_hashes(words))[0]


def logp_bigram(model: Background, first, second) -> np.ndarray:
    """log10 P(second | first), with backoff; `first` may be NONE (then P(second)).

    Words are strings, sequences of strings, or uint64 arrays of hashes."""
    h1, h2 = np.broadcast_arrays(_as_hashes(first), _as_hashes(second))
    return _bigram(model, h1, _unigram(model, h1)[1], h2, _unigram(model, h2)[0])


def fit(model: Background, left, word, right) -> np.ndarray:
    """How well `word` fits between its neighbours: log10 P(word|left) + log10 P(right|word).

    Compare it across candidates for the same slot (the word and its
    synonyms): the neighbours are the same, so the difference is the gain.
    NONE (hash 0, or None) for a missing neighbour drops that side's context
    (left) or term (right)."""
    left, word, right = np.broadcast_arrays(_as_hashes(left), _as_hashes(word), _as_hashes(right))
    after = np.where(right != 0, logp_bigram(model, word, right), 0.0)
    return logp_bigram(model, left, word) + after


def fit_phrase(
    model: Background, left: str | None, phrase: Sequence[str], right: str | None
) -> float:
    """log10 P of a window: left, the phrase's words, right (`civil war` for `civil warfare`).

    Phrases of different lengths have different numbers of terms: fine when
    comparing two fillers of the same gap, as the probability of the window."""
    h = hashes([left, *phrase, right])
    terms = logp_bigram(model, h[:-1], h[1:])
    return float((terms[:-1] if right is None else terms).sum())


# ---------------------------------------------------------------- synonyms


@cache
def thesaurus(lang: str) -> dict[str, tuple[str, ...]]:
    """form -> synonym candidates, inflected like it, most common first
    (cleaner/data/thesaurus/{lang}.tsv, built by scripts/build_thesaurus.py).

    Forms and candidates are norms joined by spaces (`states of war`). Reading
    the file takes about 0.2 s, once per process."""
    if lang not in LANGS:
        raise ValueError(f"no thesaurus for language {lang!r} (have {', '.join(LANGS)})")
    path = resources.files("cleaner") / "data" / "thesaurus" / f"{lang}.tsv"
    table: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            form, candidates = line.split("\t")
            table[form] = tuple(candidates.split("|"))
    return table


class Synonyms(NamedTuple):
    """The thesaurus as arrays, to score every candidate of a document at once.

    The candidates of the form whose hash is forms.keys[i] are rows
    offsets[i]:offsets[i + 1] of the other arrays, most common first. A
    candidate's window score between `left` and `right` is
    log10 P(first|left) + inner + log10 P(right|last), `inner` being the log10 P
    of a multi-word candidate's own bigrams (0 for one word)."""

    forms: Table  # word_hash of the form (of "a b" for a phrase)
    offsets: np.ndarray  # int64, len(forms.keys) + 1
    first: np.ndarray  # uint64: hash of the candidate's first word
    last: np.ndarray  # uint64: hash of its last word
    inner: np.ndarray  # float64
    first_logp: np.ndarray  # float64: log10 P(first word), for the backoff to it
    last_backoff: np.ndarray  # float64: log10 backoff weight of the last word
    text: tuple[str, ...]  # the candidates, for evidence


@cache
def synonyms(lang: str) -> Synonyms:
    """thesaurus(lang) as arrays (one or two seconds to build, once per process)."""
    table, model = thesaurus(lang), load(lang)
    forms = sorted(table, key=word_hash)
    keys = np.array([word_hash(f) for f in forms], dtype=np.uint64)
    counts = np.array([len(table[f]) for f in forms], dtype=np.int64)
    text = tuple(chain.from_iterable(table[f] for f in forms))
    first = hashes([c.partition(" ")[0] for c in text])
    last = hashes([c.rpartition(" ")[2] for c in text])
    inner = np.zeros(len(text))
    multi = [(i, c.split()) for i, c in enumerate(text) if " " in c]
    if multi:
        owner = np.repeat([i for i, _ in multi], [len(w) - 1 for _, w in multi])
        h1 = hashes([a for _, w in multi for a in w[:-1]])
        h2 = hashes([b for _, w in multi for b in w[1:]])
        inner = np.bincount(owner, weights=logp_bigram(model, h1, h2), minlength=len(text))
    return Synonyms(
        _table(keys),
        np.r_[0, np.cumsum(counts)],
        first,
        last,
        inner,
        _unigram(model, first)[0],
        _unigram(model, last)[1],
        text,
    )


def best_synonyms(
    model: Background, syn: Synonyms, h: np.ndarray, positions, k: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score the words at `positions` of a document against their synonyms.

    `h` holds the hashes of all the document's words (`hashes(norms)`), so the
    neighbours of word i are h[i - 1] and h[i + 1] (none at the edges).
    Returns, per position: the word's own fit (as `fit`), the best window
    score among its first k candidates (-inf when it has none), and that
    candidate's index in syn.text (-1 when none).

    best - own is how much better a synonym would fit than the word: high for
    a spinner's substitution, low for the word a writer chose. The searches
    are batched: one for the document's words, one for all the bigrams."""
    h = np.asarray(h, dtype=np.uint64)
    positions = np.asarray(positions, dtype=np.intp)
    n = len(positions)
    logp, backoff = _unigram(model, h)
    word = h[positions]
    left = np.r_[NONE, h][positions]  # shifted: the word before, NONE at the start
    right = np.r_[h, NONE][positions + 1]
    left_backoff = np.r_[0.0, backoff][positions]
    right_logp = np.r_[logp, 0.0][positions + 1]

    form, found = _find(syn.forms, word)
    start = syn.offsets[form]
    count = np.where(found, syn.offsets[form + 1] - start, 0)
    if k is not None:
        count = np.minimum(count, k)
    total = int(count.sum())
    slot = np.repeat(np.arange(n), count)
    row_start = np.cumsum(count) - count  # where each position's candidates begin in the batch
    cand = start[slot] + np.arange(total) - row_start[slot]

    # all bigrams in one search: (left, word), (word, right), (left, first), (last, right)
    bigram = _bigram(
        model,
        np.concatenate([left, word, left[slot], syn.last[cand]]),
        np.concatenate(
            [left_backoff, backoff[positions], left_backoff[slot], syn.last_backoff[cand]]
        ),
        np.concatenate([word, right, syn.first[cand], right[slot]]),
        np.concatenate([logp[positions], right_logp, syn.first_logp[cand], right_logp[slot]]),
    )
    has_right = right != 0
    own = bigram[:n] + np.where(has_right, bigram[n : 2 * n], 0.0)
    before, after = bigram[2 * n : 2 * n + total], bigram[2 * n + total :]
    score = before + syn.inner[cand] + np.where(has_right[slot], after, 0.0)

    best = np.full(n, -np.inf)
    index = np.full(n, -1, dtype=np.int64)
    has = count > 0
    if total:
        best[has] = np.maximum.reduceat(score, row_start[has])
        at_best = np.flatnonzero(score == best[slot])  # ascending: per slot the first comes first
        slot_best = slot[at_best]
        first = np.r_[True, slot_best[1:] != slot_best[:-1]]
        index[slot_best[first]] = cand[at_best[first]]
    return own, best, index
