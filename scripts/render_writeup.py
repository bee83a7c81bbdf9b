"""Rule render_writeup: results/report.html from every summary and figure."""

from pathlib import Path

from eigeninit.atomic import write_text
from eigeninit.jsonio import read_json, read_optional_json, write_json
from eigeninit.paper import NAMESPACES
from eigeninit.provenance import git_state, package_versions
from eigeninit.runlog import logged
from eigeninit.writeup import figures_by_experiment, render

with logged(snakemake) as log:
    summaries = {s["experiment"]: s for s in map(read_json, snakemake.input.summaries)}
    part_two = {name: read_optional_json(snakemake.input[name]) for name in NAMESPACES}
    part_two["figures"] = {
        group: {Path(p).stem: Path(p) for p in snakemake.input[f"{group}_figures"]}
        for group in ("circular_law", "depth", "jacobian")
    }
    shown = []
    html = render(
        summaries,
        figures_by_experiment(snakemake.input.figures),
        featured=snakemake.params.featured_experiment,
        provenance={
            "config_hash": snakemake.params.config_hash,
            "git": git_state(Path(snakemake.scriptdir).parent),
            "versions": package_versions(),
        },
        template_dir=Path(snakemake.input.style).parent,
        part_two=part_two,
        record=lambda value, text: shown.append([value, text]),
    )
    write_text(snakemake.output[0], html)
    write_json(shown, snakemake.output.shown)
    log.info("wrote %s (%d characters)", snakemake.output[0], len(html))
