"""langid's model, scored for many texts at once with numpy.

langid.py (Lui & Baldwin) is a naive Bayes classifier over byte n-grams of
one to four bytes: it counts its 7,480 feature n-grams with an Aho-Corasick
automaton, one Python step per byte, then takes a dot product with a
7,480 x 97 matrix of log-probabilities. Counting each feature's occurrences
is the same as counting every n-gram of the text that is a feature, so here
the n-grams of all the texts of a document are cut at once with numpy, looked
up in the sorted feature list, and the dot product is taken over the
features present only. The feature strings are read off langid's automaton
(each feature is output first at the trie node whose path it is). Answers
are langid's: `tests/test_langmodel.py` checks them against `langid.classify`.

Converting langid's model takes about 2.4 s; the result is kept in the user's
cache folder (`$XDG_CACHE_HOME/cleaner`, else `~/.cache/cleaner`), so a
process loads it in a few milliseconds. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import deque
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

_MAX_NGRAM = 4


_TABLE_BITS = 18  # hash table slots for 7,480 features: a load under 3 %, so most
# n-grams that are not features find an empty slot at once
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True, eq=False)
class LangModel:
    classes: tuple[str, ...]
    codes: np.ndarray  # sorted uint64 codes of the feature n-grams
    feature_of: np.ndarray  # feature index of each code
    log_ptc: np.ndarray  # (features, classes) log P(feature | class)
    log_pc: np.ndarray  # (classes,) log P(class)

    @cached_property
    def table(self) -> tuple[np.ndarray, np.ndarray, int]:
        """An open-addressing hash table of the codes: (keys, features, probes)."""
        return _hash_table(self)

    def index(self, lang: str) -> int:
        return self.classes.index(lang)

    def log_probs(self, texts: list[str]) -> np.ndarray:
        """langid's log-probabilities (texts x classes), as `nb_classprobs` gives them."""
        return self.score(texts)[0]

    def score(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(log-probabilities, letters): the letters of each text are counted
        from its bytes (ASCII letters, and one per non-ASCII character)."""
        n = len(texts)
        out = np.tile(self.log_pc, (n, 1))
        if n == 0:
            return out, np.zeros(0)
        parts = [t.encode("utf-8") for t in texts]
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=n)
        raw = np.frombuffer(b"".join(parts), dtype=np.uint8)
        owner = np.repeat(np.arange(n), lengths)
        letter = ((raw | 0x20) >= ord("a")) & ((raw | 0x20) <= ord("z")) | (raw >= 0xC0)
        letters = np.bincount(owner, weights=letter, minlength=n)
        data = raw.astype(np.uint64)
        codes, owners = [], []
        for size in range(1, _MAX_NGRAM + 1):
            m = len(data) - size + 1
            if m <= 0:
                break
            code = data[:m].copy()
            for k in range(1, size):
                code |= data[k : k + m] << np.uint64(8 * k)
            code |= np.uint64(size << 32)
            inside = owner[:m] == owner[size - 1 : size - 1 + m]  # n-grams do not cross texts
            codes.append(code[inside])
            owners.append(owner[:m][inside])
        features, found_in = _lookup(self, np.concatenate(codes), np.concatenate(owners))
        if features.size == 0:
            return out, letters
        # A small dense matrix: texts x the features this batch holds.
        present, column = np.unique(features, return_inverse=True)
        counts = np.bincount(found_in * len(present) + column, minlength=n * len(present))
        out += counts.reshape(n, len(present)).astype(np.float64) @ self.log_ptc[present]
        return out, letters


def _slot(codes: np.ndarray) -> np.ndarray:
    return ((codes * _GOLDEN) >> np.uint64(64 - _TABLE_BITS)).astype(np.int64)


def _hash_table(model: LangModel) -> tuple[np.ndarray, np.ndarray, int]:
    """Linear probing, built in rounds (vectorised: a Python loop over 7,480
    codes took 80 ms of every one-file run): each round, every code not yet
    placed tries its next slot, and of the codes that try the same empty slot
    the first in order takes it. A code then sits past its home slot only over
    occupied slots, which is all that a lookup needs."""
    size = 1 << _TABLE_BITS
    keys = np.zeros(size, dtype=np.uint64)  # 0 is no code: every code has its length bits
    values = np.full(size, -1, dtype=np.int64)
    codes, features = np.asarray(model.codes, dtype=np.uint64), np.asarray(model.feature_of)
    waiting = np.arange(len(codes))
    slots = _slot(codes)
    probes = 1
    while waiting.size:
        free = keys[slots[waiting]] == 0
        trying = waiting[free]
        taken, first = np.unique(slots[trying], return_index=True)
        placed = trying[first]
        keys[taken], values[taken] = codes[placed], features[placed]
        left = np.ones(len(waiting), dtype=bool)
        left[np.flatnonzero(free)[first]] = False
        waiting = waiting[left]
        slots[waiting] = (slots[waiting] + 1) % size
        probes += bool(waiting.size)
    return keys, values, probes


def _lookup(
    model: LangModel, codes: np.ndarray, owners: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(feature, owner) of each n-gram code that is a feature (linear probing, vectorised)."""
    keys, values, probes = model.table
    slots = _slot(codes)
    features, found_in = [], []
    for _ in range(probes):
        here = keys[slots]
        hit = here == codes
        features.append(values[slots[hit]])
        found_in.append(owners[hit])
        going = (~hit) & (here != 0)  # an empty slot ends the search
        if not going.any():
            break
        codes, owners, slots = codes[going], owners[going], (slots[going] + 1) % len(keys)
    return np.concatenate(features), np.concatenate(found_in)


def _code(ngram: bytes) -> int:
    return sum(b << (8 * k) for k, b in enumerate(ngram)) | (len(ngram) << 32)


def _from_langid() -> LangModel:
    """Read langid's model: its matrices, and its features off the automaton."""
    from langid import langid

    ident = langid.LanguageIdentifier.from_modelstring(langid.model)
    moves = np.asarray(ident.tk_nextmove, dtype=np.int64).reshape(-1, 256)
    path = {0: b""}
    queue, order = deque([0]), []
    while queue:  # breadth first: a feature's own trie node is met before any other
        state = queue.popleft()
        order.append(state)
        for byte, target in enumerate(moves[state].tolist()):
            if target not in path:
                path[target] = path[state] + bytes([byte])
                queue.append(target)
    strings: dict[int, bytes] = {}
    for state in order:
        for feature in ident.tk_output.get(state, ()):
            strings.setdefault(feature, path[state])
    codes = np.array([_code(strings[f]) for f in range(ident.nb_numfeats)], dtype=np.uint64)
    order_ = np.argsort(codes)
    return LangModel(
        classes=tuple(str(c) for c in ident.nb_classes),
        codes=codes[order_],
        feature_of=order_.astype(np.int64),
        log_ptc=np.asarray(ident.nb_ptc, dtype=np.float64),
        log_pc=np.asarray(ident.nb_pc, dtype=np.float64),
    )


def _cache_file() -> Path:
    import langid.langid as source

    digest = hashlib.sha256(source.model[:4096] + source.model[-4096:]).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cleaner"
    return base / f"langid-model-{digest}.npz"


@cache
def load() -> LangModel:
    """langid's model, converted once and cached on disk (see the module doc).

    Its hash table is built here too, so that worker processes forked after
    a load share both.
    """
    model = _read_cache(_cache_file())
    if model is None:
        model = _from_langid()
        _write_cache(_cache_file(), model)
    _ = model.table
    return model


def _read_cache(path: Path) -> LangModel | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            return LangModel(
                tuple(z["classes"].tolist()), z["codes"], z["feature_of"], z["log_ptc"], z["log_pc"]
            )
    except (OSError, KeyError, ValueError):
        return None


def _write_cache(path: Path, model: LangModel) -> None:
    try:  # best effort: a read-only home only makes the next process slower
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        with os.fdopen(fd, "wb") as f:
            np.savez(
                f,
                classes=np.array(model.classes),
                codes=model.codes,
                feature_of=model.feature_of,
                log_ptc=model.log_ptc,
                log_pc=model.log_pc,
            )
        os.replace(tmp, path)
    except OSError:
        pass
