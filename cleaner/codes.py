"""One registry of finding codes: code -> name, stage, message.

Codes are stable: a code is never reused for another meaning. The letter is
the family (as in ruff): E encoding. `fixable` says whether
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
)

CODES: dict[str, Code] = {c.code: c for c in _ALL}
BY_NAME: dict[str, Code] = {c.name: c for c in _ALL}


def code_for(name: str) -> str:
    """The code of a rule name: ``code_for("mojibake") == "E103"``."""
    return BY_NAME[name].code
