"""RO-Crate metadata describing the run, so the archive is a Workflow Run Crate.

Written by hand as a dict rather than with the ``rocrate`` package: that
package stamps the current time and random UUIDs, defaults to RO-Crate 1.3,
and would have to be overridden almost everywhere to give the same bytes twice.
Identifiers here are fixed or derived from the inputs, lists are sorted, and
there are no run times, so the same run gives the same JSON.

The crate conforms to the Workflow Run Crate profile and, when the jobs are
given, to the Provenance Run Crate profile; ``roc-validator`` checks both in
the test suite. Who made the work, its title, version, license and code
repository come from CITATION.cff, through :class:`eigeninit.citation.Citation`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from eigeninit.citation import Author, Citation

RO_CRATE = "https://w3id.org/ro/crate/1.1"
WORKFLOW_RO_CRATE = "https://w3id.org/workflowhub/workflow-ro-crate/1.0"
PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
WORKFLOW_RUN_CRATE = "https://w3id.org/ro/wfrun/workflow/0.5"
PROVENANCE_RUN_CRATE = "https://w3id.org/ro/wfrun/provenance/0.5"
BIOSCHEMAS_WORKFLOW = (
    "https://bioschemas.org/profiles/ComputationalWorkflow/1.0-RELEASE"
)
BIOSCHEMAS_PARAMETER = "https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE"
PROFILE_NAMES = {
    WORKFLOW_RO_CRATE: ("Workflow RO-Crate", "1.0"),
    PROCESS_RUN_CRATE: ("Process Run Crate", "0.5"),
    WORKFLOW_RUN_CRATE: ("Workflow Run Crate", "0.5"),
    PROVENANCE_RUN_CRATE: ("Provenance Run Crate", "0.5"),
    BIOSCHEMAS_WORKFLOW: ("Bioschemas ComputationalWorkflow profile", "1.0-RELEASE"),
    BIOSCHEMAS_PARAMETER: ("Bioschemas FormalParameter profile", "1.0-RELEASE"),
}
CONTEXT = [f"{RO_CRATE}/context", "https://w3id.org/ro/terms/workflow-run/context"]
METADATA_FILE = "ro-crate-metadata.json"
README_FILE = "README.md"
SNAKEMAKE = "https://w3id.org/workflowhub/workflow-ro-crate#snakemake"
RUN = "#run"
# Fixed, rather than the mimetypes module, whose answers depend on the machine.
# Snakefiles and .smk rules are Python with Snakemake's extra syntax.
ENCODING_FORMATS = {
    ".cff": "application/yaml",
    ".css": "text/css",
    ".csv": "text/csv",
    ".html": "text/html",
    ".in": "text/plain",
    ".j2": "text/x-jinja2",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".md": "text/markdown",
    ".nc": "application/x-netcdf",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".py": "text/x-python",
    ".rst": "text/x-rst",
    ".sh": "application/x-sh",
    ".smk": "text/x-python",
    ".tex": "text/x-tex",
    ".toml": "application/toml",
    ".txt": "text/plain",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
}
ENCODING_FORMATS_BY_NAME = {
    "Snakefile": "text/x-python",
    "LICENSE": "text/plain",
}
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

    Paths are relative to that folder. ``workflow`` is the Snakefile's path in
    the crate and ``source`` the paths of the workflow's other files in it.
    ``date_published`` is ISO 8601 (the commit time keeps it reproducible).
    ``traces`` are files about the run, such as provenance.json; ``manifest``
    is the file holding the checksum of every file. The crate also describes
    README.md, whose text :func:`crate_readme` writes. With ``steps`` (one per
    job) the crate is also a Provenance Run Crate; a step lists only the files
    that are in the crate.
    """
    about_crate = [README_FILE, *([manifest] if manifest else [])]
    crate_files = {*inputs, *outputs, *traces, *source, *about_crate, workflow}
    jobs = sorted(steps, key=lambda step: (step.rule, sorted(step.outputs)))
    rules = sorted({step.rule for step in jobs})
    job_ids = [f"#job-{index}" for index in range(len(jobs))]
    profiles = [WORKFLOW_RO_CRATE, PROCESS_RUN_CRATE, WORKFLOW_RUN_CRATE]
    if jobs:
        profiles.append(PROVENANCE_RUN_CRATE)
    parameters = {
        **{path: f"#input-{path}" for path in inputs},
        **{path: f"#output-{path}" for path in outputs},
    }
    agents = {author.identifier: author for author in credits.authors}
    if credits.publisher:
        agents[credits.publisher.identifier] = credits.publisher

    descriptor = {
        "@id": METADATA_FILE,
        "@type": "CreativeWork",
        "about": _ref("./"),
        "conformsTo": _refs([RO_CRATE, WORKFLOW_RO_CRATE]),
    }
    root = {
        "@id": "./",
        "@type": "Dataset",
        "name": credits.title,
        "description": description,
        "version": credits.version,
        "datePublished": date_published,
        "license": _ref(credits.license_url),
        "author": _refs(agent.identifier for agent in credits.authors),
        "conformsTo": _refs(profiles),
        "hasPart": _refs(sorted(crate_files)),
        "mainEntity": _ref(workflow),
        "mentions": _refs([RUN, *job_ids]),
    }
    if credits.publisher:
        root["publisher"] = _ref(credits.publisher.identifier)

    entities = [
        _workflow_entity(workflow, credits, date_published, parameters, inputs, rules),
        _language(snakemake_version),
        _license(credits.license, credits.license_url),
        *(_author_entity(author) for author in agents.values()),
        *(
            _profile(profile)
            for profile in [*profiles, BIOSCHEMAS_WORKFLOW, BIOSCHEMAS_PARAMETER]
        ),
        *(_parameter(parameters[path], path) for path in sorted(parameters)),
        _create_action(
            RUN,
            f"Run of {credits.title}",
            f"The Snakemake run of {workflow} that wrote the results in this crate.",
            workflow,
            inputs,
            outputs,
        ),
        *(
            _file(path, parameters.get(path), _about(path, traces, about_crate))
            for path in sorted(crate_files - {workflow})
        ),
        *(entity for rule in rules for entity in _rule_entities(rule, credits)),
    ]
    for job_id, job in zip(job_ids, jobs, strict=True):
        entities += _job_entities(job_id, job, crate_files, credits.repository)
    graph = [descriptor, root, *sorted(entities, key=lambda entity: entity["@id"])]
    return {"@context": CONTEXT, "@graph": graph}


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
    lines = [
        f"# {credits.title} {credits.version}",
        "",
        description,
        "",
        f"Authors: {authors}. License: {credits.license} ({credits.license_url}).",
        *([f"Code: {credits.repository}."] if credits.repository else []),
        "",
        f"This folder is an RO-Crate: `{METADATA_FILE}` describes every file in",
        "it, following RO-Crate's Workflow Run Crate profiles.",
        f"It records the run of the Snakemake workflow `{workflow}` that wrote",
        "the results: the configuration and inputs it read, and each job that",
        "ran, with its rule and the files it read and wrote.",
    ]
    if traces:
        names = ", ".join(f"`{path}`" for path in sorted(traces))
        lines.append(f"More about the run: {names}.")
    if manifest:
        lines.append(f"`{manifest}` holds the checksum of every file.")
    lines += [
        "",
        "Run times are not recorded, so that the same results give the same",
        "bytes whenever and wherever they are archived.",
    ]
    return "\n".join(lines) + "\n"


