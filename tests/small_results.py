"""Every dataset and summary the figures and paper exports read, computed by the
library's own functions on small sizes (seconds), as the workflow's rules would."""

from functools import cache

import xarray as xr

from eigeninit.circular_law import measure_sizes
from eigeninit.datasets import (
    RUNS,
    circular_law_dataset,
    depth_dataset,
    iterations_dataset,
    matrix_dataset,
    spectrum_dataset,
)
from eigeninit.depth import WEIGHT_MODES, run_depth
from eigeninit.draws import draw
from eigeninit.initializers import job_seed_sequence
from eigeninit.part_two_summary import circular_law_summary, depth_summary
from eigeninit.power import measure
from eigeninit.spectrum import analyze
from eigeninit.summary import summarize

SCHEMES = ("standard", "lecun", "xavier_uniform", "kaiming", "orthogonal", "eigen")
ACTIVATIONS = ("linear", "relu", "tanh")


def experiment(
    name: str, k: int = 5, iterations: int = 60, seed: int = 2020
) -> dict[str, xr.Dataset | dict]:
    """matrix, spectrum, iterations and summary of one drawn experiment."""
    params = {"experiment": name, "k": k, "seed": seed, "rng": "pcg64"}
    params |= {"matrix_file": ""}
    draws = draw(k, seed, "pcg64")
    spectrum = analyze(draws.matrix)
    scales = {"raw": 1.0, "rescaled": spectrum.spectral_radius}
    inputs = {"raw": draws.input_raw, "rescaled": draws.input_rescaled}
    measurements = {
        run: measure(
            draws.matrix / scales[run],
            inputs[run],
            iterations,
            spectrum.dominant_basis,
            1e-6,
        )
        for run in RUNS
    }
    datasets = {
        "matrix": matrix_dataset(draws.matrix, inputs, params),
        "spectrum": spectrum_dataset(spectrum, params),
        "iterations": iterations_dataset(
            measurements,
            scales,
            params | {"iterations": iterations, "convergence_tolerance": 1e-6},
        ),
    }
    return datasets | {"summary": summarize(**datasets, printed={})}


@cache
def circular_law(sizes: tuple[int, ...] = (4, 8, 16, 32), seeds: int = 8) -> dict:
    """Per-size datasets and the summary of the circular-law measurements."""
    datasets = []
    for k in sizes:
        ensemble = job_seed_sequence(1, "circular_law", k)
        measurement = measure_sizes(k, ensemble, range(seeds), keep_eigenvalues=True)
        datasets.append(
            circular_law_dataset(measurement, {"k": k, "seeds": seeds, "seed": 1})
        )
    return {"sizes": datasets, "summary": circular_law_summary(datasets)}


@cache
def depth(
    k: int = 32,
    layers: int = 20,
    seeds: int = 4,
    schemes: tuple[str, ...] = SCHEMES,
    activations: tuple[str, ...] = ACTIVATIONS,
    weight_modes: tuple[str, ...] = WEIGHT_MODES,
) -> dict:
    """Per-(scheme, weights) datasets and the summary of the depth runs."""
    runs = []
    for scheme in schemes:
        for weights in weight_modes:
            ensemble = job_seed_sequence(1, "depth", scheme, weights)
            params = {"scheme": scheme, "weights": weights, "k": k}
            params |= {"layers": layers, "seeds": seeds, "seed": 1}
            networks = range(seeds)
            result = run_depth(
                scheme, activations, weights, k, layers, ensemble, networks
            )
            runs.append(depth_dataset(result, params, networks))
    return {"runs": runs, "summary": depth_summary(runs, stable_within=2.0)}
