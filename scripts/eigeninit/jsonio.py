"""JSON as the project writes it: numpy values as plain numbers, no NaN, atomic.

Summaries keep their keys in the order the code builds them (the write-up
follows it); anything hashed or archived sorts them, so one content has one
byte string.
"""

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from eigeninit.atomic import write_text


def to_plain(value):
    """``value`` with numpy scalars and arrays as Python numbers and lists."""
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [to_plain(item) for item in value]
    if isinstance(value, np.generic):
        return to_plain(value.item())
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="surrogateescape")
    return value


def canonical_json(data, compact: bool = False) -> str:
    """Sorted keys; indented with a trailing newline, or compact for hashing."""
    layout = {"separators": (",", ":")} if compact else {"indent": 2}
    text = json.dumps(to_plain(data), sort_keys=True, allow_nan=False, **layout)
    return text if compact else text + "\n"


def write_json(data: dict, path: str | Path) -> None:
    """Write a summary atomically, keys in the order given; NaN is refused."""
    write_text(path, json.dumps(to_plain(data), indent=2, allow_nan=False) + "\n")


def read_json(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_optional_json(files: str | list) -> dict | None:
    """The JSON of a rule input that may be absent (a path, or a list of at most
    one), or None."""
    paths = [files] if isinstance(files, str) else list(files)
    if len(paths) > 1:
        raise ValueError(f"expected at most one file, got {paths}")
    return read_json(paths[0]) if paths else None
