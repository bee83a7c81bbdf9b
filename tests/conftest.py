"""Shared fixtures: project paths, a stand-in figure, and one run of the workflow."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from workflow_runner import prepare_workdir, snakemake

PROJECT = Path(__file__).resolve().parents[1]

# One BLAS thread, as the workflow's rules pin: batched factorizations of small
# matrices only lose time to threading, and the numbers cannot depend on it.
threadpool_limits(1)

TIERS = ("slow", "workflow", "browser", "cluster", "tex", "validators", "lint")
"""Markers of the tiers that a bare `python -m pytest` leaves out."""


def pytest_addoption(parser):
    parser.addoption(
        "--all-tiers",
        action="store_true",
        help=f"run every tier ({', '.join(TIERS)}), not only the fast one",
    )


def pytest_collection_modifyitems(config, items):
    """Deselect the tiered tests unless --all-tiers or an explicit -m is given."""
    if config.getoption("--all-tiers") or config.getoption("-m"):
        return
    fast, tiered = [], []
    for item in items:
        (tiered if any(item.get_closest_marker(t) for t in TIERS) else fast).append(
            item
        )
    if tiered:
        config.hook.pytest_deselected(items=tiered)
        items[:] = fast


@pytest.fixture(scope="session")
def project() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def published_matrix_file() -> Path:
    """The matrix the post prints, as the project ships it."""
    return PROJECT / "config" / "published-matrix.csv"


@pytest.fixture(scope="session")
def png(tmp_path_factory) -> Path:
    """A tiny real PNG to stand in for every figure of a rendered page."""
    path = tmp_path_factory.mktemp("figures") / "tiny.png"
    plt.imsave(path, np.eye(3))
    return path


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    """A working directory where the whole workflow ran once on the tiny config:
    the write-up (rule all), the paper exports and the archive."""
    directory = tmp_path_factory.mktemp("workflow")
    config = prepare_workdir(directory)
    result = snakemake(directory, config, "--cores", "4", "all", "paper", "archive")
    assert result.returncode == 0, result.stderr[-3000:]
    return directory
