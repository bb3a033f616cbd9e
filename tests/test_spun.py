"""The spun-text stage: lexicon, collocations, alignment with an original, and the CLI."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from cleaner.config import CleanerConfig, SpunConfig
from cleaner.dedup.corpus import Deduplication
from cleaner.runner import prepare, processed
from cleaner.spun import collocation, lexicon
from cleaner.spun.collocation import bigram_key
from cleaner.spun.paraphrase import align, immutables
from cleaner.spun.words import norms, sentence
from cleaner.stages.spun import find_evidence, score

from conftest import FIXTURES, SEEDS, run_cleaner

SPUN = FIXTURES / "spun"
SEED_PAIRS = [
    ("mentioned", "said"),
    ("searching for", "seeking"),
    ("safety menace", "security threat"),
    ("civil warfare", "civil war"),
    ("Libya knowledgeable", "Libya expert"),
    ("demise throes", "death throes"),
    ("consumer state", "client state"),
    ("impartial exterior states", "neutral outside states"),
    ("air marketing campaign", "air campaign"),
    ("essentially the most", "the most"),
]


def spun_reports(paths: list[Path], config: CleanerConfig | None = None) -> dict[str, dict]:
    """The `spun` field of each document, cleaned as one corpus."""
    config = config or CleanerConfig(jobs=1)
    plan = prepare([str(p) for p in paths], config)
    found = Deduplication.of(processed(plan, sys.stderr), config.dedup, spun_options=config.spun)
    try:
        return {Path(doc.source).name: doc.report["spun"] for doc, _, _ in found.documents()}
    finally:
        found.close()


def evidence_for(spun: dict, phrase: str, layer: str | None = None) -> list[dict]:
    return [
        e
        for e in spun["evidence"]
        if phrase.lower() in e["phrase"].lower() and (layer is None or e["layer"] == layer)
    ]


# words and lexicon


def test_tokens_keep_elisions_and_split_hyphens():
    assert norms("L’ONU appelle à un cessez-le-feu d'urgence") == (
        "l'", "onu", "appelle", "à", "un", "cessez", "le", "feu", "d'", "urgence",
    )  # fmt: skip


def test_lexicon_tables_parse_in_both_languages():
    for lang in ("en", "fr"):
        table = lexicon.entries(lang)
        assert len(table) >= 100
        assert any(e.strong for e in table) and any(not e.strong for e in table)


def evidence_of(text: str, lang: str) -> list[dict]:
    return find_evidence(text, lang, SpunConfig(), counts={})[0]


def test_a_strong_phrase_is_found_with_its_original():
    found = evidence_of(
        "Officials warned of a long-term safety menace on the southern flank.", "en"
    )
    assert [(e["phrase"], e["likely_original"], e["strength"]) for e in found] == [
        ("safety menace", "security threat", "strong")
    ]


def test_a_name_pattern_echoes_the_name():
    found = evidence_of("Wolfram Lacher, a Libya knowledgeable, doubted it.", "en")
    assert any(e["likely_original"] == "a Libya expert" for e in found)
    assert not evidence_of("She is a knowledgeable guide to the old city.", "en")


def test_mentioned_counts_only_in_a_report_that_never_says_said():
    spun = "The minister mentioned the talks had failed. The envoy mentioned a new plan."
    plain = "The minister mentioned the talks had failed, the envoy said on Monday."
    assert evidence_for({"evidence": evidence_of(spun, "en")}, "mentioned")
    assert not evidence_for({"evidence": evidence_of(plain, "en")}, "mentioned")


def test_french_phrases_are_found():
    found = evidence_of("Le premier pasteur a rencontré le Conseil de sûreté jeudi.", "fr")
    originals = {e["likely_original"].lower() for e in found}
    assert "premier ministre" in originals
    assert any("sécurité" in o for o in originals)


def test_weak_evidence_alone_never_flags():
    weak = [{"layer": "lexicon", "phrase": f"w{i}", "strength": "weak"} for i in range(40)]
    strong = [{"layer": "lexicon", "phrase": "safety menace", "strength": "strong"}]
    options = SpunConfig()
    assert score(weak, options) == 0.0
    assert score(strong + weak, options) == options.strong_weight * 2


# collocations


def test_a_rare_synonym_is_odd_where_the_corpus_writes_the_common_word():
    assert collocation.synonyms("en").get("warfare") == "war"
    words = sentence("The Syrian warfare has lasted ten years.").norms
    counts = {bigram_key("en", "syrian", "war"): 12, bigram_key("en", "syrian", "warfare"): 1}
    found = list(collocation.odd_pairs(words, "en", counts, min_docs=3, ratio=5))
    assert [(words[a], words[b - 1], original) for a, b, original in found] == [
        ("syrian", "warfare", "syrian war")
    ]
    # the corpus writes "syrian warfare" too: nothing odd about it
    counts[bigram_key("en", "syrian", "warfare")] = 6
    assert not list(collocation.odd_pairs(words, "en", counts, min_docs=3, ratio=5))


# alignment


def test_immutables_keep_names_numbers_and_quotes():
    kept = immutables("Haftar said 8 jets “will fly soon” over the coast of Libya.")
    assert kept == ["haftar", "8", "will", "fly", "soon", "libya"]


def test_alignment_lists_the_substitutions_of_the_copy():
    original = (SPUN / "libya_jets.txt").read_text()
    spun = (SPUN / "libya_jets_spun.txt").read_text()
    found = {(s.phrase.lower(), s.original.lower()) for s in align(original, spun).substitutions}
    assert ("safety menace", "security threat") in found
    assert ("demise", "death") in found


@pytest.mark.parametrize(
    "original, copy, pairs",
    [
        (
            "libya_jets.txt",
            "libya_jets_spun.txt",
            [("safety menace", "security threat"), ("consumer", "client")],
        ),
        (
            "tripoli_sarraj.txt",
            "tripoli_sarraj_spun.txt",
            [("pasteur", "ministre"), ("sûreté", "sécurité"), ("grèves", "frappes")],
        ),
    ],
)
def test_a_spun_copy_is_found_as_paraphrase_of_its_original(original, copy, pairs):
    reports = spun_reports([SPUN / original, SPUN / copy])
    spun = reports[copy]
    assert spun["flagged"]
    assert spun["paraphrase_of"]["path"].endswith(original)
    for phrase, expected in pairs:
        assert any(
            expected in e["likely_original"].lower()
            for e in evidence_for(spun, phrase, layer="alignment")
        ), phrase
    assert reports[original]["paraphrase_of"] is None


def test_the_copy_is_the_same_whatever_the_input_order(tmp_path):
    for name in ("tripoli_sarraj.txt", "tripoli_sarraj_spun.txt"):
        shutil.copy(SPUN / name, tmp_path / name)
    forward = spun_reports([tmp_path / "tripoli_sarraj.txt", tmp_path / "tripoli_sarraj_spun.txt"])
    backward = spun_reports([tmp_path / "tripoli_sarraj_spun.txt", tmp_path / "tripoli_sarraj.txt"])
    assert forward == backward


def test_clean_news_and_human_edits_are_not_flagged():
    reports = spun_reports(
        [
            SPUN / "clean_consumer_credit.txt",
            SPUN / "clean_assurance_chomage.txt",
            FIXTURES / "dedup" / "haftar_moscow.txt",
            FIXTURES / "dedup" / "haftar_moscow_edited.txt",
            FIXTURES / "dedup" / "haftar_moscow_other_outlet.txt",
        ]
    )
    for name, spun in reports.items():
        assert not spun["flagged"], (name, spun["evidence"])
        assert spun["paraphrase_of"] is None, name


# the seeds, as a golden case


def test_the_spun_seed_is_flagged_with_the_right_originals_and_no_other_seed():
    reports = spun_reports([SEEDS])
    flagged = sorted(name for name, spun in reports.items() if spun["flagged"])
    assert flagged == [p.name for p in sorted(SEEDS.glob("002_*"))]
    spun = reports[flagged[0]]
    found = [
        (phrase, original)
        for phrase, original in SEED_PAIRS
        if any(original.lower() in e["likely_original"].lower() for e in evidence_for(spun, phrase))
    ]
    assert len(found) >= 8, set(SEED_PAIRS) - set(found)


# the command line


def test_spun_command_highlights_the_evidence_and_exits_1():
    result = run_cleaner("spun", str(SPUN / "libya_jets_spun.txt"), "--no-color")
    assert result.returncode == 1, result.stderr
    out = result.stdout.decode()
    assert "libya_jets_spun.txt: spun" in out
    assert "[safety menace]" in out and "'security threat'" in out


def test_spun_command_json_and_a_clean_file_exits_0():
    result = run_cleaner("spun", str(SPUN / "clean_assurance_chomage.txt"), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["lang"] == "fr" and record["flagged"] is False


def test_clean_drop_spun_leaves_the_copy_out(tmp_path):
    out = tmp_path / "out"
    files = [str(SPUN / "libya_jets_spun.txt"), str(SPUN / "clean_consumer_credit.txt")]
    kept = run_cleaner("clean", *files, "-o", str(tmp_path / "kept"))
    assert kept.returncode == 0 and (tmp_path / "kept" / "libya_jets_spun.txt").exists()
    assert b"spun: 1 document flagged, kept" in kept.stderr
    dropped = run_cleaner("clean", *files, "-o", str(out), "--drop-spun")
    assert dropped.returncode == 0, dropped.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["clean_consumer_credit.txt"]
    report = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    assert {r["id"]: r["spun"]["flagged"] for r in report} == {
        "libya_jets_spun.txt": True,
        "clean_consumer_credit.txt": False,
    }
    assert b"spun: 1 document flagged, left out of the output" in dropped.stderr
