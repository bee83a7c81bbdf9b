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


REFERENCE_SETTINGS = {"seed": 1, "seconds_per_size": 0.1, "tanh_networks": 100}
"""References cheap enough for tests: fewer draws, the same code."""


@cache
def references(
    sizes: tuple[int, ...], k: int, layers: int, schemes: tuple[str, ...]
) -> dict:
    """The references the summaries of these sizes and this depth compare with."""
    circular = {"sizes": list(sizes), "matrices_per_size": 8}
    depth = {"k": k, "layers": layers, "schemes": list(schemes)}
    depth |= {"activations": list(ACTIVATIONS), "networks_per_setting": 4}
    return stages.references(circular, depth, REFERENCE_SETTINGS)


@cache
def circular_law(sizes: tuple[int, ...] = (4, 8, 16, 32), seeds: int = 8) -> dict:
    """Per-size datasets and the summary of the circular-law measurements."""
    datasets = [
        stages.merge([stages.circular_law_part(k, 1, range(seeds))]) for k in sizes
    ]
    values = references(sizes, 32, 20, SCHEMES)
    return {"sizes": datasets, "summary": stages.circular_law_summary(datasets, values)}


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
    values = references((4,), k, layers, schemes)
    return {"runs": runs, "summary": stages.depth_summary(runs, 2.0, values)}


@cache
def jacobian(k: int = 32, layers: int = 20, networks: int = 4) -> dict:
    """Per-scheme Jacobian datasets of the depth networks and their summary,
    read beside :func:`depth`'s forward verdicts."""
    settings = {"k": k, "layers": layers, "seed": 1, "jacobian_networks": networks}
    settings["activations"] = list(ACTIVATIONS)
    runs = [
        stages.jacobian(scheme, settings)
        for scheme in ("lecun", "kaiming", "orthogonal")
    ]
    forward = depth(k=k, layers=layers, seeds=networks)["summary"]
    return {"runs": runs, "summary": stages.jacobian_summary(runs, forward)}
