import math
import os
import shlex
import sys

# This workflow's own folder, wherever it is used from (also as a module of
# another workflow, whose basedir would be the host's).
WORKFLOW_ROOT = Path(workflow.current_basedir).parents[1]
sys.path.insert(0, str(WORKFLOW_ROOT / "scripts"))

import yaml
from snakemake.logging import logger

from eigeninit.settings import ConfigError, assemble_config, check_config
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    depth_figure_names,
)
from eigeninit.provenance import config_hash
from eigeninit.bundle import source_files

try:
    raw_config, config_note = assemble_config(
        config,
        workflow.configfiles,
        workflow.config_settings.configfiles,
        workflow.config_settings.config,
    )
    SETTINGS = check_config(
        raw_config,
        yaml.safe_load(
            (WORKFLOW_ROOT / "workflow/schemas/config.schema.yaml").read_text()
        ),
    )
except ConfigError as error:
    raise WorkflowError(f"Invalid config: {error}") from None
if config_note:
    logger.info(config_note)
# Rules and the archive read the checked config: defaults filled in, integers typed.
config.clear()
config.update(SETTINGS.config)
EXPERIMENTS = SETTINGS.experiments

CIRCULAR_LAW = config["circular_law"]
DEPTH = config["depth"]
DEPTH_FIGURE_NAMES = depth_figure_names(DEPTH["weight_sharing"])
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


def figure_description(registry):
    """The figure's one-sentence description, which Snakemake's report shows."""
    return lambda wildcards: registry[wildcards.figure].description


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
    "depth": DEPTH_FIGURE_NAMES,
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
        *figure_files("results/depth", DEPTH_FIGURE_NAMES, ("png", "pdf")),
    ]
    return sorted({"results/report.html", *per_experiment, *part_two, *paper_exports()})


def workflow_source(wildcards):
    """The workflow's own files, listed only when the archive is built."""
    return list(source_files(WORKFLOW_ROOT).values())


def configured_inputs():
    """Files the config names (matrix CSVs), relative to the working directory."""
    return sorted({e.matrix for e in EXPERIMENTS.values() if e.matrix})


# Resources, for schedulers: memory and run time grow with the work, with a
# margin over what was measured on one core (OpenBLAS, 2 cores); a retry
# (attempt 2, 3) gets proportionally more.
PYTHON_MB = 400
"""Memory of a job's Python with numpy, xarray and matplotlib loaded."""
EIGVALS_SECONDS_AT_4096 = 16.0
"""Measured: one ``eigvals`` of a 4096 x 4096 matrix on one core; it scales as k^3."""
MARGIN = 3


def eigvals_seconds(k):
    return EIGVALS_SECONDS_AT_4096 * (k / 4096) ** 3


def megabytes(float64_values):
    return math.ceil(8 * float64_values / 2**20)


def minutes(seconds, attempt=1):
    return math.ceil(5 + attempt * MARGIN * seconds / 60)


def experiment_k(wildcards):
    return experiment_of(wildcards).k


def spectrum_resources():
    """A handful of k x k matrices in memory, one eigendecomposition."""
    return dict(
        mem_mb=lambda wildcards, attempt: attempt
        * (PYTHON_MB + megabytes(8 * experiment_k(wildcards) ** 2)),
        runtime=lambda wildcards, attempt: minutes(
            4 * eigvals_seconds(experiment_k(wildcards)), attempt
        ),
    )


def iteration_resources():
    """Two runs of k-vectors over every step, and products with A."""

    def values(wildcards):
        k, steps = experiment_k(wildcards), experiment_of(wildcards).iterations
        return 8 * k * k + 16 * steps * k

    return dict(
        mem_mb=lambda wildcards, attempt: attempt
        * (PYTHON_MB + megabytes(values(wildcards))),
        runtime=lambda wildcards, attempt: minutes(
            1e-8 * experiment_of(wildcards).iterations * experiment_k(wildcards) ** 2,
            attempt,
        ),
    )


def circular_law_resources():
    """Chunks of at most 64 MiB of matrices (and their workspaces), all eigenvalues."""

    def seconds(wildcards):
        return 2 * CIRCULAR_LAW["matrices_per_size"] * eigvals_seconds(int(wildcards.k))

    def values(wildcards):
        k = int(wildcards.k)
        return 4 * max(k * k, 2**23) + 2 * CIRCULAR_LAW["matrices_per_size"] * k

    return dict(
        mem_mb=lambda wildcards, attempt: attempt
        * (PYTHON_MB + megabytes(values(wildcards))),
        runtime=lambda wildcards, attempt: minutes(seconds(wildcards), attempt),
    )


def depth_resources():
    """Every layer of every network: the eigen and spectral schemes decompose each."""
    k, layers, networks = DEPTH["k"], DEPTH["layers"], DEPTH["networks_per_setting"]
    values = 4 * max(k * k, 2**23) + 3 * networks * (layers + 1)
    seconds = (
        2 * layers * networks * eigvals_seconds(k) + 1e-8 * layers * networks * k * k
    )
    return dict(
        mem_mb=lambda wildcards, attempt: attempt * (PYTHON_MB + megabytes(values)),
        runtime=lambda wildcards, attempt: minutes(seconds, attempt),
    )


def light_resources():
    """Summaries, figures, write-up, exports: reading small files."""
    return dict(
        mem_mb=lambda wildcards, attempt: attempt * 2 * PYTHON_MB,
        runtime=lambda wildcards, attempt: minutes(60, attempt),
    )


def benchmark_file(name):
    return f"results/benchmarks/{name}.tsv"
