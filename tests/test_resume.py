"""A run started again after an interruption skips the partitions already done."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest

from cleaner import checkpoint
from cleaner.config import CleanerConfig, EngineConfig
from cleaner.runner import clean

from conftest import FIXTURES, SEEDS, run_cleaner


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def corpus(tmp_path: Path) -> Path:
    """Seeds and fixtures with planted duplicates, spun copies and mojibake."""
    root = tmp_path / "corpus"
    for folder in (SEEDS, FIXTURES / "dedup", FIXTURES / "spun", FIXTURES / "hook"):
        shutil.copytree(folder, root / folder.name)
    return root


class Interrupted(KeyboardInterrupt):
    pass


def interrupt_after(monkeypatch, partitions: int) -> list[str]:
    """Make the run stop (as on Ctrl-C) once `partitions` have been written."""
    written: list[str] = []
    real_commit = checkpoint.AtomicFile.commit

    def commit(self):
        real_commit(self)
        written.append(self.path.name)
        if len(written) == partitions:
            raise Interrupted

    monkeypatch.setattr(checkpoint.AtomicFile, "commit", commit)
    return written


def counting_partitions(monkeypatch) -> list[str]:
    """The pass (its function's name) of each partition computed, not read back."""
    computed: list[str] = []
    real = checkpoint._partition

    def partition(item, shared):
        computed.append(shared[0].__name__)
        return real(item, shared)

    monkeypatch.setattr(checkpoint, "_partition", partition)
    return computed


def resumed_run(tmp_path, monkeypatch, config: CleanerConfig):
    source = corpus(tmp_path)
    expected_dir = tmp_path / "expected"
    clean(
        [str(source)], dataclasses.replace(config, jobs=1), str(expected_dir), errors=io.StringIO()
    )
    assert not (expected_dir / checkpoint.FOLDER).exists()  # removed when the run completes

    out = tmp_path / "out"
    stop_after = 8 if config.engine.name == "local" else 5  # Dask: cleaning partitions only
    written = interrupt_after(monkeypatch, partitions=stop_after)
    with pytest.raises(Interrupted):
        clean([str(source)], config, str(out), errors=io.StringIO())
    monkeypatch.undo()
    partial = out / checkpoint.FOLDER
    assert len(list(partial.rglob("*.pickle"))) == stop_after
    assert not (out / "report.jsonl").exists()  # nothing half-written

    computed = counting_partitions(monkeypatch)
    messages = io.StringIO()
    run = clean([str(source)], config, str(out), errors=messages)
    assert run.exit_code == 0
    docs = len(list(source.rglob("*.txt")))
    partitions = -(-docs // config.engine.partition_docs)  # per pass: corpus, then cleaning
    # on Dask the corpus pass is a shuffle whose counts stay on the workers:
    # only the cleaning pass keeps partitions
    corpus_kept = config.engine.name == "local"
    done_before = {"corpus_keys": min(len(written), partitions) if corpus_kept else 0}
    done_before["process"] = len(written) - done_before["corpus_keys"]
    for step, done in done_before.items():
        said = f"{step}: {done} of {partitions} partitions read back" in messages.getvalue()
        assert said == bool(done), step
    if config.engine.name == "local":  # the rest ran in this process: count them
        passes = [name for name in computed if name in ("_corpus_keys", "_process")]
        assert len(passes) == 2 * partitions - len(written)
    assert tree(out) == tree(expected_dir)  # the same bytes as an uninterrupted run
    assert not partial.exists()


def test_local_run_resumes_after_an_interruption(tmp_path, monkeypatch):
    config = CleanerConfig(jobs=1, engine=EngineConfig(partition_docs=3))
    resumed_run(tmp_path, monkeypatch, config)


def test_a_changed_input_is_not_taken_from_an_old_partition(tmp_path, monkeypatch):
    source = corpus(tmp_path)
    config = CleanerConfig(jobs=1, engine=EngineConfig(partition_docs=3))
    out = tmp_path / "out"
    interrupt_after(monkeypatch, partitions=3)
    with pytest.raises(Interrupted):
        clean([str(source)], config, str(out), errors=io.StringIO())
    monkeypatch.undo()
    seed = next((source / "seeds").glob("003_*.txt"))
    seed.write_text("Un texte tout neuf sur le tramway de Lyon, qui change tout.\n", "utf-8")
    messages = io.StringIO()
    clean([str(source)], config, str(out), errors=messages)
    assert "read back" not in messages.getvalue()
    assert (out / "seeds" / seed.name).read_text("utf-8").startswith("Un texte tout neuf")


def test_no_resume_keeps_nothing(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(SEEDS), "-o", str(out), "--no-resume", "-q")
    assert result.returncode == 0
    assert not (out / checkpoint.FOLDER).exists()


def test_dask_run_resumes_after_an_interruption(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    engine = EngineConfig(name="dask", partition_docs=3)
    resumed_run(tmp_path, monkeypatch, CleanerConfig(jobs=2, engine=engine))


def test_progress_bar_counts_files_and_documents(monkeypatch):
    from cleaner import runner

    clock = iter(float(t) for t in range(100))
    monkeypatch.setattr(runner.time, "monotonic", lambda: next(clock))
    stream = io.StringIO()
    progress = runner.Progress(total=4, stream=stream, enabled=True)
    for new_file in (True, False, True):
        progress.step(new_file)
    progress.close()
    last = stream.getvalue().split("\r")[-2]
    assert last.startswith("cleaner: [" + "=" * 15 + ">")
    assert " 50%  2/4 files  3 docs" in last
    assert stream.getvalue().endswith("\r\033[K")
