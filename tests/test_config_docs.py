"""config/README.md's settings tables are what tools/config_docs.py writes from
the schemas, so every description, default and limit has one home."""

import pytest

from config_docs import README, allowed, number, readme_with_tables


def test_the_committed_tables_are_those_the_schemas_give():
    committed = README.read_text()
    assert committed == readme_with_tables(committed), (
        "config/README.md is out of date: run python tools/config_docs.py"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4096, "4096"),
        (10_000, "10,000"),
        (2**22, "4,194,304 (2^22)"),
        (2**63 - 1, "2^63 - 1"),
        (1e6, "1,000,000"),
        (0.1, "0.1"),
    ],
)
def test_numbers_read_as_people_write_them(value, text):
    assert number(value) == text


def test_limits_are_stated_from_the_schema_keywords():
    schema = {"type": "integer", "minimum": 2, "maximum": 1000, "x-max-times-k": 64}
    assert allowed(schema, "iterations") == (
        "an integer 2 to 1000; iterations x k at most 64"
    )
    tolerance = {"type": "number", "exclusiveMinimum": 0, "maximum": 0.1}
    assert allowed(tolerance) == "a number above 0, at most 0.1"
    listed = {"type": "array", "minItems": 1, "uniqueItems": True}
    listed["items"] = {"enum": ["linear", "relu"]}
    assert (
        allowed(listed)
        == "a list of one or more distinct values among `linear`, `relu`"
    )
