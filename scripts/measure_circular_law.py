"""Rule measure_circular_law: spectra of one range of matrices of one size."""

from eigeninit import stages
from eigeninit.datasets import write
from eigeninit.jobs import parse_range_label
from eigeninit.runlog import logged

with logged(snakemake) as log:
    k = int(snakemake.wildcards.k)
    matrices = parse_range_label(snakemake.wildcards.matrices)
    part = stages.circular_law_part(k, snakemake.params.seed, matrices)
    write(part, snakemake.output[0])
    radius = float(part["spectral_radius"].mean()) / k**0.5
    log.info("k = %d, matrices %r: mean rho/sqrt(k) %.4f", k, matrices, radius)
