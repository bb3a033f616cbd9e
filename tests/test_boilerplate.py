"""Boilerplate: each rule in English and French, in context and out of it."""

from __future__ import annotations

import io

import pytest

from cleaner.codes import CODES
from cleaner.config import BoilerplateConfig, CleanerConfig, RuleConfig
from cleaner.document import Document
from cleaner.pipeline import Context
from cleaner.rules import builtin_rules, default_rules
from cleaner.runner import clean, make_context
from cleaner.stages.boilerplate import remove_boilerplate

from conftest import FIXTURES

PAGES = FIXTURES / "boilerplate"


def run(text: str, config: CleanerConfig | None = None) -> Document:
    config = config or CleanerConfig()
    doc = Document(id="t", source="t", name="t", text=text, chars_in=len(text))
    return remove_boilerplate(doc, make_context(config))


def reasons(doc: Document) -> dict[str, str]:
    return {c.text: c.reason for c in doc.changes}


@pytest.mark.parametrize(
    "unit, rule",
    [
        ("MOBILE VIEW.", "mobile-switch"),
        ("Version mobile", "mobile-switch"),
        ("Share on Facebook", "share"),
        ("Partager sur Twitter", "share"),
        ("Facebook Twitter LinkedIn Email", "share"),
        ("Follow us on Instagram", "follow"),
        ("Suivez-nous sur Facebook", "follow"),
        ("Abonnez-vous", "subscribe"),
        ("Sign up for our newsletter. We won't share your email address.", "subscribe"),
        ("Recevez notre newsletter", "subscribe"),
        ("Nous utilisons des cookies pour améliorer votre expérience.", "cookies"),
        ("We use cookies to give you the best experience on our site.", "cookies"),
        ("Advertisement", "advertisement"),
        ("Publicité", "advertisement"),
        ("© 2020 Le Monde. Tous droits réservés.", "copyright"),
        ("Copyright 2021 Reuters. All rights reserved.", "copyright"),
        ("By .", "byline"),
        ("Par .", "byline"),
        ("By Amy Mackinnon | June 19, 2020, 3:53 PM.", "byline"),
        ("Par Julien Moreau | 14 octobre 2021 à 18h02", "byline"),
        (
            "mercredi 17 juin 2020 Libye: bras de fer entre la Russie et la Turquie | Sky Belgique #Sky_Belgique.",
            "dateline",
        ),
        ("Le Monde | 04.05.2015 à 13h36 • Mis à jour le", "dateline"),
        ("30 avril 2015 à 07:19 (Mis à jour : 30 avril 2015 à 07:38)", "dateline"),
        ("Oct 9, 2019", "dateline"),
        ("Lire aussi : Les critiques de la CNIL contre le projet de loi", "read-also"),
        ("Read more: Why the bridge was closed", "read-also"),
        ("Votre adresse e-mail ne sera pas publiée", "comment-form"),
        ("Your email address will not be published.", "comment-form"),
        ("#PJLRenseignement #SaisineParlementaire", "hashtags"),
        ("(photo AFP)", "credits"),
        ("Crédits photos : Bestimage", "credits"),
        ("Mots-clés : Libye, Russie, Turquie", "tags"),
        ("Se connecter", "login"),
        ("12 comments", None),  # a header, not a unit rule: see test_headers
    ],
)
def test_rule_matches(unit, rule):
    found = default_rules().match_unit(unit)
    assert (found.name if found else None) == rule


@pytest.mark.parametrize(
    "header, rule",
    [
        ("Autres articles", "related-articles"),
        ("À lire aussi", "related-articles"),
        ("Sur le même sujet", "related-articles"),
        ("Related articles", "related-articles"),
        ("More from Reuters", "related-articles"),
        ("Comments", "comments"),
        ("Commentaires", "comments"),
        ("12 comments", "comments"),
        ("Réagir", "comments"),
    ],
)
def test_headers(header, rule):
    assert default_rules().match_header(header).name == rule


