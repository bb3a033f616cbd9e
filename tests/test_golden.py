"""The seeds, cleaned, byte for byte as in fixtures/golden (written by hand after reading each seed)."""

from __future__ import annotations

import io
import json

import pytest

from cleaner.config import CleanerConfig
from cleaner.runner import clean

from conftest import FIXTURES, SEEDS

GOLDEN = FIXTURES / "golden"


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    clean([str(SEEDS)], CleanerConfig(), str(out), str(out / "report.jsonl"), errors=io.StringIO())
    report = {
        r["id"]: r for r in map(json.loads, (out / "report.jsonl").read_text("utf-8").splitlines())
    }
    return out, report


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_matches_its_golden_file(cleaned, name):
    out, _ = cleaned
    assert (out / name).read_bytes() == (GOLDEN / name).read_bytes()


def test_seed_003_holds_each_paragraph_once_and_no_related_block(cleaned):
    out, report = cleaned
    text = (out / "003_c1da449e03d0e730.txt").read_text("utf-8")
    assert text.count("Le général Haftar devient incontournable") == 1
    assert "Autres articles" not in text and "Afrique du Sud" not in text
    reasons = [c["reason"] for c in report["003_c1da449e03d0e730.txt"]["changes"]]
    assert reasons.count("duplicated-paragraph") == 3 and "related-articles" in reasons


def test_seed_001_loses_only_its_furniture(cleaned):
    out, report = cleaned
    text = (out / "001_56585bb4d0f66ecc.txt").read_text("utf-8")
    for gone in ("MOBILE VIEW", "By .", "Amy Mackinnon", "Sky Belgique"):
        assert gone not in text
    removed = {c["text"] for c in report["001_56585bb4d0f66ecc.txt"]["changes"]}
    assert removed == {
        "MOBILE VIEW.",
        "By .",
        "By Amy Mackinnon | June 19, 2020, 3:53 PM.",
        "mercredi 17 juin 2020 Libye: bras de fer entre la Russie et la Turquie | Sky Belgique #Sky_Belgique.",
    }


def test_seed_dates_and_title_in_metadata(cleaned):
    _, report = cleaned
    assert report["002_82abaa1a0cd5630b.txt"]["metadata"]["date"] == "2020-05-26"
    assert report["004_cb5d25eecc4c5a95.txt"]["metadata"]["date"] == "2023-08"
    assert report["000_0c01c48eefc90353.txt"]["metadata"]["title"].startswith("Russia and Iran")
    assert "Comments" not in (cleaned[0] / "000_0c01c48eefc90353.txt").read_text("utf-8")
