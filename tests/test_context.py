"""The context layer of the spun-text stage: a spinner's synonyms found
without their original and without the lexicon (cleaner/spun/context.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cleaner.config import CleanerConfig
from cleaner.spun import background, context
from cleaner.spun.words import sentence, tokenize
from cleaner.stages.spun import find_evidence

from conftest import run_cleaner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CONTEXT = FIXTURES / "context"
OPTIONS = CleanerConfig().spun


def read(name: str) -> str:
    return (CONTEXT / name).read_text(encoding="utf-8")


def odds_of(text: str, lang: str) -> dict[str, float]:
    text = context.text_of([sentence(text)], lang)
    part = context.examine(text)[0]
    return {
        text.norms[i]: float(o) for i, o in zip(part.positions, part.odds.log_odds, strict=True)
    }


def test_a_synonym_out_of_its_collocation_has_high_odds():
    spun = odds_of("The country is still recovering from years of civil warfare.", "en")
    clean = odds_of("The country is still recovering from years of civil war.", "en")
    assert spun["warfare"] > 1.0  # `war` is at least ten times likelier here
    assert clean["war"] < 0.0
    french = odds_of("Le déficit de la sûreté sociale se creuse encore cette année.", "fr")
    assert french["sûreté"] > 1.0  # `sécurité sociale`
    # the telling word two away: the trigram `conseil de sécurité`
    un = odds_of("Le Conseil de sûreté des Nations unies se réunit lundi.", "fr")
    assert un["sûreté"] > 1.0


def test_a_sentence_break_is_an_edge_of_context():
    """The model was made of sentences: the words across a full stop are no
    context, so a word's odds at the start or end of a sentence are the same
    whatever the sentence beside it says."""

    def odds_at(text: str, norm: str) -> float:
        words = context.text_of([sentence(s) for s in text.split(". ")], "en")
        part = context.examine(words)[0]
        at = [i for i in part.positions.tolist() if words.norms[i] == norm]
        return float(part.odds.log_odds[part.positions.tolist().index(at[0])])

    tail = "Conflicts ended after years of civil warfare"
    assert odds_at(f"The talks stalled. {tail}", "conflicts") == odds_at(
        f"Nobody expected a civil. {tail}", "conflicts"
    )
    assert odds_at(f"{tail}. Prices rose", "warfare") == odds_at(f"{tail}. Mass graves", "warfare")
    # within a sentence the neighbours count
    assert odds_at("Years of civil warfare", "warfare") != odds_at("Years of warfare", "warfare")


def test_odds_sum_over_candidates_not_only_the_best():
    model, syn = background.load("en"), background.synonyms("en")
    words = tokenize("the civil warfare ended")
    h = background.hashes([w.norm for w in words])
    odds = background.substitution_odds(model, syn, h, np.array([2]))
    own, best, index = background.best_synonyms(model, syn, h, np.array([2]))
    assert odds.own[0] == pytest.approx(own[0])
    # the sum over candidates, each divided by its own number of synonyms, is
    # below the best candidate's gain, and above it minus that number
    gain = best[0] - own[0]
    assert odds.log_odds[0] <= gain + np.log10(len(syn.text))
    assert odds.log_odds[0] > 0
    assert syn.text[odds.original[0]] == "war"


@pytest.mark.parametrize(
    ("clean", "spun", "lang", "replaced"),
    [
        (
            "flood_relief.txt",
            "flood_relief_spun.txt",
            "en",
            {"exigency": "emergency", "premier": "prime", "ascend": "rise", "trim": "cut"},
        ),
        (
            "greve_sncf.txt",
            "greve_sncf_spun.txt",
            "fr",
            {"gérance": "direction", "terminaison": "fin", "congés": "vacances"},
        ),
    ],
)
def test_spun_news_found_alone_clean_news_not(clean, spun, lang, replaced):
    """One document, no corpus counts, no original: only the background model."""
    evidence, figure = find_evidence(read(spun), lang, OPTIONS, {})
    assert figure["judged"] and figure["z"] > figure["flag_at"]
    found = {e["phrase"].lower(): e["likely_original"] for e in evidence if e["layer"] == "context"}
    for phrase, original in replaced.items():
        assert found.get(phrase) == original
    item = next(e for e in evidence if e["layer"] == "context")
    assert item["log10_odds"] >= OPTIONS.context_min_log_odds
    assert item["log10_p"]["original"] > item["log10_p"]["written"]

    # z is standardised on clean news: the original sits under one unit,
    # far under flag_at (-2.43 for the English one, 0.37 for the French)
    _, figure = find_evidence(read(clean), lang, OPTIONS, {})
    assert figure["judged"] and figure["z"] < 1.0 < figure["flag_at"]


def test_the_cli_flags_one_spun_file_and_explains_it(tmp_path):
    report = tmp_path / "report.jsonl"
    spun, clean = CONTEXT / "flood_relief_spun.txt", CONTEXT / "flood_relief.txt"
    result = run_cleaner(
        "clean", str(spun), str(clean), "-o", str(tmp_path / "out"), "--report", str(report)
    )
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r["spun"] for r in map(json.loads, report.read_text().splitlines())}
    spun, clean = records["flood_relief_spun.txt"], records["flood_relief.txt"]
    assert spun["flagged"] and spun["context"]["z"] > spun["context"]["flag_at"]
    assert any(e["layer"] == "context" for e in spun["evidence"])
    assert not clean["flagged"]
    assert all(e["layer"] != "context" for e in clean["evidence"])  # listed only to explain a flag


def test_each_language_of_a_mixed_text_is_judged_by_its_own_model():
    english = read("flood_relief.txt").split("\n\n")[0]
    french = read("greve_sncf_spun.txt")
    text = english + "\n\n" + french
    split = len(english) + 2
    segments = [
        {"start": 0, "end": len(english), "lang": "en"},
        {"start": split, "end": len(text), "lang": "fr"},
    ]
    evidence, figure = find_evidence(text, "fr", OPTIONS, {}, segments)
    found = {e["phrase"] for e in evidence if e["layer"] == "context"}
    assert {"gérance", "terminaison"} <= found
    # judged as English, the French words are mostly not in the English thesaurus
    _, as_english = find_evidence(
        french, "en", OPTIONS, {}, [{"start": 0, "end": len(french), "lang": "en"}]
    )
    assert as_english["words"] < figure["words"]


def test_a_short_text_is_not_scored_by_context():
    evidence, figure = find_evidence(
        "Local functionaries urged residents to obviate travel.", "en", OPTIONS, {}
    )
    assert not figure["judged"]
    assert figure["words"] < OPTIONS.context_min_words


def test_the_layer_can_be_turned_off():
    options = CleanerConfig().spun.__class__(context=False)
    evidence, figure = find_evidence(read("flood_relief_spun.txt"), "en", options, {})
    assert figure is None
    assert all(e["layer"] != "context" for e in evidence)
