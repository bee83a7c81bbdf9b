"""Rule run_depth: one scheme and weight sharing, every activation on the same draws."""

import numpy as np

from eigeninit.datasets import depth_dataset, write
from eigeninit.depth import run_depth
from eigeninit.initializers import job_seed_sequence
from eigeninit.runlog import logged

with logged(snakemake) as log:
    scheme, weights = snakemake.wildcards.scheme, snakemake.wildcards.sharing
    p = snakemake.params
    rng = np.random.default_rng(job_seed_sequence(p.seed, "depth", scheme, weights))
    runs = run_depth(scheme, p.activations, weights, p.k, p.layers, p.networks, rng)
    params = {
        "scheme": scheme,
        "weights": weights,
        "k": p.k,
        "layers": p.layers,
        "seeds": p.networks,
        "seed": p.seed,
    }
    write(depth_dataset(runs, params), snakemake.output[0])
    for activation, run in runs.items():
        log.info(
            "%s %s %s: mean growth %.4f", scheme, activation, weights, run.growth.mean()
        )
