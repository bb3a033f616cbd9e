"""Languages: langid's answers, faster; English, French and everything else; context for short text."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleaner import langmodel
from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.pipeline import Context, process_document
from cleaner.stages.language import identify, identify_languages, split_by_language

from conftest import FIXTURES, run_cleaner

ROWS = [
    line.split("\t")
    for line in (FIXTURES / "language" / "sentences.tsv").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]
OPTIONS = CleanerConfig().language
CTX = Context(CleanerConfig())


def langs(text: str) -> list[str]:
    return [s.lang for s in identify(text, OPTIONS)]


def test_scores_are_langids_own():
    from langid import langid

    reference = langid.LanguageIdentifier.from_modelstring(langid.model)
    texts = [text for _, text in ROWS] + ["Brexit", "à Paris", "", "12 345"]
    ours = langmodel.load().log_probs(texts)
    for text, row in zip(texts, ours, strict=True):
        expected = reference.nb_classprobs(reference.instance2fv(text))
        assert np.allclose(row, expected, rtol=0, atol=1e-9), text


def test_feature_table_finds_each_feature_and_nothing_else():
    model = langmodel.load()
    codes = np.asarray(model.codes, dtype=np.uint64)
    absent = codes + np.uint64(1 << 40)  # length bits above any n-gram's: no such feature
    features, found_in = langmodel._lookup(
        model, np.concatenate([codes, absent]), np.arange(2 * len(codes))
    )
    order = np.argsort(found_in)
    assert found_in[order].tolist() == list(range(len(codes)))
    assert features[order].tolist() == np.asarray(model.feature_of).tolist()


@pytest.mark.parametrize("lang, sentence", ROWS)
def test_each_sentence_gets_its_language(lang, sentence):
    assert langs(sentence) == [lang]


def test_other_languages_are_never_english_or_french():
    for lang, sentence in ROWS:
        if lang not in ("en", "fr"):
            assert set(langs(sentence)) & {"en", "fr"} == set(), sentence


def test_short_sentence_between_french_ones_is_french():
    text = (
        "Le gouvernement a annoncé une aide d’urgence pour les communes sinistrées. "
        "Brexit oblige. "
        "Les maires de la région ont salué l’annonce tout en réclamant un plan à long terme."
    )
    assert langs(text) == ["fr", "fr", "fr"]


def test_a_sentence_too_short_to_judge_inherits():
    text = "The storm closed the harbour for two days, stranding fishing boats. OK. Crews are still clearing the quays."
    assert langs(text) == ["en", "en", "en"]


def test_short_headline_alone_leans_to_the_corpus_languages():
    assert langs("Inondations : aide d’urgence") == ["fr"]
    assert langs("Floods: emergency aid") == ["en"]


def test_mixed_paragraph_has_segments_and_shares():
    en = (
        "Turkish forces will support the UN-backed government in Libya as it battles an insurgency."
    )
    fr = (
        "La Russie se trouve de surcroît en Libye en lien avec l’Égypte et les Émirats arabes unis."
    )
    text = f"{en} {fr} {en}"
    doc = identify_languages(Document(id="m", source="m", name="m", text=text), CTX)
    assert doc.report["lang"] == "en" and doc.report["mixed"] is True
    assert set(doc.report["lang_share"]) == {"en", "fr"}
    segs = doc.report["segments"]
    assert [s["lang"] for s in segs] == ["en", "fr", "en"]
    assert text[segs[1]["start"] : segs[1]["end"]] == fr
    parts = split_by_language(text, segs)
    assert parts == {"en": f"{en} {en}", "fr": fr}


def test_one_language_is_not_mixed():
    doc = identify_languages(Document(id="e", source="e", name="e", text=ROWS[0][1]), CTX)
    assert doc.report["mixed"] is False and doc.report["lang_share"] == {"en": 1.0}


def test_mojibake_is_identified_after_repair():
    french = "Les secours ont travaillé toute la nuit pour atteindre les villages isolés par les inondations.\n"
    broken = french.encode("utf-8").decode("cp1252").encode("utf-8")
    doc = process_document(Document(id="b", source="b", name="b", raw=broken), CTX)
    assert doc.report["lang"] == "fr"


def test_model_is_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langmodel.load.cache_clear()
    try:
        first = langmodel.load()
        cached = list((tmp_path / "cleaner").glob("langid-model-*.npz"))
        assert len(cached) == 1
        langmodel.load.cache_clear()
        second = langmodel.load()
        assert second.classes == first.classes and np.array_equal(second.log_ptc, first.log_ptc)
    finally:
        langmodel.load.cache_clear()


def _mixed_file(tmp_path):
    de = [t for lang, t in ROWS if lang == "de"][0]
    text = f"{ROWS[0][1]} {ROWS[6][1]} {ROWS[1][1]}\n{de}\n"
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    return path, de


def test_keep_lang_drops_other_languages_with_a_reason(tmp_path):
    path, german = _mixed_file(tmp_path)
    out = tmp_path / "out"
    result = run_cleaner("clean", str(path), "-o", str(out), "--keep-lang", "en,fr")
    assert result.returncode == 0, result.stderr
    assert german not in (out / "mixed.txt").read_text("utf-8")
    record = json.loads((out / "report.jsonl").read_text("utf-8"))
    dropped = [c for c in record["changes"] if c["reason"] == "other-language"]
    assert dropped == [
        {
            "stage": "language",
            "code": "L303",
            "reason": "other-language",
            "text": german,
            "line": 2,
            "detail": "de",
        }
    ]


def test_split_lang_writes_one_file_per_language(tmp_path):
    path, _ = _mixed_file(tmp_path)
    out = tmp_path / "out"
    result = run_cleaner("clean", str(path), "-o", str(out), "--split-lang", "--keep-lang", "en,fr")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["mixed.en.txt", "mixed.fr.txt"]
    assert (out / "mixed.fr.txt").read_text("utf-8") == ROWS[6][1] + "\n"
    assert (out / "mixed.en.txt").read_text("utf-8") == f"{ROWS[0][1]} {ROWS[1][1]}\n"


def test_lang_command_prints_spans(tmp_path):
    path, _ = _mixed_file(tmp_path)
    result = run_cleaner("lang", str(path))
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith(f"{path}: en (") and lines[0].endswith("mixed")
    assert any(" fr  La banque centrale" in line for line in lines)
    as_json = json.loads(run_cleaner("lang", str(path), "--json").stdout)
    assert as_json["mixed"] is True and as_json["lang"] == "en"


def test_unknown_language_code_is_a_usage_error():
    result = run_cleaner("clean", "-", "--lang", "en,xx", stdin=b"text")
    assert result.returncode == 2
    assert b"unknown language code xx" in result.stderr


def test_seeds_only_001_is_mixed():
    from conftest import SEEDS

    for path in sorted(SEEDS.glob("*.txt")):
        doc = process_document(
            Document(id=path.name, source=str(path), name=path.name, raw=path.read_bytes()), CTX
        )
        assert doc.report["mixed"] is path.name.startswith("001"), path.name
        if not path.name.startswith("001"):
            assert doc.report["lang"] == ("fr" if path.name[:3] in ("003", "004") else "en")
