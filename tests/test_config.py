"""Configuration: the closest file wins, as in ruff; bad files are refused clearly."""

from __future__ import annotations

import pytest

from cleaner.config import CleanerConfig, ConfigError, load_config


def test_defaults_without_any_file(tmp_path):
    assert load_config(tmp_path) == CleanerConfig()


def test_pyproject_tool_table_is_read_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleaner]\nglob = "*.md"\nuncurl-quotes = true\n'
    )
    deep = tmp_path / "corpus" / "2024"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.glob == "*.md"
    assert config.uncurl_quotes is True


def test_pyproject_without_tool_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nglob = "*.md"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(inner).glob == "*.md"


def test_closest_file_wins_and_files_are_not_merged(tmp_path):
    (tmp_path / "cleaner.toml").write_text('glob = "*.md"\nuncurl-quotes = true\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "cleaner.toml").write_text('glob = "*.txt"\n')
    config = load_config(inner)
    assert config.glob == "*.txt"
    assert config.uncurl_quotes is False  # not inherited from the outer file


def test_cleaner_toml_before_pyproject_in_one_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nglob = "*.md"\n')
    (tmp_path / "cleaner.toml").write_text('glob = "*.rst"\n')
    assert load_config(tmp_path).glob == "*.rst"


def test_unknown_option_names_the_file(tmp_path):
    (tmp_path / "cleaner.toml").write_text("colour = true\n")
    with pytest.raises(ConfigError, match=r"cleaner.toml: unknown option 'colour'"):
        load_config(tmp_path)


def test_wrong_type_is_refused(tmp_path):
    (tmp_path / "cleaner.toml").write_text('jobs = "four"\n')
    with pytest.raises(ConfigError, match="jobs.*int"):
        load_config(tmp_path)


def test_broken_toml_is_refused(tmp_path):
    (tmp_path / "cleaner.toml").write_text("glob = \n")
    with pytest.raises(ConfigError, match="cleaner.toml"):
        load_config(tmp_path)


def test_flags_override_the_file(tmp_path):
    (tmp_path / "cleaner.toml").write_text("jobs = 3\n")
    config = load_config(tmp_path).replace(jobs=1, glob=None)
    assert config.jobs == 1 and config.glob == CleanerConfig().glob
