"""Rule summarize_experiment: the numbers the write-up quotes for one experiment."""

from eigeninit import stages
from eigeninit.datasets import read
from eigeninit.jsonio import write_json
from eigeninit.runlog import logged

with logged(snakemake):
    summary = stages.experiment_summary(
        read(snakemake.input.matrix),
        read(snakemake.input.spectrum),
        read(snakemake.input.iterations),
        snakemake.params.published_values,
    )
    write_json(summary, snakemake.output[0])
