"""The background language models and thesauri that the spun-text context
layer will read (cleaner/spun/background.py): a spinner's synonym fits its
neighbours worse than the word it replaced."""

from __future__ import annotations

import pytest

from cleaner.spun import background

PAIRS = {
    "en": [
        (("the", "security", "council"), "safety"),
        (("civil", "war", "in"), "warfare"),
        (("he", "said", "that"), "mentioned"),
        (("prime", "minister", "of"), "curate"),
    ],
    "fr": [
        (("conseil", "de", "sécurité"), "sûreté"),
        (("il", "a", "dit"), "mentionné"),
        (("le", "premier", "ministre"), "curé"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_original_word_fits_its_context_better_than_the_spun_one(lang):
    model = background.load(lang)
    for (left, word, right), spun in PAIRS[lang]:
        if lang == "fr" and word == "dit":  # "il a dit" / "il a mentionné": the slot is the last
            left, word, right, spun = "a", "dit", None, "mentionné"
        original, swapped = background.fit(model, [left, left], [word, spun], [right, right])
        assert original > swapped, (lang, word, spun, original, swapped)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_thesaurus_offers_the_original_for_the_spun_word(lang):
    table = background.thesaurus(lang)
    spun, original = {"en": ("warfare", "war"), "fr": ("sûreté", "sécurité")}[lang]
    assert original in table[spun]


def test_a_model_is_loaded_once_per_process():
    model = background.load("en")
    assert background.load("en") is model
