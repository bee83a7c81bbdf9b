"""Where a result came from: the config's hash, the code's commit, the packages."""

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from eigeninit.jsonio import canonical_json

PACKAGES = (
    "snakemake",
    "numpy",
    "scipy",
    "xarray",
    "h5netcdf",
    "h5py",
    "netCDF4",
    "matplotlib",
    "jinja2",
    "pandas",
    "threadpoolctl",
)


def config_hash(config: dict) -> str:
    """sha256 of the config as canonical JSON (sorted keys), after defaults."""
    return hashlib.sha256(canonical_json(config, compact=True).encode()).hexdigest()


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


def blas_threads() -> list[dict]:
    """The BLAS and OpenMP libraries loaded in this process and their thread counts."""
    from threadpoolctl import threadpool_info

    keys = ("user_api", "internal_api", "version", "num_threads", "architecture")
    return [
        {key: pool.get(key) for key in keys}
        for pool in sorted(
            threadpool_info(), key=lambda pool: [str(pool.get(key)) for key in keys]
        )
    ]


def short_commit(directory: str | Path = ".") -> str:
    """The checkout's abbreviated commit, or "nogit" outside a git checkout."""
    commit = git_state(directory)["commit"]
    return commit[:7] if commit else "nogit"


def commit_time(directory: str | Path = ".") -> int:
    """Seconds since the epoch of the checkout's commit (0 outside a git checkout).

    Archives use it as every member's mtime, so they change only with the code.
    """
    try:
        output = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 0
    return int(output) if output else 0


RERUN_COMMAND = "python scripts/verify_archive.py ARCHIVE --rerun"
"""How an archive's results are produced again: its config.yaml and inputs/
through the workflow (Snakemake does not pass its own command line to jobs)."""


def run_provenance(directory: str | Path = ".") -> dict:
    """Everything needed to say how a set of results was produced, without dates."""
    import numpy as np

    numpy_config = np.show_config(mode="dicts")
    return {
        "git": git_state(directory),
        "rerun_command": RERUN_COMMAND,
        "versions": package_versions(),
        "blas": blas_threads(),
        "numpy_build": {
            "blas": numpy_config.get("Build Dependencies", {})
            .get("blas", {})
            .get("name"),
            "lapack": numpy_config.get("Build Dependencies", {})
            .get("lapack", {})
            .get("name"),
        },
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "python_implementation": platform.python_implementation(),
        },
    }
