"""Rule summarize_circular_law: per-size means, bands and theory."""

from eigeninit.datasets import read
from eigeninit.jsonio import write_json
from eigeninit.part_two_summary import circular_law_summary
from eigeninit.runlog import logged

with logged(snakemake):
    summary = circular_law_summary([read(path) for path in snakemake.input])
    write_json(summary, snakemake.output[0])
