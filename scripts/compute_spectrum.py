"""Rule compute_spectrum: eigenvalues, principal eigenvector, dominant subspace of A."""

from eigeninit import stages
from eigeninit.datasets import read, write
from eigeninit.runlog import logged

with logged(snakemake) as log:
    spectrum = stages.spectrum(read(snakemake.input[0]))
    write(spectrum, snakemake.output[0])
    attrs = spectrum.attrs
    log.info("rho %.10g, dominant %s", attrs["spectral_radius"], attrs["dominant"])
