"""The config schema's choices are the code's registries, and its defaults build."""

import yaml

from conftest import PROJECT
from eigeninit.depth import ACTIVATIONS, WEIGHT_MODES
from eigeninit.initializers import SCHEMES

SCHEMA = yaml.safe_load(
    (PROJECT / "workflow" / "schemas" / "config.schema.yaml").read_text()
)
DEPTH = SCHEMA["properties"]["depth"]["properties"]


def test_scheme_choices_are_the_registered_schemes():
    assert DEPTH["schemes"]["items"]["enum"] == list(SCHEMES)
    assert DEPTH["schemes"]["default"] == list(SCHEMES)


def test_activation_choices_are_the_registered_activations():
    assert DEPTH["activations"]["items"]["enum"] == list(ACTIVATIONS)


def test_weight_sharing_choices_are_the_registered_modes():
    assert DEPTH["weight_sharing"]["items"]["enum"] == list(WEIGHT_MODES)


def test_every_setting_is_described():
    def walk(schema, path):
        for name, sub in schema.get("properties", {}).items():
            assert sub.get("description"), f"{path}{name} has no description"
            walk(sub, f"{path}{name}.")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            walk(extra, f"{path}<name>.")

    walk(SCHEMA, "")
