"""The checked config, or one line saying what is wrong.

Snakemake merges the config (``configfile:``, ``--configfile``, ``--config``);
:func:`check_config` then reads the experiments the config names, checks both
with Snakemake's own validator against their JSON schemas (which fill in
defaults), and makes the checks a schema cannot express: seed ranges that
depend on the generator, limits that combine two settings, matrix files, and
names whose paper macros would meet. Every problem is a :class:`ConfigError`
whose message starts with the dotted setting.
"""

import copy
import math
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


@dataclass(frozen=True)
class Settings:
    """The checked config (defaults filled in, numbers typed, the experiments
    in place of their file's name) and its experiments."""

    config: dict
    experiments: dict[str, Experiment]


def check_config(config: Mapping, base_dir: str | Path = ".") -> Settings:
    """Checked settings from Snakemake's merged config, or a ConfigError.

    Relative paths (the experiments file, matrix files) are read from
    ``base_dir``, the working directory.
    """
    config = copy.deepcopy(dict(config))
    _check_shape(config, "")
    depth = config.get("depth")
    jacobian_given = isinstance(depth, dict) and "jacobian_networks" in depth
    _validate(config, CONFIG_SCHEMA, "")
    experiments = config["experiments"]
    if isinstance(experiments, str):
        experiments = load_yaml(Path(base_dir) / experiments, shown_as=experiments)
    _check_shape(experiments, "experiments")
    _validate(experiments, EXPERIMENTS_SCHEMA, "experiments")
    config["experiments"] = experiments
    _check_seed_ranges(experiments)
    _check_matrices_per_size(config["circular_law"])
    _check_jacobian_networks(config["depth"], jacobian_given)
    resolved = resolve_experiments(config, base_dir)
    if config["featured_experiment"] is None:
        config["featured_experiment"] = next(iter(resolved))
    return Settings(config=config, experiments=resolved)


# Reading


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
        raise ConfigError(f"{name}: not valid YAML ({_one_line(error)})") from None
    except OSError as error:
        raise ConfigError(f"{name}: cannot be read ({error.strerror})") from None
    if not isinstance(content, dict):
        raise ConfigError(f"{name}: holds no mapping of settings")
    return content


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


# Validating