def encoding_format(path: str) -> str:
    """The media type of a file in the crate, from its name."""
    name = PurePosixPath(path).name
    if name in ENCODING_FORMATS_BY_NAME:
        return ENCODING_FORMATS_BY_NAME[name]
    return ENCODING_FORMATS.get(PurePosixPath(path).suffix, UNKNOWN_FORMAT)


def _workflow_entity(
    workflow: str,
    credits: Citation,
    date_created: str,
    parameters: dict[str, str],
    inputs: Sequence[str],
    rules: Sequence[str],
) -> dict:
    """The main workflow, with what the Bioschemas profile asks of it."""
    entity = {
        "@id": workflow,
        "@type": ["File", "SoftwareSourceCode", "ComputationalWorkflow"],
        "name": PurePosixPath(workflow).name,
        "encodingFormat": encoding_format(workflow),
        "conformsTo": _ref(BIOSCHEMAS_WORKFLOW),
        "programmingLanguage": _ref(SNAKEMAKE),
        **_url(credits.repository),
        "version": credits.version,
        "license": _ref(credits.license_url),
        "creator": _refs(agent.identifier for agent in credits.authors),
        "dateCreated": date_created,
        "input": _refs(parameters[path] for path in sorted(inputs)),
        "output": _refs(
            parameters[path] for path in sorted(set(parameters) - set(inputs))
        ),
    }
    if credits.publisher:
        entity["sdPublisher"] = _ref(credits.publisher.identifier)
    if rules:
        entity["@type"].append("HowTo")
        entity["hasPart"] = _refs(_rule_id(rule, credits.repository) for rule in rules)
        entity["step"] = _refs(_step_id(rule) for rule in rules)
    return entity


