"""Nothing lost, never a traceback: hostile input, unwritable outputs,
interrupted --in-place runs, documents that clean to nothing."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys

import pytest

from cleaner import outputs
from cleaner.checkpoint import InPlaceState
from cleaner.config import CleanerConfig
from cleaner.runner import clean

from conftest import FIXTURES, ROOT, SEEDS, run_cleaner

SURROGATE_RECORD = (
    b'{"id": "a\\ud83d", "text": "Hello \\udcef world. The council met on Tuesday to vote '
    b'on the budget.", "source": "web\\ud800"}\n'
)


def _report(path):
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_lone_surrogates_in_jsonl_are_cleaned_and_carried_through(tmp_path):
    shard = tmp_path / "s.jsonl"
    shard.write_bytes(SURROGATE_RECORD)
    result = run_cleaner("clean", str(shard), "-o", str(tmp_path / "o"), "--no-resume")
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    [record] = _report(tmp_path / "o" / "s.jsonl")
    # the fields we do not clean are written back as they were read
    assert record["id"] == "a\ud83d" and record["source"] == "web\ud800"
    assert record["text"].startswith("Hello \ufffd world.")  # ftfy's repair, reported
    [entry] = _report(tmp_path / "o" / "report.jsonl")
    assert entry["status"] == "ok" and entry["id"] == "a\\ud83d"
    assert [c["code"] for c in entry["changes"]] == ["E110"]
    # standard output and --dry-run's explanation print it too
    piped = run_cleaner("clean", "-", "--format", "jsonl", stdin=SURROGATE_RECORD)
    assert piped.returncode == 0 and json.loads(piped.stdout)["source"] == "web\ud800"
    dry = run_cleaner("clean", str(shard), "--dry-run")
    assert dry.returncode == 0 and b"E110" in dry.stdout and b"Traceback" not in dry.stderr


def test_html_report_and_index_take_a_surrogate_id(tmp_path):
    shard = tmp_path / "s.jsonl"
    shard.write_bytes(SURROGATE_RECORD)
    page = tmp_path / "page.html"
    result = run_cleaner(
        "clean", str(shard), "-o", str(tmp_path / "o"), "--html", str(page), "--no-resume"
    )
    assert result.returncode == 0 and b"a\\\\ud83d" in page.read_bytes()
    index = run_cleaner("index", "build", str(shard), "--index", str(tmp_path / "i.sqlite"))
    assert index.returncode == 0, index.stderr


@pytest.mark.parametrize(
    "where",
    [
        ["-o", "{file}/out"],  # a folder below a regular file
        ["-o", "{tmp}/out", "--report", "{file}/report.jsonl"],
        ["-o", "{tmp}/out", "--html", "{file}/page.html"],
    ],
)
def test_unwritable_output_is_one_line_and_exit_2(tmp_path, where):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    args = [a.format(file=blocker, tmp=tmp_path) for a in where]
    result = run_cleaner("clean", str(SEEDS), *args, "--no-resume")
    assert result.returncode == 2
    errors = result.stderr.decode().strip().splitlines()
    assert b"Traceback" not in result.stderr
    assert errors[-1].startswith(f"cleaner: error: {blocker}/") and ": cannot write: " in errors[-1]
    assert not (tmp_path / "out" / "report.jsonl").exists() or "--html" in where


def test_index_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x\n")
    for args in (
        ["index", "build", str(SEEDS), "--index", f"{blocker}/i.sqlite"],
        ["check", str(SEEDS / "000_0c01c48eefc90353.txt"), "--index", f"{blocker}/i.sqlite"],
    ):
        result = run_cleaner(*args)
        assert result.returncode == 2 and b"Traceback" not in result.stderr
        assert f"cleaner: error: {blocker}/i.sqlite: cannot write: " in result.stderr.decode()


def _refuse_writes_in(monkeypatch, folder):
    """Make one folder read-only for this process (root ignores file modes)."""
    real = outputs.tempfile.mkstemp

    def mkstemp(*args, dir=None, **kw):
        if dir is not None and os.path.samefile(dir, folder):
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kw)

    monkeypatch.setattr(outputs.tempfile, "mkstemp", mkstemp)


def test_in_place_goes_on_past_a_file_it_cannot_write(tmp_path, monkeypatch):
    for sub in ("ro", "rw"):
        (tmp_path / sub).mkdir()
        shutil.copy(FIXTURES / "hook" / "lyon_pietons_dirty.txt", tmp_path / sub / "page.txt")
    before = (tmp_path / "ro" / "page.txt").read_bytes()
    _refuse_writes_in(monkeypatch, tmp_path / "ro")
    errors = io.StringIO()
    run = clean([str(tmp_path)], CleanerConfig(jobs=1), "in-place", errors=errors)
    assert run.exit_code == 2
    assert errors.getvalue().splitlines() == [
        f"cleaner: {tmp_path / 'ro' / 'page.txt'}: cannot write: permission denied"
    ]
    assert (tmp_path / "ro" / "page.txt").read_bytes() == before
    assert (tmp_path / "rw" / "page.txt").read_bytes() != before  # the other file was cleaned


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders")
def test_read_only_folder_as_output_is_one_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    result = run_cleaner("clean", str(SEEDS), "-o", str(folder / "out"))
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert b"permission denied" in result.stderr


def test_a_document_that_cleans_to_nothing_is_reported_not_written(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "furniture.txt").write_text("Comments\nShare on Facebook\nMOBILE VIEW\n")
    (src / "blank.txt").write_bytes(b"")
    shutil.copy(SEEDS / "000_0c01c48eefc90353.txt", src / "article.txt")
    out = tmp_path / "out"
    result = run_cleaner("clean", str(src), "-o", str(out), "--no-resume")
    assert result.returncode == 0
    assert sorted(p.name for p in out.glob("*.txt")) == ["article.txt"]
    status = {r["id"]: r["status"] for r in _report(out / "report.jsonl")}
    assert status == {"article.txt": "ok", "blank.txt": "empty", "furniture.txt": "empty"}
    assert b"empty: 2 documents with nothing left after cleaning, not written" in result.stderr
    # in place, the file is left as it was, never emptied
    result = run_cleaner("clean", str(src / "furniture.txt"), "--in-place")
    assert result.returncode == 0 and (src / "furniture.txt").stat().st_size > 0
    # check says it once, with what to do; --fix does not empty it either
    result = run_cleaner("check", str(src / "furniture.txt"), "--no-index", "--fix")
    assert result.returncode == 1 and (src / "furniture.txt").stat().st_size > 0
    assert result.stdout.decode().splitlines() == [
        f"{src / 'furniture.txt'}:1: B126 nothing left after cleaning "
        "(all 39 characters are boilerplate): delete the file"
    ]


def test_unreadable_folder_says_why(tmp_path, monkeypatch):
    from cleaner import inputs

    def scandir(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(inputs.os, "scandir", scandir)
    _, problems = inputs.discover([str(tmp_path)], "*.txt", "auto")
    assert [p.problem for p in problems] == ["permission denied"]


def test_standard_output_is_the_bytes_of_the_output_file(tmp_path):
    page = FIXTURES / "boilerplate" / "en_page.txt"
    data = page.read_bytes().rstrip(b"\n")  # no final line break
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_bytes(data)
    piped = run_cleaner("clean", "-", "-q", stdin=data)
    run_cleaner("clean", str(tmp_path / "in"), "-o", str(tmp_path / "o"), "-q")
    assert piped.stdout == (tmp_path / "o" / "page.txt").read_bytes()


def test_folders_of_shards_are_found_by_default_and_reports_are_not(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIXTURES / "jsonl" / os.listdir(FIXTURES / "jsonl")[0], src / "a.jsonl")
    shutil.copy(SEEDS / "000_0c01c48eefc90353.txt", src / "b.txt")
    out = tmp_path / "out"
    assert run_cleaner("clean", str(src), "-o", str(out), "-q").returncode in (0, 1)
    assert (out / "a.jsonl").exists() and (out / "b.txt").exists()
    # cleaning the output folder again does not take report.jsonl for a shard
    again = run_cleaner("clean", str(out), "-o", str(tmp_path / "again"), "-q")
    assert not (tmp_path / "again" / "report.jsonl.jsonl").exists()
    ids = {r["path"] for r in _report(tmp_path / "again" / "report.jsonl")}
    assert str(out / "report.jsonl") not in ids and again.returncode in (0, 1)


def test_clean_help_states_exit_statuses():
    result = run_cleaner("clean", "--help")
    assert b"Exit status: 0" in result.stdout and b"2 trouble" in result.stdout


# --- an --in-place run interrupted, then run again -------------------------

FURNITURE = "Publicité — Voyages Soleil, offres du mois"


def _corpus(folder, copies_with_furniture=11, others=29):
    """Articles, eleven of them with one line of site furniture: just above
    the corpus-repeated rule's minimum of 10 documents."""
    paragraphs = [
        p
        for path in sorted(SEEDS.glob("*.txt")) + sorted((FIXTURES / "dedup").glob("*.txt"))
        for p in path.read_text("utf-8", "replace").split("\n\n")
        if len(p) > 200
    ]
    folder.mkdir()
    for number in range(copies_with_furniture + others):
        body = "\n\n".join(paragraphs[(number * 3 + k) % len(paragraphs)] for k in range(2))
        extra = (
            f"\n\n{FURNITURE}\n" if number % 3 == 0 and number < 3 * copies_with_furniture else ""
        )
        (folder / f"f{number:03d}.txt").write_text(f"Article {number}\n\n{body}{extra}")


