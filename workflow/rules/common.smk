import os
import shlex
import sys

from snakemake.io import IOFile
from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from eigeninit.experiments import (
    ConfigError,
    describe_schema_error,
    resolve_experiments,
)
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES, depth_figure_names
from eigeninit.bundle import assemble_archive, source_files
from eigeninit.crate import Step
from eigeninit.provenance import commit_time, config_hash, short_commit

try:
    validate(config, "../schemas/config.schema.yaml")
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


DEPTH_FIGURES = depth_figure_names(config["depth"]["weights"])


wildcard_constraints:
    experiment="|".join(EXPERIMENTS),
    k=r"\d+",
    scheme="|".join(config["depth"]["schemes"]),
    weights="|".join(config["depth"]["weights"]),


def workflow_file(relative_path):
    """A file shipped with the workflow, found wherever the working directory is."""
    return str(Path(workflow.basedir) / relative_path)


def report_templates():
    """Every template of the write-up, so editing a partial or caption reruns it."""
    return sorted(str(path) for path in Path(workflow.basedir, "report").rglob("*.j2"))


def experiment_of(wildcards):
    return EXPERIMENTS[wildcards.experiment]


def matrix_file_input(wildcards):
    """The matrix CSV, when the experiment reads one, so edits to it rerun."""
    matrix = experiment_of(wildcards).matrix
    return [matrix] if matrix else []


def experiment_outputs(pattern):
    return expand(pattern, experiment=EXPERIMENTS)


def circular_law_sizes():
    return expand(
        "results/circular_law/sizes/k{k}.nc", k=config["circular_law"]["sizes"]
    )


def depth_runs():
    return expand(
        "results/depth/runs/{scheme}_{weights}.nc",
        scheme=config["depth"]["schemes"],
        weights=config["depth"]["weights"],
    )


def part_two_outputs():
    """Summaries and figures of part two, which the write-up embeds."""
    return {
        "circular_law_summary": "results/circular_law/summary.json",
        "depth_summary": "results/depth/summary.json",
        "circular_law_figures": expand(
            "results/circular_law/figures/{figure}.png", figure=CIRCULAR_LAW_FIGURES
        ),
        "depth_figures": expand(
            "results/depth/figures/{figure}.png", figure=DEPTH_FIGURES
        ),
    }


def paper_exports():
    """numbers.tex, numbers.json and every figure as a stably named PDF."""
    figures = [
        f"results/paper/figures/{experiment}-{figure}.pdf"
        for experiment in EXPERIMENTS
        for figure in FIGURES
    ]
    figures += [
        f"results/paper/figures/circular_law-{figure}.pdf"
        for figure in CIRCULAR_LAW_FIGURES
    ]
    figures += [f"results/paper/figures/depth-{figure}.pdf" for figure in DEPTH_FIGURES]
    return ["results/paper/numbers.tex", "results/paper/numbers.json", *figures]


PROJECT = "eigeninit"
ARCHIVE_NAME = f"{PROJECT}-{short_commit(workflow.basedir)}"
COMMIT_TIME = commit_time(workflow.basedir)
# Jobs re-run this file in subprocesses with their own arguments; the
# environment carries the user's command line to them.
COMMAND_LINE = os.environ.setdefault(
    "EIGENINIT_COMMAND_LINE", shlex.join(["snakemake", *sys.argv[1:]])
)
WORKFLOW_SOURCE = source_files(
    workflow.basedir,
    [
        "Snakefile",
        "workflow/**/*",
        "scripts/**/*.py",
        "report/**/*",
        "config/**/*",
        "requirements*.txt",
        "pyproject.toml",
        "README.md",
    ],
)


def archive_results():
    """Every result a paper may cite: write-up, datasets, summaries, figures, exports."""
    per_experiment = [
        "results/{experiment}/matrix.nc",
        "results/{experiment}/spectrum.nc",
        "results/{experiment}/iterations.nc",
        "results/{experiment}/summary.json",
    ]
    figures = [
        f"results/{{experiment}}/figures/{figure}.{suffix}"
        for figure in FIGURES
        for suffix in ("png", "pdf")
    ]
    part_two = [
        *circular_law_sizes(),
        *depth_runs(),
        "results/circular_law/summary.json",
        "results/depth/summary.json",
    ]
    part_two += [
        f"results/{part}/figures/{figure}.{suffix}"
        for part, names in (
            ("circular_law", CIRCULAR_LAW_FIGURES),
            ("depth", DEPTH_FIGURES),
        )
        for figure in names
        for suffix in ("png", "pdf")
    ]
    return sorted(
        {
            "results/report.html",
            *experiment_outputs(per_experiment + figures),
            *part_two,
            *paper_exports(),
        }
    )


def configured_inputs():
    """Files the config names (matrix CSVs), relative to the working directory."""
    return sorted({e.matrix for e in EXPERIMENTS.values() if e.matrix})


def recorded_steps(paths):
    """Snakemake's own record of the jobs that wrote ``paths``: rule, inputs, outputs."""
    jobs = {}
    for path in paths:
        record = workflow.persistence.metadata(IOFile(path))
        if record is None or not record.rule:
            continue
        job = jobs.setdefault(
            (record.rule, record.job_hash), (record.rule, set(record.input or []), [])
        )
        job[2].append(str(path))
    return [
        Step(rule, tuple(sorted(inputs)), tuple(sorted(outputs)))
        for rule, inputs, outputs in jobs.values()
    ]


def write_results_archive(input, output, params, log):
    """The build_archive job; runs in Snakemake's process to read its job records.

    That process's output and logging stay Snakemake's: only a summary line
    goes to the job's log.
    """
    manifest = assemble_archive(
        output[0],
        root=".",
        results=list(input.results),
        inputs=list(input.inputs),
        source=WORKFLOW_SOURCE,
        config=params.config,
        command_line=params.command_line,
        top_folder=params.top_folder,
        mtime=params.mtime,
        steps=recorded_steps(input.results),
        workflow_dir=workflow.basedir,
    )
    Path(log[0]).write_text(
        f"wrote {output[0]}: {len(manifest['files'])} files, "
        f"{len(manifest['datasets'])} datasets\n"
    )
