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

# Figure names are unique across the sets (tests/test_figures.py).
EVERY_FIGURE = FIGURES | CIRCULAR_LAW_FIGURES | DEPTH_FIGURES | JACOBIAN_FIGURES


def load(name: str, paths):
    """The summary as JSON; a dataset, or a list of them for a list of files."""
    if name == "summary":
        return read_json(paths)
    return read(paths) if isinstance(paths, str) else [read(path) for path in paths]


with logged(snakemake):
    data = {name: load(name, paths) for name, paths in snakemake.input.items()}
    figures = [EVERY_FIGURE[name] for name in snakemake.params.figures]
    save_figures(figures, snakemake.output.folder, **data)
