"""Options, as one immutable value, and where they are found.

Settings live in `cleaner.toml` or in `[tool.cleaner]` of `pyproject.toml`.
As in ruff, the closest file wins, walking up from the working directory
(`cleaner.toml` before `pyproject.toml` in the same folder); files are not
merged. Command-line flags override the file. Keys are written in
kebab-case (`uncurl-quotes = true`).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration file that cannot be used: the message names it."""


@dataclass(frozen=True, slots=True)
class CleanerConfig:
    """Every option of the pipeline, with its default.

    glob: files matched inside input directories.
    input_format: "auto" (`.jsonl`/`.jsonl.gz` are JSONL, the rest text),
        "text" or "jsonl".
    uncurl_quotes: straighten curly quotes (ftfy's uncurl_quotes). Off by
        default: curly quotes and guillemets are correct typography.
    jobs: worker processes; 0 means one per core.
    """

    glob: str = "*.txt"
    input_format: str = "auto"
    uncurl_quotes: bool = False
    jobs: int = 0

    def replace(self, **changes: Any) -> CleanerConfig:
        """A copy with some options changed; `None` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


_FORMATS = ("auto", "text", "jsonl")


def _from_table(table: dict[str, Any], origin: Path) -> CleanerConfig:
    known = {f.name: f for f in fields(CleanerConfig)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{origin}: unknown option '{key}'")
        default = getattr(CleanerConfig(), name)
        if type(value) is not type(default):
            raise ConfigError(
                f"{origin}: option '{key}' must be {type(default).__name__}, not {type(value).__name__}"
            )
        values[name] = value
    config = CleanerConfig(**values)
    if config.input_format not in _FORMATS:
        raise ConfigError(f"{origin}: input-format must be one of {', '.join(_FORMATS)}")
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: {e}") from e


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The closest `cleaner.toml`, or `pyproject.toml` with `[tool.cleaner]`."""
    for folder in (start.resolve(), *start.resolve().parents):
        own = folder / "cleaner.toml"
        if own.is_file():
            return own, _read_toml(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("cleaner")
            if table is not None:
                return pyproject, table
    return None


def load_config(start: Path | None = None, explicit: Path | None = None) -> CleanerConfig:
    """The configuration in force in `start` (the working directory by default)."""
    if explicit is not None:
        table = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            table = table.get("tool", {}).get("cleaner", {})
        return _from_table(table, explicit)
    found = find_config_file(start or Path.cwd())
    if found is None:
        return CleanerConfig()
    path, table = found
    return _from_table(table, path)
