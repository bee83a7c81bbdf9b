"""Rule compute_references: part two's simulated and extrapolated references."""

from eigeninit import stages
from eigeninit.jsonio import write_json
from eigeninit.runlog import logged

with logged(snakemake) as log:
    p = snakemake.params
    references = stages.references(p.circular_law, p.depth, p.references)
    write_json(references, snakemake.output[0])
    for k, radius in references["radius"].items():
        log.info("k = %s: rho/sqrt(k) %s", k, radius["scaled"])
