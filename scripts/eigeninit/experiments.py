"""One experiment's settings, and the matrix file it may read (the config check
and the draw_matrix job read it alike)."""

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eigeninit.schemas import document

_EXPERIMENT = document("experiments.schema.yaml")["additionalProperties"]
MAX_MATRIX_SIZE = _EXPERIMENT["properties"]["k"]["maximum"]
"""Largest k of an experiment, and of a matrix file, as the schema states it."""
FULL_CHECK_BYTES = 2**20
"""Matrix files up to this size are read in full when the config is checked;
larger ones only for their shape, and in full by the draw_matrix job."""

# Decimal ASCII numbers, optionally quoted: what CSV readers of the field
# accept (float() would also take 1_000 or non-ASCII digits).
_NUMBER = r"[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][+-]?[0-9]+)?"
_CELL = rf'[ \t]*(?:{_NUMBER}|"{_NUMBER}")[ \t]*'
_ROW = re.compile(rf"{_CELL}(?:,{_CELL})*")
_NOT_FINITE = re.compile(r'[ \t]*"?[+-]?(?:nan|inf|infinity)"?[ \t]*', re.IGNORECASE)


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
        settings = dict(experiment=self.name, k=self.k, seed=self.seed, rng=self.rng)
        return settings | {"matrix_file": self.matrix or ""}


class _MatrixFile:
    """A CSV matrix file; errors name ``setting`` and the file as the config
    wrote it (``shown_as``)."""

    def __init__(self, path, setting: str, shown_as: str | None):
        self.path, self.setting = Path(path), setting
        self.name = shown_as or str(path)
        if self.path.is_dir():
            self.fail("is a folder; give a CSV file")
        if not self.path.is_file():
            raise ConfigError(f"{setting}: file '{self.name}' not found")

    def fail(self, problem: str):
        raise ConfigError(f"{self.setting}: '{self.name}' {problem}")

    def read(self, parse_all: bool = True) -> np.ndarray | int:
        """The matrix, read a row at a time (memory stays near its 8 k^2 bytes);
        unless ``parse_all``, only its size k, from the first row's values and
        the other rows' commas."""
        rows, widths = [], set()
        try:
            with self.path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    parse = parse_all or not rows
                    rows.append(
                        self.values(line.rstrip("\r\n"), number) if parse else None
                    )
                    widths.add(line.count(",") + 1)
                    self.check_size(max(len(rows), *widths))
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
            self.fail(f"cannot be read ({reason})")
        if not rows:
            self.fail("is empty; a square matrix is required")
        if widths != {len(rows)}:
            self.fail(
                f"has {len(rows)} rows of {' or '.join(map(str, sorted(widths)))} "
                "values; a square matrix is required"
            )
        if not parse_all:
            return len(rows)
        matrix = np.stack(rows)
        if not np.isfinite(matrix).all():
            self.fail("holds inf or nan; finite numbers only")
        return matrix

    def values(self, line: str, number: int) -> np.ndarray:
        if _ROW.fullmatch(line) is None:
            for column, cell in enumerate(line.split(","), start=1):
                if _NOT_FINITE.fullmatch(cell):
                    self.fail("holds inf or nan; finite numbers only")
                if re.fullmatch(_CELL, cell) is None:
                    self.fail(
                        f"row {number}, column {column} is {cell.strip()!r}, "
                        "not a number"
                    )
        return np.array(line.replace('"', "").split(","), dtype=np.float64)

    def check_size(self, size: int) -> None:
        if size > MAX_MATRIX_SIZE:
            self.fail(
                f"holds a matrix of up to {size} rows or columns; matrices up to "
                f"{MAX_MATRIX_SIZE} x {MAX_MATRIX_SIZE} are allowed"
            )


def read_matrix_csv(path, setting: str, shown_as: str | None = None) -> np.ndarray:
    """A square real matrix from a comma-separated file, or a ConfigError saying
    what is wrong."""
    return _MatrixFile(path, setting, shown_as).read()


def matrix_file_size(path, setting: str, shown_as: str | None = None) -> int:
    """k of a CSV file's square matrix: read in full up to
    :data:`FULL_CHECK_BYTES`, otherwise only for its shape, so planning stays
    fast (its draw_matrix job reads it all)."""
    file = _MatrixFile(path, setting, shown_as)
    small = file.path.stat().st_size <= FULL_CHECK_BYTES
    return len(file.read()) if small else file.read(parse_all=False)


def archived_name(name: str, root: str | Path, sha256: Callable[[], str]) -> str:
    """How results and the archive name an input file the config names: its
    normalized path relative to ``root`` (the working directory) when inside it,
    else ``external/<sha256()[:16]>/<file name>``, so no machine's paths reach a
    dataset (``sha256()``, the file's hex digest, is called only then)."""
    root = os.path.abspath(root)
    path = os.path.normpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) == root:
        return Path(os.path.relpath(path, root)).as_posix()
    return f"external/{sha256()[:16]}/{Path(name).name}"


def file_sha256(path: str | Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
