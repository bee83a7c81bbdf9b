"""Part-two summaries built by the real measuring and summary code at tiny sizes.

Every write-up and paper test of part two starts from these, so a renamed key
or a changed computation shows up here rather than only in the slow tiers.
"""

import numpy as np

from eigeninit.circular_law import measure_sizes
from eigeninit.datasets import circular_law_dataset, depth_dataset
from eigeninit.depth import ACTIVATIONS, WEIGHT_MODES, run_depth
from eigeninit.initializers import SCHEMES
from eigeninit.part_two_summary import circular_law_summary, depth_summary


def circular_law(sizes=(4, 16), matrices: int = 12, seed: int = 1) -> dict:
    """The circular-law summary of ``matrices`` Gaussian matrices per size."""
    datasets = []
    for k in sizes:
        measurement = measure_sizes(
            k, matrices, np.random.default_rng([seed, k]), keep_eigenvalues=True
        )
        params = {"k": k, "seeds": matrices, "seed": seed}
        datasets.append(circular_law_dataset(measurement, params))
    return circular_law_summary(datasets)


def depth(
    schemes=tuple(SCHEMES),
    activations=tuple(ACTIVATIONS),
    weight_modes=WEIGHT_MODES,
    k: int = 16,
    layers: int = 10,
    networks: int = 6,
    seed: int = 3,
    stable_within: float = 2.0,
) -> dict:
    """The depth summary of ``networks`` networks per setting."""
    datasets = []
    for scheme in schemes:
        for weights in weight_modes:
            runs = run_depth(
                scheme,
                activations,
                weights,
                k,
                layers,
                networks,
                np.random.default_rng([seed, len(datasets)]),
            )
            params = {
                "scheme": scheme,
                "weights": weights,
                "k": k,
                "layers": layers,
                "seeds": networks,
                "seed": seed,
            }
            datasets.append(depth_dataset(runs, params))
    return depth_summary(datasets, stable_within)
