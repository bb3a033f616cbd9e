"""Encoding stage: bytes to clean Unicode text, with every fix explained.

1. `decode_bytes` turns a file's bytes into text: a BOM decides UTF-8/16/32;
   otherwise UTF-8, with bytes that are not valid UTF-8 read as cp1252 (a
   whole cp1252 or latin-1 file, or a few stray legacy bytes in a UTF-8
   file). NUL bytes without a UTF-16/32 BOM mean a binary file: an error.
2. `fix_text_fast` gives exactly what `ftfy.fix_text` gives, but calls ftfy
   only on the lines that could change (see `cleaner.chardata`): most text is
   clean, and ftfy costs 1-6 MB/s per core on clean text.
3. Trailing whitespace is removed from each line.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from ftfy import TextFixerConfig

from cleaner import chardata
from cleaner.codes import code_for
from cleaner.document import LONG_CHARS, Change, Document
from cleaner.rewrites import common_prefix, common_suffix, places

STAGE = "encoding"
_PLACES_PER_LINE = 10  # on a long line rewritten all over: places recorded one by one

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A well-formed multi-byte UTF-8 sequence: its presence tells a UTF-8 file
# with stray legacy bytes from a legacy file.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CP1252_ONLY_BYTES = re.compile(rb"[\x80-\x9f]")


class DecodeError(ValueError):
    """The bytes are not text: the message says why, in a few words."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    codec: str
    bom: bool


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Read bytes that are not UTF-8 as cp1252 (latin-1 where cp1252 has a hole)."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("sloppy-windows-1252"), error.end


codecs.register_error("cleaner-cp1252", _cp1252_fallback)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes, whatever its encoding.

    >>> decode_bytes("été".encode("cp1252"))
    Decoded(text='été', codec='latin-1', bom=False)
    >>> decode_bytes(b"\\xef\\xbb\\xbfl\\xe2\\x80\\x99\\xc3\\xa9t\\xc3\\xa9").codec
    'utf-8'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), codec, bom=True)
            except UnicodeDecodeError as e:
                raise DecodeError(f"invalid {codec} after its byte-order mark ({e.reason})") from e
    if b"\x00" in data:
        raise DecodeError("binary file (NUL bytes and no UTF-16/32 byte-order mark)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", bom=False)
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        return Decoded(data.decode("utf-8", errors="cleaner-cp1252"), "utf-8+cp1252", bom=False)
    codec = "cp1252" if _CP1252_ONLY_BYTES.search(data) else "latin-1"
    return Decoded(data.decode("sloppy-windows-1252"), codec, bom=False)


@dataclass(frozen=True, slots=True)
class LineFix:
    """A line that ftfy changed, with ftfy's explanation."""

    line: int
    before: str
    after: str
    steps: tuple[tuple[str, str], ...]


@cache
def ftfy_config(uncurl_quotes: bool) -> TextFixerConfig:
    return TextFixerConfig(uncurl_quotes=uncurl_quotes)


def _line_needs_ftfy(segment: str, fixers: re.Pattern[str], detector: chardata.Detector) -> bool:
    return (
        fixers.search(segment) is not None
        or not unicodedata.is_normalized("NFC", segment)
        or detector.matches(segment)
    )


def _suspect_positions(text: str, scan: re.Pattern[str]) -> list[int]:
    """Positions whose line may need ftfy: an empty list means none does.

    A superset is fine (each suspect line is checked again on its own), a
    missed position is not.
    """
    positions = [m.start() for m in scan.finditer(text)]
    if not unicodedata.is_normalized("NFC", text):
        start = 0
        for line in text.split("\n"):
            if not unicodedata.is_normalized("NFC", line):
                positions.append(start)
            start += len(line) + 1
    return positions


