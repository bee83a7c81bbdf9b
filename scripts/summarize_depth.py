"""Rule summarize_depth: growth per layer with bands, finite-size theory, verdicts."""

from eigeninit import stages
from eigeninit.datasets import read
from eigeninit.jsonio import read_json, write_json
from eigeninit.runlog import logged

with logged(snakemake):
    summary = stages.depth_summary(
        [read(path) for path in snakemake.input.runs],
        snakemake.params.stable_within,
        read_json(snakemake.input.references),
    )
    write_json(summary, snakemake.output[0])
