"""The encoding stage: decoding any file, repairing like ftfy, explaining each fix."""

from __future__ import annotations

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.pipeline import Context
from cleaner.stages.encoding import (
    DecodeError,
    decode_bytes,
    fix_text_fast,
    ftfy_config,
    repair_encoding,
    strip_trailing_whitespace,
)

from conftest import FIXTURES, SEEDS

ENC = FIXTURES / "encoding"
EN = (ENC / "en.txt").read_text(encoding="utf-8")
FR = (ENC / "fr.txt").read_text(encoding="utf-8")
CTX = Context(CleanerConfig())

# fixture -> (codec, BOM, the clean text it must come back as)
CASES = {
    "en.txt": ("utf-8", False, EN),
    "fr.txt": ("utf-8", False, FR),
    "fr_cp1252.txt": ("cp1252", False, FR),
    "fr_latin1.txt": ("latin-1", False, (ENC / "fr_latin1.expected.txt").read_text("utf-8")),
    "en_utf16_bom.txt": ("utf-16-le", True, EN),
    "fr_utf8_bom.txt": ("utf-8", True, FR),
    "en_crlf.txt": ("utf-8", False, EN),
    "fr_double_mojibake.txt": ("utf-8", False, FR),
    "fr_c1_controls.txt": ("utf-8", False, FR),
    "en_html_entities.txt": ("utf-8", False, EN),
    "fr_utf8_stray_cp1252.txt": ("utf-8+cp1252", False, FR),
    "en_trailing_controls.txt": ("utf-8", False, EN),
}


def clean_file(name: str, **options) -> Document:
    doc = Document(id=name, source=name, name=name, raw=(ENC / name).read_bytes())
    return repair_encoding(doc, Context(CleanerConfig(**options)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_file_comes_back_clean(name):
    codec, bom, expected = CASES[name]
    doc = clean_file(name)
    assert doc.ok
    assert doc.text == expected
    assert doc.report["encoding"]["codec"] == codec
    assert doc.report["encoding"]["bom"] is bom


def test_clean_files_have_no_changes():
    for name in ("en.txt", "fr.txt"):
        doc = clean_file(name)
        assert doc.changes == ()
        assert doc.report["encoding"]["fixes"] == []


def test_double_mojibake_is_explained_line_by_line():
    doc = clean_file("fr_double_mojibake.txt")
    mojibake = [c for c in doc.changes if c.reason == "mojibake"]
    assert [c.line for c in mojibake] == [1, 3, 5]
    assert all(c.code == "E103" for c in mojibake)
    first = mojibake[0]
    assert "prÃƒÂ©visions" in first.text and "prévisions" in first.replacement
    # ftfy's own explanation: two rounds of encode/decode.
    assert doc.report["encoding"]["fixes"].count(["decode", "utf-8"]) == 1
    assert ["encode", "sloppy-windows-1252"] in doc.report["encoding"]["fixes"]


def test_each_kind_of_fix_has_its_reason():
    reasons = {name: {c.reason for c in clean_file(name).changes} for name in CASES}
    assert reasons["en_crlf.txt"] == {"line-breaks"}
    assert reasons["en_html_entities.txt"] == {"html-entities"}
    assert reasons["fr_utf8_bom.txt"] == {"byte-order-mark"}
    assert reasons["fr_cp1252.txt"] == {"legacy-codec"}
    assert reasons["fr_c1_controls.txt"] == {"c1-controls"} or reasons["fr_c1_controls.txt"] == {
        "mojibake"
    }
    assert reasons["en_trailing_controls.txt"] == {"control-characters", "trailing-whitespace"}
    assert reasons["fr_utf8_stray_cp1252.txt"] == {"invalid-utf8"}


def test_binary_file_is_an_error_not_a_crash():
    doc = clean_file("binary.txt")
    assert not doc.ok
    assert "binary" in doc.error


def test_decode_rejects_broken_utf16():
    with pytest.raises(DecodeError, match="utf-16-le"):
        decode_bytes(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00")


def test_typography_is_kept_unless_asked():
    kept = clean_file("fr.txt")
    assert "« C’est une bonne nouvelle" in kept.text
    straightened = clean_file("fr.txt", uncurl_quotes=True)
    assert "« C'est une bonne nouvelle" in straightened.text
    assert {c.reason for c in straightened.changes} == {"curly-quotes"}


def test_trailing_whitespace_counts_lines():
    assert strip_trailing_whitespace("Titre \n\nTexte.\t\nFin") == ("Titre\n\nTexte.\nFin", 2)
    assert strip_trailing_whitespace("clean\ntext\n") == ("clean\ntext\n", 0)


# fix_text_fast must be ftfy.fix_text, on anything.
PIECES = [
    "Le ministre a déclaré « c’est fini » mardi.",
    "The minister said “it’s over” on Tuesday.",
    "l\x92Ecole",
    "prÃ©visions",
    "ÃƒÂ©tÃƒÂ©",
    "AT&amp;T and &eacute;t&eacute;",
    "<b>bold</b>",
    "\r\n",
    "\n",
    "\r",
    "ﬁnance",
    "ＬＯＵＤ",
    "café\u0301",
    "e\u0301",
    "œuvre",
    "Â ",
    "×²",
    "£5m",
    "\x1b[31m",
    "\u2028",
    "→ ►",
    "  ",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_fix_text_fast_is_ftfy(pieces):
    text = "".join(pieces)
    for uncurl in (False, True):
        config = ftfy_config(uncurl)
        assert fix_text_fast(text, config)[0] == ftfy.fix_text(text, config)


def test_html_unescaping_stops_after_the_first_tag_as_in_ftfy():
    text = "Q&amp;A\n<p>tag</p>\nR&amp;D\n"
    config = ftfy_config(False)
    assert ftfy.fix_text(text, config) == "Q&A\n<p>tag</p>\nR&amp;D\n"
    assert fix_text_fast(text, config)[0] == ftfy.fix_text(text, config)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(ENC.glob("*.txt")))
def test_fix_text_fast_is_ftfy_on_every_fixture(path):
    try:
        text = decode_bytes(path.read_bytes()).text
    except DecodeError:
        return
    config = ftfy_config(False)
    assert fix_text_fast(text, config)[0] == ftfy.fix_text(text, config)
