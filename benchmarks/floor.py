"""The workflow's own floor: the rules' stage functions (:mod:`eigeninit.stages`)
and figures on the config Snakemake would merge, in one process, every dataset
in memory, each ensemble in one call, no scheduler and no write-up or paper
exports. What the workflow spends beyond this is its orchestration overhead.

    python benchmarks/floor.py [--configfile config/large.yaml] [--figures DIR]
"""

import argparse
import sys
import tempfile
from pathlib import Path

import yaml
from threadpoolctl import threadpool_limits

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from eigeninit import stages  # noqa: E402
from eigeninit.figure_style import save_figures  # noqa: E402
from eigeninit.figures import FIGURES  # noqa: E402
from eigeninit.jacobian import SCHEMES as JACOBIAN_LAWS  # noqa: E402
from eigeninit.jobs import matrices_per_size  # noqa: E402
from eigeninit.part_two_figures import (  # noqa: E402
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    JACOBIAN_FIGURES,
    depth_figure_names,
)
from eigeninit.settings import Settings, check_config  # noqa: E402


def merged_settings(configfile: str | None) -> Settings:
    """config/config.yaml updated by ``configfile`` as Snakemake merges them,
    then checked as the workflow checks it."""
    from snakemake.utils import update_config

    config = yaml.safe_load((PROJECT / "config" / "config.yaml").read_text())
    if configfile:
        update_config(config, yaml.safe_load(Path(configfile).read_text()))
    return check_config(config, PROJECT)


def main(configfile: str | None, figures: Path) -> None:
    settings = merged_settings(configfile)
    config = settings.config
    for name, experiment in settings.experiments.items():
        matrix = stages.matrix(experiment.matrix_params(), root=PROJECT)
        spectrum = stages.spectrum(matrix)
        iterations = stages.iterations(
            matrix, spectrum, experiment.iterations, config["convergence_tolerance"]
        )
        data = {"matrix": matrix, "spectrum": spectrum, "iterations": iterations}
        summary = stages.experiment_summary(
            **data, published_values=experiment.published_values
        )
        save_figures(FIGURES.values(), figures / name, **data, summary=summary)

    circular_law, depth = config["circular_law"], config["depth"]
    references = stages.references(circular_law, depth, config["references"])
    sizes = [
        stages.merge([stages.circular_law_part(k, circular_law["seed"], range(count))])
        for k, count in matrices_per_size(circular_law).items()
    ]
    circular = stages.circular_law_summary(sizes, references)
    folder = figures / "circular_law"
    save_figures(CIRCULAR_LAW_FIGURES.values(), folder, sizes=sizes, summary=circular)

    networks = range(depth["networks_per_setting"])
    runs = [
        stages.merge([part])
        for scheme in depth["schemes"]
        for part in stages.depth_parts(scheme, depth, networks).values()
    ]
    signals = stages.depth_summary(runs, depth["stable_within"], references)
    names = depth_figure_names(depth["weight_sharing"])
    depth_figures = [DEPTH_FIGURES[name] for name in names]
    save_figures(depth_figures, figures / "depth", runs=runs, summary=signals)

    # As jacobian.smk: the depth schemes with a Jacobian law.
    jacobian = None
    if schemes := [s for s in depth["schemes"] if s in JACOBIAN_LAWS]:
        runs = [stages.jacobian(scheme, depth) for scheme in schemes]
        jacobian = stages.jacobian_summary(runs, signals)
        folder = figures / "jacobian"
        save_figures(JACOBIAN_FIGURES.values(), folder, runs=runs, summary=jacobian)
    stages.comparisons(circular, signals, jacobian)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configfile", help="overrides of config/config.yaml")
    about = "where figures go (default: a temporary folder)"
    parser.add_argument("--figures", type=Path, help=about)
    arguments = parser.parse_args()
    # The workflow's rules pin BLAS to one thread; so does the floor.
    with threadpool_limits(limits=1), tempfile.TemporaryDirectory() as scratch:
        main(arguments.configfile, arguments.figures or Path(scratch))
