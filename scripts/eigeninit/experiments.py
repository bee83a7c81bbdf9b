"""Experiments as the config describes them, checked beyond what the schema can say.

The JSON schema checks types, ranges and names; this module checks what needs
the file system or arithmetic (a matrix file that exists, is square and
numeric, and agrees with ``k``), so that bad input stops the workflow before
any job runs, with a message naming the experiment and the key.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


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


RENAMED_SETTINGS = {
    ("narrative",): "featured_experiment",
    ("experiments", "*", "printed"): "published_values",
    ("circular_law", "seeds"): "matrices_per_size",
    ("depth", "seeds"): "networks_per_setting",
    ("depth", "weights"): "weight_sharing",
}
"""Settings of earlier versions by path (``*``: any experiment), and their new key."""


def check_renamed_settings(config: dict) -> None:
    """Refuse a setting under its old name, in one line that names the new key."""
    for path, new_key in RENAMED_SETTINGS.items():
        for found in _paths_present(config, path):
            old = ".".join(found)
            new = ".".join([*found[:-1], new_key])
            raise ConfigError(f"{old}: this setting is now called {new}")


def _paths_present(config, path: tuple[str, ...], prefix=()) -> list[tuple[str, ...]]:
    if not path:
        return [prefix]
    if not isinstance(config, dict):
        return []
    head, *rest = path
    keys = sorted(config) if head == "*" else [head] if head in config else []
    return [
        found
        for key in keys
        for found in _paths_present(config[key], tuple(rest), (*prefix, str(key)))
    ]


def describe_schema_error(error) -> str:
    """One line naming the setting, the offending value and what is allowed.

    ``error`` is a ``jsonschema.ValidationError``; its dotted path replaces
    jsonschema's multi-line dump of the schema.
    """
    setting = ".".join(str(part) for part in error.absolute_path) or "config"
    message = error.message
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        message += f"; allowed keys: {allowed}"
    return f"{setting}: {message}"


def read_matrix_csv(path: str | Path, setting: str) -> np.ndarray:
    """Read a square real matrix from a comma-separated file, or say what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{setting}: file '{path}' not found")
    with path.open(newline="") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    if not rows:
        raise ConfigError(f"{setting}: '{path}' is empty; a square matrix is required")
    values = []
    for row_number, row in enumerate(rows, start=1):
        parsed = []
        for column_number, cell in enumerate(row, start=1):
            try:
                parsed.append(float(cell))
            except ValueError:
                raise ConfigError(
                    f"{setting}: '{path}' row {row_number}, column {column_number} "
                    f"is {cell.strip()!r}, not a number"
                ) from None
        values.append(parsed)
    widths = sorted({len(row) for row in values})
    if widths != [len(values)]:
        raise ConfigError(
            f"{setting}: '{path}' has {len(values)} rows of "
            f"{' or '.join(map(str, widths))} values; a square matrix is required"
        )
    matrix = np.array(values, dtype=np.float64)
    if not np.isfinite(matrix).all():
        raise ConfigError(f"{setting}: '{path}' holds inf or nan; finite numbers only")
    return matrix


def resolve_experiments(config: dict, base_dir: str | Path = ".") -> dict:
    """Turn the validated ``experiments`` into checked ``Experiment`` objects."""
    experiments = {}
    for name, settings in config["experiments"].items():
        setting = f"experiments.{name}"
        k = settings.get("k")
        matrix_file = settings.get("matrix")
        if matrix_file is not None:
            matrix = read_matrix_csv(Path(base_dir) / matrix_file, f"{setting}.matrix")
            if k is not None and k != matrix.shape[0]:
                raise ConfigError(
                    f"{setting}.k: {k} disagrees with the {matrix.shape[0]} x "
                    f"{matrix.shape[0]} matrix in '{matrix_file}'; "
                    "give the matrix's size or leave k out"
                )
            k = matrix.shape[0]
        if k is None:
            raise ConfigError(f"{setting}: give k (an integer >= 1) or a matrix file")
        published = settings.get("published_values", {})
        if "moduli" in published and len(published["moduli"]) != k:
            raise ConfigError(
                f"{setting}.published_values.moduli: {len(published['moduli'])} "
                f"values for a {k} x {k} matrix; give exactly {k}"
            )
        experiments[name] = Experiment(
            name=name,
            k=k,
            iterations=settings["iterations"],
            seed=settings["seed"],
            rng=settings["rng"],
            matrix=matrix_file,
            published_values=published,
        )
    featured = config["featured_experiment"]
    if featured not in experiments:
        raise ConfigError(
            f"featured_experiment: {featured!r} is not an experiment; "
            f"choose one of {', '.join(sorted(experiments))}"
        )
    return experiments
