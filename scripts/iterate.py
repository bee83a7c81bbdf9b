"""Rule iterate: the raw run with A and the rescaled run with A / spectral radius."""

from eigeninit import stages
from eigeninit.datasets import dominant_structure, read, write
from eigeninit.runlog import logged

with logged(snakemake) as log:
    iterations = stages.iterations(
        read(snakemake.input.matrix),
        read(snakemake.input.spectrum),
        snakemake.params.iterations,
        snakemake.params.convergence_tolerance,
    )
    write(iterations, snakemake.output[0])
    for run in iterations["run"].values:
        dominant = dominant_structure(iterations["dominant"].sel(run=run))
        log.info("%s run: dominant %s", run, dominant)
