"""Background n-gram language models and synonym tables, English and French,
for the context layer.

A spinner swaps a word for a synonym without looking at its neighbours, so the
synonym tends to fit its context worse than the word it replaced (`civil
warfare`, `Conseil de sûreté`). This module answers "how well does this word
fit between its neighbours" from a backoff trigram model per language (two
words of context each side), built by scripts/build_background.py into
cleaner/data/background/{lang}/:

    unigram_keys.npy     uint64, sorted   word_hash(w)
    unigram_logp.npy     float32          log10 P(w)
    unigram_backoff.npy  float32          log10 backoff weight of w as a history
    bigram_keys.npy      uint64, sorted   pair_keys(word_hash(w1), word_hash(w2))
    bigram_logp.npy      float16          log10 P(w2 | w1)
    bigram_backoff.npy   float16          log10 backoff weight of (w1, w2) as a history
    trigram_keys.npy     uint64, sorted   pair_keys(pair_keys(h1, h2), h3)
    trigram_logp.npy     float16          log10 P(w3 | w1 w2)
    meta.json            sources, sizes, smoothing, log10 P of an unknown word

Lookups are ARPA backoff: P(w3|w1 w2) is the stored trigram when there is
one, else backoff(w1 w2) * P(w3|w2); P(w2|w1) is the stored bigram when there
is one, else backoff(w1) * P(w2); an unknown history has backoff 1, an
unknown word gets meta["unk_logp"]. The three trigram files are optional: a
model without them is the bigram model, and every score is as it was. Words are the norms of cleaner.spun.words.tokenize
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
    found = list(map(_HASHES.get, words))  # the fast path: one dict lookup a word
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
    if isinstance(words, np.ndarray | np.integer):
        return np.atleast_1d(words).astype(np.uint64, copy=False)
    return hashes(words)


# ---------------------------------------------------------------- sorted tables


class Table(NamedTuple):
    """Sorted uint64 keys with a bucket index on their top bits.

    The keys are hashes, so uniform: with about one key per bucket, a lookup
    reads the bucket's bounds and one or two keys. That is 5 to 7 times faster
    than np.searchsorted's 21 dependent probes into a 15 MB memory-mapped array.

    A compact table (`compact`) keeps of each key only the 32 bits below its
    bucket's: half the memory, and a key is still told apart from every other
    by 53 bits or more (a false match about once in 10^9 lookups of a
    two-million-key table)."""

    keys: np.ndarray  # uint64; uint32 in a compact table
    starts: (
        np.ndarray
    )  # int32 (int64 past 2**31 keys), 2**bits + 1: bucket b is keys[starts[b]:starts[b + 1]]
    shift: int  # 64 - bits


def _bits(keys: np.ndarray) -> int:
    return max(1, len(keys).bit_length())


def _starts(keys: np.ndarray) -> np.ndarray:
    """The bucket index of sorted hash keys (see Table)."""
    bits = _bits(keys)
    counts = np.bincount((keys >> np.uint64(64 - bits)).astype(np.intp), minlength=1 << bits)
    starts = np.r_[0, np.cumsum(counts)]
    return starts.astype(np.int32) if len(keys) < 2**31 else starts


def compact(keys: np.ndarray) -> np.ndarray:
    """The 32 bits of each key below its bucket's (see Table): sorted within a bucket."""
    return _low(keys, 64 - _bits(keys))