def _check_shape(value, setting: str) -> None:
    """What a JSON schema cannot see or would crash on: keys that YAML read as
    booleans or numbers, NaN and infinity (which pass every range check) and
    settings under an earlier version's name."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{setting or 'config'}: {value} is not a finite number")
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_shape(item, f"{setting}[{index}]")
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if not isinstance(key, str):
            kind = "a boolean" if isinstance(key, bool) else "a number"
            raise ConfigError(
                f"{setting or 'config'}: the key {key!r} is read as {kind}, not a "
                "name (YAML reads yes, no, on, off and numbers so); write it in quotes"
            )
        path = f"{setting}.{key}" if setting else key
        new_name = RENAMED_SETTINGS.get(_generic(path))
        if new_name:
            renamed = ".".join([*path.split(".")[:-1], new_name])
            raise ConfigError(f"{path}: this setting is now called {renamed}")
        _check_shape(item, path)


RENAMED_SETTINGS = {
    "narrative": "featured_experiment",
    "experiments.*.printed": "published_values",
    "circular_law.seeds": "matrices_per_size",
    "depth.seeds": "networks_per_setting",
    "depth.weights": "weight_sharing",
}
"""Settings of earlier versions (``*``: any experiment), and their new key."""


def _generic(path: str) -> str:
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "experiments":
        parts[1] = "*"
    return ".".join(parts)


def _validate(data: dict, schema_file: str, setting: str) -> None:
    """Snakemake's validator, defaults filled in; numbers typed as the schema
    asks first (see :func:`_typed`)."""
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    _typed(data, document(schema_file))
    try:
        validate(data, str(SCHEMA_DIR / schema_file), set_default=True)
    except WorkflowError as error:
        # Snakemake's message dumps the schema; its cause has the setting's path.
        raise ConfigError(describe_schema_error(error.__context__, setting)) from None


def _typed(value, schema: Mapping):
    """``value`` with numbers typed as the schema asks, in place where it can.

    Snakemake reads a nested ``--config`` value (``depth={k: 128}``) as text,
    and JSON Schema takes 5.0 for an integer: text that is a number becomes
    one where a number is asked for, and a whole float an int where an
    integer is.
    """
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
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            child = properties.get(key, extra if isinstance(extra, dict) else {})
            value[key] = _typed(item, child)
    if isinstance(value, list):
        value[:] = [_typed(item, schema.get("items", {})) for item in value]
    return value


def describe_schema_error(error, setting: str = "") -> str:
    """One line naming the setting, the offending value and what is allowed.

    ``error`` is a ``jsonschema.ValidationError``; its dotted path replaces
    jsonschema's multi-line dump of the schema. ``setting`` is the path of
    the validated part.
    """
    path = ".".join([*filter(None, [setting]), *map(str, error.absolute_path)])
    message = error.message
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        message += f"; allowed keys: {allowed}"
    return f"{path or 'config'}: {message}"


# The checks a schema cannot express


def _limit(schema_file: str, *path: str) -> int:
    """A limit that combines two settings, as its schema states it."""
    node = document(schema_file)
    for key in path:
        node = node[key]
    return node["x-max-times-k"]


def _check_seed_ranges(experiments: dict) -> None:
    for name, settings in experiments.items():
        seed = settings["seed"]
        if settings["rng"] == "legacy" and seed >= LEGACY_SEED_LIMIT:
            raise ConfigError(
                f"experiments.{name}.seed: {seed} is too large for rng legacy "
                f"(numpy.random.RandomState); allowed 0 to {LEGACY_SEED_LIMIT - 1}"
            )


def _check_matrices_per_size(circular_law: dict) -> None:
    """One count per size (or one for all), each size's eigenvalues within memory."""
    sizes, counts = circular_law["sizes"], circular_law["matrices_per_size"]
    setting = "circular_law.matrices_per_size"
    if isinstance(counts, list) and len(counts) != len(sizes):
        raise ConfigError(
            f"{setting}: lists {len(counts)} counts for {len(sizes)} sizes; "
            "allowed one count per size, or one number for all"
        )
    limit = _limit(
        CONFIG_SCHEMA, "properties", "circular_law", "properties", "matrices_per_size"
    )
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
    """Turn the validated experiments into checked ``Experiment`` objects."""
    limit = _limit(
        EXPERIMENTS_SCHEMA, "additionalProperties", "properties", "iterations"
    )
    experiments = {}
    for name, settings in config["experiments"].items():
        setting = f"experiments.{name}"
        k = settings.get("k")
        matrix_file = settings.get("matrix")
        if matrix_file is not None:
            if "{" in matrix_file or "}" in matrix_file:
                raise ConfigError(
                    f"{setting}.matrix: '{matrix_file}' holds a brace, which "
                    "Snakemake reads as a wildcard in any file path; rename the "
                    "file or its folder"
                )
            size = matrix_file_size(
                Path(base_dir) / matrix_file, f"{setting}.matrix", matrix_file
            )
            if k is not None and k != size:
                raise ConfigError(
                    f"{setting}.k: {k} disagrees with the {size} x {size} matrix "
                    f"in '{matrix_file}'; give the matrix's size or leave k out"
                )
            k = size
        if k is None:
            raise ConfigError(f"{setting}: give k (an integer >= 1) or a matrix file")
        iterations = settings["iterations"]
        if iterations * k > limit:
            raise ConfigError(
                f"{setting}.iterations: {iterations} iterations of a {k} x {k} "
                f"matrix need more memory than allowed; iterations x k may be at "
                f"most {limit}, so at most {limit // k} iterations for k = {k}"
            )
        published = settings.get("published_values", {})
        if "moduli" in published and len(published["moduli"]) != k:
            raise ConfigError(
                f"{setting}.published_values.moduli: {len(published['moduli'])} "
                f"values for a {k} x {k} matrix; give exactly {k}"
            )
        experiments[name] = Experiment(
            name=name,
            k=k,
            iterations=iterations,
            seed=settings["seed"],
            rng=settings["rng"],
            matrix=matrix_file,
            published_values=published,
        )
    check_experiment_names(experiments)
    featured = config["featured_experiment"]
    if featured is not None and featured not in experiments:
        raise ConfigError(
            f"featured_experiment: {featured!r} is not an experiment; "
            f"choose one of {', '.join(sorted(experiments))}"
        )
    return experiments
