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


def _length(item, shared):
    return len(item) + shared


def _lengths(items, shared):
    return [len(item) + shared + 1000 for item in items]  # tells which form ran


_length.many = _lengths


def test_a_function_with_a_form_for_many_gets_the_items_together():
    """engine.run_all hands `func.many` the items an executor holds at once,
    in one process and in a pool."""
    words = ["a", "bb", "ccc"] * 7
    for jobs in (1, 2):
        got = list(ordered_map(_length, words, 1, jobs=jobs, chunk_size=5))
        assert got == [len(w) + 1001 for w in words]
    assert list(ordered_map(_square_with_pid, range(3), 0, jobs=1)) == [
        (i * i, os.getpid()) for i in range(3)
    ]


def test_documents_processed_together_are_processed_as_alone():
    """pipeline.process_documents (the spun stage's context layer scoring
    several documents in one pass) gives each document what it gets alone:
    English, French, spun, clean, short, mixed and failed documents together."""
    from cleaner.document import Document
    from cleaner.pipeline import Context, process_document, process_documents

    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "spun").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "context").glob("*.txt"))]
    texts += ["Short.", "", texts[0] + "\n\n" + texts[-1]]  # too short, empty, two languages
    docs = [
        Document(id=f"d{i}", source=f"d{i}.txt", name=f"d{i}", text=t) for i, t in enumerate(texts)
    ]
    docs.append(Document(id="bad", source="bad.txt", name="bad", text="", error="unreadable"))
    ctx = Context(CleanerConfig())
    alone = [process_document(d, ctx) for d in docs]
    together = process_documents(docs, ctx)
    assert [d.report for d in together] == [d.report for d in alone]
    assert [d.text for d in together] == [d.text for d in alone]
    for a, b in zip(alone, together, strict=True):
        assert (a.paraphrase_signature is None) == (b.paraphrase_signature is None)
        assert (
            a.paraphrase_signature is None
            or (a.paraphrase_signature == b.paraphrase_signature).all()
        )
    flagged = [d.report["spun"]["flagged"] for d in together if d.ok and d.report.get("spun")]
    assert any(flagged) and not all(flagged)  # the comparison covers both verdicts
