"""Matrices with spectra known exactly, and an experiment's datasets built from one."""

import numpy as np

from eigeninit.datasets import (
    RUNS,
    iterations_dataset,
    matrix_dataset,
    spectrum_dataset,
)
from eigeninit.power import measure_runs
from eigeninit.spectrum import analyze


def rotation_scaling(radius: float, angle: float) -> np.ndarray:
    """2 x 2 block with eigenvalues radius * exp(+-i angle)."""
    c, s = np.cos(angle), np.sin(angle)
    return radius * np.array([[c, -s], [s, c]])


def block_diagonal(*blocks) -> np.ndarray:
    size = sum(np.atleast_2d(b).shape[0] for b in blocks)
    matrix = np.zeros((size, size))
    at = 0
    for block in blocks:
        block = np.atleast_2d(block)
        n = block.shape[0]
        matrix[at : at + n, at : at + n] = block
        at += n
    return matrix


def similar(matrix: np.ndarray, seed: int = 0) -> np.ndarray:
    """A dense matrix with the same spectrum, so no structure helps LAPACK."""
    basis = np.random.default_rng(seed).standard_normal(matrix.shape)
    return basis @ matrix @ np.linalg.inv(basis)


PARAMS = {"experiment": "t", "seed": 0, "rng": "pcg64", "matrix_file": ""}


def datasets_for(
    matrix: np.ndarray,
    iterations: int = 100,
    inputs: dict[str, np.ndarray] | None = None,
    settings: dict = PARAMS,
):
    """matrix.nc, spectrum.nc and iterations.nc of one experiment, in memory,
    computed as the rules compute them (inputs drawn here unless given)."""
    if inputs is None:
        rng = np.random.default_rng(5)
        inputs = {run: rng.standard_normal(matrix.shape[0]) for run in RUNS}
    spectrum = analyze(matrix)
    measurements, scales = measure_runs(
        matrix,
        inputs,
        iterations,
        spectrum.spectral_radius,
        spectrum.dominant_basis,
        1e-6,
    )
    settings = settings | {"k": matrix.shape[0]}
    params = settings | {"iterations": iterations, "convergence_tolerance": 1e-6}
    return (
        matrix_dataset(matrix, inputs, settings),
        spectrum_dataset(spectrum, settings),
        iterations_dataset(measurements, scales, params),
    )
