import sys

from snakemake.utils import validate

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from eigeninit.experiments import (
    ConfigError,
    describe_schema_error,
    resolve_experiments,
)
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES, depth_figure_names
from eigeninit.provenance import config_hash

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