class _Interrupt(Exception):
    pass


def _interrupted_after(monkeypatch, writes):
    real = outputs.atomic_write
    done = {"n": 0}

    def atomic_write(path, data, like=None):
        if done["n"] == writes:
            raise KeyboardInterrupt
        done["n"] += 1
        return real(path, data, like)

    monkeypatch.setattr(outputs, "atomic_write", atomic_write)


@pytest.mark.parametrize("writes", [1, 6])
def test_in_place_rerun_after_an_interruption_equals_an_uninterrupted_run(
    tmp_path, monkeypatch, writes
):
    _corpus(tmp_path / "whole")
    shutil.copytree(tmp_path / "whole", tmp_path / "cut")
    config = CleanerConfig(jobs=1)
    clean([str(tmp_path / "whole")], config, "in-place", errors=io.StringIO())
    assert FURNITURE not in (tmp_path / "whole" / "f000.txt").read_text()

    with monkeypatch.context() as patch:
        _interrupted_after(patch, writes)
        with pytest.raises(KeyboardInterrupt):
            clean([str(tmp_path / "cut")], config, "in-place", errors=io.StringIO())
    assert list((tmp_path / "cut").glob(".cleaner-in-place-*.pickle"))
    # a temporary file left by a kill in the middle of a write
    (tmp_path / "cut" / ".f039.txt.abcd1234.tmp").write_bytes(b"half")
    messages = io.StringIO()
    clean([str(tmp_path / "cut")], config, "in-place", errors=messages)
    assert "interrupted --in-place run's corpus counts, read back" in messages.getvalue()
    for path in sorted((tmp_path / "whole").iterdir()):
        assert (tmp_path / "cut" / path.name).read_bytes() == path.read_bytes(), path.name
    assert sorted(os.listdir(tmp_path / "cut")) == sorted(os.listdir(tmp_path / "whole"))


