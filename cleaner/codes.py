"""One registry of finding codes: code -> name, stage, message.

Codes are stable: a code is never reused for another meaning. The letter is
the family (as in ruff): E encoding, B boilerplate, C duplicated paragraphs, L language.
`fixable` says whether
`cleaner clean` (and `cleaner check --fix`) repairs it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    name: str
    stage: str
    message: str
    fixable: bool = True


_ALL = (
    # encoding: cleaner/stages/encoding.py
    Code("E100", "unreadable", "encoding", "file cannot be decoded as text", fixable=False),
    Code("E101", "legacy-codec", "encoding", "file is not UTF-8; decoded as a legacy codec"),
    Code("E102", "invalid-utf8", "encoding", "invalid UTF-8 bytes decoded as cp1252"),
    Code("E103", "mojibake", "encoding", "mojibake repaired"),
    Code("E104", "html-entities", "encoding", "HTML entities decoded"),
    Code(
        "E105", "c1-controls", "encoding", "C1 control characters replaced by their cp1252 meaning"
    ),
    Code("E106", "control-characters", "encoding", "control characters removed"),
    Code("E107", "byte-order-mark", "encoding", "byte-order mark removed"),
    Code("E108", "line-breaks", "encoding", "line breaks normalised to LF"),
    Code("E109", "trailing-whitespace", "encoding", "trailing whitespace removed"),
    Code("E110", "unicode-form", "encoding", "Unicode normalised (NFC, width, ligatures)"),
    Code("E111", "curly-quotes", "encoding", "curly quotes straightened"),
    # boilerplate: cleaner/stages/boilerplate.py; B101-B118 are the rules of
    # data/boilerplate/rules.tsv (tests check that the two agree)
    Code("B100", "layout", "boilerplate", "indentation and extra blank lines removed"),
    Code("B101", "related-articles", "boilerplate", "related-articles block"),
    Code("B102", "read-also", "boilerplate", "inline link to another article"),
    Code("B103", "comments", "boilerplate", "comment section or marker"),
    Code("B104", "mobile-switch", "boilerplate", "mobile/desktop switch"),
    Code("B105", "share", "boilerplate", "share buttons"),
    Code("B106", "follow", "boilerplate", "follow-us line"),
    Code("B107", "subscribe", "boilerplate", "subscription, newsletter or paywall prompt"),
    Code("B108", "cookies", "boilerplate", "cookie or consent notice"),
    Code("B109", "advertisement", "boilerplate", "advertisement marker"),
    Code("B110", "copyright", "boilerplate", "copyright line or footer links"),
    Code("B111", "byline", "boilerplate", "byline with no article content"),
    Code("B112", "dateline", "boilerplate", "date or time line with no article content"),
    Code("B113", "navigation-link", "boilerplate", "navigation link or bare separator"),
    Code("B114", "login", "boilerplate", "account link"),
    Code("B115", "comment-form", "boilerplate", "comment form or reader prompt"),
    Code("B116", "hashtags", "boilerplate", "line of hashtags or handles"),
    Code("B117", "credits", "boilerplate", "photo credit or agency signature"),
    Code("B118", "tags", "boilerplate", "tag or category list"),
    Code("B119", "navigation", "boilerplate", "menu: short lines before or after the article"),
    Code(
        "B120", "outside-article", "boilerplate", "text cut off from the article by page furniture"
    ),
    Code(
        "B121",
        "corpus-repeated",
        "boilerplate",
        "line repeated across many documents of the corpus",
    ),
    Code("B122", "metadata-date", "boilerplate", "leading date field moved to metadata.date"),
    Code("B123", "gallery", "boilerplate", "photo gallery counter or control"),
    Code("B124", "disclaimer", "boilerplate", "advertising, affiliate or opinion disclaimer"),
    Code("B125", "author-bio", "boilerplate", "note about the author"),
    Code(
        "B126",
        "nothing-left",
        "boilerplate",
        "nothing left after cleaning: an empty file or all boilerplate",
        fixable=False,
    ),
    Code("B199", "user-rule", "boilerplate", "a rule from the configuration"),
    # duplicated paragraphs: cleaner/stages/duplicates.py
    Code("C201", "duplicated-paragraph", "duplicates", "paragraph repeated in the document"),
    Code(
        "C202",
        "near-duplicated-paragraph",
        "duplicates",
        "paragraph repeated with a few words changed",
    ),
    Code("C203", "duplicated-sentence", "duplicates", "sentence repeated in the document"),
    # language: cleaner/stages/language.py
    Code(
        "L301",
        "language-outside",
        "language",
        "main language outside the accepted set",
        fixable=False,
    ),
    Code("L302", "mixed-languages", "language", "languages mixed in one document", fixable=False),
    Code("L303", "other-language", "language", "sentence in a language not kept (--keep-lang)"),
    # spun text: cleaner/stages/spun.py (a finding of cleaner check)
    Code("S401", "spun-text", "spun", "text run through a synonym spinner", fixable=False),
    # duplicate documents: cleaner/dedup/ (findings of cleaner check)
    Code("D501", "exact-duplicate", "dedup", "the same text as another document", fixable=False),
    Code(
        "D502", "near-duplicate", "dedup", "nearly the same text as another document", fixable=False
    ),
    Code(
        "D503",
        "contained-copy",
        "dedup",
        "contained in another document, or contains one",
        fixable=False,
    ),
)

CODES: dict[str, Code] = {c.code: c for c in _ALL}
BY_NAME: dict[str, Code] = {c.name: c for c in _ALL}


def code_for(name: str) -> str:
    """The code of a rule name: ``code_for("mojibake") == "E103"``."""
    return BY_NAME[name].code