def fix_text_fast(text: str, config: TextFixerConfig) -> tuple[str, list[LineFix]]:
    """`ftfy.fix_text(text, config)`, calling ftfy only where it could change something.

    Mirrors fix_text: text is fixed in segments that end at a newline (a
    line longer than `max_decode_length` in pieces of that length), and once
    a segment holds '<', HTML unescaping stays off for the rest of the text.
    Only the lines holding a suspect position are looked at, and every piece
    of a long line (a piece on its own may need what its line did not).
    Returns the fixed text and the segments that changed, with ftfy's
    explanation of each.
    """
    if not chardata.fast_path_verified():
        return _fix_every_line(text, config)
    uncurl = bool(config.uncurl_quotes)
    fixers, detector = chardata.fixer_pattern(uncurl), chardata.detector()
    suspects = _suspect_positions(text, chardata.suspect_pattern(uncurl))
    longest = config.max_decode_length
    if len(text) > longest:
        suspects += _long_lines(text, longest)
    if not suspects:
        return text, []

    first_tag = text.find("<") if config.unescape_html == "auto" else -1
    no_html = config._replace(unescape_html=False)
    out: list[str] = []
    fixes: list[LineFix] = []
    done, line, counted = 0, 1, 0  # line is the number of the line starting at `counted`
    for pos in sorted(suspects):
        if pos < done:
            continue  # this line was already handled
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos) + 1 or len(text)
        out.append(text[done:start])
        line += text.count("\n", counted, start)
        counted = start
        for piece in range(start, end, longest):  # one piece, unless the line is long
            piece_end = min(piece + longest, end)
            segment = text[piece:piece_end]
            segment_config = no_html if 0 <= first_tag < piece_end else config
            fixed, steps = _fix_segment(segment, segment_config, fixers, detector)
            if fixed != segment:
                fixes.append(LineFix(line, segment, fixed, steps))
            out.append(fixed)
        done = end
    out.append(text[done:])
    return "".join(out), fixes


def _long_lines(text: str, longest: int) -> list[int]:
    """Where the lines longer than `longest` characters start."""
    starts, start = [], 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        if end - start > longest:
            starts.append(start)
        start = end
    return starts


