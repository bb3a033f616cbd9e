"""The synonym tables in array form, compiled once per machine so that a
process reads them in milliseconds.

Reading cleaner/data/thesaurus/{lang}.tsv and hashing its half a million
candidates takes seconds in Python: too slow for a pre-commit hook on one
file, run once per commit. `read` maps the arrays compiled from the TSV,
kept in the user's cache (cleaner/spun/cache.py) under a name holding the
TSV's SHA-256, so a new table is compiled again. The repository ships only
the TSV (40 MB of arrays would be derived data).

    forms.npy        uint64, sorted  word_hash of each form
    counts.npy       int32           its number of candidates (rows of the arrays below)
    first.npy        uint64          per candidate: hash of its first word
    last.npy         uint64          per candidate: hash of its last word
    choices.npy      int32           per candidate: how many synonyms it has itself (1 if none)
    pair_owner.npy   int32           per bigram inside a multi-word candidate: the candidate
    pair_first.npy   uint64          …its first word's hash
    pair_second.npy  uint64          …its second word's hash
    candidates.npy   uint8           the candidates' UTF-8 bytes, in row order
    candidate_ends.npy int32         where each ends in them
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import numpy as np

from cleaner.spun import cache as derived

ARRAYS = ("forms", "counts", "first", "last", "choices", "pair_owner", "pair_first", "pair_second")
TEXT = ("candidates", "candidate_ends")


class Candidates:
    """The candidates' text, read one at a time (only evidence needs it, a
    few words a document)."""

    def __init__(self, blob: np.ndarray, ends: np.ndarray):
        self._blob, self._ends = blob, ends

    def __getitem__(self, index: int) -> str:
        start = int(self._ends[index - 1]) if index else 0
        return bytes(self._blob[start : int(self._ends[index])]).decode("utf-8")

    def __len__(self) -> int:
        return len(self._ends)


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


@cache  # the 6 MB table hashed once a process, not at each use
def _digest(lang: str) -> str:
    tsv = Path(str(resources.files("cleaner") / "data" / "thesaurus" / f"{lang}.tsv"))
    return hashlib.sha256(tsv.read_bytes()).hexdigest()[:16]


def folder(lang: str) -> Path:
    """Where `lang`'s compiled table is kept, named after the TSV's content."""
    return derived.folder("thesaurus", f"{lang}-{_digest(lang)}")


def _arrays(table: dict[str, tuple[str, ...]]) -> dict[str, np.ndarray]:
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
    encoded = [c.encode("utf-8") for c in text]
    return {
        "forms": keys,
        "counts": counts,
        "first": hashes([c.partition(" ")[0] for c in text]),
        "last": hashes([c.rpartition(" ")[2] for c in text]),
        "choices": np.where(is_form, counts[own_form], 1).astype(np.int32),
        "pair_owner": owner,
        "pair_first": hashes([a for _, w in multi for a in w[:-1]]),
        "pair_second": hashes([b for _, w in multi for b in w[1:]]),
        "candidates": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "candidate_ends": np.cumsum([len(c) for c in encoded], dtype=np.int32),
    }


def _compiled(arrays: dict[str, np.ndarray]) -> Compiled:
    return Compiled(*(arrays[name] for name in ARRAYS), Candidates(*(arrays[n] for n in TEXT)))


def compile_table(table: dict[str, tuple[str, ...]]) -> Compiled:
    """A thesaurus table (form -> candidates) compiled, in memory."""
    return _compiled(_arrays(table))


@cache
def read(lang: str) -> Compiled:
    """The compiled arrays of `lang`'s table, memory-mapped; compiled from the
    TSV (seconds) and cached on the first run."""
    from cleaner.spun.background import thesaurus

    return _compiled(derived.arrays(folder(lang), ARRAYS + TEXT, lambda: _arrays(thesaurus(lang))))
