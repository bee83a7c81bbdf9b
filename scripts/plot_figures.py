"""Rules plot_experiment, plot_circular_law, plot_depth and plot_jacobian: one
set of figures, each as PNG and PDF, from the rule's datasets and summary."""

from eigeninit.datasets import read
from eigeninit.figure_style import save_figures
from eigeninit.figures import FIGURES
from eigeninit.jsonio import read_json
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    JACOBIAN_FIGURES,
)
from eigeninit.runlog import logged

REGISTRIES = {
    "experiment": FIGURES,
    "circular_law": CIRCULAR_LAW_FIGURES,
    "depth": DEPTH_FIGURES,
    "jacobian": JACOBIAN_FIGURES,
}


def load(name: str, paths):
    """The summary as JSON; a dataset, or a list of them for a list of files."""
    if name == "summary":
        return read_json(paths)
    return read(paths) if isinstance(paths, str) else [read(path) for path in paths]


with logged(snakemake):
    data = {name: load(name, paths) for name, paths in snakemake.input.items()}
    registry = REGISTRIES[snakemake.params.registry]
    save_figures(
        [registry[name] for name in snakemake.params.figures],
        snakemake.output.folder,
        **data,
    )
