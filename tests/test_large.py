"""A whole site on one line: a bounded report, exact counts, the same repair.

The file is bench/big_line.py's: real news sentences of the fixtures, one
line of about 2 MB, an article in six turned to mojibake.
"""

from __future__ import annotations

import importlib.util
import io
import json
import random
from functools import cache

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import CleanerConfig
from cleaner.document import LONG_CHARS, Change, excerpt, excerpt_ends
from cleaner.html import RunInfo
from cleaner.html.align import place
from cleaner.html.data import summary
from cleaner.rewrites import places, runs
from cleaner.runner import clean
from cleaner.stages.encoding import fix_text_fast, ftfy_config

from conftest import ROOT


@cache
def _big_line(size: int) -> str:
    spec = importlib.util.spec_from_file_location("big_line", ROOT / "bench" / "big_line.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.big_line(size, "parts")


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    line = _big_line(2_000_000)
    (folder / "big.txt").write_text(line, encoding="utf-8")
    report = folder / "report.jsonl"
    run = clean(
        [str(folder / "big.txt")],
        CleanerConfig(jobs=1),
        str(folder / "out"),
        report_path=str(report),
        errors=io.StringIO(),
    )
    return line, run, report, (folder / "out" / "big.txt").read_text(encoding="utf-8")


def test_a_huge_line_gives_a_small_report_record(big_run):
    line, run, report, cleaned = big_run
    assert run.exit_code == 0
    assert len(line) > 1_900_000 and "\n" not in line and "Ã©" in line
    [record] = report.read_bytes().splitlines()
    # The line is about 2 MB: not in the report, twice. What is left grows with
    # what the line holds (its language segments, the spun-text evidence).
    assert len(record) < 40_000
    changes = json.loads(record)["changes"]
    assert len(json.dumps(changes, ensure_ascii=False).encode()) < 20_000
    repairs = [c for c in changes if c["code"] == "E103"]
    # the first places repaired one by one, each small; then the rest of each of
    # ftfy's pieces of the line as one span, kept as an excerpt with its length
    assert all(c["line"] == 1 for c in repairs)
    one_by_one = [c for c in repairs if "chars" not in c]
    assert len(one_by_one) >= 5 and all(len(c["text"]) < 200 for c in one_by_one)
    spans = [c for c in repairs if "chars" in c]
    assert spans and all(c["chars"] > LONG_CHARS >= len(c["text"]) for c in spans)
    assert all(c["bytes"] >= c["chars"] and excerpt_ends(c["text"]) for c in spans)
    assert all("places rewritten in this span" in c["detail"] for c in spans)
    assert "Ã©" not in cleaned and "é" in cleaned


def test_the_summary_counts_the_whole_texts_of_excerpts(big_run):
    _, run, report, _ = big_run
    changes = json.loads(report.read_bytes())["changes"]
    by_code: dict[str, int] = {}
    for c in changes:
        by_code[c["code"]] = by_code.get(c["code"], 0) + c.get("chars", len(c["text"]))
    assert dict(run.summary.chars_by_code) == by_code
    assert by_code["E103"] > 1_000_000  # the spans rewritten, not the excerpts of them
    table = io.StringIO()
    run.summary.write(table)
    assert f"{by_code['E103']:>9}\n" in table.getvalue()


def test_the_repair_of_a_huge_line_is_ftfys():
    line = _big_line(2_000_000)[:1_500_000] + "\n" + "prÃ©vu\r\n" + "ok"
    config = ftfy_config(False)
    fixed, fixes = fix_text_fast(line, config)
    assert fixed == ftfy.fix_text(line, config)
    assert {f.line for f in fixes} == {1, 2}  # line 1 in two pieces of ftfy's length


PIECES = ["é", "Ã©", "ÃƒÂ©", "’", "â€™", "&amp;", "<b>", "\r\n", "\n", "e\u0301", "\x92", " ", "ab"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40), st.integers(1, 12))
def test_long_lines_are_fixed_in_ftfys_pieces(pieces, longest):
    text = "".join(pieces)
    config = ftfy_config(False)._replace(max_decode_length=longest)
    assert fix_text_fast(text, config)[0] == ftfy.fix_text(text, config)


@settings(max_examples=300, deadline=None)
@given(
    st.text("abé Ã©\n’", max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.text("xé’Ã", max_size=3)), max_size=5),
)
def test_the_places_found_rebuild_both_texts(a, edits):
    b = a
    for at, new in edits:
        b = b[:at] + new + b[at + 1 :]
    pos_a = pos_b = 0
    for i0, i1, j0, j1 in runs(a, b):
        assert a[pos_a:i0] == b[pos_b:j0] and a[i0:i1] != b[j0:j1]
        pos_a, pos_b = i1, j1
    assert a[pos_a:] == b[pos_b:]
    for i0, i1, j0, j1 in places(a, b, context=2):
        assert a[i0:i1] != b[j0:j1]


def test_a_long_change_keeps_an_excerpt_and_its_length():
    text = "x" * 6_000 + "é" * 6_000
    change = Change("duplicates", "C201", "duplicated-paragraph", text, line=3)
    assert change.text == excerpt(text) and excerpt_ends(change.text) is not None
    assert (change.chars, change.nbytes, change.length) == (12_000, 18_000, 12_000)
    record = change.to_json()
    assert (record["chars"], record["bytes"]) == (12_000, 18_000)
    short = Change("duplicates", "C201", "duplicated-paragraph", "short", line=3)
    assert "chars" not in short.to_json() and short.length == 5


def test_an_excerpted_removal_is_still_placed_and_counted():
    rng = random.Random(5)
    words = ["le", "conseil", "a", "voté", "mardi", "la", "ligne", "de", "tram"]
    para = " ".join(rng.choice(words) for _ in range(3_000)) + "."
    repaired = f"Premier paragraphe.\n\n{para}\n\nSecond paragraphe.\n\n{para}\n"
    cleaned = f"Premier paragraphe.\n\n{para}\n\nSecond paragraphe.\n"
    change = Change("duplicates", "C201", "duplicated-paragraph", para, line=7).to_json()
    assert len(change["text"]) < len(para) == change["chars"]
    placed = place([change], repaired, cleaned)
    assert not placed.unplaced
    assert [(r.at, r.text) for r in placed.removals] == [(len(cleaned), para)]
    record = {"id": "a", "status": "ok", "changes": [change]}
    [rule] = summary([record], RunInfo("test"))["rules"]
    assert rule["bytes"] == len(para.encode("utf-8"))
