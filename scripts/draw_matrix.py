"""Rule draw_matrix: A (drawn or read) and the input vectors of one experiment."""

from eigeninit import stages
from eigeninit.datasets import write
from eigeninit.experiments import archived_name, file_sha256, read_matrix_csv
from eigeninit.runlog import logged

with logged(snakemake) as log:
    settings = dict(snakemake.params.settings)
    given = None
    if settings["matrix_file"]:
        path = snakemake.input[0]
        given = read_matrix_csv(path, f"experiments.{settings['experiment']}.matrix")
        # The dataset names the file as the archive stores it: no local paths.
        settings["matrix_file"] = archived_name(path, ".", lambda: file_sha256(path))
    matrix = stages.matrix(settings, given)
    write(matrix, snakemake.output[0])
    log.info("wrote %s x %s matrix (%s)", *matrix["matrix"].shape, settings["rng"])
