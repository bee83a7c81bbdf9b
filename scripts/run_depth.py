"""Rule run_depth: one range of networks of one scheme, in every weight mode,
every activation on the same draws."""

from eigeninit import stages
from eigeninit.datasets import write
from eigeninit.jobs import parse_range_label
from eigeninit.runlog import logged

with logged(snakemake) as log:
    scheme = snakemake.wildcards.scheme
    networks = parse_range_label(snakemake.wildcards.networks)
    parts = stages.depth_parts(scheme, snakemake.params.depth, networks)
    for (sharing, part), path in zip(parts.items(), snakemake.output.runs, strict=True):
        write(part, path)
        growth = part["growth"].mean("member").to_series().round(4).to_dict()
        log.info("%s %s %r: mean growth %s", scheme, sharing, networks, growth)
