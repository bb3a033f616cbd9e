"""Paraphrase search: which side of an aligned pair is the spun copy, and what
the alignment lists for a heavier spinner (cleaner/spun/paraphrase.py).

The fixtures: port_strike_spun.txt rewrites port_strike.txt with commoner
words (`said` for `told`, `ships` for `vessels`); greve_raffinerie_spun.txt is
greve_raffinerie.txt through the commoner-synonym spinner of
scripts/eval_direction.py (seed 1, rate 0.6), which picks the most frequent
synonym without reading the context (`la plage attaquée` for `la grève
entamée`). On both the copy's substituted words are the commoner ones, so the
rarity rule named the original as the copy.
"""

from __future__ import annotations

import pytest

from cleaner.config import SpunConfig
from cleaner.spun import background
from cleaner.spun.paraphrase import align, b_is_copy, find_paraphrases, misfit, rarity, signature_of

from conftest import FIXTURES

SPUN = FIXTURES / "spun"
COMMONER = [
    ("port_strike.txt", "port_strike_spun.txt", "en", [("said", "told"), ("ships", "vessels")]),
    (
        "greve_raffinerie.txt",
        "greve_raffinerie_spun.txt",
        "fr",
        [("voiture", "véhicule"), ("aime", "estime")],
    ),
]


@pytest.mark.parametrize("original, copy, lang, pairs", COMMONER)
def test_a_copy_with_commoner_synonyms_is_named_by_how_its_words_fit(original, copy, lang, pairs):
    a, b = (SPUN / original).read_text(), (SPUN / copy).read_text()
    forward, backward = align(a, b), align(b, a)
    # the old rule: the copy's words are the commoner ones, so it named the original
    assert rarity(forward.substitutions, lang) > rarity(forward.reverse, lang)
    assert misfit(forward.contexts, lang) > 0
    assert b_is_copy(forward, lang)
    assert not b_is_copy(backward, lang)
    found = {(s.phrase.lower(), s.original.lower()) for s in forward.substitutions}
    assert set(pairs) <= found


@pytest.mark.parametrize("original, copy, lang, pairs", COMMONER)
@pytest.mark.parametrize("copy_first", [False, True])
def test_find_paraphrases_names_the_copy_whatever_the_order(
    original, copy, lang, pairs, copy_first
):
    names = [copy, original] if copy_first else [original, copy]
    texts = [(SPUN / n).read_text() for n in names]
    options = SpunConfig()
    signatures = {row: signature_of(text, options) for row, text in enumerate(texts)}
    found = find_paraphrases(
        signatures, texts.__getitem__, lambda row: lang, names.__getitem__, options
    )
    copy_row, original_row = names.index(copy), names.index(original)
    assert list(found) == [copy_row]
    assert found[copy_row].original == original_row
    listed = {(s.phrase.lower(), s.original.lower()) for s in found[copy_row].substitutions}
    assert set(pairs) <= listed


def test_without_a_background_model_the_rarer_side_is_the_copy(monkeypatch):
    a = (SPUN / "port_strike.txt").read_text()
    b = (SPUN / "port_strike_spun.txt").read_text()
    alignment = align(a, b)
    monkeypatch.setattr(background, "LANGS", ())
    assert not b_is_copy(alignment, "en")  # the rarity rule, wrong on this copy


def test_a_spun_copy_with_rarer_synonyms_is_still_named():
    a = (SPUN / "libya_jets.txt").read_text()
    b = (SPUN / "libya_jets_spun.txt").read_text()
    assert b_is_copy(align(a, b), "en")
    assert not b_is_copy(align(b, a), "en")


ORIGINAL = (
    "The minister said the plan was fair and reasonable, and that it could be adopted "
    "in order to calm the markets before the vote on Thursday."
)
REWRITTEN = (
    "The minister said the plan was reasonable and fair, and that it may additionally be "
    "adopted so as to calm the markets before the vote on Thursday."
)


def test_alignment_lists_expressions_and_a_local_change_of_order():
    alignment = align(ORIGINAL, REWRITTEN)
    found = {(s.phrase, s.original) for s in alignment.substitutions}
    assert ("reasonable and fair", "fair and reasonable") in found
    assert ("may additionally", "could") in found
    assert ("so as", "in order") in found
    assert alignment.share == 1.0
    assert len(alignment.contexts) == len(alignment.substitutions) == 3


def test_a_word_put_in_is_listed_with_its_neighbours_but_not_counted():
    alignment = align(
        "Engineers will work on the bridge until Friday.",
        "Engineers will do work on the bridge until Friday.",
    )
    assert [(s.phrase, s.original) for s in alignment.substitutions] == [
        ("will do work", "will work")
    ]
    assert alignment.share == 0.0 and alignment.density == 0.0
    assert alignment.contexts == []


def test_misfit_is_the_difference_of_the_context_gains_of_the_bigrams():
    a = (SPUN / "greve_raffinerie.txt").read_text()
    b = (SPUN / "greve_raffinerie_spun.txt").read_text()
    contexts = align(a, b).contexts
    model = background.load("fr")

    def gain(left, phrase, right):
        """What the neighbours add to the phrase: log10 P(first | left) -
        log10 P(first) + log10 P(right | last)."""
        bigram, unigram = background.logp_bigram, background.logp_unigram
        total = 0.0
        if left is not None:
            total += float(bigram(model, left, phrase[0])[0] - unigram(model, phrase[0])[0])
        if right is not None:
            total += float(bigram(model, phrase[-1], right)[0])
        return total

    expected = sum(gain(c.left, c.a, c.right) - gain(c.left, c.b, c.right) for c in contexts)
    assert misfit(contexts, "fr") == pytest.approx(expected, abs=1e-6)


LIGHT_SPIN = [
    ("The emergency services", "The exigency services"),
    ("Rescue teams", "Deliverance teams"),
    ("dropped food", "dropped nutrient"),
    ("immediate financial help", "contiguous fiscal assistance"),
    ("Local officials urged", "Local functionaries urged"),
    ("avoid travelling", "obviate travelling"),
    ("The damage to roads", "The harm to roads"),
]


@pytest.mark.parametrize("order", ["original first", "copy first"])
def test_a_near_duplicate_spun_copy_leaves_its_original_kept(tmp_path, order):
    """A light spin is also a near duplicate, and its longer synonyms make it
    the longest copy of the cluster: the original is kept all the same."""
    import json

    from conftest import run_cleaner

    original = (FIXTURES / "context" / "flood_relief.txt").read_text(encoding="utf-8")
    copy = original
    for before, after in LIGHT_SPIN:
        assert before in copy
        copy = copy.replace(before, after, 1)
    assert len(copy) > len(original)
    names = ("a.txt", "b.txt") if order == "original first" else ("b.txt", "a.txt")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / names[0]).write_text(original, encoding="utf-8")
    (tmp_path / "in" / names[1]).write_text(copy, encoding="utf-8")
    report = tmp_path / "report.jsonl"
    result = run_cleaner(
        "clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--report", str(report)
    )
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in map(json.loads, report.read_text().splitlines())}
    kept, spun = records[names[0]], records[names[1]]
    assert kept["duplicate"]["kept"] and not spun["duplicate"]["kept"]
    assert spun["duplicate"]["cluster"] == kept["duplicate"]["cluster"]
    assert spun["spun"]["paraphrase_of"]["id"] == names[0]
    assert [p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".txt"] == [names[0]]
