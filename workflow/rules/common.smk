import sys

# This workflow's own folder, also when another workflow uses it as a module;
# its scripts/ holds the library the rules and the parsing below import.
WORKFLOW_ROOT = Path(workflow.current_basedir).parents[1]
sys.path.insert(0, str(WORKFLOW_ROOT / "scripts"))

from eigeninit import jobs
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    depth_figure_names,
)
from eigeninit.provenance import config_hash
from eigeninit.settings import ConfigError, check_config

try:
    SETTINGS = check_config(config)
except ConfigError as error:
    raise WorkflowError(f"Invalid config: {error}") from None
# Rules read the checked config: defaults filled in, numbers typed, experiments read.
config.clear()
config.update(SETTINGS.config)
EXPERIMENTS = SETTINGS.experiments
CIRCULAR_LAW = config["circular_law"]
DEPTH = config["depth"]
DEPTH_FIGURE_NAMES = depth_figure_names(DEPTH["weight_sharing"])
PROJECT = "eigeninit"
ARCHIVE = f"results/archive/{PROJECT}-results.tar.gz"


wildcard_constraints:
    experiment="|".join(EXPERIMENTS),
    k=r"\d+",
    scheme="|".join(DEPTH["schemes"]),
    matrices=r"\d+-\d+",
    networks=r"\d+-\d+",


def workflow_file(relative_path):
    """A file shipped with the workflow, found wherever the working directory is."""
    return str(WORKFLOW_ROOT / relative_path)


def experiment_of(wildcards):
    return EXPERIMENTS[wildcards.experiment]


def experiment_results(pattern, **wildcards):
    """``pattern`` under results/experiments/<name>/, for every experiment."""
    return expand(
        f"results/experiments/{{experiment}}/{pattern}",
        experiment=EXPERIMENTS,
        **wildcards,
    )


def figure_files(folder, names, suffixes=("png", "pdf")):
    """The figure files of a folder's set; ``folder`` may hold wildcards."""
    return expand(
        f"{folder}/figures/{{name}}.{{suffix}}",
        name=names,
        suffix=suffixes,
        allow_missing=True,
    )


def figure_outputs(folder, names, caption, subcategory, category="Part two", **labels):
    """The set's figure files, and their folder as an output so that Snakemake's
    report captions each figure with report/snakemake/<caption>_figure.rst: the
    pattern's {figure} reaches the caption as a wildcard, and params.figures
    maps each name to its description."""
    return dict(
        folder=report(
            directory(f"{folder}/figures"),
            patterns=["{figure}.png"],
            caption=f"../../report/snakemake/{caption}_figure.rst",
            category=category,
            subcategory=subcategory,
            labels=labels | {"figure": "{figure}"},
        ),
        figures=figure_files(folder, names),
    )


def descriptions(definitions):
    """{figure name: description}, for the report's captions."""
    return {name: definition.description for name, definition in definitions.items()}


def all_parts(parts):
    """Every part file of a {merged file: parts} mapping."""
    return [path for paths in parts.values() for path in paths]


def log_path(job):
    return f"results/logs/{job}.log"


def record_path(job):
    """The job's record of the files it read and wrote (eigeninit.runlog): an
    output of every rule, so that losing it reruns the job."""
    return f"results/logs/{job}.job.json"


def archived_results():
    """Every result a paper may cite, and the jobs' parts (the crate describes
    every job); lists of later rule files are read when the archive is built."""
    datasets = ["matrix.nc", "spectrum.nc", "iterations.nc", "summary.json"]
    return sorted(
        {
            "results/report.html",
            "results/report_numbers.json",
            *experiment_results("{name}", name=datasets),
            *experiment_results("figures/{f}.{s}", f=FIGURES, s=["png", "pdf"]),
            *all_parts(CIRCULAR_LAW_PARTS),
            *all_parts(DEPTH_PARTS),
            *CIRCULAR_LAW_PARTS,
            *DEPTH_PARTS,
            *(path for path in PART_TWO_SUMMARIES.values() if isinstance(path, str)),
            *figure_files("results/circular_law", CIRCULAR_LAW_FIGURES),
            *figure_files("results/depth", DEPTH_FIGURE_NAMES),
            *PAPER_EXPORTS,
            *JACOBIAN_RESULTS,
        }
    )


def workflow_source(wildcards):
    """The workflow's own files, listed only when the archive is built."""
    # Imported here: the archive's modules load xarray, which parsing skips.
    from eigeninit.bundle import source_files

    return list(source_files(WORKFLOW_ROOT).values())


def job_records():
    """The record of every job behind the archived results, for its RO-Crate."""
    return sorted(
        {
            job.output.record.apply_wildcards(job.get_wildcards(result))
            for result in archived_results()
            for job in workflow.rules
            if "record" in job.output.keys() and job.is_producer(result)
        }
    )


def resources(cost):
    """Memory and run time for a scheduler from ``cost(wildcards)``
    (eigeninit.jobs.Cost); attempt n of a job gets n times as much."""
    return dict(
        mem_mb=lambda wildcards, attempt: attempt * cost(wildcards).megabytes,
        runtime=lambda wildcards, attempt: cost(wildcards).minutes(attempt),
    )


LIGHT_RESOURCES = resources(lambda wildcards: jobs.LIGHT_COST)
