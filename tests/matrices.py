"""Matrices with spectra known exactly, and an experiment's datasets built from one."""

import numpy as np

from eigeninit import stages


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


PARAMS = {"experiment": "t", "seed": 0, "rng": "pcg64", "matrix_file": "given.csv"}


def datasets_for(matrix: np.ndarray, iterations: int = 100, settings: dict = PARAMS):
    """matrix.nc, spectrum.nc and iterations.nc of one experiment, in memory,
    computed by the rules' stages from ``matrix`` as if read from a file."""
    matrix_data = stages.matrix(settings | {"k": matrix.shape[0]}, matrix)
    spectrum_data = stages.spectrum(matrix_data)
    return (
        matrix_data,
        spectrum_data,
        stages.iterations(matrix_data, spectrum_data, iterations, 1e-6),
    )
