"""Rule merge_circular_law: each size's dataset from its jobs' ranges of matrices."""

from eigeninit.datasets import merge_part_files
from eigeninit.runlog import logged

with logged(snakemake) as log:
    merge_part_files(snakemake.params.parts, log)
