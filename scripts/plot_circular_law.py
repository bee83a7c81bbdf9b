"""Rule plot_circular_law: one circular-law figure, as PNG and PDF."""

from eigeninit.datasets import read
from eigeninit.figures import save
from eigeninit.jsonio import read_json
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES
from eigeninit.runlog import logged

with logged(snakemake):
    figure = CIRCULAR_LAW_FIGURES[snakemake.wildcards.figure](
        sizes=[read(path) for path in snakemake.input.sizes],
        summary=read_json(snakemake.input.summary),
    )
    save(figure, {"png": snakemake.output.png, "pdf": snakemake.output.pdf})
