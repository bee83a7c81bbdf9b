"""The definitions of the summaries: keys, types, descriptions, quoted numbers.

workflow/schemas/<summary>_summary.schema.yaml, for an experiment, the circular
law and depth (part two's share pieces in part_two_definitions.schema.yaml),
say which keys each summary has and what each means. The summarize rules
validate against them before writing, and the paper export takes the numbers
marked
``x-quoted`` from them, named by the key path in CamelCase (``x-macro``
renames a key, "" drops it; ``x-item-names`` names a list's items,
``x-item-key`` the object field that names them; other lists count from one).
"""

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import jsonschema
import yaml
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "workflow" / "schemas"
SUMMARIES = ("experiment", "circular_law", "depth")
_SHARED = "part_two_definitions.schema.yaml"


@cache
def _document(filename: str) -> dict:
    return yaml.safe_load((SCHEMA_DIR / filename).read_text(encoding="utf-8"))


def schema(summary: str) -> dict:
    """The schema of ``summary``, one of :data:`SUMMARIES`."""
    if summary not in SUMMARIES:
        raise ValueError(f"unknown summary {summary!r}; have {', '.join(SUMMARIES)}")
    return _document(f"{summary}_summary.schema.yaml")


@cache
def _registry() -> Registry:
    return Registry().with_resource(_SHARED, Resource.from_contents(_document(_SHARED)))


def validate(summary: str, data: dict) -> dict:
    """``data`` unchanged if it fits ``summary``'s schema; else a ValidationError."""
    jsonschema.Draft202012Validator(schema(summary), registry=_registry()).validate(
        data
    )
    return data


def quoted_keys(summary: str) -> tuple[str, ...]:
    """Top-level keys whose numbers the paper export carries, in schema order."""
    return tuple(
        key
        for key, definition in schema(summary)["properties"].items()
        if definition.get("x-quoted")
    )


def quoted_numbers(summary: str, data: dict) -> Iterator[tuple[tuple[str, ...], float]]:
    """Every x-quoted number of ``data`` with the name parts of its macro.

    Nulls (a theory that does not exist, a signal that vanished) are skipped.
    """
    yield from _walk(schema(summary), schema(summary), data, ())


def _resolve(node: dict, root: dict) -> tuple[dict, dict]:
    """The node a ``$ref`` points to (and the document it lives in), merged with
    the referring node's own keywords, which take precedence."""
    reference = node.get("$ref")
    if reference is None:
        return node, root
    filename, _, pointer = reference.partition("#")
    document = _document(filename) if filename else root
    target = document
    for part in filter(None, pointer.split("/")):
        target = target[part]
    target, document = _resolve(target, document)
    return target | {
        key: value for key, value in node.items() if key != "$ref"
    }, document


def _walk(node: dict, root: dict, value, name: tuple[str, ...]):
    node, root = _resolve(node, root)
    for part in node.get("allOf", ()):
        yield from _walk(part, root, value, name)
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int | float):
        if node.get("x-quoted"):
            yield name, value
        return
    if isinstance(value, list):
        item_names = node.get("x-item-names")
        item_key = node.get("x-item-key")
        items = node.get("items", {})
        for index, item in enumerate(value):
            if item_names is not None:
                label = item_names[index]
            elif item_key is not None:
                label = item[item_key]
            else:
                label = str(index + 1)
            quoted = {"x-quoted": node.get("x-quoted", False)} | items
            yield from _walk(quoted, root, item, (*name, label))
        return
    properties = node.get("properties", {})
    for key, item in value.items():
        if key in properties:
            child = properties[key]
        elif isinstance(node.get("additionalProperties"), dict):
            child = node["additionalProperties"]
        else:
            continue
        label = _resolve(child, root)[0].get("x-macro", key)
        yield from _walk(child, root, item, (*name, label) if label else name)
