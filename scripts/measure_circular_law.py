"""Rule measure_circular_law: spectra of standard Gaussian matrices of one size."""

import numpy as np

from eigeninit.circular_law import measure_sizes
from eigeninit.datasets import circular_law_dataset, write
from eigeninit.initializers import job_seed_sequence
from eigeninit.runlog import logged

with logged(snakemake) as log:
    k = int(snakemake.wildcards.k)
    params = {"k": k, "seeds": snakemake.params.matrices, "seed": snakemake.params.seed}
    rng = np.random.default_rng(job_seed_sequence(params["seed"], "circular_law", k))
    measurement = measure_sizes(k, params["seeds"], rng, keep_eigenvalues=True)
    write(circular_law_dataset(measurement, params), snakemake.output[0])
    log.info(
        "k = %d: mean rho/sqrt(k) %.4f", k, measurement.scaled_spectral_radius.mean()
    )