def _language(snakemake_version: str | None) -> dict:
    language = {
        "@id": SNAKEMAKE,
        "@type": "ComputerLanguage",
        "name": "Snakemake",
        "identifier": _ref("https://doi.org/10.1093/bioinformatics/bts480"),
        "url": _ref("https://snakemake.readthedocs.io"),
    }
    if snakemake_version:
        language["version"] = snakemake_version
    return language


def _license(spdx: str, url: str) -> dict:
    return {
        "@id": url,
        "@type": "CreativeWork",
        "name": f"{spdx} license",
        "identifier": spdx,
        "description": f"The license with SPDX identifier {spdx}.",
    }


def _parameter(identifier: str, path: str) -> dict:
    """A file the workflow reads or writes, as a parameter of the workflow.

    Snakemake's inputs and targets are file paths, so each file in the run is
    one parameter, named by its path in the crate.
    """
    return {
        "@id": identifier,
        "@type": "FormalParameter",
        "name": path,
        "additionalType": "File",
        "encodingFormat": encoding_format(path),
        "conformsTo": _ref(BIOSCHEMAS_PARAMETER),
        "workExample": _ref(path),
    }


def _rule_entities(rule: str, credits: Citation) -> list[dict]:
    """The rule as the tool a step runs, and as a step of the workflow.

    Rules live in the workflow's code, so they are identified under its
    repository and carry the workflow's version.
    """
    tool = {
        "@id": _rule_id(rule, credits.repository),
        "@type": "SoftwareApplication",
        "name": rule,
        **_url(credits.repository),
        "version": credits.version,
    }
    step = {
        "@id": _step_id(rule),
        "@type": "HowToStep",
        "name": rule,
        "workExample": _ref(tool["@id"]),
    }
    return [tool, step]


def _job_entities(
    job_id: str, job: Step, crate_files: set[str], repository: str | None
) -> list[dict]:
    """The job's run of its rule, and the workflow's orchestration of it."""
    run = _create_action(
        job_id,
        f"Job of rule {job.rule}",
        f"A Snakemake job of rule {job.rule}, with the files of this crate it "
        "read and wrote.",
        _rule_id(job.rule, repository),
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
    description: str,
    instrument: str,
    objects: Sequence[str],
    results: Sequence[str],
) -> dict:
    """An action without agent or times: see the README on what is left out."""
    action = {
        "@id": identifier,
        "@type": "CreateAction",
        "name": name,
        "description": description,
        "instrument": _ref(instrument),
    }
    if objects:
        action["object"] = _refs(sorted(objects))
    if results:
        action["result"] = _refs(sorted(results))
    return action


def _about(path: str, traces: Sequence[str], about_crate: Sequence[str]) -> str | None:
    if path in traces:
        return RUN
    if path in about_crate:
        return "./"
    return None


def _file(path: str, parameter: str | None, about: str | None) -> dict:
    entity = {
        "@id": path,
        "@type": "File",
        "name": PurePosixPath(path).name,
        "encodingFormat": encoding_format(path),
    }
    if parameter:
        entity["exampleOfWork"] = _ref(parameter)
    if about:
        entity["about"] = _ref(about)
    return entity


def _profile(identifier: str) -> dict:
    name, version = PROFILE_NAMES[identifier]
    return {
        "@id": identifier,
        "@type": "CreativeWork",
        "name": name,
        "version": version,
    }


def _author_entity(author: Author) -> dict:
    entity = {"@id": author.identifier, "@type": author.type, "name": author.name}
    if author.url:
        entity["url"] = author.url
    return entity


def _rule_id(rule: str, repository: str | None) -> str:
    """Under the code repository when there is one, else local to the crate."""
    return f"{repository or ''}#rule-{rule}"


def _step_id(rule: str) -> str:
    return f"#step-{rule}"


def _url(url: str | None) -> dict:
    return {"url": url} if url else {}


def _ref(identifier: str) -> dict:
    return {"@id": identifier}


def _refs(identifiers: Iterable[str]) -> dict | list[dict]:
    """One reference alone, several as a list, as RO-Crate 1.1 recommends."""
    references = [_ref(identifier) for identifier in identifiers]
    return references[0] if len(references) == 1 else references