def test_in_place_without_the_saved_counts_would_decide_differently(tmp_path, monkeypatch):
    """The reason for the saved counts: recounting after 6 files sees the furniture too rarely."""
    _corpus(tmp_path / "whole")
    shutil.copytree(tmp_path / "whole", tmp_path / "cut")
    config = CleanerConfig(jobs=1)
    clean([str(tmp_path / "whole")], config, "in-place", errors=io.StringIO())
    with monkeypatch.context() as patch:
        _interrupted_after(patch, 6)
        with pytest.raises(KeyboardInterrupt):
            clean([str(tmp_path / "cut")], config, "in-place", errors=io.StringIO())
    monkeypatch.setattr(InPlaceState, "load", lambda self: None)
    clean([str(tmp_path / "cut")], config, "in-place", errors=io.StringIO())
    differ = [
        p.name
        for p in (tmp_path / "whole").iterdir()
        if (tmp_path / "cut" / p.name).read_bytes() != p.read_bytes()
    ]
    assert differ


def test_fuzz_sample_every_input_accounted_for(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import fuzz

    docs = fuzz.generate(250, seed=7)
    texts, shard = fuzz.write_inputs(docs, tmp_path, seed=7)
    problems = fuzz.check_run(texts, tmp_path / "out-texts", len(docs), jobs=2)
    problems += fuzz.check_run(shard, tmp_path / "out-shard", len(docs), jobs=2)
    assert problems == []
