"""Rule export_numbers: numbers.tex (rounded macros) and numbers.json (unrounded)."""

from eigeninit.atomic import write_text
from eigeninit.jsonio import read_json, read_optional_json, write_json
from eigeninit.paper import NAMESPACES, collect_numbers, numbers_tex
from eigeninit.runlog import logged

with logged(snakemake) as log:
    experiments = {}
    for path in snakemake.input.summaries:
        summary = read_json(path)
        experiments[summary["experiment"]] = summary
    part_two = {
        name: summary
        for name in NAMESPACES
        if (summary := read_optional_json(snakemake.input[name])) is not None
    }
    numbers = collect_numbers(experiments, part_two)
    write_text(snakemake.output.tex, numbers_tex(numbers))
    write_json(numbers, snakemake.output.json)
    log.info("%d numbers", len(numbers))
