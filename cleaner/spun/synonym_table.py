"""The synonym tables in array form, compiled once per machine so that a
process reads them in milliseconds.

Reading cleaner/data/thesaurus/{lang}.tsv and hashing its half a million
candidates takes seconds in Python: too slow for a pre-commit hook on one
file, run once per commit. `read` maps the arrays compiled from the TSV in
the user's cache folder ($CLEANER_CACHE, else $XDG_CACHE_HOME/cleaner, else
~/.cache/cleaner), under a name holding the TSV's SHA-256, so a new table is
compiled again; the first run compiles and writes them (atomically: a
folder renamed into place), and when the cache cannot be written it works
from memory. The repository ships only the TSV (40 MB of arrays would be
derived data).

    forms.npy        uint64, sorted  word_hash of each form
    counts.npy       int32           its number of candidates (rows of the arrays below)
    first.npy        uint64          per candidate: hash of its first word
    last.npy         uint64          per candidate: hash of its last word
    choices.npy      int32           per candidate: how many synonyms it has itself (1 if none)
    pair_owner.npy   int32           per bigram inside a multi-word candidate: the candidate
    pair_first.npy   uint64          …its first word's hash
    pair_second.npy  uint64          …its second word's hash
    candidates.npy   uint8           the candidates' UTF-8 bytes, in row order
    candidate_ends.npy int64         where each ends in them
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import numpy as np

ARRAYS = ("forms", "counts", "first", "last", "choices", "pair_owner", "pair_first", "pair_second")


class Candidates:
    """The candidates' text: in memory, or read one at a time from the
    compiled folder (only evidence needs it, a few words a document)."""

    def __init__(self, text: tuple[str, ...] | None = None, folder: Path | None = None):
        self._text = text
        if folder is not None:
            self._blob = np.load(folder / "candidates.npy", mmap_mode="r")
            self._ends = np.load(folder / "candidate_ends.npy", mmap_mode="r")

    def __getitem__(self, index: int) -> str:
        if self._text is not None:
            return self._text[index]
        start = int(self._ends[index - 1]) if index else 0
        return bytes(self._blob[start : int(self._ends[index])]).decode("utf-8")

    def __len__(self) -> int:
        return len(self._text) if self._text is not None else len(self._ends)

    def all(self) -> tuple[str, ...]:
        return self._text if self._text is not None else tuple(self[i] for i in range(len(self)))


class Compiled(NamedTuple):
    forms: np.ndarray
    counts: np.ndarray
    first: np.ndarray
    last: np.ndarray
    choices: np.ndarray
    pair_owner: np.ndarray
    pair_first: np.ndarray
    pair_second: np.ndarray
    text: Candidates


def _tsv(lang: str) -> Path:
    return Path(str(resources.files("cleaner") / "data" / "thesaurus" / f"{lang}.tsv"))


def cache_root() -> Path:
    if os.environ.get("CLEANER_CACHE"):
        return Path(os.environ["CLEANER_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cleaner"


def _folder(lang: str) -> Path:
    digest = hashlib.sha256(_tsv(lang).read_bytes()).hexdigest()
    return cache_root() / "thesaurus" / f"{lang}-{digest[:16]}"


def compile_table(table: dict[str, tuple[str, ...]]) -> Compiled:
    """The arrays of a thesaurus table (form -> candidates)."""
    from cleaner.spun.background import _find, _table, hashes, word_hash

    forms = sorted(table, key=word_hash)
    keys = np.array([word_hash(f) for f in forms], dtype=np.uint64)
    counts = np.array([len(table[f]) for f in forms], dtype=np.int32)
    text = tuple(chain.from_iterable(table[f] for f in forms))
    multi = [(i, c.split()) for i, c in enumerate(text) if " " in c]
    owner = np.repeat(
        np.array([i for i, _ in multi], dtype=np.int32), [len(w) - 1 for _, w in multi]
    ).astype(np.int32)
    # a spinner that replaced candidate c picked one of c's own synonyms
    own_form, is_form = _find(_table(keys), hashes(list(text)))
    return Compiled(
        keys,
        counts,
        hashes([c.partition(" ")[0] for c in text]),
        hashes([c.rpartition(" ")[2] for c in text]),
        np.where(is_form, counts[own_form], 1).astype(np.int32),
        owner,
        hashes([a for _, w in multi for a in w[:-1]]),
        hashes([b for _, w in multi for b in w[1:]]),
        Candidates(text),
    )


def _write(compiled: Compiled, folder: Path) -> None:
    """The arrays into `folder`, which appears whole or not at all."""
    arrays = {name: getattr(compiled, name) for name in ARRAYS}
    encoded = [c.encode("utf-8") for c in compiled.text.all()]
    arrays["candidates"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    arrays["candidate_ends"] = np.cumsum([len(c) for c in encoded], dtype=np.int64)
    _save(folder, arrays)


MODEL_ARRAYS = ("first_logp", "last_backoff", "inner", "last_pair_backoff", "last_pair_found")


def with_model(lang: str, model_key: str, compute) -> dict[str, np.ndarray]:
    """The candidates' figures under `lang`'s background model (log10 P of the
    first word, backoff weight of the last, log10 P of a phrase's own
    bigrams): `compute()` once, then from the cache, keyed by the model."""
    folder = _folder(lang) / f"model-{model_key}"
    if (folder / f"{MODEL_ARRAYS[-1]}.npy").exists():
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in MODEL_ARRAYS}
    arrays = compute()
    with contextlib.suppress(OSError):  # not cached: computed again next time
        _save(folder, {name: arrays[name] for name in MODEL_ARRAYS})
    return arrays


def _save(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}.", dir=folder.parent) as tmp:
        for name, array in arrays.items():
            np.save(Path(tmp) / f"{name}.npy", array)
        try:
            os.rename(tmp, folder)
        except OSError:  # another process put it there first: same bytes
            if not folder.is_dir():
                raise
        else:
            os.mkdir(tmp)  # for TemporaryDirectory to remove


@cache
def read(lang: str) -> Compiled:
    """The compiled arrays of `lang`'s table, memory-mapped; compiled from the
    TSV (seconds) and cached on the first run."""
    from cleaner.spun.background import thesaurus

    folder = _folder(lang)
    if not (folder / "candidate_ends.npy").exists():
        compiled = compile_table(thesaurus(lang))
        try:
            _write(compiled, folder)
        except OSError:  # a read-only home: work from memory
            return compiled
    arrays = [np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS]
    return Compiled(*arrays, Candidates(folder=folder))
