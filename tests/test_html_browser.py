"""The HTML report of the seeds, opened in headless Chromium as a person would.

Drives Debian's chromium (/usr/bin/chromium) through playwright, never a
browser playwright downloads. Without chromium the test is skipped, unless
CLEANER_REQUIRE_BROWSER is set (.ci/run sets it): then it fails. The
screenshot goes to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS, run_cleaner

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"


def _unavailable() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="module")
def browser():
    problem = _unavailable()
    if problem:
        if os.environ.get("CLEANER_REQUIRE_BROWSER"):
            pytest.fail(f"CLEANER_REQUIRE_BROWSER is set and {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


def opened(browser, folder: Path, inputs: Path):
    """The page of `cleaner clean INPUTS --html`, open and ready, and its script's errors."""
    report = folder / "report.html"
    result = run_cleaner("clean", str(inputs), "-o", str(folder / "out"), "--html", str(report))
    assert result.returncode == 0, result.stderr
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(report.as_uri())
    tab.wait_for_selector("html[data-ready]")
    return tab, errors


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    tab, errors = opened(browser, tmp_path_factory.mktemp("seeds"), SEEDS)
    yield tab
    assert errors == []


def test_table_filters_and_sorts(page):
    rows = page.locator("#table tbody tr")
    assert rows.count() == 5
    page.select_option("#f-rule", "B101")
    assert rows.count() == 1 and rows.first.locator("a").inner_text().startswith("003_")
    page.select_option("#f-rule", "")
    page.select_option("#f-flag", "spun")
    assert rows.count() == 1 and rows.first.locator("a").inner_text().startswith("002_")
    page.select_option("#f-flag", "")
    page.click("#table th[data-key=cut] button")  # share removed, ascending
    page.click("#table th[data-key=cut] button")  # then descending
    assert page.locator("#table th[data-key=cut]").get_attribute("aria-sort") == "descending"
    assert rows.first.locator("a").inner_text().startswith("003_")


def test_seed_003_shows_autres_articles_removed_with_its_rule(page):
    link = page.locator("#table a", has_text="003_")
    link.focus()
    page.keyboard.press("Enter")  # the keyboard opens a document
    page.wait_for_selector("#detail:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "detail-title"
    removed = page.locator("#detail del[data-code=B101]")
    assert removed.count() == 12
    first = removed.first
    assert first.is_visible()
    assert first.inner_text().split(None, 2) == ["B101", "related-articles", "Autres articles"]
    assert "related-articles" in first.get_attribute("title")
    # struck through, in the rule's colour, after the kept article
    style = first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in style
    assert page.locator("#detail .legend").inner_text().count("B101 related-articles") == 1
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-seed-003.png"
    page.locator("#detail").screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000


def test_seed_002_spun_phrases_are_highlighted_with_their_original(page):
    page.locator("#table a", has_text="002_").click()
    page.wait_for_selector("#detail-title >> text=002_82abaa1a0cd5630b.txt")
    marks = page.locator("#detail mark.spun")
    assert marks.count() >= 20
    menace = marks.filter(has_text="safety menace").first
    assert menace.is_visible()
    assert "security threat" in menace.get_attribute("title")
    beside = menace.evaluate("m => m.nextElementSibling.textContent")
    assert beside == "← security threat"
    scores = re.findall(r"flagged, score ([\d.]+)", page.locator("#detail").inner_text())
    assert len(scores) == 1 and float(scores[0]) >= 2.0  # the threshold
    page.keyboard.press("Escape")
    assert page.locator("#detail").is_hidden()


def test_pairs_show_both_copies_with_the_shared_passages_marked(browser, tmp_path):
    tab, errors = opened(browser, tmp_path, FIXTURES / "dedup")
    rows = tab.locator("#pair-rows tr")
    assert rows.count() >= 2
    contained = rows.filter(has_text="contained").first
    contained.get_by_role("button", name="Compare").click()
    view = tab.locator("#pair-view")
    assert "contained" in view.locator("h3").inner_text()
    sides = view.locator(".side > div")
    assert sides.count() == 2
    for k in range(2):
        marks = sides.nth(k).locator("mark.shared")
        assert marks.count() >= 1
        assert len(marks.first.inner_text().split()) >= 8
    assert errors == []
