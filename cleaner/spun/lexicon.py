"""Known substitutions: phrases spinners write, with what they replaced.

The tables are data/spun/{en,fr}.tsv: `phrase, original, strength,
condition`. A `strong` phrase is one a writer almost never produces
(`safety menace`); a `weak` one is ordinary language that counts only as
corroboration (`mentioned`), and may carry a condition: `absent:said|says`
counts it only in a document that never uses those words, as a report that
writes `mentioned` for every quote and never `said`. `<Name>` in a phrase
matches one capitalised word and is echoed in the original
(`a <Name> knowledgeable` -> `a <Name> expert`).
"""

from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass
from functools import cache

from cleaner.rules import read_tsv
from cleaner.spun.words import Sentence, norms

NAME = "<name>"
LANGUAGES = ("en", "fr")


@dataclass(frozen=True, slots=True)
class Entry:
    lang: str
    phrase: tuple[str, ...]
    original: str
    strong: bool
    absent: frozenset[str] = frozenset()  # the entry counts only when none of these occur


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    first: int  # index of the first and past-the-last word matched
    last: int
    original: str  # with the name filled in


def parse_entry(lang: str, row: list[str]) -> Entry:
    phrase, original = row[0].strip(), row[1].strip()
    strength = row[2].strip() if len(row) > 2 else "weak"
    condition = row[3].strip() if len(row) > 3 else ""
    if strength not in ("strong", "weak"):
        raise ValueError(f"spun lexicon ({lang}): {phrase!r}: strength must be strong or weak")
    absent: frozenset[str] = frozenset()
    if condition:
        kind, _, words = condition.partition(":")
        if kind != "absent" or not words:
            raise ValueError(f"spun lexicon ({lang}): {phrase!r}: unknown condition {condition!r}")
        absent = frozenset(w.strip().lower() for w in words.split("|"))
    tokens: list[str] = []
    for part in phrase.split():
        tokens.extend([NAME] if part.lower() == NAME else norms(part))
    return Entry(lang, tuple(tokens), original, strength == "strong", absent)


@cache
def entries(lang: str) -> tuple[Entry, ...]:
    if lang not in LANGUAGES:
        return ()
    return tuple(parse_entry(lang, row) for row in read_tsv("cleaner.data.spun", f"{lang}.tsv"))


@cache
def _by_start(lang: str) -> dict[object, tuple[Entry, ...]]:
    """The entries by how they start: a one-word entry by its word, a longer
    one by its first two (`<name>` standing for any capitalised word), so that
    a word is tried against the few entries its neighbour allows. Each list is
    in the order entries are tried (`_order`)."""
    table: dict[object, list[Entry]] = {}
    for entry in entries(lang):
        key = entry.phrase[0] if len(entry.phrase) == 1 else entry.phrase[:2]
        table.setdefault(key, []).append(entry)
    order = _order(lang)
    return {k: tuple(sorted(v, key=order.__getitem__)) for k, v in table.items()}


@cache
def _order(lang: str) -> dict[Entry, tuple[bool, int, int]]:
    """The order entries are tried at a word: a <Name> phrase after the others,
    longest first (`air marketing campaign` before `marketing campaign`), then
    as in the table."""
    return {
        entry: (entry.phrase[0] == NAME, -len(entry.phrase), k)
        for k, entry in reversed(list(enumerate(entries(lang))))  # equal entries: the first's place
    }


@cache
def _heads(lang: str) -> tuple[frozenset[str], bool]:
    """The words an entry can start with, and whether some entry starts with
    `<name>` (any capitalised word): most words start none, and are passed by
    with one set lookup."""
    firsts = {entry.phrase[0] for entry in entries(lang)}
    return frozenset(firsts - {NAME}), NAME in firsts


def _candidates(
    table: dict[object, tuple[Entry, ...]], order: dict[Entry, tuple], words: Sentence, i: int
) -> tuple[Entry, ...]:
    """The entries of `table` (`_by_start`) that may start at word i, in the
    order they are tried (`order`, `_order`)."""
    norms, capitals = words.norms, words.capitals
    heads = (norms[i], NAME) if capitals[i] else (norms[i],)
    found: tuple[Entry, ...] = ()
    if i + 1 < len(norms):
        tails = (norms[i + 1], NAME) if capitals[i + 1] else (norms[i + 1],)
        for head in heads:
            for tail in tails:
                found += table.get((head, tail), ())
    for head in heads:
        found += table.get(head, ())
    return tuple(sorted(found, key=order.__getitem__)) if len(found) > 1 else found


def _matches(entry: Entry, words: Sentence, i: int) -> bool:
    if i + len(entry.phrase) > len(words.norms):
        return False
    for token, norm, capital in zip(
        entry.phrase, words.norms[i:], words.capitals[i:], strict=False
    ):
        if token == NAME:
            if not capital:
                return False
        elif token != norm:
            return False
    return True


def find(words: Sentence, lang: str, present: frozenset[str]) -> list[Hit]:
    """Lexicon phrases in `words` (one sentence), longest match first, not
    overlapping; `present` is every word of the document, for conditions."""
    table, order = _by_start(lang), _order(lang)
    heads, by_name = _heads(lang)
    # the words an entry may start at, found without a Python step per word
    may_start = map(heads.__contains__, words.norms)
    if by_name:
        may_start = map(operator.or_, may_start, words.capitals)
    hits: list[Hit] = []
    free = 0  # matches do not overlap: the first word not yet matched
    for i in itertools.compress(itertools.count(), may_start):
        if i < free:
            continue
        for entry in _candidates(table, order, words, i):
            if (entry.absent and not entry.absent.isdisjoint(present)) or not _matches(
                entry, words, i
            ):
                continue
            end = i + len(entry.phrase)
            original = entry.original
            if NAME in entry.phrase:
                surface = words.tokens[i + entry.phrase.index(NAME)]
                original = re.sub("<name>", lambda _, s=surface: s, original, flags=re.I)
            hits.append(Hit(entry, i, end, original))
            free = end
            break
    return hits
