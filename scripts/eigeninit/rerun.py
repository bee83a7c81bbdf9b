"""Rerun the workflow from an archive's config and inputs; compare the datasets."""

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import xarray as xr

from eigeninit import datasets
from eigeninit.archive import CONFIG, INPUTS, open_archive
from eigeninit.content_hash import GLOBAL_ATTRS, dataset_content_hashes


class RerunError(RuntimeError):
    """The workflow could not be rerun from the archive."""


def rerun_and_compare(
    archive_path: str | Path, project_dir: str | Path, cores: int = 2
) -> list[str]:
    """How the archived datasets differ, one line per variable, from those
    Snakemake rebuilds in a fresh directory from the archived ``config.yaml``
    and ``inputs/`` (at the paths the config names); none if identical."""
    with (
        tarfile.open(archive_path, "r:gz") as tar,
        tempfile.TemporaryDirectory() as scratch,
    ):
        archive = open_archive(tar)
        if CONFIG not in archive.files:
            raise RerunError(f"the archive has no {CONFIG} to rerun")
        rerun_dir, archived_dir = Path(scratch, "rerun"), Path(scratch, "archived")
        archive.extract(CONFIG, rerun_dir / CONFIG)
        for name in archive.files:
            if name.startswith(f"{INPUTS}/"):
                archive.extract(name, rerun_dir / name.removeprefix(f"{INPUTS}/"))
        expected = archive.manifest["datasets"]
        if not expected:  # no targets would make Snakemake run everything
            return []
        # --configfile takes several files: the next option ends its list.
        command = [sys.executable, "-m", "snakemake", "--directory", str(rerun_dir)]
        command += ["--snakefile", str(Path(project_dir) / "Snakefile")]
        command += ["--configfile", str(rerun_dir / CONFIG), "--cores", str(cores)]
        result = subprocess.run(
            [*command, *sorted(expected)], capture_output=True, text=True, cwd=rerun_dir
        )
        if result.returncode != 0:
            raise RerunError(f"snakemake failed:\n{result.stderr[-3000:]}")
        differences = []
        for name, hashes in sorted(expected.items()):
            found = dataset_content_hashes(rerun_dir / name)
            if found == hashes:
                continue
            archived = datasets.read(archive.extract(name, archived_dir / name))
            rerun = datasets.read(rerun_dir / name)
            differences += [
                f"{name}: {variable}: {_describe(archived, rerun, variable)}"
                for variable in sorted(set(hashes) | set(found))
                if hashes.get(variable) != found.get(variable)
            ]
        return differences


def _describe(archived: xr.Dataset, rerun: xr.Dataset, variable: str) -> str:
    """How one variable differs: its largest absolute difference, if comparable."""
    if variable == GLOBAL_ATTRS:
        return "global attributes differ"
    if variable not in rerun.variables:
        return "missing from the rerun"
    if variable not in archived.variables:
        return "not in the archive"
    old, new = archived.variables[variable], rerun.variables[variable]
    if old.shape != new.shape:
        return f"shape differs: {old.shape} archived, {new.shape} rerun"
    if old.dims != new.dims:
        return f"dimensions differ: {old.dims} archived, {new.dims} rerun"
    kinds = old.dtype.kind + new.dtype.kind
    if any(kind not in "biufc" for kind in kinds):
        changed = int(np.sum(old.values != new.values))
        return f"{changed} values differ" if changed else "attributes or type differ"
    number = complex if "c" in kinds else float
    old_values, new_values = (np.asarray(v.values, dtype=number) for v in (old, new))
    same = (old_values == new_values) | (np.isnan(old_values) & np.isnan(new_values))
    if same.all():
        return "attributes or type differ"
    largest = np.max(np.abs(old_values[~same] - new_values[~same]))
    return f"largest absolute difference {largest:.3g}"
