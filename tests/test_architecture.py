"""The code's shape, checked by import-linter against the contracts in pyproject.toml: no import
circle at any depth, nothing outside tests/ imports tests (bench/ and testkit/ included), the
product imports neither testkit/ nor bench/, shared/ imports no service, and each
write service's layers import downwards only; and by vulture: no code that nothing uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_imports_keep_the_contracts() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--verbose"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout's code, not an installed one
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert "5 kept, 0 broken" in result.stdout, result.stdout[-4000:]


def test_no_dead_code() -> None:
    """vulture with [tool.vulture]: what it lists there is read in ways it cannot see."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("vulture"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
