"""The command line, through the installed `cleaner` command, as users run it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cleaner import __version__

from conftest import FIXTURES, SEEDS, run_cleaner

ENC = FIXTURES / "encoding"


def report(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_version_and_help_with_examples():
    version = run_cleaner("--version")
    assert version.returncode == 0
    assert version.stdout.decode().strip() == f"cleaner {__version__}"
    help_ = run_cleaner("clean", "--help")
    assert help_.returncode == 0
    assert b"Examples:" in help_.stdout and b"--dry-run" in help_.stdout


def test_seeds_folder_to_output_folder(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(SEEDS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sorted(p.name for p in out.glob("*.txt")) == names
    records = report(out / "report.jsonl")
    assert [r["id"] for r in records] == names
    for r in records:
        assert r["status"] == "ok" and r["error"] is None
        assert r["encoding"]["codec"] == "utf-8"
        assert set(r) >= {"id", "path", "chars_in", "chars_out", "changes", "encoding"}
    assert b"5 documents: 5 ok, 0 failed" in result.stderr


def test_bad_inputs_are_reported_and_the_rest_is_processed(tmp_path):
    out = tmp_path / "out"
    # the encoding fixtures are one text in many encodings: exact duplicates once
    # repaired, so they are all written only with --keep-duplicates
    result = run_cleaner(
        "clean", str(ENC), str(tmp_path / "missing.txt"), "-o", str(out), "--keep-duplicates"
    )
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert (
        f"cleaner: {ENC / 'binary.txt'}: binary file (NUL bytes and no UTF-16/32 byte-order mark)"
        in errors
    )
    # an empty file is no error: it is reported as empty, and not written
    assert not any("empty.txt" in line for line in errors)
    assert f"cleaner: {tmp_path / 'missing.txt'}: no such file or directory" in errors
    # every other file was cleaned
    assert (out / "fr_cp1252.txt").read_text("utf-8") == (ENC / "fr.txt").read_text("utf-8")
    assert not (out / "binary.txt").exists()
    records = {r["id"]: r for r in report(out / "report.jsonl")}
    assert records["binary.txt"]["status"] == "error"
    assert records[str(tmp_path / "missing.txt")]["error"] == "no such file or directory"
    assert records["fr_double_mojibake.txt"]["status"] == "ok"
    assert records["empty.txt"]["status"] == "empty" and not (out / "empty.txt").exists()


def test_folder_without_matching_files_is_an_error(tmp_path):
    (tmp_path / "notes.md").write_text("# notes\n")
    result = run_cleaner("clean", str(tmp_path), "-o", str(tmp_path.parent / "o"))
    assert result.returncode == 1
    assert f"{tmp_path}: no files matching '*.txt,*.jsonl,*.jsonl.gz,*.parquet'".encode() in (
        result.stderr
    )


def test_glob_and_nested_folders_keep_relative_paths(tmp_path):
    src = tmp_path / "corpus"
    (src / "2024" / "06").mkdir(parents=True)
    shutil.copy(ENC / "fr_cp1252.txt", src / "2024" / "06" / "a.md")
    shutil.copy(ENC / "en_crlf.txt", src / "b.md")
    out = tmp_path / "out"
    result = run_cleaner("clean", str(src), "--glob", "*.md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "2024" / "06" / "a.md").read_text("utf-8") == (ENC / "fr.txt").read_text("utf-8")
    assert (out / "b.md").read_bytes() == (ENC / "en.txt").read_bytes()


def test_stdin_to_stdout():
    result = run_cleaner("clean", "-", "-q", stdin=(ENC / "fr_double_mojibake.txt").read_bytes())
    assert result.returncode == 0
    assert result.stdout == (ENC / "fr.txt").read_bytes()
    assert result.stderr == b""


def test_jsonl_in_jsonl_out_keeps_other_fields_and_every_line(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(FIXTURES / "jsonl" / "news.jsonl"), "-o", str(out))
    assert result.returncode == 1  # two lines could not be read
    lines = (out / "news.jsonl").read_text("utf-8").splitlines()
    source = (FIXTURES / "jsonl" / "news.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len(source)
    assert lines[1] == source[1]  # the unreadable line is copied through
    first, third = json.loads(lines[0]), json.loads(lines[2])
    assert first["url"] == "https://example.org/fr/economie/croissance"
    assert first["lang_hint"] == "fr"
    assert third["tags"] == ["markets", "eu"]
    assert "deal’s timetable" in third["text"]
    assert json.loads(lines[4]) == {
        "id": 42,
        "text": "Le Premier ministre s’est rendu à Bruxelles jeudi.",
    }
    errors = result.stderr.decode()
    assert "news.jsonl: line 2: invalid JSON" in errors
    assert "news.jsonl: line 4: no string field 'text'" in errors
    records = report(out / "report.jsonl")
    assert [r["status"] for r in records] == ["ok", "error", "ok", "error", "ok"]
    assert records[2]["changes"][0]["reason"] == "mojibake"


def test_dry_run_writes_nothing_and_shows_the_changes(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(ENC / "fr_double_mojibake.txt"), "-o", str(out), "--dry-run")
    assert result.returncode == 0
    assert not out.exists()
    text = result.stdout.decode()
    assert "fr_double_mojibake.txt: 3 changes" in text
    assert "line 3" in text and "E103 mojibake" in text and "l’Économie" in text


def test_explain_prints_changes_alongside_a_normal_run(tmp_path):
    result = run_cleaner("clean", str(ENC / "en_crlf.txt"), "-o", str(tmp_path / "o"), "--explain")
    assert result.returncode == 0
    assert b"E108 line-breaks" in result.stderr
    assert (tmp_path / "o" / "en_crlf.txt").exists()


def test_in_place_rewrites_only_changed_files_atomically(tmp_path):
    broken = tmp_path / "broken.txt"
    clean = tmp_path / "clean.txt"
    shutil.copy(ENC / "fr_c1_controls.txt", broken)
    shutil.copy(ENC / "en.txt", clean)
    os.chmod(broken, 0o640)
    before = clean.stat()
    result = run_cleaner("clean", str(tmp_path), "--in-place")
    assert result.returncode == 0, result.stderr
    assert broken.read_text("utf-8") == (ENC / "fr.txt").read_text("utf-8")
    assert broken.stat().st_mode & 0o777 == 0o640
    after = clean.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "broken.txt",
        "clean.txt",
    ]  # no temp files


def test_inputs_are_never_changed_without_in_place(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ENC, src)
    snapshot = {p.name: p.read_bytes() for p in src.iterdir()}
    run_cleaner("clean", str(src), "-o", str(tmp_path / "out"))
    assert {p.name: p.read_bytes() for p in src.iterdir()} == snapshot


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "{src}/out"], b"inside the input folder"),
        (["-o", "{src}"], b"inside the input folder"),
        (["-o", "{tmp}/o", "--in-place"], b"cannot be used together"),
        (["--format", "xml"], b"xml"),
        (["--jobs", "-3"], b"--jobs"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ENC / "en.txt", src / "en.txt")
    args = [a.format(src=src, tmp=tmp_path) for a in args]
    result = run_cleaner("clean", str(src), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (src / "out").exists()


def test_output_file_over_an_input_is_refused(tmp_path):
    shutil.copy(ENC / "en.txt", tmp_path / "en.txt")
    result = run_cleaner("clean", str(tmp_path / "en.txt"), "-o", str(tmp_path))
    assert result.returncode == 2
    assert b"would overwrite the input" in result.stderr


def test_bad_config_file_exits_2(tmp_path):
    (tmp_path / "cleaner.toml").write_text("no-such-option = 1\n")
    shutil.copy(ENC / "en.txt", tmp_path / "en.txt")
    result = run_cleaner("clean", "en.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert b"unknown option 'no-such-option'" in result.stderr


def test_config_file_is_found_from_the_working_directory(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.cleaner]\nuncurl-quotes = true\n")
    shutil.copy(ENC / "fr.txt", tmp_path / "fr.txt")
    result = run_cleaner("clean", "fr.txt", "-q", cwd=tmp_path)
    assert result.returncode == 0
    assert "« C'est une bonne nouvelle" in result.stdout.decode()


def _corpus(folder: Path, copies: int) -> None:
    """Enough real-looking files to make the worker pool start."""
    sources = [p for p in sorted(ENC.glob("*.txt")) if p.name not in ("binary.txt", "empty.txt")]
    for i in range(copies):
        for p in sources:
            data = p.read_bytes()
            (folder / f"{i:04d}-{p.name}").write_bytes(data * 4)


def test_output_is_identical_whatever_the_number_of_workers(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    _corpus(src, 120)  # about 2.7 MB: above the size where the pool starts
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = run_cleaner("clean", str(src), "-o", str(out), "--jobs", jobs, "-q")
        assert result.returncode == 0, result.stderr
        outs.append(out)
    files1 = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*"))
    files2 = sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*"))
    assert files1 == files2
    for rel in files1:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes(), rel