@pytest.mark.parametrize(
    "sentence",
    [
        "The council drew more than 3,000 written comments from residents.",
        "He promised to share the figures with the council next year.",
        "Il a promis de partager rapidement les premiers bilans avec les élus locaux.",
        "Les commentaires des habitants seront recueillis lors de réunions publiques.",
        "Google said it would phase out third-party cookies in Chrome by 2024.",
        "La boulangerie vend des cookies au chocolat depuis 1998.",
        "Netflix added 5 million subscribers in the quarter, the company said.",
        "Plusieurs abonnés au réseau d’eau potable sont toujours privés d’eau.",
        "Follow the money, the prosecutor told the jury.",
        "By Tuesday, the army had withdrawn from the city.",
        "Par exemple, la Tunisie a fermé sa frontière.",
        "Signing up for the army was his dream, he said.",
        "Khashoggi was a columnist for the Washington Post before he was killed.",
        "Source of the problem remains unknown, the ministry said.",
    ],
)
def test_prose_that_mentions_boilerplate_words_is_kept(sentence):
    assert default_rules().match_unit(sentence) is None
    doc = run(
        f"A headline about the news\n\n{sentence}\n\nAnother paragraph follows with more text, as reports do.\n"
    )
    assert sentence in doc.text


def test_english_page_loses_its_furniture_and_keeps_the_article():
    page = (PAGES / "en_page.txt").read_text("utf-8")
    doc = run(page)
    kept = doc.text
    for gone in (
        "Skip to main content",
        "Share on Facebook",
        "By Sarah Collins",
        "Advertisement",
        "Related stories",
        "Bus fares to rise",
        "12 comments",
        "About time!",
        "We use cookies",
        "All rights reserved",
        "Privacy Policy",
    ):
        assert gone not in kept, gone
    for paragraph in page.splitlines()[14:17] + page.splitlines()[18:19]:
        assert paragraph in kept
    why = reasons(doc)
    assert why["Related stories"] == "related-articles"
    assert why["New bridge opens to pedestrians"] == "related-articles"
    assert why["12 comments"] == "comments"
    assert (
        why[
            "We use cookies to improve your experience. By continuing to browse, you agree to our cookie policy."
        ]
        == "cookies"
    )
    assert why["By Sarah Collins | March 3, 2021, 6:42 PM"] == "byline"
    assert why["Politics"] == "navigation"
    assert doc.metadata["title"].startswith("City council approves")


def test_french_page_loses_its_furniture_and_keeps_the_article():
    page = (PAGES / "fr_page.txt").read_text("utf-8")
    doc = run(page)
    for gone in (
        "Aller au contenu",
        "Partager sur Facebook",
        "Par Julien Moreau",
        "Publicité",
        "Lire aussi",
        "Autres articles",
        "Le prix de l’électricité",
        "Réagir",
        "Nous utilisons des cookies",
        "Tous droits réservés",
        "Mentions légales",
    ):
        assert gone not in doc.text, gone
    assert "\n-\n" not in doc.text
    for paragraph in page.splitlines()[14:17] + page.splitlines()[18:19]:
        assert paragraph in doc.text
    why = reasons(doc)
    assert why["-"] == "related-articles"
    assert why["Grève dans les transports : le trafic perturbé jeudi"] == "related-articles"
    assert (
        why["Lire aussi : Sécheresse et inondations, la double peine des agriculteurs"]
        == "read-also"
    )


def test_removal_inside_a_long_line_keeps_the_other_sentences():
    line = (
        "Russia denies the allegation. MOBILE VIEW. Turkey accuses Russia of having mercenaries in Libya. "
        "By Amy Mackinnon | June 19, 2020, 3:53 PM. The failed siege of Tripoli is an opening for peace."
    )
    doc = run(line)
    assert doc.text == (
        "Russia denies the allegation. Turkey accuses Russia of having mercenaries in Libya. "
        "The failed siege of Tripoli is an opening for peace."
    )
    assert [c.line for c in doc.changes] == [1, 1]


