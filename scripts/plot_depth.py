"""Rule plot_depth: one depth figure, as PNG and PDF."""

from eigeninit.datasets import read
from eigeninit.figures import save
from eigeninit.jsonio import read_json
from eigeninit.part_two_figures import DEPTH_FIGURES
from eigeninit.runlog import logged

with logged(snakemake):
    figure = DEPTH_FIGURES[snakemake.wildcards.figure](
        runs=[read(path) for path in snakemake.input.runs],
        summary=read_json(snakemake.input.summary),
    )
    save(figure, {"png": snakemake.output.png, "pdf": snakemake.output.pdf})
