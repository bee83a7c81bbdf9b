"""Rule compare_with_theory: every score of part two weighed as one family."""

from eigeninit import stages
from eigeninit.jsonio import read_json, read_optional_json, write_json
from eigeninit.runlog import logged

with logged(snakemake) as log:
    summary = stages.comparisons(
        read_json(snakemake.input.circular_law),
        read_json(snakemake.input.depth),
        read_optional_json(snakemake.input.jacobian),
    )
    write_json(summary, snakemake.output[0])
    log.info("%d scores, %d disagreements", summary["count"], summary["disagreements"])
