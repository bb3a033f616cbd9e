"""Shared helpers: the fixtures folder and the installed `cleaner` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT / "seeds"


def cleaner_command() -> str:
    """The console script installed next to this interpreter (make test installs it)."""
    path = Path(sys.executable).parent / "cleaner"
    if not path.exists():
        pytest.fail(f"the cleaner command is not installed at {path}: run `make test`")
    return str(path)


def run_cleaner(*args: str, cwd: Path | None = None, stdin: bytes | None = None):
    return subprocess.run(
        [cleaner_command(), *args], cwd=cwd, input=stdin, capture_output=True, timeout=300
    )


@pytest.fixture
def encoding_dir() -> Path:
    return FIXTURES / "encoding"
