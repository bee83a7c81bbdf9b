"""Rule draw_matrix: A (drawn or read) and the input vectors of one experiment."""

from eigeninit import stages
from eigeninit.datasets import write
from eigeninit.runlog import logged

with logged(snakemake) as log:
    matrix = stages.matrix(snakemake.params.settings)
    write(matrix, snakemake.output[0])
    log.info("wrote %s x %s matrix (%s)", *matrix["matrix"].shape, matrix.attrs["rng"])
