"""Rule iterate: the raw run with A and the rescaled run with A / spectral radius."""

from eigeninit.datasets import RUNS, iterations_dataset, read, write
from eigeninit.power import measure
from eigeninit.runlog import logged

with logged(snakemake) as log:
    matrix = read(snakemake.input.matrix)
    spectrum = read(snakemake.input.spectrum)
    radius = float(spectrum.attrs["spectral_radius"])
    scales = {"raw": 1.0, "rescaled": radius}
    measurements = {
        run: measure(
            matrix["matrix"].values / scales[run],
            matrix["input"].sel(run=run).values,
            snakemake.params.iterations,
            spectrum["dominant_basis"].values,
            snakemake.params.convergence_tolerance,
        )
        for run in RUNS
    }
    params = matrix.attrs | {
        "iterations": snakemake.params.iterations,
        "convergence_tolerance": snakemake.params.convergence_tolerance,
    }
    write(iterations_dataset(measurements, scales, params), snakemake.output[0])
    for run, measurement in measurements.items():
        log.info("%s run: dominant %s", run, measurement.dominant)
