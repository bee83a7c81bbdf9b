"""The workflow's JSON schemas in workflow/schemas/: the config's and every
summary's (<summary>_summary.schema.yaml, part two's shared pieces in
part_two_definitions.schema.yaml). Summaries are validated before they are
written; the paper exports their non-null numbers marked ``x-quoted`` (or held
in a list or object so marked, unless marked false), named by their key path
in CamelCase (``x-macro`` renames a key, "" drops it; ``x-item-names`` names a
list's items, ``x-item-key`` the field that names them; other lists count from
one, after ``x-item-label`` when given).
"""

from collections.abc import Iterator
from functools import cache, reduce
from operator import getitem
from pathlib import Path

import jsonschema
import yaml
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "workflow" / "schemas"
"""Where the schemas are: the package lives in the workflow's scripts/ folder."""
_SHARED = "part_two_definitions.schema.yaml"


@cache
def document(filename: str) -> dict:
    """A schema file of :data:`SCHEMA_DIR`, parsed (cached: read once per process)."""
    return yaml.safe_load((SCHEMA_DIR / filename).read_text(encoding="utf-8"))


def schema(summary: str) -> dict:
    """The schema of ``summary`` (experiment, depth, ...), from its file."""
    return document(f"{summary}_summary.schema.yaml")


@cache
def _registry() -> Registry:
    return Registry().with_resource(_SHARED, Resource.from_contents(document(_SHARED)))


@cache
def _validator(summary: str) -> jsonschema.protocols.Validator:
    """``summary``'s validator, its schema checked once per process."""
    root = schema(summary)
    cls = jsonschema.validators.validator_for(root)
    cls.check_schema(root)
    return cls(root, registry=_registry())


def validate(summary: str, data: dict) -> dict:
    """``data`` unchanged if it fits ``summary``'s schema; else the ValidationError
    that :func:`jsonschema.validate` would raise."""
    if error := jsonschema.exceptions.best_match(_validator(summary).iter_errors(data)):
        raise error
    return data


def quoted_names(summary: str, longest_list: int) -> list[tuple[str, ...]]:
    """Name parts of every number a fixed-key summary (the experiment's) can quote,
    from its schema: its fullest value's, lists at ``maxItems`` or ``longest_list``."""
    root = schema(summary)
    fullest = _fullest(root, root, longest_list)
    return [name for name, _ in _walk(root, root, fullest, ())]


def _fullest(node: dict, root: dict, longest_list: int):
    """A value with every property and the most items ``node`` allows, numbers 0."""
    node, root = _resolve(node, root)
    if "items" in node:
        count = len(node.get("x-item-names", ())) or node.get("maxItems", longest_list)
        return [_fullest(node["items"], root, longest_list)] * count
    if "properties" in node:
        properties = node["properties"].items()
        return {key: _fullest(child, root, longest_list) for key, child in properties}
    kinds = node.get("type", [])
    numeric = {"number", "integer"} & set([kinds] if isinstance(kinds, str) else kinds)
    return 0 if numeric else None


def quoted_numbers(summary: str, data: dict) -> Iterator[tuple[tuple[str, ...], float]]:
    """Every x-quoted number of ``data`` (nulls skipped) with its name parts."""
    yield from _walk(schema(summary), schema(summary), data, ())


def _resolve(node: dict, root: dict) -> tuple[dict, dict]:
    """The node a ``$ref`` points to (and the document it lives in), merged with
    the referring node's own keywords, which take precedence."""
    reference = node.get("$ref")
    if reference is None:
        return node, root
    filename, _, pointer = reference.partition("#")
    source = document(filename) if filename else root
    target = reduce(getitem, filter(None, pointer.split("/")), source)
    target, source = _resolve(target, source)
    return target | {key: value for key, value in node.items() if key != "$ref"}, source


def _walk(node: dict, root: dict, value, name: tuple[str, ...], quoted=False):
    """The quoted numbers of ``value`` (described by ``node``), with their names."""
    node, root = _resolve(node, root)
    quoted = node.get("x-quoted", quoted)
    for part in node.get("allOf", ()):
        yield from _walk(part, root, value, name, quoted)
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int | float):
        if quoted:
            yield name, value
        return
    if isinstance(value, list):
        item_names = node.get("x-item-names")
        item_key = node.get("x-item-key")
        items, prefix = node.get("items", {}), node.get("x-item-label")
        for index, item in enumerate(value):
            if item_names is not None:
                label = item_names[index]
            elif item_key is not None:
                label = item[item_key]
            else:
                label = f"{prefix}_{index + 1}" if prefix else str(index + 1)
            yield from _walk(items, root, item, (*name, label), quoted)
        return
    properties = node.get("properties", {})
    for key, item in value.items():
        child = properties.get(key, node.get("additionalProperties"))
        if not isinstance(child, dict):
            continue
        label = _resolve(child, root)[0].get("x-macro", key)
        yield from _walk(child, root, item, (*name, label) if label else name, quoted)
