"""Rule plot_circular_law: every circular-law figure, as PNG and PDF."""

from eigeninit.datasets import read
from eigeninit.figure_style import save_figures
from eigeninit.jsonio import read_json
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES
from eigeninit.runlog import logged

with logged(snakemake):
    save_figures(
        CIRCULAR_LAW_FIGURES.values(),
        snakemake.output.folder,
        sizes=[read(path) for path in snakemake.input.sizes],
        summary=read_json(snakemake.input.summary),
    )
