"""Odd collocations: a rare synonym where the corpus uses the common word.

Spinners swap a word for a rarer synonym without regard to the words around
it: `civil warfare`, `safety menace`. Two frequencies say it:
- the word is rarer in the language than its synonym (wordfreq's Zipf
  frequencies, which ship inside the package);
- the corpus being cleaned writes the pair with the common word in several
  documents (`civil war`) and the pair with the rare one hardly ever.

The synonym pairs come from the lexicon itself: where a lexicon phrase and its
original differ by one word, that word pair (`warfare` -> `war`) can turn up
next to any neighbour, and this layer finds it next to neighbours the lexicon
never listed. The corpus counts are learned in the corpus pass
(cleaner/runner.py), over the bigrams that hold such a word.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from functools import cache

from cleaner.blocks import stopwords
from cleaner.spun.lexicon import NAME, entries
from cleaner.spun.words import norms


def _content(word: str) -> bool:
    return word.isalpha() and len(word) >= 3 and word not in stopwords()


@cache
def synonyms(lang: str) -> dict[str, str]:
    """rare word -> common word: the content words that a lexicon phrase and
    its original (of the same length) have in different places."""
    votes: dict[str, dict[str, int]] = {}
    for entry in entries(lang):
        original = norms(entry.original)
        if len(original) != len(entry.phrase) or NAME in entry.phrase:
            continue
        for rare, common in zip(entry.phrase, original, strict=True):
            if rare != common and _content(rare) and _content(common):
                votes.setdefault(rare, {}).setdefault(common, 0)
                votes[rare][common] += 1
    return {rare: max(sorted(c), key=c.__getitem__) for rare, c in sorted(votes.items())}


@cache
def _watched(lang: str) -> frozenset[str]:
    table = synonyms(lang)
    return frozenset(table) | frozenset(table.values())


def bigram_key(lang: str, first: str, second: str) -> int:
    """A stable 64-bit key (the same in every process, unlike hash())."""
    digest = hashlib.blake2b(f"{lang}\t{first} {second}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def watched_bigrams(words: Iterable[str], lang: str) -> Iterator[int]:
    """Keys of the bigrams holding a word of the synonym table (`words` are
    norms): what the corpus pass counts."""
    watched = _watched(lang)
    a = None
    for b in words:
        if a is not None and (a in watched or b in watched):
            yield bigram_key(lang, a, b)
        a = b


@cache
def _zipf(lang: str) -> dict[str, float]:
    import math

    from wordfreq import get_frequency_dict

    return {w: math.log10(f) + 9 for w, f in get_frequency_dict(lang).items() if f > 0}


def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency (log10 per billion words), 0 for unknown words."""
    return _zipf(lang).get(word, 0.0)


def odd_pairs(
    words: list[str], lang: str, counts: dict[int, int], min_docs: int, ratio: float
) -> Iterator[tuple[int, int, str]]:
    """(first, past-the-last word index, likely original) of each odd pair
    among `words` (the norms of a sentence):
    the corpus has the pair with the common word in at least `min_docs`
    documents and `ratio` times as many as with the rare one, and the rare
    word is rarer in the language. Only content words make a collocation:
    `the final` for `the last` is ordinary English."""
    if not counts:
        return
    table = synonyms(lang)
    for i in itertools.compress(itertools.count(), map(table.__contains__, words)):
        word = words[i]
        common = table[word]
        for j in (i - 1, i + 1):
            if not 0 <= j < len(words):
                continue
            other = words[j]
            if not _content(other):
                continue
            pair = (other, word) if j < i else (word, other)
            usual = (other, common) if j < i else (common, other)
            with_common = counts.get(bigram_key(lang, *usual), 0)
            with_rare = counts.get(bigram_key(lang, *pair), 0)
            usual_in_corpus = with_common >= min_docs and with_common >= ratio * max(with_rare, 1)
            if usual_in_corpus and zipf(common, lang) > zipf(word, lang):
                yield min(i, j), max(i, j) + 1, " ".join(usual)
                break
