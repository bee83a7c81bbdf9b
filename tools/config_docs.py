"""Write the settings tables of config/README.md from the config schemas, where
every setting's description, default and limits live. Run ``python
tools/config_docs.py`` after changing a schema; a fast test compares."""

from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
SCHEMAS = PROJECT / "workflow" / "schemas"
README = PROJECT / "config" / "README.md"
BEGIN = "<!-- Written by tools/config_docs.py from the schemas: edit those. -->"
END = "<!-- End of the written tables. -->"
END_OF_TEXT = "(?!\\n)"  # the schemas' guard against Python's $ before a newline
YAML_END = "...\n"


def number(value) -> str:
    """As a reader writes it: 0.1, 1e-06, 4096, 10,000, 4,194,304 (2^22), 2^63 - 1."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    value = int(value)
    if value > 2**32 and (value + 1).bit_count() == 1:
        return f"2^{value.bit_length()} - 1"
    text = f"{value:,}" if value >= 10_000 else str(value)
    power = value >= 2**20 and value.bit_count() == 1
    return text + (f" (2^{value.bit_length() - 1})" if power else "")


def allowed(schema: dict, key: str = "", plural: bool = False) -> str:
    """The values a schema allows, in words (``plural`` for a list's items)."""
    if "oneOf" in schema:
        text = ", or ".join(allowed(option) for option in schema["oneOf"])
    elif "enum" in schema:
        values = ", ".join(f"`{value}`" for value in schema["enum"])
        text = f"values among {values}" if plural else values
    else:
        kinds = schema.get("type", [])
        kinds = [kinds] if isinstance(kinds, str) else kinds
        text = ", or ".join(_kind(schema, kind, plural) for kind in kinds)
    if "x-max-times-k" in schema:
        text += f"; {key} x k at most {number(schema['x-max-times-k'])}"
    return text


def _kind(schema: dict, kind: str, plural: bool) -> str:
    if kind == "array":
        count = "one or more " if schema.get("minItems") == 1 else ""
        distinct = "distinct " if schema.get("uniqueItems") else ""
        return f"a list of {count}{distinct}{allowed(schema['items'], plural=True)}"
    if kind == "string" and "pattern" in schema:
        return f"text matching `{schema['pattern'].replace(END_OF_TEXT, '')}`"
    if kind not in ("integer", "number"):
        return {"string": "text", "object": "a mapping"}.get(kind, kind)
    low, high = schema.get("minimum"), schema.get("maximum")
    if "exclusiveMinimum" in schema:
        bounds = f"above {number(schema['exclusiveMinimum'])}, at most {number(high)}"
    elif low is not None and high is not None:
        bounds = f"{number(low)} to {number(high)}"
    else:
        bounds = f">= {number(low)}" if low is not None else ""
    noun = {"integer": "an integer", "number": "a number"}[kind]
    return f"{noun.split()[1] + 's' if plural else noun} {bounds}".strip()


def _default(schema: dict) -> str:
    if schema.get("default") is None:
        return "none"
    text = yaml.safe_dump(schema["default"], default_flow_style=True, width=200)
    return f"`{text.removesuffix(YAML_END).strip()}`"


def _rows(properties: dict, prefix: str = "") -> list[str]:
    rows = []
    for key, schema in properties.items():
        meaning = " ".join(schema["description"].split()).replace("|", "\\|")
        cells = [f"`{prefix}{key}`", _default(schema), allowed(schema, key), meaning]
        rows.append(f"| {' | '.join(cells)} |")
        rows += _rows(schema.get("properties", {}), f"{prefix}{key}.")
    return rows


def _table(title: str, description: str, properties: dict) -> list[str]:
    return [
        f"## {title}",
        "",
        " ".join(description.split()),
        "",
        "| key | default | allowed | meaning |",
        "| --- | --- | --- | --- |",
        *_rows(properties),
        "",
    ]


def tables() -> str:
    """The settings tables, top level first, then one experiment, then part two."""
    config, experiments = (
        yaml.safe_load((SCHEMAS / f"{name}.schema.yaml").read_text())
        for name in ("config", "experiments")
    )
    settings = config["properties"]
    sections = {key: s for key, s in settings.items() if "properties" in s}
    top = {key: s for key, s in settings.items() if key not in sections}
    entry = experiments["additionalProperties"]["properties"]
    lines = [BEGIN, ""]
    lines += _table("Top level", config["description"], top)
    lines += _table("An experiment", experiments["description"], entry)
    for name, schema in sections.items():
        lines += _table(f"`{name}`", schema["description"], schema["properties"])
    return "\n".join([*lines, END])


def readme_with_tables(readme: str) -> str:
    """``readme`` with the text between the markers replaced by :func:`tables`."""
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + tables() + readme[end:]


if __name__ == "__main__":
    README.write_text(readme_with_tables(README.read_text()))
