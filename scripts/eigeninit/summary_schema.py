"""The definition of an experiment's summary.json: keys, types, descriptions.

workflow/schemas/experiment_summary.schema.yaml is the one place that says
which keys a summary has and what each means. The summarize rule validates
against it before writing, the write-up tests check rendered summaries with
it, and the paper export takes the keys marked ``x-quoted`` from it.
"""

from functools import cache
from pathlib import Path

import jsonschema
import yaml

SCHEMA_PATH = (
    Path(__file__).resolve().parents[2]
    / "workflow"
    / "schemas"
    / "experiment_summary.schema.yaml"
)


@cache
def schema() -> dict:
    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(summary: dict) -> dict:
    """``summary`` unchanged if it fits the schema; otherwise a ValidationError."""
    jsonschema.Draft202012Validator(schema()).validate(summary)
    return summary


def quoted_keys() -> tuple[str, ...]:
    """Keys whose numbers the paper export carries, in the schema's order."""
    return tuple(
        key
        for key, definition in schema()["properties"].items()
        if definition.get("x-quoted")
    )
