"""What goes into the archive next to the results, and how it is put together.

The archive holds the results, the inputs the config names (under
``inputs/``), the workflow's source (under ``source/``), the merged config that
was actually used, ``provenance.json`` and an RO-Crate describing the run.
Nothing in it depends on when it was built, so the same results give the same
bytes.
"""

import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import yaml

from eigeninit.archive import MANIFEST, write_archive
from eigeninit.citation import Citation
from eigeninit.crate import (
    METADATA_FILE,
    README_FILE,
    Step,
    crate_readme,
    ro_crate_metadata,
)
from eigeninit.experiments import archived_name
from eigeninit.jsonio import canonical_json
from eigeninit.provenance import run_provenance

CONFIG_FILE = "config.yaml"
PROVENANCE_FILE = "provenance.json"
INPUTS_FOLDER = "inputs"
SOURCE_FOLDER = "source"
DESCRIPTION = (
    "Repeated products x(n+1) = A x(n) of seeded random matrices, their "
    "eigen-spectra, the circular law and signal propagation through depth, "
    "with the HTML write-up built from them."
)


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
    ``inputs`` are the paths the config names, relative to ``root`` or not.
    Each input is stored under ``inputs/`` by
    :func:`eigeninit.experiments.archived_name`, and the archived config names
    it there, so it is found once unpacked.
    ``source`` maps paths inside ``source/`` to the workflow's files.
    """
    contents = {name: (Path(root) / name).read_bytes() for name in inputs}
    stored = {
        name: archived_name(
            name, root, lambda data=data: hashlib.sha256(data).hexdigest()
        )
        for name, data in contents.items()
    }
    extra = {f"{INPUTS_FOLDER}/{stored[name]}": data for name, data in contents.items()}
    extra |= {
        f"{SOURCE_FOLDER}/{name}": Path(path).read_bytes()
        for name, path in source.items()
    }
    extra[CONFIG_FILE] = yaml.safe_dump(
        _config_naming(config, stored), sort_keys=True
    ).encode()
    provenance = run_provenance(workflow_dir)
    extra[PROVENANCE_FILE] = canonical_json(provenance).encode()
    about = {
        "credits": credits,
        "description": DESCRIPTION,
        "workflow": f"{SOURCE_FOLDER}/Snakefile",
        "traces": [PROVENANCE_FILE],
        "manifest": MANIFEST,
    }
    extra[README_FILE] = crate_readme(**about).encode()
    crate = ro_crate_metadata(
        **about,
        date_published=datetime.fromtimestamp(mtime, UTC).isoformat(),
        inputs=[
            CONFIG_FILE,
            *(f"{INPUTS_FOLDER}/{name}" for name in sorted(set(stored.values()))),
        ],
        outputs=list(results),
        source=[f"{SOURCE_FOLDER}/{name}" for name in source],
        steps=[_crate_step(step, stored) for step in steps],
        snakemake_version=provenance["versions"]["snakemake"],
    )
    extra[METADATA_FILE] = canonical_json(crate).encode()
    return write_archive(archive_path, root, list(results), top_folder, mtime, extra)


def recorded_steps(records: Sequence[str | Path], results: Sequence[str]) -> list[Step]:
    """The jobs that wrote ``results``, from the records they left
    (:mod:`eigeninit.runlog`).

    Every result must come from one of the records; records whose outputs are
    not all among ``results`` (results not archived) are left out.
    """
    archived = set(results)
    steps = []
    written = set()
    for path in records:
        record = json.loads(Path(path).read_text())
        written |= set(record["outputs"])
        if record["outputs"] and set(record["outputs"]) <= archived:
            steps.append(
                Step(record["rule"], tuple(record["inputs"]), tuple(record["outputs"]))
            )
    unrecorded = sorted(archived - written)
    if unrecorded:
        raise ValueError(
            f"no job record lists {unrecorded[0]} (and {len(unrecorded) - 1} more) "
            "as an output"
        )
    return sorted(steps, key=lambda step: (step.rule, step.outputs))


def _config_naming(config: dict, stored: Mapping[str, str]) -> dict:
    """The config with every matrix file named as the archive stores it."""
    config = copy.deepcopy(config)
    for settings in config.get("experiments", {}).values():
        if settings.get("matrix") in stored:
            settings["matrix"] = stored[settings["matrix"]]
    return config


def _crate_step(step: Step, stored: Mapping[str, str]) -> Step:
    """A job's files as the crate names them: configured inputs live in inputs/."""

    def in_crate(name: str) -> str:
        return f"{INPUTS_FOLDER}/{stored[name]}" if name in stored else name

    return Step(
        step.rule,
        tuple(in_crate(name) for name in step.inputs),
        tuple(in_crate(name) for name in step.outputs),
    )


SOURCE_PATTERNS = (
    "Snakefile",
    "workflow/**/*",
    "profiles/**/*",
    "scripts/**/*.py",
    "report/**/*",
    "config/**/*",
    "requirements*.txt",
    "requirements*.in",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "CITATION.cff",
)
"""The workflow's own files, as the archive's source/ folder holds them."""


def source_files(
    workflow_dir: str | Path, patterns: Sequence[str] = SOURCE_PATTERNS
) -> dict[str, Path]:
    """The workflow's own files by their path inside it, without caches."""
    workflow_dir = Path(workflow_dir)
    files = {}
    for pattern in patterns:
        for path in sorted(workflow_dir.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(workflow_dir).as_posix()] = path
    return dict(sorted(files.items()))
