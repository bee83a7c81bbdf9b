"""RO-Crate metadata describing the run, so the archive is a Workflow Run Crate.

Written by hand as a dict rather than with the ``rocrate`` package: that
package stamps the current time and random UUIDs, defaults to RO-Crate 1.3,
and would have to be overridden almost everywhere to give the same bytes twice.
Identifiers here are fixed or derived from the inputs, lists are sorted, and
there are no run times, so the same run gives the same JSON.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

RO_CRATE = "https://w3id.org/ro/crate/1.1"
WORKFLOW_RO_CRATE = "https://w3id.org/workflowhub/workflow-ro-crate/1.0"
PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
WORKFLOW_RUN_CRATE = "https://w3id.org/ro/wfrun/workflow/0.5"
PROVENANCE_RUN_CRATE = "https://w3id.org/ro/wfrun/provenance/0.5"
PROFILE_NAMES = {
    WORKFLOW_RO_CRATE: ("Workflow RO-Crate", "1.0"),
    PROCESS_RUN_CRATE: ("Process Run Crate", "0.5"),
    WORKFLOW_RUN_CRATE: ("Workflow Run Crate", "0.5"),
    PROVENANCE_RUN_CRATE: ("Provenance Run Crate", "0.5"),
}
CONTEXT = [f"{RO_CRATE}/context", "https://w3id.org/ro/terms/workflow-run/context"]
METADATA_FILE = "ro-crate-metadata.json"
SNAKEMAKE = "https://w3id.org/workflowhub/workflow-ro-crate#snakemake"
RUN = "#run"
# Fixed, rather than the mimetypes module, whose answers depend on the machine.
ENCODING_FORMATS = {
    ".csv": "text/csv",
    ".html": "text/html",
    ".json": "application/json",
    ".nc": "application/x-netcdf",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".yaml": "application/yaml",
}


@dataclass(frozen=True)
class Step:
    """One job of the run: the rule that ran, and the files it read and wrote."""

    rule: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def ro_crate_metadata(
    *,
    name: str,
    description: str,
    date_published: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    workflow: str = "Snakefile",
    steps: Sequence[Step] = (),
    traces: Sequence[str] = (),
    license: str | None = None,
    snakemake_version: str | None = None,
) -> dict:
    """JSON-LD of the crate whose root is the archive's top folder.

    Paths are relative to that folder. ``workflow`` is the Snakefile's path in
    the crate or, when the archive does not hold the code, its URL.
    ``date_published`` is ISO 8601 (the commit time keeps it reproducible).
    ``traces`` are files about the run, such as provenance.json. With ``steps``
    (one per job) the crate is also a Provenance Run Crate; a step lists only
    the files that are in the crate.
    """
    crate_files = {*inputs, *outputs, *traces}
    jobs = sorted(steps, key=lambda step: (step.rule, sorted(step.outputs)))
    rules = sorted({step.rule for step in jobs})
    job_ids = [f"#job-{index}" for index in range(len(jobs))]
    profiles = [WORKFLOW_RO_CRATE, PROCESS_RUN_CRATE, WORKFLOW_RUN_CRATE]
    if jobs:
        profiles.append(PROVENANCE_RUN_CRATE)

    descriptor = {
        "@id": METADATA_FILE,
        "@type": "CreativeWork",
        "about": _ref("./"),
        "conformsTo": _refs([RO_CRATE, WORKFLOW_RO_CRATE]),
    }
    root = {
        "@id": "./",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "datePublished": date_published,
        "conformsTo": _refs(profiles),
        "hasPart": _refs(sorted({workflow, *crate_files})),
        "mainEntity": _ref(workflow),
        "mentions": _refs([RUN, *job_ids]),
    }
    if license:
        root["license"] = _ref(license)
    workflow_entity = {
        "@id": workflow,
        "@type": ["File", "SoftwareSourceCode", "ComputationalWorkflow"],
        "name": PurePosixPath(workflow).name,
        "programmingLanguage": _ref(SNAKEMAKE),
    }
    if jobs:
        workflow_entity["@type"].append("HowTo")
        workflow_entity["hasPart"] = _refs(_rule_id(rule) for rule in rules)
        workflow_entity["step"] = _refs(_step_id(rule) for rule in rules)
    language = {
        "@id": SNAKEMAKE,
        "@type": "ComputerLanguage",
        "name": "Snakemake",
        "identifier": _ref("https://doi.org/10.1093/bioinformatics/bts480"),
        "url": _ref("https://snakemake.readthedocs.io"),
    }
    if snakemake_version:
        language["version"] = snakemake_version

    entities = [
        workflow_entity,
        language,
        _create_action(RUN, f"Run of {name}", workflow, inputs, outputs),
        *(_profile(profile) for profile in profiles),
        *(_file(path, path in traces) for path in sorted(crate_files - {workflow})),
        *(entity for rule in rules for entity in _rule_entities(rule)),
    ]
    for job_id, job in zip(job_ids, jobs, strict=True):
        entities += _job_entities(job_id, job, crate_files)
    graph = [descriptor, root, *sorted(entities, key=lambda entity: entity["@id"])]
    return {"@context": CONTEXT, "@graph": graph}


def _rule_entities(rule: str) -> list[dict]:
    """The rule as the tool a step runs, and as a step of the workflow."""
    tool = {"@id": _rule_id(rule), "@type": "SoftwareApplication", "name": rule}
    step = {
        "@id": _step_id(rule),
        "@type": "HowToStep",
        "name": rule,
        "workExample": _ref(_rule_id(rule)),
    }
    return [tool, step]


def _job_entities(job_id: str, job: Step, crate_files: set[str]) -> list[dict]:
    """The job's run of its rule, and the workflow's orchestration of it."""
    run = _create_action(
        job_id,
        f"Job of rule {job.rule}",
        _rule_id(job.rule),
        [path for path in job.inputs if path in crate_files],
        [path for path in job.outputs if path in crate_files],
    )
    control = {
        "@id": job_id.replace("#job-", "#control-"),
        "@type": "ControlAction",
        "name": f"orchestrate rule {job.rule}",
        "instrument": _ref(_step_id(job.rule)),
        "object": _ref(job_id),
    }
    return [run, control]


def _create_action(
    identifier: str,
    name: str,
    instrument: str,
    objects: Sequence[str],
    results: Sequence[str],
) -> dict:
    return {
        "@id": identifier,
        "@type": "CreateAction",
        "name": name,
        "instrument": _ref(instrument),
        "object": _refs(sorted(objects)),
        "result": _refs(sorted(results)),
    }


def _file(path: str, about_run: bool) -> dict:
    entity = {"@id": path, "@type": "File", "name": PurePosixPath(path).name}
    encoding = ENCODING_FORMATS.get(PurePosixPath(path).suffix)
    if encoding:
        entity["encodingFormat"] = encoding
    if about_run:
        entity["about"] = _ref(RUN)
    return entity


def _profile(identifier: str) -> dict:
    name, version = PROFILE_NAMES[identifier]
    return {
        "@id": identifier,
        "@type": "CreativeWork",
        "name": name,
        "version": version,
    }


def _rule_id(rule: str) -> str:
    return f"#rule-{rule}"


def _step_id(rule: str) -> str:
    return f"#step-{rule}"


def _ref(identifier: str) -> dict:
    return {"@id": identifier}


def _refs(identifiers) -> list[dict]:
    return [_ref(identifier) for identifier in identifiers]
