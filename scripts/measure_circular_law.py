"""Rule measure_circular_law: spectra of one range of matrices of one size."""

from eigeninit.circular_law import measure_sizes
from eigeninit.datasets import circular_law_dataset, write
from eigeninit.initializers import job_seed_sequence
from eigeninit.jobs import parse_range_label
from eigeninit.runlog import logged

with logged(snakemake) as log:
    k = int(snakemake.wildcards.k)
    matrices = parse_range_label(snakemake.wildcards.matrices)
    seed = snakemake.params.seed
    ensemble = job_seed_sequence(seed, "circular_law", k)
    measurement = measure_sizes(k, ensemble, matrices, keep_eigenvalues=True)
    write(
        circular_law_dataset(measurement, {"k": k, "seed": seed}), snakemake.output[0]
    )
    log.info(
        "k = %d, matrices %d to %d: mean rho/sqrt(k) %.4f",
        k,
        matrices.start,
        matrices.stop - 1,
        measurement.scaled_spectral_radius.mean(),
    )
