"""One experiment's settings, and the matrix file it may read.

:mod:`eigeninit.settings` builds experiments from the config; the matrix reader
lives here because the draw_matrix job reads the same file with it.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAX_MATRIX_SIZE = 4096
"""Largest k of an experiment, as the schema states it for ``k``; a matrix file
may not exceed it either (its eigenvectors alone take 16 k^2 bytes)."""


class ConfigError(ValueError):
    """A config value that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class Experiment:
    """One experiment: a k x k matrix, drawn or read, and its iteration settings."""

    name: str
    k: int
    iterations: int
    seed: int
    rng: str
    matrix: str | None = None
    published_values: dict = field(default_factory=dict)

    def matrix_params(self) -> dict:
        """The settings the matrix and input draws depend on, and nothing else."""
        return {
            "experiment": self.name,
            "k": self.k,
            "seed": self.seed,
            "rng": self.rng,
            "matrix_file": self.matrix or "",
        }


def read_matrix_csv(
    path: str | Path, setting: str, shown_as: str | None = None
) -> np.ndarray:
    """Read a square real matrix from a comma-separated file, or say what is wrong.

    Messages name the file as ``shown_as`` (as the config wrote it), else ``path``.
    """
    path = Path(path)
    name = shown_as or str(path)
    if path.is_dir():
        raise ConfigError(f"{setting}: '{name}' is a folder; give a CSV file")
    if not path.is_file():
        raise ConfigError(f"{setting}: file '{name}' not found")
    try:
        with path.open(newline="") as handle:
            rows = [
                row for row in csv.reader(handle) if any(cell.strip() for cell in row)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        reason = getattr(error, "strerror", None) or _first_line(error)
        raise ConfigError(f"{setting}: '{name}' cannot be read ({reason})") from None
    size = max(len(rows), *(len(row) for row in rows)) if rows else 0
    if size > MAX_MATRIX_SIZE:
        raise ConfigError(
            f"{setting}: '{name}' holds a matrix of up to {size} rows or columns; "
            f"matrices up to {MAX_MATRIX_SIZE} x {MAX_MATRIX_SIZE} are allowed"
        )
    if not rows:
        raise ConfigError(f"{setting}: '{name}' is empty; a square matrix is required")
    values = []
    for row_number, row in enumerate(rows, start=1):
        parsed = []
        for column_number, cell in enumerate(row, start=1):
            try:
                parsed.append(float(cell))
            except ValueError:
                raise ConfigError(
                    f"{setting}: '{name}' row {row_number}, column {column_number} "
                    f"is {cell.strip()!r}, not a number"
                ) from None
        values.append(parsed)
    widths = sorted({len(row) for row in values})
    if widths != [len(values)]:
        raise ConfigError(
            f"{setting}: '{name}' has {len(values)} rows of "
            f"{' or '.join(map(str, widths))} values; a square matrix is required"
        )
    matrix = np.array(values, dtype=np.float64)
    if not np.isfinite(matrix).all():
        raise ConfigError(f"{setting}: '{name}' holds inf or nan; finite numbers only")
    return matrix


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
