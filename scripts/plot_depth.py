"""Rule plot_depth: every depth figure the weight modes call for, as PNG and PDF."""

from eigeninit.datasets import read
from eigeninit.figure_style import save_figures
from eigeninit.jsonio import read_json
from eigeninit.part_two_figures import DEPTH_FIGURES
from eigeninit.runlog import logged

with logged(snakemake):
    save_figures(
        [DEPTH_FIGURES[name] for name in snakemake.params.figures],
        snakemake.output.folder,
        runs=[read(path) for path in snakemake.input.runs],
        summary=read_json(snakemake.input.summary),
    )
