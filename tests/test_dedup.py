"""Near-duplicate documents: shingles, signatures, buckets, verification, clusters.

The building blocks are checked against datasketch (same signatures, same
candidate pairs); the clusters on fixtures/dedup, a small corpus with an
exact copy, a re-posted copy, a mojibake copy, a lightly edited copy, a wire
story inside two different articles, and a different article on the same
event sharing its names and places.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import DedupConfig
from cleaner.dedup.candidates import lsh_pairs, passage_pairs
from cleaner.dedup.cluster import UnionFind, find_duplicates
from cleaner.dedup.fingerprint import FingerprintTable, fingerprint
from cleaner.dedup.minhash import permutations, signature, to_datasketch
from cleaner.dedup.shingles import (
    ngram_strings,
    passage_hashes,
    shingle_hash,
    shingles,
    tokenize,
    words,
)
from cleaner.dedup.verify import CONTAINED, NEAR, overlap, verify

from conftest import FIXTURES, run_cleaner

CORPUS = FIXTURES / "dedup"
OPTIONS = DedupConfig()


def read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def ngrams(text: str, n: int) -> set[bytes]:
    return set(ngram_strings(text, n))


# -- shingles ---------------------------------------------------------------


def test_shingles_of_english_are_normalised_word_ngrams():
    a = shingles("The U.N. envoy said: “talks will resume”.", 3)
    b = shingles("the u n envoy said talks will resume", 3)
    assert np.array_equal(a, b)
    assert len(a) == 6  # 8 words, 6 trigrams
    assert len(shingles("Haftar in Moscow", 5)) == 1  # shorter than n: one shingle


def test_shingles_of_french_keep_accents_and_elisions_split():
    assert words("L’armée a été déployée à Tripoli") == [
        "l",
        "armée",
        "a",
        "été",
        "déployée",
        "à",
        "tripoli",
    ]
    accented = shingles("les forces ont été déployées", 3)
    plain = shingles("les forces ont ete deployees", 3)
    assert len(np.intersect1d(accented, plain)) == 1  # only "les forces ont" is shared


@pytest.mark.parametrize("name", ["haftar_moscow.txt", "tripoli_analyse.txt"])
def test_shingle_hashes_are_the_hashes_of_the_ngram_strings(name):
    text = read(name)
    expected = sorted({shingle_hash(g) for g in ngrams(text, 3)})
    assert shingles(text, 3).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aàeéiîoôuçœAÉÇ _-'’.,;:!?«» \n1234ßİΣσ😀𝔘𐐀", max_size=80))
def test_numpy_shingles_equal_the_string_definition(text):
    for n in (1, 3):
        expected = sorted({shingle_hash(g) for g in ngram_strings(text, n)})
        assert shingles(text, n).tolist() == expected
    assert len(tokenize(text).words) == len(words(text))


# -- signatures -------------------------------------------------------------


@pytest.mark.parametrize("name", ["haftar_moscow.txt", "depeche_tripoli.txt"])
def test_signature_is_datasketch_minhash_for_the_same_hash_function(name):
    text = read(name)
    reference = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash)
    reference.update_batch(list(ngrams(text, 3)))
    ours = signature(shingles(text, 3), permutations(128, 1))
    assert np.array_equal(ours, reference.hashvalues)


def test_signature_works_with_datasketch_classes():
    a = signature(shingles(read("haftar_moscow.txt"), 3), permutations(128, 1))
    b = signature(shingles(read("haftar_moscow_edited.txt"), 3), permutations(128, 1))
    lean_a, lean_b = to_datasketch(a), to_datasketch(b)
    assert isinstance(lean_a, LeanMinHash)
    assert lean_a.jaccard(lean_b) == pytest.approx(np.mean(a == b))
    exact = overlap(
        shingles(read("haftar_moscow.txt"), 3), shingles(read("haftar_moscow_edited.txt"), 3)
    )[0]
    assert abs(lean_a.jaccard(lean_b) - exact) < 0.15


def test_empty_set_signature_is_datasketch_empty_value():
    sig = signature(np.zeros(0, dtype=np.uint32), permutations(16, 1))
    assert np.array_equal(sig, MinHash(num_perm=16, seed=1).hashvalues)


# -- candidates ---------------------------------------------------------------


def _variants(text: str, count: int, rng: random.Random) -> list[str]:
    """Copies of `text` with a random share of its words replaced: a range of Jaccards."""
    tokens = text.split()
    out = []
    for _ in range(count):
        rate = rng.uniform(0, 0.12)
        out.append(
            " ".join(w if rng.random() > rate else f"x{rng.randrange(10**6)}" for w in tokens)
        )
    return out


def test_lsh_pairs_are_datasketch_minhashlsh_candidates():
    rng = random.Random(5)
    texts = []
    for name in ("haftar_moscow.txt", "tripoli_analyse.txt", "haftar_moscow_other_outlet.txt"):
        texts += _variants(read(name), 15, rng)
    perms = permutations(128, 1)
    sigs = np.stack([signature(shingles(t, 3), perms) for t in texts])
    ours = {tuple(p) for p in lsh_pairs(sigs, 21, 6).tolist()}

    lsh = MinHashLSH(num_perm=128, params=(21, 6))
    for i, sig in enumerate(sigs):
        lsh.insert(i, to_datasketch(sig))
    theirs = set()
    for i, sig in enumerate(sigs):
        theirs |= {(min(i, j), max(i, j)) for j in lsh.query(to_datasketch(sig)) if j != i}
    assert ours == theirs
    assert len(ours) > 20  # the variants do collide: the test compares something


def test_big_buckets_are_linked_without_all_pairs():
    sigs = np.zeros((500, 128), dtype=np.uint32)  # 500 documents in one bucket of every band
    pairs = lsh_pairs(sigs, 21, 6, max_bucket=100)
    assert len(pairs) == 499 + 498  # each with the first and with its neighbour
    union = UnionFind(500)
    for a, b in pairs.tolist():
        union.union(a, b)
    assert len({union.find(i) for i in range(500)}) == 1


def test_passage_pairs_need_two_shared_sentences_or_all_of_one():
    s = [np.array(x, dtype=np.uint32) for x in ([1, 2, 3], [2, 3, 9], [3, 7, 8], [7], [5, 6])]
    pairs = {tuple(p) for p in passage_pairs(s, np.array([30, 30, 30, 10, 30])).tolist()}
    assert pairs == {(0, 1), (2, 3)}


def test_passage_hashes_skip_short_sentences():
    text = "Oui. Les combats ont repris mardi au sud de Tripoli. Non.\nLa trêve a été rompue dès le premier jour."
    assert len(passage_hashes(tokenize(text), 6)) == 2
    # the same sentence, wherever it stands, has the same hash
    alone = passage_hashes(tokenize("Les combats ont repris mardi au sud de Tripoli."), 6)
    assert set(alone.tolist()) < set(passage_hashes(tokenize(text), 6).tolist())


# -- verification and clusters -------------------------------------------------


def test_overlap_is_exact_jaccard_and_containment():
    a = np.arange(0, 100, dtype=np.uint32)
    b = np.arange(50, 250, dtype=np.uint32)
    assert overlap(a, b) == (50 / 250, 50 / 100)


def test_verify_names_near_and_contained_and_rejects_the_rest():
    story = np.arange(100, dtype=np.uint32)
    assert verify(0, 1, story, np.arange(5, 105, dtype=np.uint32), OPTIONS).kind == NEAR
    contained = verify(0, 1, story, np.arange(0, 400, dtype=np.uint32), OPTIONS)
    assert (contained.kind, contained.small, contained.large) == (CONTAINED, 0, 1)
    assert verify(0, 1, story, np.arange(50, 400, dtype=np.uint32), OPTIONS) is None


def _table(named: dict[str, str], order: list[str]) -> tuple[FingerprintTable, dict[int, str]]:
    table = FingerprintTable(OPTIONS.num_perm)
    names = {}
    for name in order:
        row = table.add((f"corpus/{name}", 0), len(named[name]), fingerprint(named[name], OPTIONS))
        names[row] = name
    return table, names


def _clusters(order: list[str]) -> dict[str, tuple]:
    """name -> (kept, duplicate_of, kind, contained_in) for the fixture corpus, in `order`."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    # the mojibake copy is compared after repair: here, the repaired text
    texts["haftar_moscow_mojibake.txt"] = texts["haftar_moscow_reposted.txt"]
    table, names = _table(texts, order)
    result = find_duplicates(table, OPTIONS, lambda row: shingles(texts[names[row]], 3))
    out = {}
    for row, d in result.duplicates.items():
        out[names[row]] = (
            d.kept,
            names.get(d.duplicate_of),
            d.kind,
            names.get(d.contained_in),
        )
    return out


