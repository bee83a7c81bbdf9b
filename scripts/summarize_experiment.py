"""Rule summarize_experiment: the numbers the write-up quotes for one experiment."""

from eigeninit.datasets import read
from eigeninit.jsonio import write_json
from eigeninit.runlog import logged
from eigeninit.summary import summarize

with logged(snakemake):
    summary = summarize(
        read(snakemake.input.matrix),
        read(snakemake.input.spectrum),
        read(snakemake.input.iterations),
        snakemake.params.published_values,
    )
    write_json(summary, snakemake.output[0])
