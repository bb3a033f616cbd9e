"""The fast pre-check must agree with ftfy exactly: these tests are its proof.

The transcribed table must equal ftfy's BADNESS_RE, the rearranged detector
must match exactly where BADNESS_RE does (plus HTML entities), and the fixer
class must hold exactly the characters ftfy's per-character fixes change.
"""

from __future__ import annotations

import itertools
import random
import re

from ftfy import fixes
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import chardata

_CATEGORY_CHARS = sorted(
    set().union(*(chardata._expand(spec) for spec in MOJIBAKE_CATEGORIES.values()))
    | {c for c in BADNESS_RE.pattern if ord(c) > 0x7F}
)
# Stand-ins for everything else: letters, spaces, punctuation, a word and a
# space character from outside ASCII.
_OTHERS = list("aZx .,?!1\t\n&;#") + ["中", "\u2003", "→"]
ALPHABET = _CATEGORY_CHARS + _OTHERS
_ENTITY = re.compile(r"&#?[0-9A-Za-z]{1,24};")


def test_installed_ftfy_is_the_one_transcribed():
    assert chardata.fast_path_verified()


def test_table_equals_badness_on_every_pair_of_characters():
    plain = chardata.plain_pattern()
    detector = chardata.detector()
    mismatches = []
    for length in (1, 2):
        for chars in itertools.product(ALPHABET, repeat=length):
            text = "".join(chars)
            expected = BADNESS_RE.search(text) is not None
            if (plain.search(text) is not None) != expected or detector.matches(text) != expected:
                mismatches.append(text)
    assert mismatches == []


def test_detector_equals_badness_on_random_strings():
    rng = random.Random(20261121)
    plain = chardata.plain_pattern()
    detector = chardata.detector()
    for _ in range(60_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(3, 9)))
        expected = BADNESS_RE.search(text) is not None
        assert (plain.search(text) is not None) == expected, text
        if not _ENTITY.search(text):
            assert detector.matches(text) == expected, text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=40))
def test_detector_equals_badness_on_longer_text(text):
    expected = BADNESS_RE.search(text) is not None
    if not _ENTITY.search(text):
        assert chardata.detector().matches(text) == expected


def test_detector_finds_every_position_where_a_match_starts():
    # "œ\n" matches at œ, and consumes the newline in ftfy's regex; the next
    # line's own match must still be reported.
    text = "cœ\nÂ « x"
    starts = [m.start() for m in chardata.detector().pattern.finditer(text)]
    assert starts == [1, 3]


def _ftfy_changes(char: str, uncurl: bool) -> bool:
    names = [
        "fix_c1_controls",
        "fix_latin_ligatures",
        "fix_character_width",
        "fix_line_breaks",
        "fix_surrogates",
        "remove_terminal_escapes",
        "remove_control_chars",
    ] + (["uncurl_quotes"] if uncurl else [])
    return any(getattr(fixes, name)(char) != char for name in names)


def test_fixer_class_is_what_ftfy_fixes_change():
    # Exactly those characters, except C1 codes that cp1252 leaves undefined:
    # fix_c1_controls keeps them, but BADNESS_RE flags any C1 character alone,
    # so such a line goes to ftfy either way.
    for uncurl in (False, True):
        pattern = chardata.fixer_pattern(uncurl)
        wrong = [
            hex(code)
            for code in itertools.chain(
                range(0x10000), range(0x1F000, 0x1F700), range(0xE0000, 0xE0080)
            )
            if (pattern.match(chr(code)) is not None) != _ftfy_changes(chr(code), uncurl)
            and not BADNESS_RE.fullmatch(chr(code))
        ]
        assert wrong == [], (uncurl, wrong[:10])


def test_trigger_avoids_the_common_letters_of_french():
    trigger = chardata.detector().trigger
    for letter in "éèàçêâôîûùëï":
        assert letter not in trigger