def _low(keys: np.ndarray, shift: int) -> np.ndarray:
    return ((keys >> np.uint64(shift - 32)) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def _table(keys: np.ndarray, starts: np.ndarray | None = None) -> Table:
    """The table of `keys` (uint64, or a compact table's uint32), with its
    bucket index when already made."""
    starts = _starts(keys) if starts is None else np.asarray(starts).view(np.ndarray)
    return Table(keys, starts, 64 - _bits(keys))


def _find(table: Table, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each query key is in table.keys (a valid index either way), and whether it is."""
    keys, starts, query = table.keys, table.starts, np.asarray(query, dtype=np.uint64)
    if not len(keys):
        return np.zeros(len(query), dtype=np.intp), np.zeros(len(query), dtype=bool)
    bucket = (query >> np.uint64(table.shift)).astype(np.intp)
    if keys.dtype == np.uint32:  # a compact table: compare the bits it keeps
        query = _low(query, table.shift)
    pos, end = starts.take(bucket), starts.take(bucket + 1)
    key = keys.take(pos, mode="clip")  # an empty bucket's start is the next one's
    found = (key == query) & (pos < end)
    more = np.flatnonzero((key < query) & (pos + 1 < end))
    while more.size:  # walk the bucket until the key or a larger one: ~1.5 probes a query
        p = pos[more] + 1
        pos[more] = p
        key, q = keys.take(p), query.take(more)
        found[more[key == q]] = True
        more = more[(key < q) & (p + 1 < end.take(more))]
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
    # the trigram level, when the model has one (else None: the bigram model alone)
    bigram_backoff: np.ndarray | None = None  # log10 backoff weight of a bigram as a history
    trigrams: Table | None = None
    trigram_logp: np.ndarray | None = None


def data_dir(lang: str) -> Path:
    return Path(str(resources.files("cleaner") / "data" / "background" / lang))


@cache
def load(lang: str) -> Background:
    """The model of `lang`, memory-mapped, once per process (about 0.1 s)."""
    if lang not in LANGS:
        raise ValueError(f"no background model for language {lang!r} (have {', '.join(LANGS)})")
    folder = data_dir(lang)
    text = (folder / "meta.json").read_text(encoding="utf-8")
    meta = json.loads(text)
    # what arrays derived from the model (its bucket indexes, a synonym table's
    # figures) are cached under (cleaner/spun/cache.py)
    sizes = sorted((p.name, p.stat().st_size) for p in folder.glob("*.npy"))
    meta["digest"] = hashlib.sha256((text + repr(sizes)).encode()).hexdigest()[:16]

    def array(name: str) -> np.ndarray:  # a plain view of the map: cheaper to index
        return np.load(folder / f"{name}.npy", mmap_mode="r").view(np.ndarray)

    from cleaner.spun import cache

    levels = (
        ("unigram", "bigram", "trigram")
        if (folder / "trigram_keys.npy").exists()
        else ("unigram", "bigram")
    )
    # made once per machine (50 ms a language otherwise): the bucket indexes,
    # and the n-gram tables' keys compacted (the unigrams' are few: kept whole)
    derived = cache.arrays(
        cache.folder("background", f"{lang}-{meta['digest']}"),
        [f"{level}_starts" for level in levels] + [f"{level}_compact" for level in levels[1:]],
        lambda: _derived(folder, levels),
    )
    keys = {level: derived[f"{level}_compact"].view(np.ndarray) for level in levels[1:]}
    keys["unigram"] = array("unigram_keys")
    tables = {level: _table(keys[level], derived[f"{level}_starts"]) for level in levels}
    trigram = "trigram" in tables
    return Background(
        lang,
        tables["unigram"],
        array("unigram_logp"),
        array("unigram_backoff"),
        tables["bigram"],
        array("bigram_logp"),
        float(meta["unk_logp"]),
        meta,
        array("bigram_backoff") if trigram else None,
        tables.get("trigram"),
        array("trigram_logp") if trigram else None,
    )


def _derived(folder: Path, levels: Sequence[str]) -> dict[str, np.ndarray]:
    """A model's bucket indexes and compacted n-gram keys (see `load`)."""
    found = {}
    for level in levels:
        keys = np.load(folder / f"{level}_keys.npy", mmap_mode="r")
        found[f"{level}_starts"] = _starts(keys)
        if level != "unigram":
            found[f"{level}_compact"] = compact(keys)
    return found


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


def _pairs(model: Background, h1, backoff1, h2, logp2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As `_bigram`, with the pair's backoff weight as a history (0 when none)
    and whether the pair is a stored bigram of two words (a history that may
    have trigrams). One table search."""
    pos, found = _find(model.bigrams, pair_keys(h1, h2))
    return _pair_values(model, pos, found, h1, backoff1, h2, logp2)


def _pair_values(model: Background, pos, found, h1, backoff1, h2, logp2):
    """`_pairs` from the result of the search of the pairs' keys."""
    found = found & (h1 != 0)
    logp = backoff1 + logp2  # a new array: the stored values go in where found
    at = np.flatnonzero(found)
    logp[at] = model.bigram_logp.take(pos.take(at))
    found &= h2 != 0
    backoff = np.zeros(len(logp))
    if model.bigram_backoff is not None:
        at = np.flatnonzero(found)
        backoff[at] = model.bigram_backoff.take(pos.take(at))
    return logp, backoff, found


def _trigram(model: Background, u, v, w, uv_backoff, uv_found, vw_logp, vw_found) -> np.ndarray:
    """log10 P(w | u v) from the values of its two bigrams: the stored trigram,
    else backoff(u v) + log10 P(w | v). One search (see `_trigrams`)."""
    return _trigrams(
        model, [(uv_backoff, uv_found, vw_logp, vw_found, lambda i: (u[i], v[i], w[i]))]
    )[0]


def _trigrams(model: Background, groups) -> list[np.ndarray]:
    """`_trigram` of several groups of triples, with one search of the table.

    A group is (uv_backoff, uv_found, vw_logp, vw_found, words), words(i)
    giving the hashes (u, v, w) of the triples at indices i. A stored
    trigram's two bigrams are stored, and its history's backoff weight is not
    0 (the builder makes sure), so only those triples are searched, and only
    their words are gathered."""
    outs, searched, keys = [], [], []
    for uv_backoff, uv_found, vw_logp, vw_found, words in groups:
        outs.append(uv_backoff + vw_logp)
        maybe = np.flatnonzero(uv_found & vw_found & (uv_backoff != 0))
        searched.append(maybe)
        if model.trigrams is not None and maybe.size:
            u, v, w = words(maybe)
            keys.append(pair_keys(pair_keys(u, v), w))
    if keys:
        pos, found = _find(model.trigrams, np.concatenate(keys))
        logp = model.trigram_logp.take(pos)
        start = 0
        for out, maybe in zip(outs, searched, strict=True):
            end = start + maybe.size
            hit = found[start:end]
            out[maybe[hit]] = logp[start:end][hit]
            start = end
    return outs


def logp_unigram(model: Background, words) -> np.ndarray:
    """log10 P(w) (float64), unk_logp for unknown words."""
    return _unigram(model, _as_hashes(words))[0]


def logp_bigram(model: Background, first, second) -> np.ndarray:
    """log10 P(second | first), with backoff; `first` may be NONE (then P(second)).

    Words are strings, sequences of strings, or uint64 arrays of hashes."""
    h1, h2 = np.broadcast_arrays(_as_hashes(first), _as_hashes(second))
    return _bigram(model, h1, _unigram(model, h1)[1], h2, _unigram(model, h2)[0])


def logp_trigram(model: Background, first, second, third) -> np.ndarray:
    """log10 P(third | first second), ARPA backoff: the stored trigram if there
    is one, else backoff(first second) + log10 P(third | second), the backoff
    being 0 when (first, second) is not a stored bigram. `first` NONE (or a
    model without trigrams): log10 P(third | second)."""
    u, v, w = np.broadcast_arrays(_as_hashes(first), _as_hashes(second), _as_hashes(third))
    logp_v, backoff_v = _unigram(model, v)
    _, uv_backoff, uv_found = _pairs(model, u, _unigram(model, u)[1], v, logp_v)
    vw_logp, _, vw_found = _pairs(model, v, backoff_v, w, _unigram(model, w)[0])
    return _trigram(model, u, v, w, uv_backoff, uv_found, vw_logp, vw_found)


def fit(model: Background, left, word, right, left2=NONE, right2=NONE) -> np.ndarray:
    """How well `word` fits between its neighbours.

    Bigram model: log10 P(word|left) + log10 P(right|word). With trigrams,
    left2 and right2 being the words beyond: log10 P(word | left2 left) +
    log10 P(right | left word) + log10 P(right2 | word right).

    Compare it across candidates for the same slot (the word and its
    synonyms): the neighbours are the same, so the difference is the gain.
    NONE (hash 0, or None) for a missing neighbour drops that side's context
    (left) or terms (right: its two terms, right2: its one)."""
    if model.trigrams is None:
        left, word, right = np.broadcast_arrays(
            _as_hashes(left), _as_hashes(word), _as_hashes(right)
        )
        after = np.where(right != 0, logp_bigram(model, word, right), 0.0)
        return logp_bigram(model, left, word) + after
    left2, left, word, right, right2 = np.broadcast_arrays(
        *(_as_hashes(x) for x in (left2, left, word, right, right2))
    )
    left2 = np.where(left != 0, left2, NONE)
    right2 = np.where(right != 0, right2, NONE)
    out = logp_trigram(model, left2, left, word)
    out += np.where(right != 0, logp_trigram(model, left, word, right), 0.0)
    return out + np.where(right2 != 0, logp_trigram(model, word, right, right2), 0.0)


def fit_phrase(
    model: Background,
    left: str | None,
    phrase: Sequence[str],
    right: str | None,
    left2: str | None = None,
    right2: str | None = None,
) -> float:
    """log10 P of a window: left, the phrase's words, right (`civil war` for `civil warfare`).

    With trigrams, left2 and right2 (the words beyond left and right) add
    context: each word of the phrase, right and right2 is scored given the two
    words before it. Phrases of different lengths have different numbers of
    terms: fine when comparing two fillers of the same gap, as the probability
    of the window."""
    if model.trigrams is None:
        h = hashes([left, *phrase, right])
        terms = logp_bigram(model, h[:-1], h[1:])
        return float((terms[:-1] if right is None else terms).sum())
    left2 = None if left is None else left2
    right2 = None if right is None else right2
    h = hashes([left2, left, *phrase, right, right2])
    terms = logp_trigram(model, h[:-2], h[1:-1], h[2:])
    return float(terms[: len(terms) - (right is None) - (right2 is None)].sum())


# ---------------------------------------------------------------- synonyms


def thesaurus(lang: str) -> dict[str, tuple[str, ...]]:
    """form -> synonym candidates, inflected like it, most common first
    (cleaner/data/thesaurus/{lang}.tsv, built by scripts/build_thesaurus.py).

    Forms and candidates are norms joined by spaces (`states of war`). Reading
    the file takes about 0.2 s and some 100 MB: not kept (cleaning reads the
    table compiled to arrays, cleaner/spun/synonym_table.py)."""
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
    inner: np.ndarray  # float32
    first_logp: np.ndarray  # float32: log10 P(first word), for the backoff to it
    last_backoff: np.ndarray  # float32: log10 backoff weight of the last word
    log_choices: np.ndarray  # float32: log10 of how many synonyms the candidate itself has
    text: Sequence[str]  # the candidates, for evidence (read on first use)
    # for the trigram terms of a multi-word candidate c1..cm: P(right | c(m-1) cm)
    penult: np.ndarray  # uint64: hash of c(m-1) (0 for a one-word candidate)
    last_pair_backoff: np.ndarray  # float32: log10 backoff weight of (c(m-1), cm) as a history
    last_pair_found: np.ndarray  # bool: whether (c(m-1), cm) is a stored bigram


@cache
def synonyms(lang: str) -> Synonyms:
    """thesaurus(lang) as arrays, once per process: the compiled table
    (cleaner/spun/synonym_table.py, milliseconds) joined with the model."""
    from cleaner.spun import cache, synonym_table

    table, model = synonym_table.read(lang), load(lang)

    n = len(table.first)
    owner = np.asarray(table.pair_owner)
    penult = np.zeros(n, dtype=np.uint64)  # a phrase's last pair's first word
    if len(owner):
        last_pair = np.r_[np.flatnonzero(owner[1:] != owner[:-1]), len(owner) - 1]
        penult[owner[last_pair]] = np.asarray(table.pair_first)[last_pair]

    def compute() -> dict[str, np.ndarray]:
        inner = np.zeros(n)
        if len(owner):
            logp = logp_bigram(model, table.pair_first, table.pair_second)
            inner = np.bincount(owner, weights=logp, minlength=n)
        logp, backoff = _unigram(model, table.first)[0], _unigram(model, table.last)[1]
        last = np.asarray(table.last)
        _, pair_backoff, pair_found = _pairs(
            model, penult, _unigram(model, penult)[1], last, _unigram(model, last)[0]
        )
        # float32: exact to 7 digits, the model's own values have 3 or 4
        return {
            "first_logp": logp.astype(np.float32),
            "last_backoff": backoff.astype(np.float32),
            "inner": inner.astype(np.float32),
            "last_pair_backoff": pair_backoff.astype(np.float32),
            "last_pair_found": pair_found,
        }

    names = ("first_logp", "last_backoff", "inner", "last_pair_backoff", "last_pair_found")
    model_folder = synonym_table.folder(lang) / f"model-{model.meta['digest']}"
    figures = cache.arrays(model_folder, names, compute)
    counts = np.asarray(table.counts, dtype=np.int64)
    return Synonyms(
        _table(np.asarray(table.forms)),
        np.r_[0, np.cumsum(counts)],
        np.asarray(table.first),
        np.asarray(table.last),
        figures["inner"],
        figures["first_logp"],
        figures["last_backoff"],
        np.log10(np.asarray(table.choices, dtype=np.float32)),
        table.text,
        penult,
        figures["last_pair_backoff"],
        figures["last_pair_found"],
    )


class _Candidates(NamedTuple):
    """Every thesaurus candidate of the words at some positions, scored in place."""

    own: np.ndarray  # per position: the word's own window score (as `fit`)
    count: np.ndarray  # per position: how many candidates it has
    slot: np.ndarray  # per candidate: the position it stands for (0..n-1)
    row_start: np.ndarray  # per position: where its candidates begin
    index: np.ndarray  # per candidate: its index in syn.text
    score: np.ndarray  # per candidate: its window score in the word's place


def _candidates(
    model: Background, syn: Synonyms, h: np.ndarray, positions, k: int | None = None
) -> _Candidates:
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
    if model.trigrams is not None:
        own, score = _trigram_window(model, syn, h, logp, backoff, positions, slot, cand)
        return _Candidates(own, count, slot, row_start, cand, score)

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
    return _Candidates(own, count, slot, row_start, cand, score)


def _trigram_window(model, syn, h, logp, backoff, positions, slot, cand):
    """The window scores of `_candidates` with the trigram level: for a word x
    between l2 l1 _ r1 r2, log10 P(x | l2 l1) + P(r1 | l1 x) + P(r2 | x r1); for
    a candidate c1..cm, log10 P(c1 | l2 l1) + its inner bigrams + P(r1 | c(m-1) cm)
    + P(r2 | cm r1), c(m-1) being l1 for one word. Terms past the document's
    end are dropped. One search of the bigram table (the document's pairs
    around the positions, (l1, c1) and (cm, r1) of each candidate), one of the
    trigram table (the triples that may be stored: see `_trigrams`)."""
    if syn.penult is None:
        raise ValueError("these Synonyms were made for a model without trigrams")
    edge = np.zeros(2, dtype=np.uint64)
    doc = np.r_[edge, h, edge]  # word i at i + 2, NONE twice at each end
    doc_logp, doc_backoff = np.r_[0.0, 0.0, logp, 0.0, 0.0], np.r_[0.0, 0.0, backoff, 0.0, 0.0]
    a = positions + 2
    n, total = len(a), len(cand)
    need = np.zeros(len(doc) - 1, dtype=bool)  # pairs (doc[q], doc[q + 1]) in the windows
    for shift in (-2, -1, 0, 1):
        need[a + shift] = True
    q = np.flatnonzero(need)
    at = a.take(slot)  # per candidate: where its word is in doc
    l1, r1 = doc.take(at - 1), doc.take(at + 1)
    first, last = np.asarray(syn.first).take(cand), np.asarray(syn.last).take(cand)

    # the bigram search: the document's pairs, then (l1, c1), then (cm, r1)
    h1, h2 = doc.take(q), doc.take(q + 1)
    keys = np.concatenate([pair_keys(h1, h2), pair_keys(l1, first), pair_keys(last, r1)])
    pos, found = _find(model.bigrams, keys)
    m = len(q)
    dl, db, df = np.zeros(len(doc) - 1), np.zeros(len(doc) - 1), np.zeros(len(doc) - 1, bool)
    dl[q], db[q], df[q] = _pair_values(
        model, pos[:m], found[:m], h1, doc_backoff.take(q), h2, doc_logp.take(q + 1)
    )
    lc_logp, lc_backoff, lc_found = _pair_values(
        model,
        pos[m : m + total],
        found[m : m + total],
        l1,
        doc_backoff.take(at - 1),
        first,
        np.asarray(syn.first_logp).take(cand),
    )
    cr_logp, cr_backoff, cr_found = _pair_values(
        model,
        pos[m + total :],
        found[m + total :],
        last,
        np.asarray(syn.last_backoff).take(cand),
        r1,
        doc_logp.take(at + 1),
    )

    # (c(m-1), cm) is (l1, c1) for one word, the phrase's own last pair for more
    penult = np.asarray(syn.penult).take(cand)
    multi = np.flatnonzero(penult)
    prev, prev_backoff, prev_found = l1.copy(), lc_backoff.copy(), lc_found.copy()
    prev[multi] = penult[multi]
    prev_backoff[multi] = np.asarray(syn.last_pair_backoff).take(cand[multi])
    prev_found[multi] = np.asarray(syn.last_pair_found).take(cand[multi])

    t = np.concatenate([a - 2, a - 1, a])  # the word's own triples start at doc[t]
    own3, before, after, after2 = _trigrams(
        model,
        [
            (
                db[t],
                df[t],
                dl[t + 1],
                df[t + 1],
                lambda i: (doc[t[i]], doc[t[i] + 1], doc[t[i] + 2]),
            ),
            (
                db.take(at - 2),
                df.take(at - 2),
                lc_logp,
                lc_found,
                lambda i: (doc.take(at[i] - 2), l1[i], first[i]),
            ),
            (prev_backoff, prev_found, cr_logp, cr_found, lambda i: (prev[i], last[i], r1[i])),
            (
                cr_backoff,
                cr_found,
                dl.take(at + 1),
                df.take(at + 1),
                lambda i: (last[i], r1[i], doc.take(at[i] + 2)),
            ),
        ],
    )
    has_right = doc.take(a + 1) != 0
    has_right2 = has_right & (doc.take(a + 2) != 0)
    own = (
        own3[:n]
        + np.where(has_right, own3[n : 2 * n], 0.0)
        + np.where(has_right2, own3[2 * n :], 0.0)
    )
    score = (
        before
        + np.asarray(syn.inner).take(cand)
        + np.where(has_right.take(slot), after, 0.0)
        + np.where(has_right2.take(slot), after2, 0.0)
    )
    return own, score


def _best(c: _Candidates, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per position: the highest of `values` (one per candidate; -inf when it has
    none) and the syn.text index of the first candidate that reaches it (-1)."""
    n = len(c.own)
    best = np.full(n, -np.inf)
    index = np.full(n, -1, dtype=np.int64)
    has = c.count > 0
    if len(values):
        best[has] = np.maximum.reduceat(values, c.row_start[has])
        at_best = np.flatnonzero(values == best[c.slot])  # ascending: per slot the first first
        slot_best = c.slot[at_best]
        first = np.r_[True, slot_best[1:] != slot_best[:-1]]
        index[slot_best[first]] = c.index[at_best[first]]
    return best, index


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
    c = _candidates(model, syn, h, positions, k)
    best, index = _best(c, c.score)
    return c.own, best, index


class Odds(NamedTuple):
    """What `substitution_odds` finds at each position (arrays)."""

    log_odds: np.ndarray  # log10 P(word | a spinner wrote it) / P(word | a writer chose it)
    own: np.ndarray  # the word's window score
    best: np.ndarray  # the likeliest original's window score (-inf: no candidate)
    original: np.ndarray  # its index in syn.text (-1: no candidate)


def substitution_odds(model: Background, syn: Synonyms, h: np.ndarray, positions) -> Odds:
    """How much likelier each word at `positions` is as a spinner's substitution
    than as the writer's own choice.

    A context-blind spinner writes w where the writer wrote some synonym o of
    w, picking w among o's synonyms without looking at the neighbours. So

        P(w | spun) = sum over o of P(o | neighbours) / (number of synonyms of o)
        P(w | clean) = P(w | neighbours)

    with P(x | neighbours) the window score of x between the same two words.
    The ratio is near 0 for a word that fits its place, and large for a word
    whose synonym fits far better (`civil warfare`: `war`). Summing over the
    candidates, rather than taking the best, keeps a word with many synonyms
    from winning by chance. -inf for a word without candidates."""
    c = _candidates(model, syn, h, positions)
    n = len(c.own)
    terms = c.score - syn.log_choices[c.index] - c.own[c.slot]
    top, _ = _best(c, terms)
    log_odds = np.full(n, -np.inf)
    has = c.count > 0
    if has.any():
        total = np.bincount(c.slot, weights=10.0 ** (terms - top[c.slot]), minlength=n)
        log_odds[has] = top[has] + np.log10(total[has])
    posterior, original = _best(c, c.score - syn.log_choices[c.index])
    best = np.where(has, posterior + syn.log_choices[np.maximum(original, 0)], -np.inf)
    return Odds(log_odds, c.own, best, original)
