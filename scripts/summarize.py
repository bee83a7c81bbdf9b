"""Rule summarize: the numbers the write-up quotes for one experiment."""

import json

from eigeninit.datasets import read
from eigeninit.runlog import logged
from eigeninit.summary import summarize

with logged(snakemake.log[0]):
    summary = summarize(
        read(snakemake.input.matrix),
        read(snakemake.input.spectrum),
        read(snakemake.input.iterations),
        snakemake.params.printed,
    )
    with open(snakemake.output[0], "w") as handle:
        json.dump(summary, handle, indent=2, allow_nan=False)
        handle.write("\n")
