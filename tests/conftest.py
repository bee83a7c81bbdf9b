"""Shared fixtures: paths of the project and of the post's reference material."""

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def published_matrix_file() -> Path:
    """The matrix the post prints, as the project ships it."""
    return PROJECT / "config" / "published-matrix.csv"
