"""Rules merge_circular_law and merge_depth: each ensemble's dataset from its jobs'
parts (ranges of matrices or networks)."""

from eigeninit.datasets import merge_members, read, write
from eigeninit.runlog import logged

with logged(snakemake) as log:
    for output, parts in snakemake.params.parts.items():
        write(merge_members([read(path) for path in parts]), output)
        log.info("%s from %d parts", output, len(parts))
