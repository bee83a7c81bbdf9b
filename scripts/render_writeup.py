"""Rule writeup: results/report.html from every experiment's summary and figures."""

import json
from pathlib import Path

from eigeninit.provenance import git_state, package_versions
from eigeninit.runlog import logged
from eigeninit.writeup import figures_by_experiment, render, write_atomically

with logged(snakemake.log[0]) as log:
    summaries = {}
    for path in snakemake.input.summaries:
        with open(path) as handle:
            summary = json.load(handle)
        summaries[summary["experiment"]] = summary
    html = render(
        summaries,
        figures_by_experiment(snakemake.input.figures),
        narrative=snakemake.params.narrative,
        provenance={
            "config_hash": snakemake.params.config_hash,
            "git": git_state(),
            "versions": package_versions(),
        },
        template_dir=Path(snakemake.input.template).parent,
        stylesheet=Path(snakemake.input.style),
    )
    write_atomically(snakemake.output[0], html)
    log.info("wrote %s (%d characters)", snakemake.output[0], len(html))
