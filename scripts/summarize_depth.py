"""Rule summarize_depth: growth per layer with bands, theory and verdicts."""

from eigeninit.datasets import read
from eigeninit.jsonio import write_json
from eigeninit.part_two_summary import depth_summary
from eigeninit.runlog import logged

with logged(snakemake):
    summary = depth_summary(
        [read(path) for path in snakemake.input], snakemake.params.stable_within
    )
    write_json(summary, snakemake.output[0])
