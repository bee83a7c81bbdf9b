"""Rules plot_experiment, plot_circular_law, plot_depth and plot_jacobian: one
set of figures, each as PNG and PDF, from the rule's datasets and summary."""

from eigeninit.figure_style import save_figures
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    JACOBIAN_FIGURES,
)
from eigeninit.runlog import logged
from eigeninit.stages import load

# Figure names are unique across the sets (tests/test_figures.py).
EVERY_FIGURE = FIGURES | CIRCULAR_LAW_FIGURES | DEPTH_FIGURES | JACOBIAN_FIGURES

with logged(snakemake):
    data = {name: load(paths) for name, paths in snakemake.input.items()}
    figures = [EVERY_FIGURE[name] for name in snakemake.params.figures]
    save_figures(figures, snakemake.output.folder, **data)
