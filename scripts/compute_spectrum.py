"""Rule compute_spectrum: eigenvalues, principal eigenvector, dominant subspace of A."""

from eigeninit.datasets import read, spectrum_dataset, write
from eigeninit.runlog import logged
from eigeninit.spectrum import analyze

with logged(snakemake) as log:
    matrix = read(snakemake.input[0])
    spectrum = analyze(matrix["matrix"].values)
    write(spectrum_dataset(spectrum, matrix.attrs), snakemake.output[0])
    log.info(
        "spectral radius %.10g, dominant %s",
        spectrum.spectral_radius,
        spectrum.dominant,
    )
