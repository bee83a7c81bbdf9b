"""Rules merge_circular_law and merge_depth: each ensemble's dataset from its
jobs' parts."""

from eigeninit import stages
from eigeninit.datasets import read, write
from eigeninit.runlog import logged

with logged(snakemake) as log:
    for output, paths in snakemake.params.parts.items():
        write(stages.merge([read(path) for path in paths]), output)
        log.info("%s from %d parts", output, len(paths))
