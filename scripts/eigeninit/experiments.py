"""One experiment's settings, and the matrix file it may read.

:mod:`eigeninit.settings` builds experiments from the config; the matrix reader
lives here because the draw_matrix job reads the same file with it.
"""

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eigeninit.schemas import document

MAX_MATRIX_SIZE = document("experiments.schema.yaml")["additionalProperties"][
    "properties"
]["k"]["maximum"]
"""Largest k of an experiment, as the schema states it; a matrix file may not
exceed it either."""


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


_NUMBER = r"[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][+-]?[0-9]+)?"
_CELL = re.compile(rf'[ \t]*(?:{_NUMBER}|"{_NUMBER}")[ \t]*')
_ROW = re.compile(rf"{_CELL.pattern}(?:,{_CELL.pattern})*")
_NOT_FINITE = re.compile(r'[ \t]*"?[+-]?(?:nan|inf|infinity)"?[ \t]*', re.IGNORECASE)
"""A row of decimal numbers in ASCII, each optionally in double quotes: what CSV
readers of the field accept (Python's float() would also take 1_000 or
non-ASCII digits)."""

FULL_CHECK_BYTES = 2**20
"""Matrix files up to this size are read in full when the config is checked;
larger ones only for their shape, and in full by the draw_matrix job."""


def _file_name(path: Path, setting: str, shown_as: str | None) -> str:
    """The file's name for messages; a ConfigError unless it is a readable file."""
    name = shown_as or str(path)
    if path.is_dir():
        raise ConfigError(f"{setting}: '{name}' is a folder; give a CSV file")
    if not path.is_file():
        raise ConfigError(f"{setting}: file '{name}' not found")
    return name


def _rows(
    path: Path, setting: str, name: str, first_only: bool = False
) -> Iterator[tuple[int, str | bytes]]:
    """The file's non-blank lines, numbered from one, without their line ends.

    With ``first_only``, only the first is decoded as text; the others stay
    bytes, for counting.
    """
    try:
        with path.open("rb") as handle:
            decoded = False
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                if not (first_only and decoded):
                    line = line.decode("utf-8")
                    decoded = True
                yield number, line.rstrip("\r\n" if isinstance(line, str) else b"\r\n")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or _first_line(error)
        raise ConfigError(f"{setting}: '{name}' cannot be read ({reason})") from None


def _row_values(line: str, number: int, setting: str, name: str) -> np.ndarray:
    if _ROW.fullmatch(line) is None:
        for column, cell in enumerate(line.split(","), start=1):
            if _NOT_FINITE.fullmatch(cell):
                raise ConfigError(
                    f"{setting}: '{name}' holds inf or nan; finite numbers only"
                )
            if _CELL.fullmatch(cell) is None:
                raise ConfigError(
                    f"{setting}: '{name}' row {number}, column {column} "
                    f"is {cell.strip()!r}, not a number"
                )
    return np.array(line.replace('"', "").split(","), dtype=np.float64)


def _check_size(size: int, setting: str, name: str) -> None:
    if size > MAX_MATRIX_SIZE:
        raise ConfigError(
            f"{setting}: '{name}' holds a matrix of up to {size} rows or columns; "
            f"matrices up to {MAX_MATRIX_SIZE} x {MAX_MATRIX_SIZE} are allowed"
        )


def _check_square(rows: int, widths: set[int], setting: str, name: str) -> None:
    if widths != {rows}:
        raise ConfigError(
            f"{setting}: '{name}' has {rows} rows of "
            f"{' or '.join(map(str, sorted(widths)))} values; a square matrix is "
            "required"
        )


def read_matrix_csv(
    path: str | Path, setting: str, shown_as: str | None = None
) -> np.ndarray:
    """Read a square real matrix from a comma-separated file, or say what is wrong.

    Messages name the file as ``shown_as`` (as the config wrote it), else
    ``path``. The file is read a row at a time, so memory stays near the
    matrix's own 8 k^2 bytes.
    """
    path = Path(path)
    name = _file_name(path, setting, shown_as)
    values = []
    for number, line in _rows(path, setting, name):
        values.append(_row_values(line, number, setting, name))
        _check_size(max(len(values), values[-1].size), setting, name)
    if not values:
        raise ConfigError(f"{setting}: '{name}' is empty; a square matrix is required")
    _check_square(len(values), {row.size for row in values}, setting, name)
    matrix = np.stack(values)
    if not np.isfinite(matrix).all():
        raise ConfigError(f"{setting}: '{name}' holds inf or nan; finite numbers only")
    return matrix


def matrix_file_size(
    path: str | Path, setting: str, shown_as: str | None = None
) -> int:
    """k of the square matrix a CSV file holds, checked as far as is cheap.

    A file up to :data:`FULL_CHECK_BYTES` is read in full. A larger one has
    its first row parsed and its rows and their commas counted, so a workflow
    that names a 4096 x 4096 matrix still plans in a fraction of a second; the
    draw_matrix job reads it in full.
    """
    path = Path(path)
    name = _file_name(path, setting, shown_as)
    if path.stat().st_size <= FULL_CHECK_BYTES:
        return read_matrix_csv(path, setting, shown_as).shape[0]
    rows, widths = 0, set()
    for number, line in _rows(path, setting, name, first_only=True):
        if rows == 0:
            _row_values(line, number, setting, name)
        rows += 1
        widths.add(line.count(b"," if isinstance(line, bytes) else ",") + 1)
        _check_size(max(rows, *widths), setting, name)
    _check_square(rows, widths, setting, name)
    return rows


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def archived_name(name: str, root: str | Path, sha256: Callable[[], str]) -> str:
    """How results and the archive name an input file the config names.

    A file inside ``root`` (the working directory) keeps its normalized path
    relative to it (``config/./m.csv`` is ``config/m.csv``, an absolute path
    inside ``root`` too); one outside it goes to ``external/<content
    hash>/<file name>``, the same for the same bytes wherever they were read
    from, so no machine's paths reach a dataset. ``sha256`` gives the file's
    hex digest; it is called only for files outside ``root``.
    """
    root = os.path.abspath(root)
    path = os.path.normpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) == root:
        return Path(os.path.relpath(path, root)).as_posix()
    return f"external/{sha256()[:16]}/{Path(name).name}"


def file_sha256(path: str | Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
