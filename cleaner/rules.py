"""Named boilerplate rules: loaded from data/boilerplate, extended by the user.

A rule has a code, a name (the reason written in the report), a kind (see
data/boilerplate/rules.tsv) and a regular expression. Rules of one kind are
compiled into one alternation with a named group per rule, so a unit is
matched once against all of them and the group says which rule it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

KINDS = ("line", "contains", "header")
# Units longer than these are prose: line rules and contains rules skip them.
# A sentence inside a longer block is a candidate for a line rule only when
# short: the boilerplate found inside lines ("MOBILE VIEW.", a byline) is.
LINE_RULE_MAX_CHARS = 200
SENTENCE_LINE_RULE_MAX_CHARS = 120
CONTAINS_RULE_MAX_CHARS = 500
_HEAD_CHARS = 4 * CONTAINS_RULE_MAX_CHARS
_CACHE_SIZE = 1 << 16  # menus and footers repeat across a site's pages
_MACRO = re.compile(r"\{([A-Z_]+)\}")


class RuleError(ValueError):
    """A rule that cannot be used: the message says which and why."""


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    kind: str
    pattern: str
    why: str = ""
    gate: frozenset[str] = frozenset()  # contains rules: words one of which must be there


def read_tsv(package: str, name: str) -> list[list[str]]:
    """Rows of a tab-separated data file; `#` lines and blank lines are skipped."""
    text = resources.files(package).joinpath(name).read_text("utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@cache
def macros() -> dict[str, str]:
    return {row[0]: row[1] for row in read_tsv("cleaner.data.boilerplate", "macros.tsv")}


def expand(pattern: str) -> str:
    """Replace each {NAME} by its macro, recursively."""
    table = macros()
    for _ in range(10):
        expanded = _MACRO.sub(
            lambda m: f"(?:{table[m.group(1)]})" if m.group(1) in table else m.group(0), pattern
        )
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise RuleError(f"macros nest too deeply in {pattern[:60]!r}")


@cache
def builtin_rules() -> tuple[Rule, ...]:
    rules = []
    for row in read_tsv("cleaner.data.boilerplate", "rules.tsv"):
        code, name, kind, pattern, *rest = row
        why = rest[0] if rest else ""
        gate = frozenset(rest[1].split()) if len(rest) > 1 else frozenset()
        rules.append(Rule(code, name, kind, pattern, why, gate))
    return tuple(rules)


_WORD = re.compile(r"\w+")


@dataclass(frozen=True, eq=False)
class RuleSet:
    """Compiled rules: `match_unit` (line and contains rules) and `match_header`."""

    rules: tuple[Rule, ...]
    compiled: dict[str, tuple[re.Pattern[str] | None, tuple[Rule, ...]]]
    # contains rules one by one, each with its gate, in file order
    gated: tuple[tuple[Rule, re.Pattern[str]], ...] = ()

    def _match(self, kind: str, unit: str, whole: bool) -> Rule | None:
        pattern, rules = self.compiled[kind]
        if pattern is None:
            return None
        m = pattern.fullmatch(unit) if whole else pattern.search(unit)
        if m is None:
            return None
        return rules[int(m.lastgroup[1:])]  # type: ignore[index]

    def match_unit(self, unit: str, sentence: bool = False, cache: bool = True) -> Rule | None:
        """The rule that makes this line (or sentence of a line) boilerplate, if
        any. With `cache`, the answer is kept for the next time the unit is met
        (the sentences of a whole page on one line would only flush the cache)."""
        head = unit[:_HEAD_CHARS]
        if len(head) < len(unit) and len(" ".join(head.split())) > CONTAINS_RULE_MAX_CHARS:
            return None  # folded, its head alone is too long for any rule: spare folding it all
        folded = " ".join(unit.split())
        return (
            _cached_match(self, folded, sentence) if cache else self._match_unit(folded, sentence)
        )

    def _match_unit(self, unit: str, sentence: bool) -> Rule | None:
        if len(unit) <= (SENTENCE_LINE_RULE_MAX_CHARS if sentence else LINE_RULE_MAX_CHARS):
            rule = self._match("line", unit, whole=True)
            if rule is not None:
                return rule
        if len(unit) > CONTAINS_RULE_MAX_CHARS:
            return None
        words: set[str] | None = None
        for rule, pattern in self.gated:
            if rule.gate:
                if words is None:
                    words = set(_WORD.findall(unit.lower()))
                if rule.gate.isdisjoint(words):
                    continue
            if pattern.search(unit):
                return rule
        return None

    def match_header(self, line: str) -> Rule | None:
        """The block header (related articles, comments) that this line is, if any."""
        line = " ".join(line.split())
        if len(line) > 120:
            return None
        return self._match("header", line, whole=True)


@lru_cache(maxsize=_CACHE_SIZE)
def _cached_match(rules: RuleSet, unit: str, sentence: bool) -> Rule | None:
    return rules._match_unit(unit, sentence)


def _compile(kind: str, rules: list[Rule]) -> tuple[re.Pattern[str] | None, tuple[Rule, ...]]:
    if not rules:
        return None, ()
    parts = []
    for i, rule in enumerate(rules):
        body = expand(rule.pattern)
        if kind in ("line", "header"):
            body = rf"[\W_]*(?:{body})[\W_]*"
        parts.append(f"(?P<r{i}>{body})")
    try:
        return re.compile("|".join(parts), re.IGNORECASE), tuple(rules)
    except re.error:  # which rule: each compiled alone (only then: compiling is slow)
        for rule in rules:
            try:
                re.compile(expand(rule.pattern))
            except re.error as e:
                raise RuleError(f"rule {rule.name!r}: bad pattern ({e})") from e
        raise


def build(extra: Iterable[Rule] = (), disabled: Iterable[str] = ()) -> RuleSet:
    """The built-in rules plus `extra`, minus the rules named or coded in `disabled`."""
    return _build(tuple(extra), frozenset(d.lower() for d in disabled))


@cache  # compiling the patterns is most of a one-file run's start: once per process
def _build(extra: tuple[Rule, ...], off: frozenset[str]) -> RuleSet:
    # The user's rules first: the first rule that matches names the removal.
    rules = [
        r
        for r in (*extra, *builtin_rules())
        if r.name.lower() not in off and r.code.lower() not in off
    ]
    for rule in rules:
        if rule.kind not in KINDS:
            raise RuleError(f"rule {rule.name!r}: kind must be one of {', '.join(KINDS)}")
    compiled = {
        kind: _compile(kind, [r for r in rules if r.kind == kind]) for kind in ("line", "header")
    }
    gated = tuple(
        (r, re.compile(expand(r.pattern), re.IGNORECASE)) for r in rules if r.kind == "contains"
    )
    return RuleSet(tuple(rules), compiled, gated)


@cache
def default_rules() -> RuleSet:
    return build()