def _fix_segment(
    segment: str, config: TextFixerConfig, fixers: re.Pattern[str], detector: chardata.Detector
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """One line, as ftfy's fix_and_explain would fix it."""
    if not _line_needs_ftfy(segment, fixers, detector):
        return segment, ()
    if (
        segment.endswith("\r\n")
        and not detector.matches(segment)
        and not _line_needs_ftfy(segment[:-2] + "\n", fixers, detector)
    ):
        # Only the CRLF needs fixing: ftfy would see the line with CRLF and
        # then with LF, and neither form holds anything else to fix.
        return segment[:-2] + "\n", (("apply", "fix_line_breaks"),)
    fixed, steps = ftfy.fix_and_explain(segment, config)
    return fixed, tuple(tuple(step) for step in steps or ())


def _fix_every_line(text: str, config: TextFixerConfig) -> tuple[str, list[LineFix]]:
    """The slow path: an ftfy whose detector the pre-check was not derived from."""
    fixed = ftfy.fix_text(text, config)
    if fixed == text:
        return text, []
    return fixed, [LineFix(1, text, fixed, ())]


# ftfy's explanation steps, grouped into our reasons; the first listed wins.
_STEP_REASONS = (
    ("encode", "mojibake"),
    ("decode", "mojibake"),
    ("transcode", "mojibake"),
    ("unescape_html", "html-entities"),
    ("fix_c1_controls", "c1-controls"),
    ("remove_control_chars", "control-characters"),
    ("remove_terminal_escapes", "control-characters"),
    ("fix_surrogates", "unicode-form"),
    ("fix_latin_ligatures", "unicode-form"),
    ("fix_character_width", "unicode-form"),
    ("NFC", "unicode-form"),
    ("NFKC", "unicode-form"),
    ("uncurl_quotes", "curly-quotes"),
    ("fix_line_breaks", "line-breaks"),
)


def _reason(steps: tuple[tuple[str, str], ...]) -> str:
    seen = {part for step in steps for part in step}
    for key, reason in _STEP_REASONS:
        if key in seen:
            return reason
    return "mojibake"


def _changed_span(before: str, after: str, context: int = 12) -> tuple[str, str]:
    """The part of a long line that changed, with a little context each side."""
    start = common_prefix(before, after)
    suffix = common_suffix(before, after, min(len(before), len(after)) - start)
    end_b, end_a = len(before) - suffix, len(after) - suffix
    lo = max(0, start - context)
    return before[lo : end_b + context].strip("\n"), after[lo : end_a + context].strip("\n")


def _fix_changes(fix: LineFix, recorded: Counter[int]) -> list[Change]:
    """What ftfy changed in a segment: the span from the first change to the
    last, with a little context. When that span is long (a page, or a site,
    on one line), the places that changed instead: the first
    `_PLACES_PER_LINE` of a line one by one, and the rest of each segment as
    one span (kept as an excerpt, with its length). `recorded` counts the
    places recorded one by one on each line so far."""
    reason = _reason(fix.steps)
    detail = ", ".join(f"{action} {name}" for action, name in fix.steps) or None
    before, after = _changed_span(fix.before, fix.after)
    if len(before) <= LONG_CHARS and len(after) <= LONG_CHARS:
        return [_change(reason, before, line=fix.line, replacement=after, detail=detail)]
    found = places(fix.before, fix.after)
    room = max(0, _PLACES_PER_LINE - recorded[fix.line])
    if len(found) == room + 1:
        room += 1  # the last one: no span of one
    recorded[fix.line] += min(room, len(found))
    spans = [(a, b, c, d, detail) for a, b, c, d in found[:room]]
    if len(found) > room:
        rest = found[room:]
        more = f"{len(rest):,} places rewritten in this span"
        note = f"{more}; {detail}" if detail else more
        spans.append((rest[0][0], rest[-1][1], rest[0][2], rest[-1][3], note))
    return [
        _change(
            reason,
            fix.before[a:b].strip("\n"),
            line=fix.line,
            replacement=fix.after[c:d].strip("\n"),
            detail=note,
        )
        for a, b, c, d, note in spans
    ]


def repair_encoding(doc: Document, ctx) -> Document:
    """Decode `doc.raw` if present, repair the text with ftfy, trim trailing spaces."""
    changes: list[Change] = []
    codec, bom = "json", False  # text from a JSONL or Parquet record, decoded by its reader
    text = doc.text
    if doc.raw is not None:
        try:
            decoded = decode_bytes(doc.raw)
        except DecodeError as e:
            return dataclasses.replace(doc, raw=None, error=str(e))
        text, codec, bom = decoded.text, decoded.codec, decoded.bom
        if bom:
            changes.append(_change("byte-order-mark", "\ufeff", line=1, detail=codec))
        if codec in ("cp1252", "latin-1"):
            changes.append(_change("legacy-codec", "", detail=f"decoded as {codec}"))
        elif codec == "utf-8+cp1252":
            changes.append(_change("invalid-utf8", "", detail="invalid UTF-8 bytes read as cp1252"))
    chars_in = len(text) if doc.raw is not None else doc.chars_in

    fixed, line_fixes = fix_text_fast(text, ftfy_config(ctx.config.uncurl_quotes))
    steps_seen: dict[tuple[str, str], None] = {}
    recorded: Counter[int] = Counter()
    for fix in line_fixes:
        steps_seen.update(dict.fromkeys(fix.steps))
        changes.extend(_fix_changes(fix, recorded))
    del line_fixes

    trimmed, count = strip_trailing_whitespace(fixed)
    if count:
        changes.append(_change("trailing-whitespace", "", detail=f"{count} lines"))

    report = dict(doc.report)
    report["encoding"] = {
        "codec": codec,
        "bom": bom,
        "fixes": [list(step) for step in steps_seen],
    }
    return dataclasses.replace(
        doc,
        raw=None,
        text=trimmed,
        chars_in=chars_in,
        changes=doc.changes + tuple(changes),
        report=report,
    )


def strip_trailing_whitespace(text: str) -> tuple[str, int]:
    """Remove whitespace at the end of each line; return the text and how many lines changed.

    >>> strip_trailing_whitespace("a  \\nb\\t\\nc")
    ('a\\nb\\nc', 2)
    """
    lines = text.split("\n")
    stripped = [line.rstrip() for line in lines]
    if sum(map(len, stripped)) == len(text) - len(lines) + 1:
        return text, 0
    count = sum(len(a) != len(b) for a, b in zip(lines, stripped, strict=True))
    return "\n".join(stripped), count


def _change(reason: str, text: str, **kw) -> Change:
    return Change(stage=STAGE, code=code_for(reason), reason=reason, text=text, **kw)
