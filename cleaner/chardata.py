"""Character tables for the encoding stage's fast pre-check.

`ftfy.fix_text` works line by line, and a line comes out unchanged unless one
of its fixes applies. Most lines of a news corpus are clean, so the encoding
stage calls ftfy only on the lines that could change. ftfy's fixes are of
three kinds, and each has a cheap test:

- per-character fixes (C1 controls, ligatures, fullwidth forms, line
  separators, surrogates, control characters; curly quotes when asked): a
  line with none of `fixer_chars()` is left alone by all of them;
- NFC normalisation: `unicodedata.is_normalized`, in C;
- HTML entities and mojibake repair, which ftfy attempts only when its
  detector `BADNESS_RE` matches: `detector()` is that detector, rewritten so
  that the regex engine can scan for it quickly (below), plus HTML entities.

`BADNESS_BRANCHES` is ftfy 6.3's BADNESS_RE, branch by branch, as data. The
detector is the same regex rearranged: every branch is made to start on its
rarest character class (what must precede it becomes a lookbehind), and the
whole pattern opens with the union of those classes, so the engine jumps
between rare characters instead of trying 37 branches at every position.
`tests/test_chardata.py` checks that the table equals ftfy's regex and that
the detector matches exactly when BADNESS_RE does. With an ftfy whose
BADNESS_RE differs (`fast_path_verified()` is false), every line goes to ftfy.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

# sha256 of ftfy 6.3's BADNESS_RE.pattern, which BADNESS_BRANCHES transcribes.
_BADNESS_SHA256 = "9dcc0f2ac90d9ae3c85eb7b9b2c0b8a8e8126153847c2b30c91a0bb263f3b8c4"

# Frequent non-ASCII characters of English and French news: a branch is made
# to start on the class that holds the fewest of them.
FREQUENT = "éèàçêâôîûùëïüœæÉÈÀÇÊÂÔÎ’‘“”«»–—…°€£\u00a0\u202f"

# An atom is one character position of a branch:
#   ("set", categories, literals): a class of ftfy categories and literal characters
#   ("re", regex): a one-character ASCII or generic class (\s, \w, [a-z], .)
#   ("opt", regex): an optional one-character class (\s?)
#   ("bol",): ftfy's ^, the start of a line
_S = r"\s"


def _set(*categories: str, lit: str = "") -> tuple:
    return ("set", categories, lit)


_ACC = ("lower_accented", "upper_accented")
BADNESS_BRANCHES: tuple[tuple[tuple, ...], ...] = (
    (_set("c1"),),
    (
        _set(
            "bad",
            *_ACC,
            "box",
            "start_punctuation",
            "end_punctuation",
            "currency",
            "numeric",
            "law",
        ),
        _set("bad"),
    ),
    (("re", "[a-zA-Z]"), _set("lower_common", "upper_common"), _set("bad")),
    (
        _set("bad"),
        _set(*_ACC, "box", "start_punctuation", "end_punctuation", "currency", "numeric", "law"),
    ),
    (
        _set("lower_accented", "lower_common", "box", "end_punctuation", "currency", "numeric"),
        _set("upper_accented"),
    ),
    (_set("box", "end_punctuation", "currency", "numeric"), _set("lower_accented")),
    (_set("lower_accented", "box", "end_punctuation"), _set("currency")),
    (("re", _S), _set("upper_accented"), _set("currency")),
    (_set("upper_accented", "box"), _set("numeric", "law")),
    (
        _set(*_ACC, "box", "currency", "end_punctuation"),
        _set("start_punctuation"),
        _set("numeric"),
    ),
    (
        _set(*_ACC, "currency", "numeric", "box", "law"),
        _set("end_punctuation"),
        _set("start_punctuation"),
    ),
    (_set("currency", "numeric", "box"), _set("start_punctuation")),
    (("re", "[a-z]"), _set("upper_accented"), _set("start_punctuation", "currency")),
    (_set("box"), _set("kaomoji")),
    (
        _set(*_ACC, "currency", "numeric", "start_punctuation", "end_punctuation", "law"),
        _set("box"),
    ),
    (_set("box"), _set("end_punctuation")),
    (_set(*_ACC), _set("start_punctuation", "end_punctuation"), ("re", r"\w")),
    (_set(lit="Œœ"), ("re", "[^A-Za-z]")),
    (_set("upper_accented"), _set(lit="°")),
    (
        _set(lit="ÂÃÎÐ"),
        _set("start_punctuation", "end_punctuation", lit="€œŠš¢£Ÿž\xa0\xad®©°·»–—´"),
    ),
    (_set(lit="×"), _set(lit="²³")),
    (
        _set(lit="ØÙ"),
        _set("common", "currency", "bad", "numeric", "start_punctuation", lit="ŸŠ®°µ»"),
        _set(lit="ØÙ"),
        _set("common", "currency", "bad", "numeric", "start_punctuation", lit="ŸŠ®°µ»"),
    ),
    (_set(lit="à"), _set(lit="²µ¹¼½¾")),
    (_set(lit="√"), _set(lit="±∂†≠®™´≤≥¥µø")),
    (_set(lit="≈"), _set(lit="°¢")),
    (_set(lit="‚"), _set(lit="Ä"), _set(lit="ìîïòôúùû†°¢π")),
    (_set(lit="‚"), _set(lit="âó"), _set(lit="àä°ê")),
    (_set(lit="в"), _set(lit="Ђ")),
    (
        _set(lit="ВГРС"),
        _set("c1", "bad", "start_punctuation", "end_punctuation", "currency", lit="°µ"),
        _set(lit="ВГРС"),
    ),
    (
        _set(lit="Г"),
        _set(lit="ў"),
        _set(lit="В"),
        _set(lit="Ђ"),
        _set(lit="В"),
        ("re", "."),
        ("re", "[A-Za-z ]"),
    ),
    (_set(lit="Ã"), _set(lit="\xa0¡")),
    (("re", "[a-z]"), ("opt", _S), _set(lit="ÃÂ"), ("re", "[ ]")),
    (("bol",), _set(lit="ÃÂ"), ("re", "[ ]")),
    (
        ("mixed", "a-z.,?!", ("end_punctuation",)),
        _set(lit="Â"),
        ("mixed", " ", ("start_punctuation", "end_punctuation")),
    ),
    (_set(lit="β"), _set(lit="€"), _set(lit="™\xa0Ά\xad®°")),
    (
        _set(lit="ΒΓΞΟ"),
        _set("c1", "bad", "start_punctuation", "end_punctuation", "currency", lit="°"),
        _set(lit="ΒΓΞΟ"),
    ),
    (_set(lit="ā"), _set(lit="€")),
)

# HTML entities that ftfy's unescape_html decodes (ftfy.chardata.HTML_ENTITY_RE).
_HTML_ENTITY_REST = r"#?[0-9A-Za-z]{1,24};"


@cache
def fast_path_verified() -> bool:
    """True when the installed ftfy is the one these tables were derived from:
    version 6.3 (its list of fixes) with the BADNESS_RE the table transcribes."""
    import ftfy
    from ftfy.badness import BADNESS_RE

    digest = hashlib.sha256(BADNESS_RE.pattern.encode("utf-8")).hexdigest()
    return ftfy.__version__.startswith("6.3.") and digest == _BADNESS_SHA256


def _expand(spec: str) -> set[str]:
    """Expand a class body ("a-z" ranges included) into a set of characters."""
    chars: set[str] = set()
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            chars.update(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            chars.add(spec[i])
            i += 1
    return chars


@cache
def _categories() -> dict[str, frozenset[str]]:
    from ftfy.badness import MOJIBAKE_CATEGORIES

    return {name: frozenset(_expand(spec)) for name, spec in MOJIBAKE_CATEGORIES.items()}


def _klass(chars: set[str] | frozenset[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _atom_chars(atom: tuple) -> frozenset[str]:
    kind = atom[0]
    cats = _categories()
    if kind == "set":
        _, names, lit = atom
        chars = set(lit)
        for name in names:
            chars |= cats[name]
        return frozenset(chars)
    _, ascii_spec, names = atom  # "mixed": ASCII class plus categories
    chars = _expand(ascii_spec)
    for name in names:
        chars |= cats[name]
    return frozenset(chars)


def _atom_regex(atom: tuple) -> str:
    if atom[0] in ("set", "mixed"):
        return _klass(_atom_chars(atom))
    if atom[0] == "bol":
        return "^"
    return atom[1]


def _variants(branch: tuple[tuple, ...]) -> list[tuple[tuple, ...]]:
    """The branch with each optional atom present and absent."""
    out: list[tuple[tuple, ...]] = [()]
    for atom in branch:
        if atom[0] == "opt":
            out = [v + (("re", atom[1]),) for v in out] + out
        else:
            out = [v + (atom,) for v in out]
    return out


def plain_pattern() -> re.Pattern[str]:
    """BADNESS_BRANCHES as one ordinary regex: for checking the table against ftfy."""
    return re.compile(
        "|".join("".join(map(_atom_regex, v)) for b in BADNESS_BRANCHES for v in _variants(b))
    )


def _rarity(chars: frozenset[str]) -> tuple[int, int]:
    return (sum(c in FREQUENT for c in chars), len(chars))


@dataclass(frozen=True)
class Detector:
    """ftfy's BADNESS_RE plus HTML entities, rearranged for a fast scan.

    `pattern` is `trigger` (one character class) followed by `branches`, each
    checking by lookbehind the characters it needs before the trigger and by
    lookahead those after it.
    """

    trigger: str
    branches: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.trigger + self.branches)

    def matches(self, text: str) -> bool:
        return self.pattern.search(text) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def detector() -> Detector:
    firsts: set[str] = set()
    branches: list[str] = []
    for branch in BADNESS_BRANCHES:
        for atoms in _variants(branch):
            candidates = [
                i
                for i, a in enumerate(atoms)
                if a[0] == "set" and all(ord(c) > 0x7F for c in _atom_chars(a))
            ]
            pick = min(candidates, key=lambda i: _rarity(_atom_chars(atoms[i])))
            first = _atom_chars(atoms[pick])
            head = _klass(first)
            before = atoms[:pick]
            behind = "".join(_atom_regex(a) for a in before if a[0] != "bol") + head
            checks = f"(?<={behind})"
            if before and before[0][0] == "bol":  # at a line start: nothing but "\n" before
                checks += f"(?<![^\\n]{behind})"
            firsts |= first
            rest = "".join(_atom_regex(a) for a in atoms[pick + 1 :])
            # The rest is a lookahead, so that a match consumes only its first
            # character and `finditer` reports every position where one starts.
            branches.append(checks + (f"(?={rest})" if rest else ""))
    firsts.add("&")
    branches.append(f"(?<=&)(?={_HTML_ENTITY_REST})")
    return Detector(_klass(firsts), "(?:" + "|".join(branches) + ")")


@cache
def fixer_chars(uncurl_quotes: bool) -> str:
    """A character class of every character some per-character ftfy fix changes.

    From ftfy's own tables: control characters it removes, C1 controls,
    ligatures, halfwidth and fullwidth forms, line and paragraph separators,
    CR, surrogates, and the curly quotes when they are to be straightened.
    """
    from ftfy.chardata import CONTROL_CHARS, LIGATURES, WIDTH_MAP

    codes = set(CONTROL_CHARS) | set(LIGATURES) | set(WIDTH_MAP)
    codes |= set(range(0x80, 0xA0)) | set(range(0xD800, 0xE000))
    codes |= {ord(c) for c in "\r\u2028\u2029\x85\x1b"}
    if uncurl_quotes:
        codes |= {0x02BC} | set(range(0x2018, 0x201C)) | set(range(0x201C, 0x2020))
    ranges: list[str] = []
    ordered = sorted(codes)
    start = prev = ordered[0]
    for code in ordered[1:] + [-1]:
        if code != prev + 1:
            ranges.append(
                re.escape(chr(start))
                if start == prev
                else f"{re.escape(chr(start))}-{re.escape(chr(prev))}"
            )
            start = code
        prev = code
    return "[" + "".join(ranges) + "]"


@cache
def fixer_pattern(uncurl_quotes: bool) -> re.Pattern[str]:
    return re.compile(fixer_chars(uncurl_quotes))


@cache
def suspect_pattern(uncurl_quotes: bool) -> re.Pattern[str]:
    """One scan for both: a character some fix changes, or a detector match.

    A single leading character class lets the regex engine skip ahead; two
    separate scans cost twice as much.
    """
    fixers = fixer_chars(uncurl_quotes)
    found = detector()
    trigger = "[" + fixers[1:-1] + found.trigger[1:-1] + "]"
    return re.compile(f"{trigger}(?:(?<={fixers})|{found.branches[3:-1]})")
