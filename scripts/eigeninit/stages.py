"""One function per stage of the workflow: from plain settings, the dataset or
summary its rule writes, with the seed stream and attributes the stage owns.
Rule scripts, the floor benchmark and the tests all call these, in the order
of the functions below (the summaries, imported when first used, last).
"""

import importlib
from pathlib import Path

import numpy as np
import xarray as xr

from eigeninit import datasets
from eigeninit.circular_law import measure_sizes
from eigeninit.depth import run_depth
from eigeninit.draws import draw
from eigeninit.initializers import job_seed_sequence
from eigeninit.jacobian import BLOCK_CONDITION, METHOD, WEIGHTS, jacobian_spectra
from eigeninit.jobs import matrices_per_size
from eigeninit.jsonio import read_json, read_optional_json
from eigeninit.power import measure_runs
from eigeninit.spectrum import analyze

# The summaries and references load scipy, which the measuring jobs never need.
_SUMMARIES = {
    "experiment_summary": ("eigeninit.summary", "summarize"),
    "circular_law_summary": ("eigeninit.part_two_summary", "circular_law_summary"),
    "depth_summary": ("eigeninit.part_two_summary", "depth_summary"),
    "comparisons": ("eigeninit.part_two_summary", "comparisons"),
    "jacobian_summary": ("eigeninit.jacobian_summary", "jacobian_summary"),
}


def __getattr__(name: str):
    """The summarizing stages, imported when first used."""
    if name not in _SUMMARIES:
        raise AttributeError(name)
    module, function = _SUMMARIES[name]
    return getattr(importlib.import_module(module), function)


def load(paths):
    """A rule's input as the stages take it: a file's dataset or JSON, a list of
    datasets, and for a list of at most one JSON file its JSON or None."""
    if isinstance(paths, str):
        return read_json(paths) if paths.endswith(".json") else datasets.read(paths)
    if all(path.endswith(".json") for path in paths):
        return read_optional_json(list(paths))
    return [datasets.read(path) for path in paths]


def matrix(
    settings: dict, given: np.ndarray | None = None, root: str | Path = "."
) -> xr.Dataset:
    """A and the two runs' input vectors of one experiment: ``settings`` holds
    ``experiment``, ``k``, ``seed``, ``rng`` and ``matrix_file`` ("" when A is
    drawn). A is ``given``, else read from that file (relative to ``root``),
    which the dataset then names as the archive stores it: no local paths."""
    name = settings["matrix_file"]
    if given is None and name:
        # Only here: the matrix file's checks load jsonschema, which jobs skip.
        from eigeninit.experiments import archived_name, file_sha256, read_matrix_csv

        path = Path(root) / name
        setting = f"experiments.{settings['experiment']}.matrix"
        given = read_matrix_csv(path, setting, shown_as=name)
        archived = archived_name(name, root, lambda: file_sha256(path))
        settings = settings | {"matrix_file": archived}
    drawn, inputs = draw(
        settings["k"], settings["seed"], settings["rng"], given is None
    )
    return datasets.matrix_dataset(drawn if given is None else given, inputs, settings)


def spectrum(matrix_data: xr.Dataset) -> xr.Dataset:
    """Eigenvalues, principal eigenvector and dominant subspace of A."""
    spectrum = analyze(matrix_data["matrix"].values)
    return datasets.spectrum_dataset(spectrum, matrix_data.attrs)


def iterations(
    matrix_data: xr.Dataset, spectrum_data: xr.Dataset, count: int, tolerance: float
) -> xr.Dataset:
    """The raw run with A and the rescaled run with A / spectral radius."""
    measurements, scales = measure_runs(
        matrix_data["matrix"].values,
        {run: matrix_data["input"].sel(run=run).values for run in datasets.RUNS},
        count,
        float(spectrum_data.attrs["spectral_radius"]),
        spectrum_data["dominant_basis"].values,
        tolerance,
    )
    params = matrix_data.attrs | dict(iterations=count, convergence_tolerance=tolerance)
    return datasets.iterations_dataset(measurements, scales, params)


def circular_law_part(k: int, seed: int, matrices: range) -> xr.Dataset:
    """Spectra of standard Gaussian k x k matrices numbered ``matrices``, matrix
    i from child i of the stream keyed ("circular_law", k)."""
    ensemble = job_seed_sequence(seed, "circular_law", k)
    measurement = measure_sizes(k, ensemble, matrices)
    return datasets.circular_law_dataset(measurement, {"k": k, "seed": seed})


def depth_parts(scheme: str, depth: dict, networks: range) -> dict[str, xr.Dataset]:
    """Networks ``networks`` of ``scheme`` in every weight sharing of the config's
    ``depth``, each from the stream keyed ("depth", scheme, sharing), every
    activation on the same draws."""
    k, layers, seed = depth["k"], depth["layers"], depth["seed"]
    parts = {}
    for sharing in depth["weight_sharing"]:
        ensemble = job_seed_sequence(seed, "depth", scheme, sharing)
        runs = run_depth(
            scheme, depth["activations"], sharing, k, layers, ensemble, networks
        )
        params = dict(scheme=scheme, weights=sharing, k=k, layers=layers, seed=seed)
        parts[sharing] = datasets.depth_dataset(runs, params, networks)
    return parts


def merge(parts: list[xr.Dataset]) -> xr.Dataset:
    """One ensemble's dataset from its jobs' parts (members 0 to n - 1, once each)."""
    return datasets.merge_members(parts)


def references(circular_law: dict, depth: dict, settings: dict) -> dict:
    """The finite-size references part two compares with, from the config's
    sections; at the depth's width they are compared with the radii its eigen
    networks draw, one per network and layer."""
    from eigeninit import references as reference_values
    from eigeninit import schemas

    compared = matrices_per_size(circular_law)
    drawn = depth["networks_per_setting"] * depth["layers"]
    compared[depth["k"]] = max(compared.get(depth["k"], 0), drawn)
    values = reference_values.compute(compared, depth, **settings)
    return schemas.validate("references", values)


def jacobian(scheme: str, depth: dict) -> xr.Dataset:
    """The input-output Jacobians of the first ``depth["jacobian_networks"]``
    networks of ``scheme`` with independent weights: :func:`depth_parts`' own
    networks, every activation on the same draws."""
    networks = range(depth["jacobian_networks"])
    ensemble = job_seed_sequence(depth["seed"], "depth", scheme, WEIGHTS)
    runs = jacobian_spectra(
        scheme, depth["activations"], depth["k"], depth["layers"], ensemble, networks
    )
    params = dict(scheme=scheme, weights=WEIGHTS, k=depth["k"], layers=depth["layers"])
    params |= dict(seed=depth["seed"], block_condition=BLOCK_CONDITION, method=METHOD)
    return datasets.jacobian_dataset(runs, params, networks)