def test_leading_date_field_goes_to_metadata():
    doc = run(
        " date 2020-05-26 The US has accused Russia of sending warplanes to Libya.\n\nMore text here.\n"
    )
    assert doc.metadata["date"] == "2020-05-26"
    assert doc.text.startswith("The US has accused Russia")
    month = run("date 2023-08 Une délégation russe est arrivée à Benghazi.\n")
    assert month.metadata["date"] == "2023-08"


def test_headline_goes_to_metadata_and_stays():
    doc = run(
        "Floods: emergency aid for the region\n\nThe government announced emergency aid on Thursday.\n"
    )
    assert doc.metadata["title"] == "Floods: emergency aid for the region"
    assert doc.text.startswith("Floods: emergency aid")
    assert (
        "title" not in run("The government announced aid. It was welcome.\n\nMore text.\n").metadata
    )


def test_when_in_doubt_keep_a_short_last_line():
    text = (
        "The minister announced a new budget on Tuesday, with more money for schools and hospitals.\n\n"
        "Opposition leaders called the plan unrealistic and promised to vote against it next week.\n\n"
        "Vote expected in May\n"
    )
    assert run(text).text == text


def test_paragraph_structure_is_kept():
    text = "First paragraph of the story, with a full sentence.\n\nSecond paragraph, on its own line.\nThird line.\n"
    assert run(text).text == text


def test_rules_can_be_disabled_and_added_in_the_configuration():
    text = "Share on Facebook\nThe council voted on Tuesday to build new cycle lanes across the city.\nPowered by Acme CMS 3\n"
    disabled = CleanerConfig(boilerplate=BoilerplateConfig(disable=("share", "B110")))
    assert "Share on Facebook" in run(text, disabled).text
    added = CleanerConfig(
        boilerplate=BoilerplateConfig(
            rules=(RuleConfig(name="acme-footer", pattern=r"powered by acme cms \d+"),)
        )
    )
    doc = run(
        "Acme news desk\nThe council voted on Tuesday to build lanes.\nPowered by Acme CMS 3\n",
        added,
    )
    assert reasons(doc)["Powered by Acme CMS 3"] == "acme-footer"


def test_lines_repeated_across_the_corpus_are_site_furniture(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    stories = [
        "The mayor opened a new library on Monday, the third this year.",
        "Rail workers will strike on Friday over pay, the union said.",
        "A storm closed the harbour for two days, stranding fishing boats.",
        "The museum will extend its opening hours during the summer.",
    ]
    for i, story in enumerate(stories):
        (src / f"{i}.txt").write_text(
            f"Story number {i}\n\n{story}\n\nThe Riverside Gazette, your local paper since 1904\n"
        )
    config = CleanerConfig(boilerplate=BoilerplateConfig(repeated_min_docs=3))
    clean(
        [str(src)],
        config,
        str(tmp_path / "out"),
        str(tmp_path / "out" / "report.jsonl"),
        errors=io.StringIO(),
    )
    out = (tmp_path / "out" / "0.txt").read_text("utf-8")
    assert "Riverside Gazette" not in out and stories[0] in out
    report = (tmp_path / "out" / "report.jsonl").read_text("utf-8")
    assert '"reason": "corpus-repeated"' in report


def test_rule_data_and_code_registry_agree():
    for rule in builtin_rules():
        assert rule.code in CODES, rule
        assert CODES[rule.code].name == rule.name, rule
        assert CODES[rule.code].stage == "boilerplate"


def test_bad_user_rule_is_a_usage_error():
    from cleaner.runner import UsageError

    bad = CleanerConfig(
        boilerplate=BoilerplateConfig(rules=(RuleConfig(name="x", pattern="(unclosed"),))
    )
    with pytest.raises(UsageError, match="rule 'x'"):
        make_context(bad)


def test_context_default_has_the_builtin_rules():
    assert Context(CleanerConfig()).rules.rules == default_rules().rules
