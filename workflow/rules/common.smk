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
from eigeninit.initializers import default_chunk
from eigeninit.jobs import (
    eigvals_seconds,
    fixed_ranges,
    matrix_seconds,
    member_ranges,
    network_seconds,
    parse_range_label,
    range_label,
)
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    depth_figure_names,
)
from eigeninit.provenance import config_hash

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
# check_config has matched the counts to the sizes (one count per size, or one for all).
if isinstance(CIRCULAR_LAW["matrices_per_size"], int):
    MATRICES_PER_SIZE = dict.fromkeys(
        CIRCULAR_LAW["sizes"], CIRCULAR_LAW["matrices_per_size"]
    )
else:
    MATRICES_PER_SIZE = dict(
        zip(CIRCULAR_LAW["sizes"], CIRCULAR_LAW["matrices_per_size"], strict=True)
    )
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
    matrices=r"\d+-\d+",
    networks=r"\d+-\d+",


def figure_descriptions(registry):
    """Each figure's one-sentence description, which Snakemake's report shows."""
    return {name: definition.description for name, definition in registry.items()}


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


def circular_law_size(k):
    return f"results/circular_law/sizes/k{k}.nc"


def circular_law_sizes():
    return [circular_law_size(k) for k in CIRCULAR_LAW["sizes"]]


def depth_run(scheme, sharing):
    return f"results/depth/runs/{scheme}_{sharing}.nc"


def depth_settings():
    return [
        (scheme, sharing)
        for scheme in DEPTH["schemes"]
        for sharing in DEPTH["weight_sharing"]
    ]


def depth_runs():
    return [depth_run(*setting) for setting in depth_settings()]


def ensemble_ranges(count, per_job, member_seconds):
    """One range of members per job: ``per_job`` each if the config sets it, else
    as many as make about ten seconds of work."""
    if per_job:
        return fixed_ranges(count, per_job)
    return member_ranges(count, member_seconds)


def circular_law_jobs():
    """Per size k, the range labels of the jobs that measure its matrices."""
    return {
        k: [
            range_label(matrices)
            for matrices in ensemble_ranges(
                count, CIRCULAR_LAW["matrices_per_job"], matrix_seconds(k)
            )
        ]
        for k, count in MATRICES_PER_SIZE.items()
    }


def circular_law_parts():
    """Per size's dataset, the part files of the jobs that measure its matrices."""
    return {
        circular_law_size(k): [
            f"results/circular_law/parts/k{k}/matrices{label}.nc" for label in labels
        ]
        for k, labels in circular_law_jobs().items()
    }


def depth_network_seconds(scheme):
    """One network of ``scheme`` in every weight mode: a job runs them all."""
    return sum(
        network_seconds(
            scheme, sharing, DEPTH["k"], DEPTH["layers"], len(DEPTH["activations"])
        )
        for sharing in DEPTH["weight_sharing"]
    )


def depth_network_ranges(scheme):
    return ensemble_ranges(
        DEPTH["networks_per_setting"],
        DEPTH["networks_per_job"],
        depth_network_seconds(scheme),
    )


def depth_part(scheme, sharing, networks):
    return f"results/depth/parts/{scheme}_{sharing}/networks{networks}.nc"


def depth_jobs():
    """Per scheme, the range labels of the jobs that run its networks."""
    return {
        scheme: [range_label(networks) for networks in depth_network_ranges(scheme)]
        for scheme in DEPTH["schemes"]
    }


def depth_parts():
    """Per setting's dataset, the part files of the jobs that run its networks."""
    return {
        depth_run(scheme, sharing): [
            depth_part(scheme, sharing, label) for label in depth_jobs()[scheme]
        ]
        for scheme, sharing in depth_settings()
    }


def all_parts(parts):
    return [path for paths in parts.values() for path in paths]


def figure_files(folder, names, suffixes=("png", "pdf")):
    """The figure files of a folder's set; ``folder`` may hold wildcards."""
    return expand(
        f"{folder}/figures/{{name}}.{{suffix}}",
        name=names,
        suffix=suffixes,
        allow_missing=True,
    )


# Folders under results/ whose figures the paper exports collect, with their
# figure names; the export keeps the folder, so names never collide.
PAPER_FIGURE_SOURCES = {f"experiments/{name}": FIGURES for name in EXPERIMENTS} | {
    "circular_law": CIRCULAR_LAW_FIGURES,
    "depth": DEPTH_FIGURE_NAMES,
}


def paper_figures():
    """Each figure's PDF, with the stable name of its copy for the paper."""
    return {
        f"results/{source}/figures/{figure}.pdf": (
            f"results/paper/figures/{source}-{figure}.pdf"
        )
        for source, names in PAPER_FIGURE_SOURCES.items()
        for figure in names
    }


def paper_exports():
    """numbers.tex, numbers.json and every figure as a stably named PDF."""
    figures = list(paper_figures().values())
    return ["results/paper/numbers.tex", "results/paper/numbers.json", *figures]


