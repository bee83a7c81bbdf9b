"""Seeded draws of an experiment's matrix A and its two input vectors: ``pcg64``
spawns one stream each; ``legacy`` replays a notebook's ``numpy.random.randn``
calls for A and the two inputs in turn."""

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
    """A (k x k) and two input vectors, standard normal; only the inputs (the
    stream's first draws in ``legacy`` mode) with ``draw_matrix=False``."""
    if rng == "legacy":
        stream = np.random.RandomState(seed)
        matrix = stream.randn(k, k) if draw_matrix else None
        input_raw = stream.randn(k, 1)[:, 0]
        input_rescaled = stream.randn(k, 1)[:, 0]
    elif rng == "pcg64":
        streams = map(np.random.default_rng, np.random.SeedSequence(seed).spawn(3))
        matrix_stream, raw_stream, rescaled_stream = streams
        matrix = matrix_stream.standard_normal((k, k)) if draw_matrix else None
        input_raw = raw_stream.standard_normal(k)
        input_rescaled = rescaled_stream.standard_normal(k)
    else:
        raise ValueError(f"rng must be one of {', '.join(RNG_KINDS)}; got {rng!r}")
    return Draws(matrix, input_raw, input_rescaled)
