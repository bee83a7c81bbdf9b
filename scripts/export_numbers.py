"""Rule export_numbers: the numbers the write-up quotes, as it prints them
(numbers.tex), unrounded (numbers.json) and described (numbers.md)."""

from eigeninit.atomic import write_text
from eigeninit.jsonio import read_json, read_optional_json, write_json
from eigeninit.paper import NAMESPACES, exported, numbers_table, numbers_tex
from eigeninit.runlog import logged

with logged(snakemake) as log:
    summaries = {s["experiment"]: s for s in map(read_json, snakemake.input.summaries)}
    # An absent summary (None) quotes no numbers.
    part_two = {name: read_optional_json(snakemake.input[name]) for name in NAMESPACES}
    shown = read_json(snakemake.input.shown)
    numbers, texts, sources = exported(summaries, part_two, shown)
    write_text(snakemake.output.tex, numbers_tex(texts))
    write_json(numbers, snakemake.output.json)
    write_text(snakemake.output.table, numbers_table(numbers, texts, sources))
    log.info("%d numbers", len(numbers))
