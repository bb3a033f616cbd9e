"""Duplicated paragraphs inside one document."""

from __future__ import annotations

from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.pipeline import Context
from cleaner.stages.duplicates import remove_duplicate_paragraphs

CTX = Context(CleanerConfig())
P1 = "Le général Haftar devient incontournable en Libye, où il engrange les victoires militaires."
P2 = "Il bénéficierait déjà de l’aide d’instructeurs russes présents en Libye, selon la presse locale."


def run(text: str) -> Document:
    return remove_duplicate_paragraphs(Document(id="t", source="t", name="t", text=text), CTX)


def test_exact_repeat_goes_and_the_first_copy_stays():
    doc = run(f"{P1}\n{P2}\n{P1}\n")
    assert doc.text == f"{P1}\n{P2}\n"
    (change,) = doc.changes
    assert (change.code, change.reason, change.line, change.detail) == (
        "C201",
        "duplicated-paragraph",
        3,
        "first at line 1",
    )


def test_repeat_differing_in_case_spaces_and_punctuation_is_exact():
    doc = run(f"{P1}\n\n{P1.upper().replace(',', ' ,')}\n")
    assert doc.text == f"{P1}\n"


def test_near_repeat_with_a_few_words_changed():
    long = (
        "The Progress cargo ship had lifted off as scheduled from the Baikonur cosmodrome in Kazakhstan "
        "before it stopped transmitting data six minutes later, the space agency said."
    )
    edited = long.replace("as scheduled", "on time").replace("the space agency", "Roscosmos")
    doc = run(
        f"{long}\n\nA second paragraph on something else entirely, long enough to count.\n\n{edited}\n"
    )
    assert edited not in doc.text and long in doc.text
    assert doc.changes[0].reason == "near-duplicated-paragraph"


def test_short_repeats_are_kept_a_refrain_or_a_slogan():
    text = "Vive la France !\nLe cortège a traversé la ville dans le calme, selon la préfecture.\nVive la France !\n"
    assert run(text).text == text
    chant = "« On ne lâche rien »\nLes manifestants ont scandé ce slogan tout l’après-midi.\n« On ne lâche rien »\n"
    assert run(chant).text == chant


def test_short_lines_that_differ_by_one_word_are_not_near_repeats():
    text = (
        "GET /storage/michiel/drinks/test HTTP/1.1\nDELETE /storage/michiel/drinks/test HTTP/1.1\n"
    )
    assert run(text).text == text


def test_sentence_repeated_inside_a_long_line():
    sentence = "Russia transferred at least two types of military equipment into Libya in May, the US said."
    doc = run(f"{sentence} The Kremlin denied it. {sentence} Analysts were not surprised.\n")
    assert doc.text == f"{sentence} The Kremlin denied it. Analysts were not surprised.\n"
    assert doc.changes[0].reason == "duplicated-sentence"


def test_wrapped_paragraphs_are_compared_whole():
    wrapped = "Eventually, colour confinement would be lost and an\nextremely hot plasma of freely moving quarks would\nform, the physicists said.\n"
    other = "A different paragraph about the weather, which was\nunusually warm for the season, forecasters said.\n"
    doc = run(wrapped + "\n" + other + "\n" + wrapped)
    assert doc.text == wrapped + "\n" + other
