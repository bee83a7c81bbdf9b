"""Rule export_numbers: numbers.tex (rounded macros) and numbers.json (unrounded)."""

from eigeninit.atomic import write_text
from eigeninit.jsonio import read_json, write_json
from eigeninit.paper import collect_numbers, numbers_tex
from eigeninit.runlog import logged

with logged(snakemake) as log:
    experiments = {}
    for path in snakemake.input.summaries:
        summary = read_json(path)
        experiments[summary["experiment"]] = summary
    numbers = collect_numbers(
        experiments,
        read_json(snakemake.input.circular_law),
        read_json(snakemake.input.depth),
    )
    write_text(snakemake.output.tex, numbers_tex(numbers))
    write_json(numbers, snakemake.output.json)
    log.info("%d numbers", len(numbers))
