"""Parquet shards in and out: `text` cleaned, the other columns carried through."""

from __future__ import annotations

import io
import json

import pytest

from conftest import FIXTURES, SEEDS, run_cleaner

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _news_table():
    """The readable records of the JSONL fixture, plus a row without text."""
    records = []
    for line in (FIXTURES / "jsonl" / "news.jsonl").read_text("utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record.get("text"), str):
            records.append(
                {"id": str(record["id"]), "url": record.get("url"), "text": record["text"]}
            )
    records.append({"id": "no-body", "url": "https://example.org/fr/video", "text": None})
    schema = pa.schema(
        [("id", pa.string()), ("url", pa.string()), ("text", pa.string()), ("views", pa.int32())]
    )
    for views, record in enumerate(records, start=100):
        record["views"] = views
    return pa.Table.from_pylist(records, schema=schema)


def _report(path):
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_parquet_in_parquet_out_keeps_columns_types_and_every_row(tmp_path):
    shard = tmp_path / "in" / "part-0000.parquet"
    shard.parent.mkdir()
    pq.write_table(_news_table(), shard, row_group_size=2)
    out = tmp_path / "out"
    result = run_cleaner("clean", str(shard.parent), "--glob", "*.parquet", "-o", str(out))
    assert result.returncode == 1  # the row without text is an error, named
    assert "part-0000.parquet: row 4: 'text' is not a string" in result.stderr.decode()
    cleaned = pq.read_table(out / "part-0000.parquet")
    assert cleaned.schema == _news_table().schema  # same columns, same order, same types
    rows = cleaned.to_pylist()
    assert [r["id"] for r in rows] == ["afp-0412", "reuters-77", "42", "no-body"]
    assert [r["views"] for r in rows] == [100, 101, 102, 103]
    assert "the deal’s timetable" in rows[1]["text"]  # mojibake repaired
    assert rows[3]["text"] is None  # carried through as it was
    records = _report(out / "report.jsonl")
    assert [r["status"] for r in records] == ["ok", "ok", "ok", "error"]
    assert records[1]["changes"][0]["reason"] == "mojibake"


def test_parquet_and_text_inputs_together_and_a_broken_shard(tmp_path):
    good = tmp_path / "good.parquet"
    pq.write_table(_news_table(), good)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not really parquet")
    seed = SEEDS / "004_cb5d25eecc4c5a95.txt"
    out = tmp_path / "out"
    result = run_cleaner("clean", str(broken), str(good), str(seed), "-o", str(out))
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert any(e.startswith(f"cleaner: {broken}: not a Parquet file") for e in errors)
    assert not (out / "broken.parquet").exists()
    assert pq.read_table(out / "good.parquet").num_rows == 4
    assert (out / seed.name).exists()


def test_parquet_without_text_column_is_named(tmp_path):
    shard = tmp_path / "meta.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["Un texte."]}), shard)
    result = run_cleaner("clean", str(shard), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"cleaner: {shard}: no column 'text'" in result.stderr.decode()


def test_parquet_from_stdin_to_stdout(tmp_path):
    data = io.BytesIO()
    pq.write_table(_news_table(), data)
    result = run_cleaner("clean", "--format", "parquet", "-", "-o", "-", stdin=data.getvalue())
    table = pq.read_table(io.BytesIO(result.stdout))
    assert table.num_rows == 4
    assert "l’Économie" in table.column("text")[0].as_py()


def test_jsonl_from_stdin_is_read_once_for_both_passes():
    """The corpus pass and the cleaning pass both see standard input."""
    line = json.dumps({"id": "a", "text": "Le ministre a annoncé mardi une hausse des prévisions."})
    result = run_cleaner("clean", "--format", "jsonl", "-", "-o", "-", stdin=line.encode() + b"\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "a"


def test_in_place_rewrites_a_parquet_shard_only_when_it_changed(tmp_path):
    shard = tmp_path / "part.parquet"
    pq.write_table(_news_table(), shard)
    run_cleaner("clean", str(shard), "--in-place")
    first = shard.stat().st_mtime_ns
    assert "the deal’s timetable" in pq.read_table(shard).column("text")[1].as_py()
    run_cleaner("clean", str(shard), "--in-place")
    assert shard.stat().st_mtime_ns == first  # nothing left to change: not rewritten


def test_missing_pyarrow_is_a_clear_error_per_file(tmp_path, monkeypatch):
    import builtins

    from cleaner import parquet
    from cleaner.inputs import Source

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    shard = tmp_path / "x.parquet"
    [doc] = parquet.documents(Source(str(shard), shard.name, "parquet"))
    assert doc.error == "reading Parquet needs pyarrow: pip install 'cleaner[parquet]'"
