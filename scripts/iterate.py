"""Rule iterate: the raw run with A and the rescaled run with A / spectral radius."""

from eigeninit.datasets import RUNS, iterations_dataset, read, write
from eigeninit.power import measure_runs
from eigeninit.runlog import logged

with logged(snakemake) as log:
    matrix = read(snakemake.input.matrix)
    spectrum = read(snakemake.input.spectrum)
    measurements, scales = measure_runs(
        matrix["matrix"].values,
        {run: matrix["input"].sel(run=run).values for run in RUNS},
        snakemake.params.iterations,
        float(spectrum.attrs["spectral_radius"]),
        spectrum["dominant_basis"].values,
        snakemake.params.convergence_tolerance,
    )
    params = matrix.attrs | {
        "iterations": snakemake.params.iterations,
        "convergence_tolerance": snakemake.params.convergence_tolerance,
    }
    write(iterations_dataset(measurements, scales, params), snakemake.output[0])
    for run, measurement in measurements.items():
        log.info("%s run: dominant %s", run, measurement.dominant)
