"""What the archive holds beside the results: the inputs the config names
(``inputs/``), the workflow's source (``source/``), the merged config that was
used, ``provenance.json`` and an RO-Crate describing the run."""

import copy
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import yaml

from eigeninit.archive import CONFIG, INPUTS, MANIFEST, write_archive
from eigeninit.citation import Citation
from eigeninit.crate import (
    METADATA_FILE,
    README_FILE,
    Step,
    crate_readme,
    ro_crate_metadata,
)
from eigeninit.experiments import archived_name, file_sha256
from eigeninit.jsonio import canonical_json
from eigeninit.provenance import run_provenance

PROVENANCE_FILE = "provenance.json"
SOURCE = "source"
DESCRIPTION = (
    "Repeated products x(n+1) = A x(n) of seeded random matrices, their "
    "eigen-spectra, the circular law and signal propagation through depth, "
    "with the HTML write-up built from them."
)
SOURCE_PATTERNS = (
    *("Snakefile", "workflow/**/*", "profiles/**/*", "scripts/**/*.py"),
    *("report/**/*", "config/**/*", "requirements*.txt", "requirements*.in"),
    *("pyproject.toml", "README.md", "docs/**/*", "LICENSE", "CITATION.cff"),
)
"""The workflow's own files, as the archive's source/ folder holds them."""


def assemble_archive(
    archive_path: str | Path,
    *,
    root: str | Path,
    results: Sequence[str],
    inputs: Sequence[str],
    source: Mapping[str, Path],
    config: dict,
    credits: Citation,
    top_folder: str,
    mtime: int,
    steps: Sequence[Step] = (),
    workflow_dir: str | Path = ".",
) -> dict:
    """Write the archive and return its manifest.

    ``results`` are paths relative to ``root`` (the working directory);
    ``inputs``, the paths the config names, are stored under ``inputs/`` as
    :func:`eigeninit.experiments.archived_name` names them, and so the archived
    config names them. ``source`` maps paths inside ``source/`` to files.
    """
    stored = {
        name: archived_name(name, root, partial(file_sha256, Path(root) / name))
        for name in inputs
    }
    config = copy.deepcopy(config)
    for settings in config.get("experiments", {}).values():
        if settings.get("matrix") in stored:
            settings["matrix"] = stored[settings["matrix"]]

    def in_crate(names):
        return tuple(f"{INPUTS}/{stored[n]}" if n in stored else n for n in names)

    provenance = run_provenance(workflow_dir)
    extra = {f"{INPUTS}/{stored[n]}": (Path(root) / n).read_bytes() for n in inputs}
    extra |= {f"{SOURCE}/{n}": Path(path).read_bytes() for n, path in source.items()}
    extra[CONFIG] = yaml.safe_dump(config, sort_keys=True).encode()
    extra[PROVENANCE_FILE] = canonical_json(provenance).encode()
    about = {
        "credits": credits,
        "description": DESCRIPTION,
        "workflow": f"{SOURCE}/Snakefile",
        "traces": [PROVENANCE_FILE],
        "manifest": MANIFEST,
    }
    extra[README_FILE] = crate_readme(**about).encode()
    crate = ro_crate_metadata(
        **about,
        date_published=datetime.fromtimestamp(mtime, UTC).isoformat(),
        inputs=[CONFIG, *sorted(set(in_crate(inputs)))],
        outputs=list(results),
        source=[f"{SOURCE}/{name}" for name in source],
        steps=[Step(s.rule, in_crate(s.inputs), in_crate(s.outputs)) for s in steps],
        snakemake_version=provenance["versions"]["snakemake"],
    )
    extra[METADATA_FILE] = canonical_json(crate).encode()
    return write_archive(archive_path, root, list(results), top_folder, mtime, extra)


def recorded_steps(records: Sequence[str | Path], results: Sequence[str]) -> list[Step]:
    """The jobs that wrote ``results``, from their records (:mod:`eigeninit.runlog`);
    every result must have one, and jobs that wrote anything else are left out."""
    archived, written, steps = set(results), set(), []
    for path in records:
        record = json.loads(Path(path).read_text())
        outputs = record["outputs"]
        written |= set(outputs)
        if outputs and set(outputs) <= archived:
            steps.append(Step(record["rule"], tuple(record["inputs"]), tuple(outputs)))
    unrecorded = sorted(archived - written)
    if unrecorded:
        raise ValueError(
            f"no job record lists {unrecorded[0]} (and {len(unrecorded) - 1} more) "
            "as an output"
        )
    return sorted(steps, key=lambda step: (step.rule, step.outputs))


def source_files(
    workflow_dir: str | Path, patterns: Sequence[str] = SOURCE_PATTERNS
) -> dict[str, Path]:
    """The workflow's own files by their path inside it, without caches."""
    root = Path(workflow_dir)
    return {
        path.relative_to(root).as_posix(): path
        for pattern in patterns
        for path in sorted(root.glob(pattern))
        if path.is_file() and "__pycache__" not in path.parts
    }
