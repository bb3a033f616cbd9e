"""Cleaning a cleaned text changes nothing: clean(clean(x)) == clean(x).

Checked one document at a time (the pipeline in this process, as `cleaner
clean FILE` runs it) and as a corpus (the CLI on a folder, then on its
output). fixtures/idempotence holds pages written for this test: a recipe
whose method is printed twice, with its ingredients as short lines (the copy
used to hold the article span open over the list, which the second pass then
cut), a review whose standfirst is repeated in a verdict box, and an article
ending with a table of results.
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from cleaner.config import CleanerConfig
from cleaner.document import Document
from cleaner.pipeline import process_document
from cleaner.runner import make_context

from conftest import FIXTURES, ROOT, SEEDS, run_cleaner

# every text fixture of the project; binary.txt and empty.txt are refused, not cleaned
DOCUMENTS = sorted(
    path
    for folder in (
        FIXTURES / "idempotence",
        FIXTURES / "boilerplate",
        FIXTURES / "dedup",
        FIXTURES / "encoding",
        FIXTURES / "hook",
        FIXTURES / "spun",
        FIXTURES / "xling",
        SEEDS,
    )
    for path in folder.glob("*.txt")
    if path.name not in ("binary.txt", "empty.txt")
)
CTX = make_context(CleanerConfig())
EVAL = ROOT.parent / "shared" / "eval"


def clean_bytes(data: bytes, name: str) -> Document:
    return process_document(Document(id=name, source=name, name=name, raw=data), CTX)


def label(path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=label)
def test_cleaning_a_cleaned_document_changes_nothing(path):
    first = clean_bytes(path.read_bytes(), path.name)
    assert first.ok and not first.empty
    second = clean_bytes(first.text.encode("utf-8"), path.name)
    assert second.text == first.text


def test_the_recipe_keeps_its_ingredients_on_both_passes():
    first = clean_bytes((FIXTURES / "idempotence" / "recipe_roast_chicken.txt").read_bytes(), "r")
    for line in ("1 whole chicken, about 1.6 kg", "800 g small potatoes, halved", "Heat the oven"):
        assert first.text.count(line) == 1
    for furniture in ("Chicken and Leek Pie", "Privacy Policy", "METHOD"):
        assert furniture not in first.text
    assert clean_bytes(first.text.encode("utf-8"), "r").text == first.text


def test_a_table_of_figures_closing_the_article_stays():
    first = clean_bytes((FIXTURES / "idempotence" / "election_results.txt").read_bytes(), "e")
    assert "Mark Doyle (Labour): 4,527 votes, 47.9%" in first.text
    assert "Turnout: 61.2%" in first.text and "Related stories" not in first.text


def test_cleaning_a_cleaned_folder_changes_nothing(tmp_path):
    source, first, second = tmp_path / "in", tmp_path / "out1", tmp_path / "out2"
    source.mkdir()
    for path in DOCUMENTS:  # one folder: the corpus pass sees them all together
        shutil.copy(path, source / f"{path.parent.name}-{path.name}")
    # the translation search changes no text; left out, the runs stay quick
    options = ("--no-resume", "-q", "--jobs", "1", "--no-translations")
    for inputs, outputs in ((source, first), (first, second)):
        run = run_cleaner("clean", str(inputs), "-o", str(outputs), *options)
        assert run.returncode == 0, run.stderr.decode()
    cleaned = sorted(p.relative_to(first) for p in first.rglob("*.txt"))
    # duplicate copies are left out of the first output; most documents are written
    assert len(cleaned) >= len(DOCUMENTS) // 2
    changed = [
        str(name)
        for name in cleaned
        if not (second / name).exists()
        or (second / name).read_bytes() != (first / name).read_bytes()
    ]
    assert changed == []


def _eval_script():
    spec = importlib.util.spec_from_file_location("idempotence", ROOT / "scripts/idempotence.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not EVAL.is_dir(), reason="no ../shared/eval here")
def test_a_sample_of_the_eval_sets_cleans_the_same_twice():
    script = _eval_script()
    items = list(script.eval_documents(EVAL))
    # the pages that changed on a second pass before, and a few of each set
    once_changed = {"nestle-family-com-chicken", "pcgamer.com.darkest", "fifplay.com.settings"}
    sample = [item for item in items if item[1] in once_changed]
    sample += script.sampled(items, 8)
    tally = script.check_alone(sample, show=False)
    assert tally.changed == {s: [] for s in tally.docs}