def archived_results():
    """Every result a paper may cite: write-up, datasets, summaries, figures, exports."""
    per_experiment = experiment_results(
        "{name}", name=["matrix.nc", "spectrum.nc", "iterations.nc", "summary.json"]
    )
    per_experiment += experiment_results(
        "figures/{figure}.{suffix}", figure=FIGURES, suffix=["png", "pdf"]
    )
    # The jobs' parts too, so the crate describes every job that computed them.
    part_two = [
        *all_parts(circular_law_parts()),
        *all_parts(depth_parts()),
        *circular_law_sizes(),
        *depth_runs(),
        "results/circular_law/summary.json",
        "results/depth/summary.json",
        *figure_files("results/circular_law", CIRCULAR_LAW_FIGURES),
        *figure_files("results/depth", DEPTH_FIGURE_NAMES),
    ]
    return sorted({"results/report.html", *per_experiment, *part_two, *paper_exports()})


def workflow_source(wildcards):
    """The workflow's own files, listed only when the archive is built."""
    # Imported here: the archive's modules load xarray, which parsing skips.
    from eigeninit.bundle import source_files

    return list(source_files(WORKFLOW_ROOT).values())


def configured_inputs():
    """Files the config names (matrix CSVs), relative to the working directory."""
    return sorted({e.matrix for e in EXPERIMENTS.values() if e.matrix})


# Resources, for schedulers: memory and run time grow with the work, with a
# margin over what was measured on one core (OpenBLAS, 2 cores); a retry
# (attempt 2, 3) gets proportionally more.
PYTHON_MB = 400
"""Memory of a job's Python with numpy, xarray and matplotlib loaded."""
MARGIN = 3


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


def batch_values(k, members):
    """A batch of stacked k x k matrices (at most 64 MiB) with LAPACK's copies of it."""
    return 4 * min(members, default_chunk(k)) * k * k


def circular_law_resources():
    """One job's range of matrices, decomposed a batch at a time; all eigenvalues."""

    def matrices(wildcards):
        return len(parse_range_label(wildcards.matrices))

    def values(wildcards):
        k = int(wildcards.k)
        return batch_values(k, matrices(wildcards)) + 2 * matrices(wildcards) * k

    return dict(
        mem_mb=lambda wildcards, attempt: attempt
        * (PYTHON_MB + megabytes(values(wildcards))),
        runtime=lambda wildcards, attempt: minutes(
            matrices(wildcards) * matrix_seconds(int(wildcards.k)), attempt
        ),
    )


def depth_resources():
    """One job's range of networks in every weight mode, a batch of layers at a
    time; every layer's norm."""
    k, layers = DEPTH["k"], DEPTH["layers"]

    def networks(wildcards):
        return len(parse_range_label(wildcards.networks))

    def values(wildcards):
        return batch_values(k, networks(wildcards)) + 3 * len(
            DEPTH["weight_sharing"]
        ) * networks(wildcards) * (layers + 1)

    return dict(
        mem_mb=lambda wildcards, attempt: attempt
        * (PYTHON_MB + megabytes(values(wildcards))),
        runtime=lambda wildcards, attempt: minutes(
            networks(wildcards) * depth_network_seconds(wildcards.scheme),
            attempt,
        ),
    )


def merge_resources(values):
    """Reading every part of a set of ensembles and writing them merged."""
    return dict(
        mem_mb=lambda wildcards, attempt: attempt * (PYTHON_MB + megabytes(2 * values)),
        runtime=lambda wildcards, attempt: minutes(60, attempt),
    )


def light_resources():
    """Summaries, figures, write-up, exports: reading small files."""
    return dict(
        mem_mb=lambda wildcards, attempt: attempt * 2 * PYTHON_MB,
        runtime=lambda wildcards, attempt: minutes(60, attempt),
    )


def benchmark_file(name):
    return f"results/benchmarks/{name}.tsv"


def log_path(job):
    return f"results/logs/{job}.log"


def record_path(job):
    """The job's record of the files it read and wrote (eigeninit.runlog): an
    output of every rule, so that losing it reruns the job."""
    return f"results/logs/{job}.job.json"


EXPERIMENT_JOBS = (
    "draw_matrix",
    "compute_spectrum",
    "iterate",
    "summarize_experiment",
    "plot_experiment",
)


def job_records():
    """The records of every job behind the archived results, for its RO-Crate."""
    jobs = [
        f"experiments/{name}/{rule}" for name in EXPERIMENTS for rule in EXPERIMENT_JOBS
    ]
    jobs += [
        f"circular_law/measure_k{k}_matrices{label}"
        for k, labels in circular_law_jobs().items()
        for label in labels
    ]
    jobs += [
        f"depth/run_{scheme}_networks{label}"
        for scheme, labels in depth_jobs().items()
        for label in labels
    ]
    jobs += [
        f"{part}/{rule}_{part}"
        for part in ("circular_law", "depth")
        for rule in ("merge", "summarize", "plot")
    ]
    jobs += ["render_writeup", "paper/export_numbers", "paper/export_figures"]
    return [record_path(job) for job in jobs]
