import os
import shlex
import sys

from snakemake.utils import validate

# This workflow's own folder, wherever it is used from (also as a module of
# another workflow, whose basedir would be the host's).
WORKFLOW_ROOT = Path(workflow.current_basedir).parents[1]
sys.path.insert(0, str(WORKFLOW_ROOT / "scripts"))

from eigeninit.experiments import (
    ConfigError,
    check_renamed_settings,
    describe_schema_error,
    resolve_experiments,
)
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES, depth_figure_names
from eigeninit.provenance import config_hash
from eigeninit.bundle import source_files

try:
    check_renamed_settings(config)
    validate(config, "../schemas/config.schema.yaml")
except ConfigError as error:
    raise WorkflowError(f"Invalid config: {error}") from None
except WorkflowError as error:
    # Snakemake raises inside its handler of the jsonschema ValidationError.
    if not hasattr(error.__context__, "absolute_path"):
        raise
    raise WorkflowError(
        f"Invalid config: {describe_schema_error(error.__context__)}"
    ) from None
try:
    EXPERIMENTS = resolve_experiments(config)
except ConfigError as error:
    raise WorkflowError(f"Invalid config: {error}") from None

CIRCULAR_LAW = config["circular_law"]
DEPTH = config["depth"]
DEPTH_FIGURES = depth_figure_names(DEPTH["weight_sharing"])
PROJECT = "eigeninit"
# Jobs run in subprocesses with their own arguments; the environment carries
# the user's command line to the archive's provenance record.
os.environ.setdefault(
    "EIGENINIT_COMMAND_LINE", shlex.join(["snakemake", *sys.argv[1:]])
)


wildcard_constraints:
    experiment="|".join(EXPERIMENTS),
    k=r"\d+",
    scheme="|".join(DEPTH["schemes"]),
    sharing="|".join(DEPTH["weight_sharing"]),


def workflow_file(relative_path):
    """A file shipped with the workflow, found wherever the working directory is."""
    return str(WORKFLOW_ROOT / relative_path)


def writeup_templates():
    """Every template of the write-up, so editing a partial or caption reruns it."""
    return sorted(
        str(path) for path in (WORKFLOW_ROOT / "report" / "writeup").rglob("*.j2")
    )


def experiment_of(wildcards):
    return EXPERIMENTS[wildcards.experiment]


def matrix_file_input(wildcards):
    """The matrix CSV, when the experiment reads one, so edits to it rerun."""
    matrix = experiment_of(wildcards).matrix
    return [matrix] if matrix else []


def experiment_results(pattern, **wildcards):
    """``pattern`` under results/experiments/<name>/, for every experiment."""
    return expand(
        f"results/experiments/{{experiment}}/{pattern}",
        experiment=EXPERIMENTS,
        **wildcards,
    )


def circular_law_sizes():
    return expand("results/circular_law/sizes/k{k}.nc", k=CIRCULAR_LAW["sizes"])


def depth_runs():
    return expand(
        "results/depth/runs/{scheme}_{sharing}.nc",
        scheme=DEPTH["schemes"],
        sharing=DEPTH["weight_sharing"],
    )


def figure_files(folder, names, suffixes=("png",)):
    return expand(f"{folder}/figures/{{name}}.{{suffix}}", name=names, suffix=suffixes)


# Folders under results/ whose figures the paper exports collect, with their
# figure names; the export keeps the folder, so names never collide.
PAPER_FIGURE_SOURCES = {f"experiments/{name}": FIGURES for name in EXPERIMENTS} | {
    "circular_law": CIRCULAR_LAW_FIGURES,
    "depth": DEPTH_FIGURES,
}


def paper_exports():
    """numbers.tex, numbers.json and every figure as a stably named PDF."""
    figures = [
        f"results/paper/figures/{source}-{figure}.pdf"
        for source, names in PAPER_FIGURE_SOURCES.items()
        for figure in names
    ]
    return ["results/paper/numbers.tex", "results/paper/numbers.json", *figures]


def archived_results():
    """Every result a paper may cite: write-up, datasets, summaries, figures, exports."""
    per_experiment = experiment_results(
        "{name}", name=["matrix.nc", "spectrum.nc", "iterations.nc", "summary.json"]
    )
    per_experiment += experiment_results(
        "figures/{figure}.{suffix}", figure=FIGURES, suffix=["png", "pdf"]
    )
    part_two = [
        *circular_law_sizes(),
        *depth_runs(),
        "results/circular_law/summary.json",
        "results/depth/summary.json",
        *figure_files("results/circular_law", CIRCULAR_LAW_FIGURES, ("png", "pdf")),
        *figure_files("results/depth", DEPTH_FIGURES, ("png", "pdf")),
    ]
    return sorted({"results/report.html", *per_experiment, *part_two, *paper_exports()})


def workflow_source(wildcards):
    """The workflow's own files, listed only when the archive is built."""
    return list(source_files(WORKFLOW_ROOT).values())


def configured_inputs():
    """Files the config names (matrix CSVs), relative to the working directory."""
    return sorted({e.matrix for e in EXPERIMENTS.values() if e.matrix})
