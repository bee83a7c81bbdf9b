"""Rule summarize_circular_law: per-size means, bands and finite-size theory."""

from eigeninit import stages
from eigeninit.datasets import read
from eigeninit.jsonio import read_json, write_json
from eigeninit.runlog import logged

with logged(snakemake):
    summary = stages.circular_law_summary(
        [read(path) for path in snakemake.input.sizes],
        read_json(snakemake.input.references),
    )
    write_json(summary, snakemake.output[0])
