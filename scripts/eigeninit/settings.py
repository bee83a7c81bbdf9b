"""A raw config turned into checked, typed settings, or one line saying what is wrong.

The order is: config files read with duplicate keys refused, nested
``--config`` values parsed as YAML, the JSON schema (types, ranges, names,
defaults), then the checks a schema cannot express: integers given as
``5.0``, seed ranges that depend on the generator, memory limits that combine
two settings, matrix files (readable, square, finite). Every problem is a
:class:`ConfigError` whose message starts with the dotted setting.
"""

import copy
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from eigeninit.experiments import (
    ConfigError,
    Experiment,
    matrix_file_size,
)
from eigeninit.paper import check_experiment_names

LEGACY_SEED_LIMIT = 2**32
"""numpy.random.RandomState takes seeds below 2^32."""

MAX_ITERATION_VALUES = 2**24
"""Largest iterations x k of one experiment: the iterate job keeps about six
float64 arrays of that many values (about 1 GiB at the limit)."""

MAX_KEPT_EIGENVALUES = 2**22
"""Largest matrices x k of one circular-law size: the size's dataset keeps every
eigenvalue as complex128 (64 MiB at the limit)."""


@dataclass(frozen=True)
class Settings:
    """The checked config (defaults filled in, integers as int) and its experiments."""

    config: dict
    experiments: dict[str, Experiment]


# Loading


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


def load_yaml(path: str | Path) -> dict:
    """A config file's content; duplicate keys and bad YAML are ConfigErrors."""
    try:
        with open(path) as stream:
            content = yaml.load(stream, Loader=_UniqueKeyLoader)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({_one_line(error)})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ConfigError(f"{path}: a config file holds a mapping of settings")
    return content


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def typed_command_line_values(value):
    """``--config`` values with every string leaf read as a YAML scalar.

    Snakemake parses a nested value such as ``experiments={post: {iterations:
    200}}`` with YAML's base loader, which leaves every leaf a string; this reads
    ``'200'`` as 200 and ``'1e-6'`` as a float, and keeps other text as text.
    """
    if isinstance(value, Mapping):
        return {key: typed_command_line_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed_command_line_values(item) for item in value]
    if not isinstance(value, str):
        return value
    for parse in (int, float):
        try:
            return parse(value)
        except ValueError:
            pass
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        return value


def _merge(base: dict, update: Mapping) -> dict:
    """``base`` updated by ``update`` recursively, as Snakemake merges configs."""
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def assemble_config(
    config: Mapping,
    config_files: Iterable[str | Path],
    command_line_files: Iterable[str | Path],
    command_line_values: Mapping,
) -> tuple[dict, str | None]:
    """The raw config to check, and a note for the log when experiments were replaced.

    ``config`` is what Snakemake merged from ``config_files`` (the workflow's
    and the command line's) and ``--config``. Every file is read again here so
    that a duplicate key is refused rather than silently overwritten. The
    experiments of files given with ``--configfile`` replace the workflow's
    default experiments instead of being merged into them; ``--config``
    values then apply on top, typed.
    """
    for path in config_files:
        load_yaml(path)
    raw = copy.deepcopy(dict(config))
    note = None
    replacing = [
        (path, content["experiments"])
        for path in command_line_files
        if "experiments" in (content := load_yaml(path))
    ]
    if replacing:
        experiments = {}
        for _, found in replacing:
            experiments = (
                _merge(experiments, found) if isinstance(found, Mapping) else found
            )
        raw["experiments"] = experiments
        named = ", ".join(str(path) for path, _ in replacing)
        note = f"experiments: those of {named} replace the default experiments"
    return _merge(raw, typed_command_line_values(command_line_values)), note


# Checking


def check_config(raw: Mapping, schema: Mapping, base_dir: str | Path = ".") -> Settings:
    """Checked settings from a raw config, or a ConfigError naming the setting."""
    config = copy.deepcopy(dict(raw))
    _check_keys_are_text(config)
    check_renamed_settings(config)
    _check_finite(config)
    error = jsonschema.exceptions.best_match(_validator(schema).iter_errors(config))
    if error is not None:
        raise ConfigError(describe_schema_error(error))
    config = _integers_as_int(config, schema, "")
    _check_seed_ranges(config)
    _check_matrices_per_size(config["circular_law"])
    experiments = resolve_experiments(config, base_dir)
    return Settings(config=config, experiments=experiments)


def _validator(schema: Mapping):
    """A Draft 2020-12 validator that fills in each property's default."""
    base = jsonschema.Draft202012Validator

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema and name not in instance:
                    instance[name] = copy.deepcopy(subschema["default"])
        yield from base.VALIDATORS["properties"](
            validator, properties, instance, schema
        )

    extended = jsonschema.validators.extend(base, {"properties": set_defaults})
    return extended(schema)


def _check_keys_are_text(value, setting: str = "config") -> None:
    """YAML reads unquoted keys such as yes, off or 123 as booleans or numbers."""
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if not isinstance(key, str):
            kind = "a boolean" if isinstance(key, bool) else "a number"
            raise ConfigError(
                f"{setting}: the key {key!r} is read as {kind}, not a name (YAML "
                "reads yes, no, on, off and numbers so); write it in quotes"
            )
        _check_keys_are_text(item, key if setting == "config" else f"{setting}.{key}")


def _check_finite(value, setting: str = "config") -> None:
    """NaN passes every JSON-schema range check, so refuse it (and inf) first."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{setting}: {value} is not a finite number")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, key if setting == "config" else f"{setting}.{key}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_finite(item, f"{setting}[{index}]")


def _integers_as_int(value, schema: Mapping, setting: str):
    """Integer settings given as 5.0 (which JSON Schema accepts) as the int 5."""
    if schema.get("type") == "integer" and isinstance(value, float):
        return int(value)
    for option in schema.get("oneOf", ()):
        if jsonschema.Draft202012Validator(option).is_valid(value):
            return _integers_as_int(value, option, setting)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        return {
            key: _integers_as_int(
                item,
                properties.get(key, extra if isinstance(extra, dict) else {}),
                f"{setting}.{key}",
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            _integers_as_int(item, schema.get("items", {}), setting) for item in value
        ]
    return value


def _check_seed_ranges(config: dict) -> None:
    for name, settings in config["experiments"].items():
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
    per_size = counts if isinstance(counts, list) else [counts] * len(sizes)
    for k, count in zip(sizes, per_size, strict=True):
        if count * k > MAX_KEPT_EIGENVALUES:
            raise ConfigError(
                f"{setting}: {count} matrices at k = {k} keep {count * k} "
                f"eigenvalues; allowed matrices x k at most {MAX_KEPT_EIGENVALUES}, "
                f"so at most {MAX_KEPT_EIGENVALUES // k} matrices for k = {k}"
            )


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
    keys = sorted(config, key=str) if head == "*" else [head] if head in config else []
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


def resolve_experiments(config: dict, base_dir: str | Path = ".") -> dict:
    """Turn the validated ``experiments`` into checked ``Experiment`` objects."""
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
        if iterations * k > MAX_ITERATION_VALUES:
            raise ConfigError(
                f"{setting}.iterations: {iterations} iterations of a {k} x {k} "
                f"matrix need more memory than allowed; iterations x k may be at "
                f"most {MAX_ITERATION_VALUES}, so at most "
                f"{MAX_ITERATION_VALUES // k} iterations for k = {k}"
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
    if featured not in experiments:
        raise ConfigError(
            f"featured_experiment: {featured!r} is not an experiment; "
            f"choose one of {', '.join(sorted(experiments))}"
        )
    return experiments
