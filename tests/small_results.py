"""Every dataset and summary the figures and paper exports read, computed by the
workflow's stages on small sizes (seconds), as its rules compute them."""

from functools import cache

import xarray as xr

from eigeninit import stages
from eigeninit.depth import WEIGHT_MODES

SCHEMES = ("standard", "lecun", "xavier_uniform", "kaiming", "orthogonal", "eigen")
ACTIVATIONS = ("linear", "relu", "tanh")


def experiment(
    name: str, k: int = 5, iterations: int = 60, seed: int = 2020
) -> dict[str, xr.Dataset | dict]:
    """matrix, spectrum, iterations and summary of one drawn experiment."""
    settings = {"experiment": name, "k": k, "seed": seed, "rng": "pcg64"}
    matrix = stages.matrix(settings | {"matrix_file": ""})
    spectrum = stages.spectrum(matrix)
    iterations_data = stages.iterations(matrix, spectrum, iterations, 1e-6)
    summary = stages.experiment_summary(matrix, spectrum, iterations_data, {})
    return {
        "matrix": matrix,
        "spectrum": spectrum,
        "iterations": iterations_data,
        "summary": summary,
    }


@cache
def circular_law(sizes: tuple[int, ...] = (4, 8, 16, 32), seeds: int = 8) -> dict:
    """Per-size datasets and the summary of the circular-law measurements."""
    datasets = [
        stages.merge([stages.circular_law_part(k, 1, range(seeds))]) for k in sizes
    ]
    return {"sizes": datasets, "summary": stages.circular_law_summary(datasets)}


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
    settings = {
        "k": k,
        "layers": layers,
        "seed": 1,
        "activations": list(activations),
        "weight_sharing": list(weight_modes),
    }
    runs = [
        stages.merge([part])
        for scheme in schemes
        for part in stages.depth_parts(scheme, settings, range(seeds)).values()
    ]
    return {"runs": runs, "summary": stages.depth_summary(runs, stable_within=2.0)}
