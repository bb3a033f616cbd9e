"""The synonym tables compiled once per machine (cleaner/spun/synonym_table.py)."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.spun import synonym_table
from cleaner.spun.background import thesaurus


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE", str(tmp_path / "cache"))
    synonym_table.read.cache_clear()
    yield tmp_path / "cache"
    synonym_table.read.cache_clear()


def test_the_cached_arrays_are_a_fresh_compile_of_the_table(cache):
    fresh = synonym_table.compile_table(thesaurus("fr"))
    first = synonym_table.read("fr")  # compiles and writes
    folders = list((cache / "thesaurus").iterdir())
    assert [f.name.split("-")[0] for f in folders] == ["fr"]
    synonym_table.read.cache_clear()
    cached = synonym_table.read("fr")  # maps what was written
    assert isinstance(cached.forms, np.memmap) or cached.forms.base is not None
    for name in synonym_table.ARRAYS:
        assert np.array_equal(getattr(cached, name), getattr(fresh, name)), name
        assert np.array_equal(getattr(first, name), getattr(fresh, name)), name
    assert len(cached.text) == len(fresh.text)
    for i in (0, 1, len(fresh.text) // 2, len(fresh.text) - 1):
        assert cached.text[i] == fresh.text[i]
    assert "é" in "".join(cached.text[i] for i in range(2000))  # UTF-8 read back as written


def test_an_unwritable_cache_falls_back_to_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("CLEANER_CACHE", str(blocker))
    synonym_table.read.cache_clear()
    try:
        table = synonym_table.read("fr")
    finally:
        synonym_table.read.cache_clear()
    assert len(table.forms) == len(thesaurus("fr"))
    assert blocker.read_text().startswith("a file")
