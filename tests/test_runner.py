"""The run itself, in process: failures of one input, compressed JSONL, the worker pool."""

from __future__ import annotations

import gzip
import io
import json
import os

from cleaner import inputs
from cleaner.config import CleanerConfig
from cleaner.engine.local import ordered_map
from cleaner.runner import clean

from conftest import FIXTURES

ENC = FIXTURES / "encoding"


def test_unreadable_file_is_reported_and_others_are_cleaned(tmp_path, monkeypatch):
    # Tests run as root, where chmod 000 does not stop a read: fail the read itself.
    real_read = inputs._read_bytes

    def read(source):
        if source.name == "fr_cp1252.txt":
            raise PermissionError(13, "Permission denied", source.path)
        return real_read(source)

    monkeypatch.setattr(inputs, "_read_bytes", read)
    errors = io.StringIO()
    run = clean(
        [str(ENC / "fr_cp1252.txt"), str(ENC / "fr_latin1.txt")],
        CleanerConfig(),
        str(tmp_path / "out"),
        errors=errors,
    )
    assert run.exit_code == 1
    assert f"cleaner: {ENC / 'fr_cp1252.txt'}: permission denied" in errors.getvalue()
    assert (tmp_path / "out" / "fr_latin1.txt").exists()
    assert not (tmp_path / "out" / "fr_cp1252.txt").exists()


def test_gzipped_jsonl_round_trip(tmp_path):
    record = {"id": "a", "text": "prÃ©visions Ã©conomiques", "source": "wire"}
    src = tmp_path / "src"
    src.mkdir()
    (src / "shard-000.jsonl.gz").write_bytes(gzip.compress((json.dumps(record) + "\n").encode()))
    run = clean(
        [str(src)], CleanerConfig(glob="*.jsonl.gz"), str(tmp_path / "out"), errors=io.StringIO()
    )
    assert run.exit_code == 0
    out = json.loads(gzip.decompress((tmp_path / "out" / "shard-000.jsonl.gz").read_bytes()))
    assert out == {"id": "a", "text": "prévisions économiques", "source": "wire"}


def _square_with_pid(item, shared):
    return item * item + shared, os.getpid()


def test_pool_keeps_input_order_across_processes():
    results = list(ordered_map(_square_with_pid, range(500), 1, jobs=2, chunk_size=7))
    assert [value for value, _ in results] == [i * i + 1 for i in range(500)]
    assert len({pid for _, pid in results}) == 2  # really two workers
    assert os.getpid() not in {pid for _, pid in results}


def test_one_job_runs_in_this_process():
    results = list(ordered_map(_square_with_pid, range(5), 0, jobs=1))
    assert {pid for _, pid in results} == {os.getpid()}
