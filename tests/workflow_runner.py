"""Running the workflow from tests: a tiny config in a temporary directory."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
SNAKEFILE = PROJECT / "Snakefile"

# k = 4 with pcg64: seed 4 has a real dominant eigenvalue (ratio 0.40), seed 8
# a complex pair (ratio 0.35), so 40 iterations converge far below 1e-6.
TINY_CONFIG = {
    "circular_law": {"sizes": [4, 16], "seeds": 6, "seed": 1},
    "depth": {
        "k": 16,
        "layers": 6,
        "seeds": 4,
        "seed": 1,
        "schemes": ["lecun", "orthogonal"],
        "activations": ["linear", "relu"],
        "weights": ["independent", "shared"],
    },
    "experiments": {
        "post": {"k": 4, "iterations": 40, "seed": 4},
        "rotating": {"k": 4, "iterations": 40, "seed": 8},
        "published": {
            "matrix": "published-matrix.csv",
            "iterations": 40,
            "printed": {
                "moduli": [0.9800787336048253] * 2
                + [1.585503352157554] * 2
                + [2.603590423715464]
            },
        },
    },
}


def write_config(directory: Path, config: dict, name: str = "config.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def snakemake(directory: Path, config: Path, *args: str) -> subprocess.CompletedProcess:
    """Run Snakemake on the project's Snakefile in ``directory``; never raises."""
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(SNAKEFILE),
        "--directory",
        str(directory),
        "--configfile",
        str(config),
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=directory)


def planned_outputs(dry_run_output: str) -> set[str]:
    """The first output of every job a dry run lists (rule ``all`` has none)."""
    return set(re.findall(r"^\s+output: ([^,\s]+)", dry_run_output, flags=re.M))