def test_clusters_of_the_fixture_corpus():
    found = _clusters(sorted(p.name for p in CORPUS.glob("*.txt")))
    assert found == {
        "haftar_moscow.txt": (True, None, None, None),
        "haftar_moscow_reposted.txt": (False, "haftar_moscow.txt", "exact", None),
        "haftar_moscow_mojibake.txt": (False, "haftar_moscow.txt", "exact", None),
        "haftar_moscow_edited.txt": (False, "haftar_moscow.txt", "contained", "haftar_moscow.txt"),
        # the wire story is in both articles: it joins the longer one, and the
        # two articles, which share only the story, stay apart
        "tripoli_analyse.txt": (True, None, None, None),
        "depeche_tripoli.txt": (False, "tripoli_analyse.txt", "contained", "tripoli_analyse.txt"),
    }
    # the other outlet's article on the same visit, same names and places, is no copy
    assert "haftar_moscow_other_outlet.txt" not in found
    assert "tripoli_economie.txt" not in found


def test_clusters_do_not_depend_on_input_order():
    names = sorted(p.name for p in CORPUS.glob("*.txt"))
    expected = _clusters(names)
    rng = random.Random(3)
    for _ in range(5):
        rng.shuffle(names)
        assert _clusters(names) == expected


def test_keep_rule_longest_then_path():
    text = read("haftar_moscow.txt")
    longer = text + "\nThe visit was announced by the Kremlin on Monday evening."
    table = FingerprintTable(OPTIONS.num_perm)
    rows = {
        table.add(("b/copy.txt", 0), len(text), fingerprint(text, OPTIONS)): text,
        table.add(("a/copy.txt", 0), len(text), fingerprint(text, OPTIONS)): text,
        table.add(("z/longer.txt", 0), len(longer), fingerprint(longer, OPTIONS)): longer,
    }
    result = find_duplicates(table, OPTIONS, lambda row: shingles(rows[row], 3))
    assert result.duplicates[2].kept
    assert [result.duplicates[r].duplicate_of for r in (0, 1)] == [2, 2]
    # without the longer copy, equal lengths: the first path wins
    table = FingerprintTable(OPTIONS.num_perm)
    table.add(("b/copy.txt", 0), len(text), fingerprint(text, OPTIONS))
    table.add(("a/copy.txt", 0), len(text), fingerprint(text, OPTIONS))
    result = find_duplicates(table, OPTIONS, lambda row: shingles(text, 3))
    assert result.duplicates[1].kept and result.duplicates[0].duplicate_of == 1


