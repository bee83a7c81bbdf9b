"""Seeded draws of an experiment's matrix A and its two input vectors: ``pcg64``
spawns one stream each; ``legacy`` replays a notebook's ``numpy.random.randn``
calls for A and the two inputs in turn."""

import numpy as np

RNG_KINDS = ("pcg64", "legacy")

LEGACY_SEED_LIMIT = 2**32
"""numpy.random.RandomState takes seeds below 2^32."""


def draw(
    k: int, seed: int, rng: str, draw_matrix: bool = True
) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
    """A (k x k; ``None`` with ``draw_matrix=False``) and the raw and the rescaled
    run's inputs, standard normal; without A, ``legacy`` draws the inputs first."""
    if rng == "legacy":
        stream = np.random.RandomState(seed)
        matrix = stream.randn(k, k) if draw_matrix else None
        inputs = [stream.randn(k, 1)[:, 0] for _ in range(2)]
    elif rng == "pcg64":
        streams = map(np.random.default_rng, np.random.SeedSequence(seed).spawn(3))
        matrix_stream, *input_streams = streams
        matrix = matrix_stream.standard_normal((k, k)) if draw_matrix else None
        inputs = [stream.standard_normal(k) for stream in input_streams]
    else:
        raise ValueError(f"rng must be one of {', '.join(RNG_KINDS)}; got {rng!r}")
    return matrix, dict(zip(("raw", "rescaled"), inputs, strict=True))
