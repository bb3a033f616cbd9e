"""The background language models and thesauri that the spun-text context
layer will read (cleaner/spun/background.py): a spinner's synonym fits its
neighbours worse than the word it replaced."""

from __future__ import annotations

import numpy as np
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


# ---------------------------------------------------------------- the trigram level


def _toy_model() -> background.Background:
    """Four words, two bigrams, one trigram: (a b c) stored, backoff of (a b) -0.3."""
    h = {w: background.word_hash(w) for w in "abcd"}
    unigram = {"a": (-1.0, -0.2), "b": (-1.1, -0.4), "c": (-1.2, -0.5), "d": (-1.3, -0.6)}
    bigram = {("a", "b"): (-0.5, -0.3), ("b", "c"): (-0.6, 0.0)}  # logp, backoff as a history

    def table(keys, *values):
        keys = np.array(keys, dtype=np.uint64)
        order = np.argsort(keys)
        return (background._table(keys[order]), *(np.array(v)[order] for v in values))

    unigrams, u_logp, u_backoff = table(
        [h[w] for w in unigram], [p for p, _ in unigram.values()], [b for _, b in unigram.values()]
    )
    pairs = [background.pair_keys(h[x], h[y]) for x, y in bigram]
    bigrams, b_logp, b_backoff = table(
        pairs, [p for p, _ in bigram.values()], [b for _, b in bigram.values()]
    )
    key = background.pair_keys(background.pair_keys(h["a"], h["b"]), h["c"])
    trigrams, t_logp = table([key], [-0.1])
    return background.Background(
        "toy", unigrams, u_logp, u_backoff, bigrams, b_logp, -5.0, {}, b_backoff, trigrams, t_logp
    )


def test_trigram_backoff_arithmetic_on_a_toy_model():
    m = _toy_model()

    def tri(u, v, w):
        return float(background.logp_trigram(m, u, v, w)[0])

    assert tri("a", "b", "c") == pytest.approx(-0.1)  # stored
    # (a b d) not stored: backoff(a b) + P(d | b) = -0.3 + (backoff(b) + P(d))
    assert tri("a", "b", "d") == pytest.approx(-0.3 + (-0.4 - 1.3))
    # (b c) stored but has no trigram of (b c d): backoff 0 + P(d | c), itself backed off
    assert tri("b", "c", "d") == pytest.approx(-0.5 - 1.3)
    # (c b) not a stored bigram: backoff 0, then the bigram (b c)
    assert tri("c", "b", "c") == pytest.approx(-0.6)
    # a document edge before: the plain bigram; an unknown word: unk
    assert tri(None, "b", "c") == pytest.approx(-0.6)
    assert tri("a", "b", "zzz") == pytest.approx(-0.3 - 0.4 - 5.0)
    # the window of b between a _ c d: P(b|a) + P(c|a b) + P(d|b c)
    window = background.fit(m, "a", "b", "c", left2=None, right2="d")
    assert float(window[0]) == pytest.approx(-0.5 - 0.1 + (-0.5 - 1.3))
    # without its trigram arrays the model is the bigram model
    flat = m._replace(bigram_backoff=None, trigrams=None, trigram_logp=None)
    assert float(background.logp_trigram(flat, "a", "b", "c")[0]) == pytest.approx(-0.6)
    assert float(background.fit(flat, "a", "b", "c", right2="d")[0]) == pytest.approx(-0.5 - 0.6)


def test_known_trigrams_of_both_models():
    en, fr = background.load("en"), background.load("fr")
    assert en.trigrams is not None and fr.trigrams is not None
    # pocketsphinx 5.1.1 NGramModel.prob(["council", "security", "the"]): -1.20463 log10
    assert float(background.logp_trigram(en, "the", "security", "council")[0]) == pytest.approx(
        -1.2046, abs=0.002
    )
    assert float(background.logp_trigram(en, "the", "civil", "war")[0]) == pytest.approx(
        -0.3321, abs=0.002
    )
    # French: stored (Kneser-Ney over the Common Voice counts), and far above the bigram
    h = background.hashes(["conseil", "de", "sécurité"])
    key = background.pair_keys(background.pair_keys(h[0], h[1]), h[2])
    assert background._find(fr.trigrams, np.array([key]))[1][0]
    tri = float(background.logp_trigram(fr, "conseil", "de", "sécurité")[0])
    assert tri == pytest.approx(-1.36, abs=0.02)
    assert tri > float(background.logp_bigram(fr, "de", "sécurité")[0]) + 1.0


def test_conseil_de_surete_fits_worse_than_conseil_de_securite():
    fr = background.load("fr")
    window = {
        word: float(background.fit(fr, "de", word, "des", left2="conseil", right2="nations")[0])
        for word in ("sécurité", "sûreté")
    }
    assert window["sécurité"] > window["sûreté"] + 2.0, window
    # and the context layer's odds tell the swap from the original
    syn = background.synonyms("fr")
    odds = {}
    for word in ("sécurité", "sûreté"):
        h = background.hashes(["le", "conseil", "de", word, "des", "nations", "unies"])
        odds[word] = float(background.substitution_odds(fr, syn, h, [3]).log_odds[0])
    assert odds["sûreté"] > 1.0 > odds["sécurité"], odds


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_candidate_window_scores_match_fit_with_two_words_each_side(lang):
    model, syn = background.load(lang), background.synonyms(lang)
    words = {
        "en": "the security council met on friday after the civil war",
        "fr": "le conseil de sécurité des nations unies a voté lundi",
    }[lang].split()
    h = background.hashes(words)
    positions = np.arange(len(words))
    own, _, _ = background.best_synonyms(model, syn, h, positions)
    padded = np.r_[np.zeros(2, np.uint64), h, np.zeros(2, np.uint64)]
    expected = background.fit(
        model, padded[1:-3], h, padded[3:-1], left2=padded[:-4], right2=padded[4:]
    )
    np.testing.assert_allclose(own, expected)
