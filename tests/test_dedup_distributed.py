"""The distributed clustering gives find_duplicates' clusters, for any number of partitions."""

from __future__ import annotations

import random

import pytest

from cleaner.config import DedupConfig
from cleaner.dedup.cluster import find_duplicates
from cleaner.dedup.distributed import LocalExchange, find_duplicates_distributed
from cleaner.dedup.fingerprint import FingerprintTable, fingerprint
from cleaner.dedup.shingles import shingles
from cleaner.dedup.verify import CONTAINED, EXACT, NEAR

from conftest import FIXTURES

OPTIONS = DedupConfig()
CORPUS = FIXTURES / "dedup"


def _edited(text: str, rate: float, rng: random.Random) -> str:
    return " ".join(w if rng.random() > rate else f"x{rng.randrange(10**6)}" for w in text.split())


def corpus(seed: int) -> list[tuple[str, str]]:
    """(path, text): the fixture articles with exact, near, chained and
    contained copies, short exact copies, empty documents, and a passage
    shared by more documents than a bucket pairs (a site's footer)."""
    rng = random.Random(seed)
    articles = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    footer = "Cet article est paru dans notre édition du matin, avec les dépêches des agences."
    docs: list[str] = []
    for text in articles:
        docs.append(text)
        docs += [text] * rng.randrange(0, 3)  # exact copies
        docs += [_edited(text, rng.uniform(0.0, 0.1), rng) for _ in range(rng.randrange(0, 4))]
        chain = text
        for _ in range(rng.randrange(0, 3)):  # each a little further from the first
            chain = _edited(chain, 0.04, rng)
            docs.append(chain)
        paragraphs = [p for p in text.split("\n\n") if len(p.split()) > 30]
        if paragraphs:  # a short piece copied into a longer one
            docs.append(rng.choice(paragraphs))
    docs += ["Brèves du jour.", "Brèves du jour.", "", "   "]
    brief = articles[0].split("\n\n")[0]
    docs += [_edited(brief, 0.02, rng) for _ in range(110)]  # a dispatch on 110 sites
    for k in range(130):  # the footer in 130 unrelated short notes
        words = " ".join(f"mot{rng.randrange(10**5)}" for _ in range(40))
        docs.append(f"Note {k}: {words}. {footer}")
    rng.shuffle(docs)
    return [(f"corpus/{k % 7}/{k:04d}.txt", text) for k, text in enumerate(docs)]


def table_of(docs: list[tuple[str, str]]) -> FingerprintTable:
    table = FingerprintTable(OPTIONS.num_perm)
    for path, text in docs:
        table.add((path, 0), len(text), fingerprint(text, OPTIONS))
    return table


@pytest.mark.parametrize("seed", [1, 2])
def test_distributed_clusters_are_the_local_clusters(seed):
    docs = corpus(seed)
    table = table_of(docs)
    expected = find_duplicates(table, OPTIONS, lambda row: shingles(docs[row][1], 3)).duplicates
    kinds = {d.kind for d in expected.values()}
    assert {EXACT, NEAR, CONTAINED} <= kinds  # the corpus has every kind of copy
    assert len(expected) > 30
    for parts in (1, 3, 8, 40):
        found = find_duplicates_distributed(
            table, OPTIONS, lambda row: docs[row][1], LocalExchange(), parts
        )
        assert found.duplicates == expected, parts


def test_no_documents_and_no_duplicates():
    empty = FingerprintTable(OPTIONS.num_perm)
    assert find_duplicates_distributed(empty, OPTIONS, str, LocalExchange(), 4).duplicates == {}
    docs = [(f"d{k}.txt", p.read_text(encoding="utf-8")) for k, p in enumerate(CORPUS.glob("t*"))]
    table = table_of(docs)
    found = find_duplicates_distributed(table, OPTIONS, lambda r: docs[r][1], LocalExchange(), 2)
    assert found.duplicates == {}