def test_short_documents_are_only_exact_duplicates():
    a = "Haftar arrives in Moscow for talks with Shoigu."
    b = "Haftar arrives in Moscow for talks with Lavrov."
    table = FingerprintTable(OPTIONS.num_perm)
    table.add(("a", 0), len(a), fingerprint(a, OPTIONS))
    table.add(("b", 0), len(b), fingerprint(b, OPTIONS))
    table.add(("c", 0), len(a), fingerprint(a.upper(), OPTIONS))
    texts = [a, b, a]
    result = find_duplicates(table, OPTIONS, lambda row: shingles(texts[row], 3))
    assert set(result.duplicates) == {0, 2}
    assert result.duplicates[2].kind == "exact"


def test_union_find_joins_transitively():
    union = UnionFind(6)
    union.union(4, 2)
    union.union(2, 5)
    union.union(0, 1)
    assert union.find(5) == union.find(4) == 2
    assert union.find(1) == 0 and union.find(3) == 3


def test_fingerprint_table_keeps_what_was_added():
    table = FingerprintTable(8)
    fp = fingerprint(read("depeche_tripoli.txt"), DedupConfig(num_perm=8, bands=2, rows=4))
    for i in range(1500):  # past the first allocation
        table.add((f"p{i}", 0), 10, fp if i % 2 else None)
    assert len(table) == 1500
    assert np.array_equal(table.signatures[1499], fp.signature)
    assert np.array_equal(table.passages(1499), fp.passages)
    assert table.words[0] == 0 and len(table.passages(0)) == 0


