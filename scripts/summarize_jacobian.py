"""Rule summarize_jacobian: quantiles of log10 sigma and the other numbers of
the Jacobian beside their theory, and the isometry verdicts."""

from eigeninit import stages
from eigeninit.datasets import read
from eigeninit.jsonio import read_json, write_json
from eigeninit.runlog import logged

with logged(snakemake):
    summary = stages.jacobian_summary(
        [read(path) for path in snakemake.input.runs],
        read_json(snakemake.input.depth),
    )
    write_json(summary, snakemake.output[0])
