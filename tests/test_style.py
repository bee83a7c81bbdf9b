"""House style as tests: ruff, snakefmt and Snakemake's linter over the project."""

import subprocess
import sys

import pytest

from conftest import PROJECT

pytestmark = pytest.mark.lint

CHECKS = {
    "ruff-lint": ["ruff", "check", "."],
    "ruff-format": ["ruff", "format", "--check", "."],
    "snakefmt": ["snakefmt", "--check", "Snakefile", "workflow"],
    "snakemake-lint": ["snakemake", "--lint"],
}


@pytest.mark.parametrize("command", CHECKS.values(), ids=CHECKS.keys())
def test_style(command):
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=PROJECT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