# -- the command line ----------------------------------------------------------


def _json_lines(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode().splitlines()]


def report(path) -> list[dict]:
    return _json_lines(path.read_bytes())


def test_dedup_command_lists_clusters_most_similar_first():
    result = run_cleaner("dedup", str(CORPUS), "--json")
    assert result.returncode == 1, result.stderr  # duplicates found
    clusters = _json_lines(result.stdout)
    assert [c["kept"]["id"] for c in clusters] == ["haftar_moscow.txt", "tripoli_analyse.txt"]
    scores = [c["score"] for c in clusters]
    assert scores == sorted(scores, reverse=True)
    first = {d["id"]: d for d in clusters[0]["duplicates"]}
    assert first["haftar_moscow_mojibake.txt"]["kind"] == "exact"
    assert first["haftar_moscow_edited.txt"]["shared"]  # the passages shown to the user
    wire = clusters[1]["duplicates"][0]
    assert wire["kind"] == "contained" and wire["containment"] >= 0.8
    assert "Au moins douze personnes ont été tuées" in wire["shared"][0]
    text = run_cleaner("dedup", str(CORPUS))
    assert b"contained 0.93 in" in text.stdout and b"shared:" in text.stdout


def test_dedup_command_exit_status_without_duplicates(tmp_path):
    for name in ("haftar_moscow.txt", "haftar_moscow_other_outlet.txt", "tripoli_economie.txt"):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    result = run_cleaner("dedup", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    assert run_cleaner("dedup", str(tmp_path / "missing.txt")).returncode == 2
    assert run_cleaner("dedup", str(tmp_path), "--threshold", "1.5").returncode == 2


def test_clean_leaves_duplicates_out_and_reports_them(tmp_path):
    out = tmp_path / "out"
    result = run_cleaner("clean", str(CORPUS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == [
        "haftar_moscow.txt",
        "haftar_moscow_other_outlet.txt",
        "tripoli_analyse.txt",
        "tripoli_economie.txt",
    ]
    assert b"duplicates: 4 copies in 2 clusters, left out of the output" in result.stderr
    records = {r["id"]: r for r in report(out / "report.jsonl")}
    edited = records["haftar_moscow_edited.txt"]["duplicate"]
    assert edited["kept"] is False and edited["kind"] == "contained"
    assert edited["duplicate_of"] == {
        "id": "haftar_moscow.txt",
        "path": str(CORPUS / "haftar_moscow.txt"),
    }
    assert 0.8 <= edited["containment"] <= 1 and edited["similarity"] < 0.8
    assert records["haftar_moscow.txt"]["duplicate"] == {"cluster": 1, "kept": True}
    assert records["tripoli_economie.txt"]["duplicate"] is None

    kept_all = tmp_path / "all"
    result = run_cleaner("clean", str(CORPUS), "-o", str(kept_all), "--keep-duplicates")
    assert len(list(kept_all.glob("*.txt"))) == 8
    assert b"written all the same" in result.stderr


def test_duplicates_are_the_same_for_any_number_of_workers(tmp_path):
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        run_cleaner("clean", str(CORPUS), "-o", str(out), "--jobs", jobs)
        reports.append((out / "report.jsonl").read_bytes())
    assert reports[0] == reports[1]


def test_duplicates_in_a_jsonl_corpus(tmp_path):
    lines = [
        {"id": "a", "text": read("tripoli_analyse.txt"), "source": "lemonde"},
        {"id": "b", "text": read("depeche_tripoli.txt"), "source": "afp"},
        {"id": "c", "text": read("tripoli_economie.txt"), "source": "rfi"},
    ]
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    out = tmp_path / "out"
    assert run_cleaner("clean", str(corpus), "-o", str(out)).returncode == 0
    assert [r["id"] for r in _json_lines((out / "news.jsonl").read_bytes())] == ["a", "c"]
    result = _json_lines(run_cleaner("dedup", str(corpus), "--json").stdout)
    assert result[0]["duplicates"][0]["contained_in"] == {"id": "a", "path": str(corpus)}


def test_index_build_add_and_check(tmp_path):
    index = tmp_path / "corpus.idx"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("haftar_moscow.txt", "tripoli_analyse.txt", "tripoli_economie.txt"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    built = run_cleaner("index", "build", str(corpus), "--index", str(index))
    assert built.returncode == 0, built.stderr
    assert b"3 documents; added 3 documents from 3 files" in built.stderr

    # unchanged files are not cleaned again; a copy reuses the indexed entries
    (corpus / "copy.txt").write_bytes((corpus / "haftar_moscow.txt").read_bytes())
    added = run_cleaner("index", "add", str(corpus), "--index", str(index))
    assert (
        b"4 documents; added 0 documents from 0 files, 3 files unchanged, 1 copy of" in added.stderr
    )

    new = tmp_path / "new"
    new.mkdir()
    for name in (
        "haftar_moscow_edited.txt",
        "depeche_tripoli.txt",
        "haftar_moscow_other_outlet.txt",
    ):
        (new / name).write_bytes((CORPUS / name).read_bytes())
    check = run_cleaner("dedup", "--index", str(index), str(new), "--json")
    assert check.returncode == 1, check.stderr
    found = {
        d["id"]: (c["kept"]["id"], c["kept"]["indexed"], d["kind"])
        for c in _json_lines(check.stdout)
        for d in c["duplicates"]
    }
    assert found["haftar_moscow_edited.txt"][1:] == (True, "contained")
    assert found["depeche_tripoli.txt"] == ("tripoli_analyse.txt", True, "contained")
    assert "haftar_moscow_other_outlet.txt" not in found

    clean_new = run_cleaner(
        "dedup", "--index", str(index), str(new / "haftar_moscow_other_outlet.txt")
    )
    assert clean_new.returncode == 0 and clean_new.stdout == b""


def test_index_problems_are_usage_errors(tmp_path):
    missing = run_cleaner("dedup", "--index", str(tmp_path / "none.idx"), str(CORPUS))
    assert missing.returncode == 2
    assert b"no such index" in missing.stderr
    bogus = tmp_path / "bogus.idx"
    bogus.write_text("not a database")
    result = run_cleaner("dedup", "--index", str(bogus), str(CORPUS))
    assert result.returncode == 2 and b"not a cleaner index" in result.stderr


def test_index_add_replaces_a_changed_file(tmp_path):
    index = tmp_path / "corpus.idx"
    page = tmp_path / "page.txt"
    page.write_bytes((CORPUS / "haftar_moscow.txt").read_bytes())
    assert run_cleaner("index", "add", str(page), "--index", str(index)).returncode == 0
    page.write_bytes((CORPUS / "tripoli_economie.txt").read_bytes())  # the file was rewritten
    added = run_cleaner("index", "add", str(page), "--index", str(index))
    assert b"1 document; added 1 document from 1 file" in added.stderr
    new = tmp_path / "new.txt"
    new.write_bytes((CORPUS / "haftar_moscow.txt").read_bytes())
    # the old version is gone from the index: the Moscow story is new again
    assert run_cleaner("dedup", "--index", str(index), str(new)).returncode == 0


def test_in_place_never_removes_a_duplicate_file(tmp_path):
    for name in ("haftar_moscow.txt", "haftar_moscow_reposted.txt"):
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    result = run_cleaner(
        "clean", str(tmp_path), "--in-place", "--report", str(tmp_path / "r.jsonl")
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == [
        "haftar_moscow.txt",
        "haftar_moscow_reposted.txt",
    ]
    assert b"duplicates: 1 copy in 1 cluster, written all the same" in result.stderr
