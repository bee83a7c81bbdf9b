"""Where a result came from: the config's hash, the code's commit, the packages."""

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from eigeninit.jsonio import canonical_json

PACKAGES = (
    "snakemake numpy scipy xarray h5netcdf h5py netCDF4 matplotlib jinja2 pandas "
    "threadpoolctl"
).split()
RERUN_COMMAND = "python scripts/verify_archive.py ARCHIVE --rerun"
"""How an archive's results are produced again: its config.yaml and inputs/
through the workflow (Snakemake does not pass its own command line to jobs)."""


def config_hash(config: dict) -> str:
    """sha256 of the config as canonical JSON (sorted keys), after defaults."""
    return hashlib.sha256(canonical_json(config, compact=True).encode()).hexdigest()


def _git(directory: str | Path, *args: str) -> str | None:
    """git's output in ``directory``, or None outside a git checkout."""
    try:
        return subprocess.run(
            ["git", *args], cwd=directory, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def git_state(directory: str | Path = ".") -> dict:
    """The checkout's commit and whether tracked files differ from it."""
    commit = _git(directory, "rev-parse", "HEAD")
    status = _git(directory, "status", "--porcelain", "--untracked-files=no")
    if commit is None or status is None:
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status)}


def short_commit(directory: str | Path = ".") -> str:
    """The checkout's abbreviated commit, or "nogit" outside a git checkout."""
    return (git_state(directory)["commit"] or "nogit")[:7]


def commit_time(directory: str | Path = ".") -> int:
    """Seconds since the epoch of the checkout's commit (0 outside a git
    checkout): every archive member's mtime, so archives change with the code."""
    return int(_git(directory, "log", "-1", "--format=%ct") or 0)


def package_versions(packages=PACKAGES) -> dict:
    """Installed versions of the packages the results depend on."""
    versions = {"python": platform.python_version()}
    for package in packages:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def run_provenance(directory: str | Path = ".") -> dict:
    """Everything needed to say how a set of results was produced, without dates;
    ``blas``: the BLAS and OpenMP libraries loaded and their thread counts."""
    import numpy as np
    from threadpoolctl import threadpool_info

    build = np.show_config(mode="dicts").get("Build Dependencies", {})
    keys = ("user_api", "internal_api", "version", "num_threads", "architecture")
    pools = [{key: pool.get(key) for key in keys} for pool in threadpool_info()]
    system = ("system", "release", "machine", "python_implementation")
    return {
        "git": git_state(directory),
        "rerun_command": RERUN_COMMAND,
        "versions": package_versions(),
        "blas": sorted(pools, key=lambda pool: [str(pool[key]) for key in keys]),
        "numpy_build": {
            lib: build.get(lib, {}).get("name") for lib in ("blas", "lapack")
        },
        "platform": {name: getattr(platform, name)() for name in system},
    }
