"""Write workflow/envs/pipeline.yaml, the rules' conda environment, from the
pins of requirements.txt: run ``python tools/lock.py`` after pip-compile."""

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = PROJECT / "requirements.txt"
CONDA_ENVIRONMENT = PROJECT / "workflow" / "envs" / "pipeline.yaml"
PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)")
COMPILED_WITH = re.compile(r"^# .*pip-compile with Python (?P<python>\d+\.\d+)$", re.M)


def read_pins(lock: str | Path) -> dict[str, str]:
    """Package name -> version of every ``name==version`` line pip-compile wrote."""
    pins = {}
    for number, line in enumerate(Path(lock).read_text().splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            match = PIN.fullmatch(line.strip())
            if match is None:
                raise ValueError(
                    f"{lock}:{number}: {line!r} is not a name==version pin"
                )
            pins[match["name"]] = match["version"]
    return pins


def compiled_for_python(lock: str | Path) -> str:
    """The Python version, major.minor, that pip-compile resolved the lock for."""
    match = COMPILED_WITH.search(Path(lock).read_text())
    if match is None:
        raise ValueError(f"{lock}: no 'pip-compile with Python X.Y' header")
    return match["python"]


def conda_environment(pins: dict[str, str], python: str) -> str:
    """The lock's Python from conda-forge, then every pin through pip, listed
    since Snakemake builds the environment from its own copy of the file, where
    a ``-r`` path would not resolve."""
    lines = [
        "# One software environment for every rule, for runs with",
        "# --software-deployment-method conda (e.g. on a cluster): the same pins as",
        "# requirements.txt. Written by `python tools/lock.py`.",
        "channels:",
        "  - conda-forge",
        "  - nodefaults",
        "dependencies:",
        f"  - python={python}",
        "  - pip",
        "  - pip:",
        *(f"      - {name}=={version}" for name, version in pins.items()),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    CONDA_ENVIRONMENT.write_text(
        conda_environment(read_pins(RUNTIME_LOCK), compiled_for_python(RUNTIME_LOCK))
    )
