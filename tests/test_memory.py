"""Memory on huge inputs: compact model tables, arrays derived in a child
process, and the stage order (bench/big_line.py measures the peaks)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from cleaner import pipeline
from cleaner.spun import background, cache


def test_a_compact_table_finds_what_the_full_table_finds():
    rng = np.random.default_rng(7)
    keys = np.unique(rng.integers(0, 2**64 - 1, 50_000, dtype=np.uint64))
    full = background._table(keys)
    small = background._table(background.compact(keys), background._starts(keys))
    assert small.keys.dtype == np.uint32 and small.keys.nbytes * 2 == full.keys.nbytes
    absent = rng.integers(0, 2**64 - 1, 50_000, dtype=np.uint64)
    # absent keys that share a present key's low 32 bits, in an empty bucket or
    # a full one: only the bucket and the bits above tell them apart
    twins = keys[:1000] ^ np.uint64(1 << 63)
    query = np.concatenate([keys[::7], absent, twins])
    pos_full, found_full = background._find(full, query)
    pos_small, found_small = background._find(small, query)
    assert np.array_equal(found_small, found_full)
    assert np.array_equal(pos_small[found_small], pos_full[found_full])
    assert found_small[: len(keys[::7])].all() and not found_small[len(keys[::7]) :].any()


def test_derived_arrays_are_computed_in_a_child_and_mapped(tmp_path):
    folder = tmp_path / "derived-v1"
    computed_in = []

    def compute():
        computed_in.append(os.getpid())  # the child's list: this process's stays empty
        return {"a": np.arange(5), "b": np.ones(3)}

    found = cache.arrays(folder, ["a", "b"], compute)
    assert np.array_equal(found["a"], np.arange(5)) and isinstance(found["a"], np.memmap)
    if hasattr(os, "fork"):
        assert computed_in == []
    assert sorted(p.name for p in folder.iterdir()) == ["a.npy", "b.npy"]


def test_a_failing_derivation_is_seen_in_this_process(tmp_path):
    def compute():
        raise ValueError("no such data")

    with pytest.raises(ValueError, match="no such data"):
        cache.arrays(tmp_path / "derived-v1", ["a"], compute)
    assert not (tmp_path / "derived-v1").exists()


def test_the_spun_stage_changes_no_text_so_the_fingerprint_may_come_first():
    from cleaner.config import CleanerConfig
    from cleaner.document import Document
    from cleaner.stages.fingerprint import fingerprint_document
    from cleaner.stages.spun import flag_spun

    root = Path(__file__).resolve().parent.parent
    text = (root / "seeds").glob("002*")
    doc = Document(id="002", source="seeds", name="002.txt", text=next(text).read_text("utf-8"))
    ctx = pipeline.Context(CleanerConfig())
    for stage in pipeline.STAGES[:4]:  # repair, boilerplate, duplicates, language
        doc = stage(doc, ctx)
    flagged = flag_spun(doc, ctx)
    assert flagged.report["spun"]["flagged"] and flagged.text == doc.text
    names = [stage.__name__ for stage in pipeline.STAGES]
    assert names.index("fingerprint_document") < names.index("flag_spun")
    early = fingerprint_document(doc, ctx).fingerprint
    assert np.array_equal(early.signature, fingerprint_document(flagged, ctx).fingerprint.signature)
