"""Rule plot_experiment: one figure of one experiment, as PNG and PDF."""

from eigeninit.datasets import read, read_json
from eigeninit.figures import FIGURES, save
from eigeninit.runlog import logged

with logged(snakemake):
    figure = FIGURES[snakemake.wildcards.figure](
        matrix=read(snakemake.input.matrix),
        spectrum=read(snakemake.input.spectrum),
        iterations=read(snakemake.input.iterations),
        summary=read_json(snakemake.input.summary),
    )
    save(figure, {"png": snakemake.output.png, "pdf": snakemake.output.pdf})
