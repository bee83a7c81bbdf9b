"""Rule plot_experiment: one figure of one experiment, as PNG and PDF."""

from eigeninit.datasets import read
from eigeninit.figures import FIGURES, save
from eigeninit.jsonio import read_json
from eigeninit.runlog import logged

with logged(snakemake):
    figure = FIGURES[snakemake.wildcards.figure](
        matrix=read(snakemake.input.matrix),
        spectrum=read(snakemake.input.spectrum),
        iterations=read(snakemake.input.iterations),
        summary=read_json(snakemake.input.summary),
    )
    save(figure, {"png": snakemake.output.png, "pdf": snakemake.output.pdf})
