"""Rule run_depth: one range of networks of one scheme, in every weight mode,
every activation on the same draws."""

from eigeninit.datasets import depth_dataset, write
from eigeninit.depth import run_depth
from eigeninit.initializers import job_seed_sequence
from eigeninit.jobs import parse_range_label
from eigeninit.runlog import logged

with logged(snakemake) as log:
    scheme = snakemake.wildcards.scheme
    networks = parse_range_label(snakemake.wildcards.networks)
    p = snakemake.params
    for weights, path in zip(p.weight_sharing, snakemake.output.runs, strict=True):
        # Each setting's own stream, so its draws do not depend on the others.
        ensemble = job_seed_sequence(p.seed, "depth", scheme, weights)
        runs = run_depth(
            scheme, p.activations, weights, p.k, p.layers, ensemble, networks
        )
        params = {
            "scheme": scheme,
            "weights": weights,
            "k": p.k,
            "layers": p.layers,
            "seed": p.seed,
        }
        write(depth_dataset(runs, params, networks), path)
        for activation, run in runs.items():
            log.info(
                "%s %s %s, networks %d to %d: mean growth %.4f",
                scheme,
                activation,
                weights,
                networks.start,
                networks.stop - 1,
                run.growth.mean(),
            )
