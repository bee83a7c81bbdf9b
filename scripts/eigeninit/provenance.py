"""Where a result came from: the config's hash, the code's commit, the packages."""

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "snakemake",
    "numpy",
    "scipy",
    "xarray",
    "h5netcdf",
    "h5py",
    "matplotlib",
    "jinja2",
)


def config_hash(config: dict) -> str:
    """sha256 of the config as canonical JSON (sorted keys), after defaults."""
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def git_state(directory: str | Path = ".") -> dict:
    """The checkout's commit and whether tracked files differ from it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=directory, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def package_versions(packages=PACKAGES) -> dict:
    """Installed versions of the packages the results depend on."""
    versions = {"python": platform.python_version()}
    for package in packages:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions
