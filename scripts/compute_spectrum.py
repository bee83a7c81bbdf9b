"""Rule compute_spectrum: eigenvalues, principal eigenvector, dominant subspace of A."""

from eigeninit import stages
from eigeninit.datasets import read, write
from eigeninit.runlog import logged

with logged(snakemake) as log:
    spectrum = stages.spectrum(read(snakemake.input[0]))
    write(spectrum, snakemake.output[0])
    log.info(
        "spectral radius %.10g, dominant %s",
        spectrum.attrs["spectral_radius"],
        spectrum.attrs["dominant"],
    )
