"""Segmentation: lines and sentences, in English and French."""

from __future__ import annotations

import pytest

from cleaner.segment import sentence_spans, sentences, split_lines


def test_lines_keep_offsets_and_blank_lines():
    text = "Titre\n\nPremier paragraphe.\nSecond."
    lines = split_lines(text)
    assert [text[ln.start : ln.end] for ln in lines] == [
        "Titre",
        "",
        "Premier paragraphe.",
        "Second.",
    ]
    assert [ln.number for ln in lines] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Gen. Khalifa Haftar met the U.S. envoy on Tuesday. Talks lasted 3.5 hours. Russia denies it.",
            [
                "Gen. Khalifa Haftar met the U.S. envoy on Tuesday.",
                "Talks lasted 3.5 hours.",
                "Russia denies it.",
            ],
        ),
        (
            "M. Macron a reçu Mme Merkel. « C’est une bonne nouvelle », a-t-il dit. Puis il est parti.",
            [
                "M. Macron a reçu Mme Merkel.",
                "« C’est une bonne nouvelle », a-t-il dit.",
                "Puis il est parti.",
            ],
        ),
        (
            "« Il est venu. » Puis il est reparti… Le lendemain, rien.",
            ["« Il est venu. »", "Puis il est reparti…", "Le lendemain, rien."],
        ),
        (
            "He said: “It is over.” Then he left. No. 10 Downing Street declined. J. R. R. Tolkien wrote it.",
            [
                "He said: “It is over.”",
                "Then he left.",
                "No. 10 Downing Street declined.",
                "J. R. R. Tolkien wrote it.",
            ],
        ),
        (
            "Les pays voisins, p. ex. la Tunisie, s’inquiètent. Il y a 2 209 Français. Sont-ils saufs ?",
            [
                "Les pays voisins, p. ex. la Tunisie, s’inquiètent.",
                "Il y a 2 209 Français.",
                "Sont-ils saufs ?",
            ],
        ),
        ("Quoi ? dit-il. Vraiment ?", ["Quoi ? dit-il.", "Vraiment ?"]),
        ("1. Take any blankets off the bed", ["1. Take any blankets off the bed"]),
        (
            "Mr. Hifter. MOBILE VIEW. mercredi 17 juin 2020",
            ["Mr. Hifter.", "MOBILE VIEW.", "mercredi 17 juin 2020"],
        ),
    ],
)
def test_sentences_in_english_and_french(text, expected):
    assert sentences(text) == expected


def test_spans_are_trimmed_and_inside_the_range():
    text = "xx  Premier.  Second.  yy"
    spans = sentence_spans(text, 2, len(text) - 2)
    assert [text[a:b] for a, b in spans] == ["Premier.", "Second."]


def test_a_line_without_any_punctuation_is_one_sentence():
    line = "After Syria, Turkey Seeks to Partner With Russia in Libya Ankara is wary of slipping into war"
    assert sentences(line) == [line]
