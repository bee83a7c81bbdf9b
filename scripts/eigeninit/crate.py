"""RO-Crate metadata that makes the archive a Workflow Run Crate (and, given the
jobs, a Provenance Run Crate), written with the ``rocrate`` package.

The same run gives the same JSON: RO-Crate 1.1, which the 0.5 run crate
profiles build on; an @id for every entity (rocrate would draw random UUIDs);
the given publication date in place of the current time; a fixed order; no run
times. Credits come from CITATION.cff (:class:`eigeninit.citation.Citation`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath

from rocrate.model import ContextEntity, Entity
from rocrate.model.metadata import BASENAME as METADATA_FILE
from rocrate.rocrate import ROCrate

from eigeninit.citation import Citation

WORKFLOW_RO_CRATE = "https://w3id.org/workflowhub/workflow-ro-crate/1.0"
PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
WORKFLOW_RUN_CRATE = "https://w3id.org/ro/wfrun/workflow/0.5"
PROVENANCE_RUN_CRATE = "https://w3id.org/ro/wfrun/provenance/0.5"
BIOSCHEMAS = "https://bioschemas.org/profiles"
BIOSCHEMAS_WORKFLOW = f"{BIOSCHEMAS}/ComputationalWorkflow/1.0-RELEASE"
# The profile rocrate's add_formal_parameter says every parameter follows.
BIOSCHEMAS_PARAMETER = f"{BIOSCHEMAS}/FormalParameter/1.0-RELEASE"
PROFILES = {
    WORKFLOW_RO_CRATE: ("Workflow RO-Crate", "1.0"),
    PROCESS_RUN_CRATE: ("Process Run Crate", "0.5"),
    WORKFLOW_RUN_CRATE: ("Workflow Run Crate", "0.5"),
    PROVENANCE_RUN_CRATE: ("Provenance Run Crate", "0.5"),
    BIOSCHEMAS_WORKFLOW: ("Bioschemas ComputationalWorkflow profile", "1.0-RELEASE"),
    BIOSCHEMAS_PARAMETER: ("Bioschemas FormalParameter profile", "1.0-RELEASE"),
}
WORKFLOW_RUN_CONTEXT = "https://w3id.org/ro/terms/workflow-run/context"
README_FILE = "README.md"
# Fixed, rather than the mimetypes module, whose answers depend on the machine;
# by suffix, or by the whole name for files without one. Snakefiles and .smk
# rules are Python with Snakemake's extra syntax.
MEDIA_TYPES = {
    "application/json": (".json",),
    "application/ld+json": (".jsonld",),
    "application/pdf": (".pdf",),
    "application/toml": (".toml",),
    "application/x-netcdf": (".nc",),
    "application/x-sh": (".sh",),
    "application/yaml": (".cff", ".yaml", ".yml"),
    "image/png": (".png",),
    "text/css": (".css",),
    "text/csv": (".csv",),
    "text/html": (".html",),
    "text/markdown": (".md",),
    "text/plain": (".in", ".txt", "LICENSE"),
    "text/x-jinja2": (".j2",),
    "text/x-python": (".py", ".smk", "Snakefile"),
    "text/x-rst": (".rst",),
    "text/x-tex": (".tex",),
}
ENCODING_FORMATS = {key: media for media, keys in MEDIA_TYPES.items() for key in keys}
UNKNOWN_FORMAT = "application/octet-stream"


@dataclass(frozen=True)
class Step:
    """One job of the run: the rule that ran, and the files it read and wrote."""

    rule: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def ro_crate_metadata(
    *,
    credits: Citation,
    description: str,
    date_published: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    workflow: str = "Snakefile",
    source: Sequence[str] = (),
    steps: Sequence[Step] = (),
    traces: Sequence[str] = (),
    manifest: str | None = None,
    snakemake_version: str | None = None,
) -> dict:
    """JSON-LD of the crate whose root is the archive's top folder.

    Paths are relative to that folder: ``workflow`` the Snakefile's, ``source``
    the workflow's other files, ``traces`` files about the run (provenance.json),
    ``manifest`` the checksum file; README.md (:func:`crate_readme`) is
    described too. ``date_published`` is ISO 8601. ``steps`` (one per job) make
    it a Provenance Run Crate; a step lists only the files in the crate.
    """
    crate = ROCrate(version="1.1")
    crate.metadata.extra_contexts.append(WORKFLOW_RUN_CONTEXT)
    add = partial(_add, crate)
    jobs = sorted(steps, key=lambda step: (step.rule, sorted(step.outputs)))
    rules = sorted({step.rule for step in jobs})
    profiles = [WORKFLOW_RO_CRATE, PROCESS_RUN_CRATE, WORKFLOW_RUN_CRATE]
    if jobs:
        profiles.append(PROVENANCE_RUN_CRATE)
    for profile in [*profiles, BIOSCHEMAS_WORKFLOW, BIOSCHEMAS_PARAMETER]:
        name, version = PROFILES[profile]
        add(profile, "CreativeWork", name=name, version=version)
    spdx = credits.license
    license = add(
        credits.license_url,
        "CreativeWork",
        name=f"{spdx} license",
        identifier=spdx,
        description=f"The license with SPDX identifier {spdx}.",
    )
    authors = [
        add(a.identifier, a.type, name=a.name, url=a.url) for a in credits.authors
    ]
    publisher = credits.publisher and crate.get(credits.publisher.identifier)
    root = _present(
        name=credits.title,
        description=description,
        version=credits.version,
        datePublished=date_published,
        license=license,
        author=authors,
        publisher=publisher,
        conformsTo=[crate.get(profile) for profile in profiles],
    )
    for key, value in root.items():
        crate.root_dataset[key] = value
    # Rules live in the workflow's code, so they are identified under its
    # repository when there is one, and carry the workflow's version.
    tools = {
        rule: add(
            f"{credits.repository or ''}#rule-{rule}",
            "SoftwareApplication",
            name=rule,
            url=credits.repository,
            version=credits.version,
        )
        for rule in rules
    }
    rule_steps = {
        rule: add(f"#step-{rule}", "HowToStep", name=rule, workExample=tool)
        for rule, tool in tools.items()
    }
    workflow_types = ["File", "SoftwareSourceCode", "ComputationalWorkflow"]
    main = crate.add_workflow(
        dest_path=workflow,
        main=True,
        lang="snakemake",
        lang_version=snakemake_version,
        properties={"@type": workflow_types + (["HowTo"] if rules else [])}
        | _present(
            **_file_properties(workflow),
            conformsTo=crate.get(BIOSCHEMAS_WORKFLOW),
            url=credits.repository,
            version=credits.version,
            license=license,
            creator=authors,
            sdPublisher=publisher,
            dateCreated=date_published,
            hasPart=list(tools.values()),
            step=list(rule_steps.values()),
        ),
    )

    about_crate = [README_FILE, *([manifest] if manifest else [])]
    files = {workflow: main}
    for path in sorted(
        {*inputs, *outputs, *traces, *source, *about_crate} - {workflow}
    ):
        files[path] = crate.add_file(dest_path=path, properties=_file_properties(path))
    for direction, paths in (("input", inputs), ("output", outputs)):
        for path in sorted(paths):
            # Required: Snakemake stops without an input and fails without an output.
            parameter = crate.add_formal_parameter(
                path,
                "File",
                f"#{direction}-{path}",
                valueRequired=True,
                properties={"encodingFormat": encoding_format(path)},
            )
            parameter["workExample"] = files[path]
            files[path]["exampleOfWork"] = parameter
            main.append_to(direction, parameter, compact=True)

    def in_crate(paths: Iterable[str]) -> list[Entity]:
        return [files[path] for path in sorted(paths) if path in files]

    # Actions without agent or times: docs/archive.md says why.
    run = add(
        "#run",
        "CreateAction",
        name=f"Run of {credits.title}",
        description=f"The Snakemake run of {workflow} that wrote the results in "
        "this crate.",
        instrument=main,
        object=in_crate(inputs),
        result=in_crate(outputs),
    )
    crate.root_dataset["mentions"] = run
    for index, job in enumerate(jobs):
        job_run = add(
            f"#job-{index}",
            "CreateAction",
            name=f"Job of rule {job.rule}",
            description=f"A Snakemake job of rule {job.rule}, with the files of "
            "this crate it read and wrote.",
            instrument=tools[job.rule],
            object=in_crate(job.inputs),
            result=in_crate(job.outputs),
        )
        add(
            f"#control-{index}",
            "ControlAction",
            name=f"orchestrate rule {job.rule}",
            instrument=rule_steps[job.rule],
            object=job_run,
        )
        crate.root_dataset.append_to("mentions", job_run, compact=True)
    for path in traces:
        files[path]["about"] = run
    for path in about_crate:
        files[path]["about"] = crate.root_dataset
    return crate.metadata.generate()


def crate_readme(
    *,
    credits: Citation,
    description: str,
    workflow: str,
    traces: Sequence[str] = (),
    manifest: str | None = None,
) -> str:
    """The crate's README.md: what it is, who made it, what it holds."""
    authors = ", ".join(agent.name for agent in credits.authors)
    code = f"\nCode: {credits.repository}." if credits.repository else ""
    names = ", ".join(f"`{path}`" for path in sorted(traces))
    about = (f"\nMore about the run: {names}." if traces else "") + (
        f"\n`{manifest}` holds the checksum of every file." if manifest else ""
    )
    return f"""# {credits.title} {credits.version}

{description}

Authors: {authors}. License: {credits.license} ({credits.license_url}).{code}

This folder is an RO-Crate: `{METADATA_FILE}` describes every file in
it, following RO-Crate's Workflow Run Crate profiles.
It records the run of the Snakemake workflow `{workflow}` that wrote
the results: the configuration and inputs it read, and each job that
ran, with its rule and the files it read and wrote.{about}

Run times are not recorded, so that the same results give the same
bytes whenever and wherever they are archived.
"""


def encoding_format(path: str) -> str:
    """The media type of a file in the crate, from its name."""
    path = PurePosixPath(path)
    return ENCODING_FORMATS.get(path.name) or ENCODING_FORMATS.get(
        path.suffix, UNKNOWN_FORMAT
    )


def _file_properties(path: str) -> dict:
    return {"name": PurePosixPath(path).name, "encodingFormat": encoding_format(path)}


def _add(crate: ROCrate, entity_id: str, entity_type: str, /, **properties) -> Entity:
    """A contextual entity; one added again with the same @id replaces it."""
    values = {"@type": entity_type, **_present(**properties)}
    return crate.add(ContextEntity(crate, entity_id, values))


def _present(**properties) -> dict:
    """The properties that have a value; a list of one as its value alone, as
    RO-Crate 1.1 recommends."""
    return {
        key: value[0] if isinstance(value, list) and len(value) == 1 else value
        for key, value in properties.items()
        if value is not None and value != []
    }
