"""The checked config, or one line saying what is wrong: :func:`check_config`
reads the experiments the config names, validates both against their JSON
schemas (filling in defaults) and makes the checks a schema cannot express.
Every problem is a :class:`ConfigError` whose message starts with the setting.
"""

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from eigeninit.draws import LEGACY_SEED_LIMIT
from eigeninit.experiments import ConfigError, Experiment, matrix_file_size
from eigeninit.paper import check_experiment_names
from eigeninit.schemas import SCHEMA_DIR, document

CONFIG_SCHEMA = "config.schema.yaml"
EXPERIMENTS_SCHEMA = "experiments.schema.yaml"
RENAMED_SETTINGS = {
    "narrative": "featured_experiment",
    "experiments.*.printed": "published_values",
    "circular_law.seeds": "matrices_per_size",
    "depth.seeds": "networks_per_setting",
    "depth.weights": "weight_sharing",
}
"""Settings of earlier versions (``*``: any experiment), and their new name."""


@dataclass(frozen=True)
class Settings:
    """The checked config (defaults filled in, numbers typed, the experiments
    in place of their file's name) and its experiments."""

    config: dict
    experiments: dict[str, Experiment]


def check_config(config: Mapping, base_dir: str | Path = ".") -> Settings:
    """Checked settings from Snakemake's merged config, or a ConfigError;
    relative paths are read from ``base_dir``, the working directory."""
    config = copy.deepcopy(dict(config))
    depth = config.get("depth")
    jacobian_given = isinstance(depth, dict) and "jacobian_networks" in depth
    _validate(config, CONFIG_SCHEMA, "")
    if isinstance(file := config["experiments"], str):
        config["experiments"] = load_yaml(Path(base_dir) / file, shown_as=file)
    _validate(config["experiments"], EXPERIMENTS_SCHEMA, "experiments")
    _check_matrices_per_size(config["circular_law"])
    _check_jacobian_networks(config["depth"], jacobian_given)
    resolved = resolve_experiments(config, base_dir)
    if config["featured_experiment"] is None:
        config["featured_experiment"] = next(iter(resolved))
    return Settings(config=config, experiments=resolved)


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key that appears twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise ConfigError(f"{key}: appears twice (line {line}); give it once")
            seen.add(key)
        return super().construct_mapping(node, deep)


def load_yaml(path: str | Path, shown_as: str | None = None) -> dict:
    """A YAML file's mapping; a duplicate key or bad YAML is a ConfigError."""
    name = shown_as or str(path)
    try:
        with open(path) as stream:
            content = yaml.load(stream, Loader=_UniqueKeyLoader)
    except ConfigError as error:
        raise ConfigError(f"{name}: {error}") from None
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())
        raise ConfigError(f"{name}: not valid YAML ({problem})") from None
    except OSError as error:
        raise ConfigError(f"{name}: cannot be read ({error.strerror})") from None
    if not isinstance(content, dict):
        raise ConfigError(f"{name}: holds no mapping of settings")
    return content


