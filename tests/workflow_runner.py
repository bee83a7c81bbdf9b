"""Running the workflow from tests: the tiny config in a temporary directory."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
SNAKEFILE = PROJECT / "Snakefile"
TINY_CONFIG_FILE = PROJECT / "config" / "test.yaml"
TINY_CONFIG = yaml.safe_load(TINY_CONFIG_FILE.read_text())
CONFIG_INPUTS = ("config/published-matrix.csv",)
"""Files the tiny config names, relative to the working directory."""


def prepare_workdir(directory: Path, config: dict = TINY_CONFIG) -> Path:
    """Copy the files the config names into ``directory``; write the config there."""
    for name in CONFIG_INPUTS:
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / name, directory / name)
    return write_config(directory, config)


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
