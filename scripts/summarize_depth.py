"""Rule summarize_depth: growth per layer with bands, theory and verdicts."""

from eigeninit import stages
from eigeninit.datasets import read
from eigeninit.jsonio import write_json
from eigeninit.runlog import logged

with logged(snakemake):
    summary = stages.depth_summary(
        [read(path) for path in snakemake.input], snakemake.params.stable_within
    )
    write_json(summary, snakemake.output[0])