def _check_shape(value, setting: str) -> None:
    """What a schema cannot see or would crash on: keys YAML read as booleans or
    numbers, NaN and infinity (which pass every range check), renamed settings."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{setting or 'config'}: {value} is not a finite number")
    for index, item in enumerate(value if isinstance(value, list) else ()):
        _check_shape(item, f"{setting}[{index}]")
    for key, item in value.items() if isinstance(value, dict) else ():
        if not isinstance(key, str):
            kind = "a boolean" if isinstance(key, bool) else "a number"
            raise ConfigError(
                f"{setting or 'config'}: the key {key!r} is read as {kind}, not a "
                "name (YAML reads yes, no, on, off and numbers so); write it in quotes"
            )
        path = f"{setting}.{key}" if setting else key
        if new := RENAMED_SETTINGS.get(
            re.sub(r"^experiments\.[^.]+\.(?=[^.]+$)", "experiments.*.", path)
        ):
            renamed = f"{setting}.{new}" if setting else new
            raise ConfigError(f"{path}: this setting is now called {renamed}")
        _check_shape(item, path)


def _validate(data: dict, schema_file: str, setting: str) -> None:
    """:func:`_check_shape`, then Snakemake's validator, defaults filled in,
    numbers typed as the schema asks."""
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    _check_shape(data, setting)
    _typed(data, document(schema_file))
    try:
        validate(data, str(SCHEMA_DIR / schema_file), set_default=True)
    except WorkflowError as error:
        # Snakemake's message dumps the schema; its cause has the setting's path.
        raise ConfigError(describe_schema_error(error.__context__, setting)) from None


def _typed(value, schema: Mapping):
    """``value`` with numbers typed as the schema asks, in place where it can:
    text (as a nested ``--config`` value arrives) becomes a number, and a whole
    float an int where an integer is asked for."""
    kinds = schema.get("type", ())
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    if isinstance(value, str) and kinds & {"integer", "number"}:
        try:
            value = float(value) if "." in value or "e" in value.lower() else int(value)
        except ValueError:
            return value
    if "integer" in kinds and isinstance(value, float) and value.is_integer():
        return int(value)
    for option in schema.get("oneOf", ()):
        typed = _typed(value, option)
        if typed is not value:
            return typed
    if isinstance(value, dict):
        extra = schema.get("additionalProperties")
        extra = extra if isinstance(extra, dict) else {}
        for key, item in value.items():
            value[key] = _typed(item, schema.get("properties", {}).get(key, extra))
    if isinstance(value, list):
        value[:] = [_typed(item, schema.get("items", {})) for item in value]
    return value


def describe_schema_error(error, setting: str = "") -> str:
    """One line for a ``jsonschema.ValidationError`` in the part at ``setting``:
    the dotted setting, the offending value and what is allowed."""
    path = ".".join([*filter(None, [setting]), *map(str, error.absolute_path)])
    message = error.message
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        message += f"; allowed keys: {allowed}"
    return f"{path or 'config'}: {message}"


def _max_times_k(schema_file: str, *path: str) -> int:
    """The limit on a setting times k, as its schema states it."""
    node = document(schema_file)
    for key in path:
        node = node["additionalProperties"] if key == "*" else node["properties"][key]
    return node["x-max-times-k"]


def _check_matrices_per_size(circular_law: dict) -> None:
    sizes, counts = circular_law["sizes"], circular_law["matrices_per_size"]
    setting = "circular_law.matrices_per_size"
    if isinstance(counts, list) and len(counts) != len(sizes):
        raise ConfigError(
            f"{setting}: lists {len(counts)} counts for {len(sizes)} sizes; "
            "allowed one count per size, or one number for all"
        )
    limit = _max_times_k(CONFIG_SCHEMA, "circular_law", "matrices_per_size")
    per_size = counts if isinstance(counts, list) else [counts] * len(sizes)
    for k, count in zip(sizes, per_size, strict=True):
        if count * k > limit:
            raise ConfigError(
                f"{setting}: {count} matrices at k = {k} keep {count * k} "
                f"eigenvalues; allowed matrices x k at most {limit}, "
                f"so at most {limit // k} matrices for k = {k}"
            )


def _check_jacobian_networks(depth: dict, given: bool) -> None:
    """At most networks_per_setting Jacobians; the default shrinks to fit."""
    networks = depth["networks_per_setting"]
    if not given:
        depth["jacobian_networks"] = min(depth["jacobian_networks"], networks)
    elif depth["jacobian_networks"] > networks:
        raise ConfigError(
            f"depth.jacobian_networks: {depth['jacobian_networks']} networks, but "
            f"depth.networks_per_setting is {networks}; allowed 2 to {networks} "
            "(the Jacobians are those of the depth experiment's own networks)"
        )


def resolve_experiments(config: dict, base_dir: str | Path = ".") -> dict:
    """The validated experiments as checked ``Experiment`` objects."""
    limit = _max_times_k(EXPERIMENTS_SCHEMA, "*", "iterations")
    experiments = {}
    for name, settings in config["experiments"].items():
        setting = f"experiments.{name}"
        k, matrix_file = settings.get("k"), settings.get("matrix")
        if matrix_file is not None:
            if "{" in matrix_file or "}" in matrix_file:
                raise ConfigError(
                    f"{setting}.matrix: '{matrix_file}' holds a brace, which "
                    "Snakemake reads as a wildcard in any file path; rename the "
                    "file or its folder"
                )
            path = Path(base_dir) / matrix_file
            size = matrix_file_size(path, f"{setting}.matrix", matrix_file)
            if k is not None and k != size:
                raise ConfigError(
                    f"{setting}.k: {k} disagrees with the {size} x {size} matrix "
                    f"in '{matrix_file}'; give the matrix's size or leave k out"
                )
            k = size
        if k is None:
            raise ConfigError(f"{setting}: give k (an integer >= 1) or a matrix file")
        seed, iterations = settings["seed"], settings["iterations"]
        if settings["rng"] == "legacy" and seed >= LEGACY_SEED_LIMIT:
            raise ConfigError(
                f"{setting}.seed: {seed} is too large for rng legacy "
                f"(numpy.random.RandomState); allowed 0 to {LEGACY_SEED_LIMIT - 1}"
            )
        if iterations * k > limit:
            raise ConfigError(
                f"{setting}.iterations: {iterations} iterations of a {k} x {k} "
                f"matrix need more memory than allowed; iterations x k may be at "
                f"most {limit}, so at most {limit // k} iterations for k = {k}"
            )
        published = settings.get("published_values", {})
        if len(published.get("moduli", [None] * k)) != k:
            raise ConfigError(
                f"{setting}.published_values.moduli: {len(published['moduli'])} "
                f"values for a {k} x {k} matrix; give exactly {k}"
            )
        experiments[name] = Experiment(
            name, k, iterations, seed, settings["rng"], matrix_file, published
        )
    check_experiment_names(experiments)
    featured = config["featured_experiment"]
    if featured is not None and featured not in experiments:
        raise ConfigError(
            f"featured_experiment: {featured!r} is not an experiment; "
            f"choose one of {', '.join(sorted(experiments))}"
        )
    return experiments
