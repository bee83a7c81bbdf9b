"""Rule plot_experiment: every figure of one experiment, as PNG and PDF."""

from eigeninit.datasets import read
from eigeninit.figure_style import save_figures
from eigeninit.figures import FIGURES
from eigeninit.jsonio import read_json
from eigeninit.runlog import logged

with logged(snakemake):
    save_figures(
        FIGURES.values(),
        snakemake.output.folder,
        matrix=read(snakemake.input.matrix),
        spectrum=read(snakemake.input.spectrum),
        iterations=read(snakemake.input.iterations),
        summary=read_json(snakemake.input.summary),
    )
