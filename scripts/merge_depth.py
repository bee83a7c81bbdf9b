"""Rule merge_depth: each setting's dataset from its jobs' ranges of networks."""

from eigeninit.datasets import merge_part_files
from eigeninit.runlog import logged

with logged(snakemake) as log:
    merge_part_files(snakemake.params.parts, log)
