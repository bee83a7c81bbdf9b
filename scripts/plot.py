"""Rule figure: one figure of one experiment, as PNG and PDF."""

import json

from eigeninit.datasets import read
from eigeninit.figures import FIGURES, save
from eigeninit.runlog import logged

with logged(snakemake.log[0]):
    with open(snakemake.input.summary) as handle:
        summary = json.load(handle)
    figure = FIGURES[snakemake.wildcards.figure](
        matrix=read(snakemake.input.matrix),
        spectrum=read(snakemake.input.spectrum),
        iterations=read(snakemake.input.iterations),
        summary=summary,
    )
    save(figure, {"png": snakemake.output.png, "pdf": snakemake.output.pdf})
