"""Rule draw_matrix: A (drawn or read) and the input vectors of one experiment."""

from eigeninit.datasets import matrix_dataset, write
from eigeninit.draws import draw
from eigeninit.experiments import archived_name, file_sha256, read_matrix_csv
from eigeninit.runlog import logged

with logged(snakemake) as log:
    settings = dict(snakemake.params.settings)
    from_file = bool(settings["matrix_file"])
    draws = draw(settings["k"], settings["seed"], settings["rng"], not from_file)
    if from_file:
        path = snakemake.input[0]
        matrix = read_matrix_csv(path, f"experiments.{settings['experiment']}.matrix")
        # The dataset names the file as the archive stores it: no local paths.
        settings["matrix_file"] = archived_name(path, ".", lambda: file_sha256(path))
    else:
        matrix = draws.matrix
    inputs = {"raw": draws.input_raw, "rescaled": draws.input_rescaled}
    write(matrix_dataset(matrix, inputs, settings), snakemake.output[0])
    log.info("wrote %s x %s matrix (%s)", *matrix.shape, settings["rng"])
