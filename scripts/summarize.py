"""Rules summarize_experiment, summarize_circular_law, summarize_depth,
summarize_jacobian and compare_with_theory: the summary that the stage
``params.stage`` makes of the rule's inputs and other params, by name."""

from eigeninit import stages
from eigeninit.jsonio import write_json
from eigeninit.runlog import logged

with logged(snakemake):
    params = dict(snakemake.params.items())
    stage = getattr(stages, params.pop("stage"))
    inputs = {name: stages.load(paths) for name, paths in snakemake.input.items()}
    write_json(stage(**inputs, **params), snakemake.output[0])
