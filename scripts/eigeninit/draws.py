"""Seeded draws of the matrix A and the two input vectors of an experiment.

Two generators are offered. ``pcg64`` spawns independent streams from one
``SeedSequence``, so the matrix does not depend on how many inputs are drawn.
``legacy`` replays the order of a notebook that seeds ``numpy.random`` once and
calls ``randn`` for A, the raw run's input and the rescaled run's input.
"""

from dataclasses import dataclass

import numpy as np

RNG_KINDS = ("pcg64", "legacy")

LEGACY_SEED_LIMIT = 2**32
"""numpy.random.RandomState takes seeds below 2^32."""


@dataclass(frozen=True)
class Draws:
    """The matrix (or ``None`` when it comes from a file) and the two inputs."""

    matrix: np.ndarray | None
    input_raw: np.ndarray
    input_rescaled: np.ndarray


def draw(k: int, seed: int, rng: str, draw_matrix: bool = True) -> Draws:
    """Draw A (k x k, standard normal) and two standard normal input vectors.

    With ``draw_matrix=False`` (the matrix is read from a file) only the inputs
    are drawn; in ``legacy`` mode they are then the first draws of the stream.
    """
    if rng == "legacy":
        stream = np.random.RandomState(seed)
        matrix = stream.randn(k, k) if draw_matrix else None
        input_raw = stream.randn(k, 1)[:, 0]
        input_rescaled = stream.randn(k, 1)[:, 0]
    elif rng == "pcg64":
        matrix_seq, raw_seq, rescaled_seq = np.random.SeedSequence(seed).spawn(3)
        matrix = (
            np.random.Generator(np.random.PCG64(matrix_seq)).standard_normal((k, k))
            if draw_matrix
            else None
        )
        input_raw = np.random.Generator(np.random.PCG64(raw_seq)).standard_normal(k)
        input_rescaled = np.random.Generator(
            np.random.PCG64(rescaled_seq)
        ).standard_normal(k)
    else:
        raise ValueError(f"rng must be one of {', '.join(RNG_KINDS)}; got {rng!r}")
    return Draws(matrix, input_raw, input_rescaled)
