"""Rule export_figure: a figure's PDF under its stable name in results/paper/."""

import shutil

from eigeninit.runlog import logged

with logged(snakemake) as log:
    shutil.copyfile(snakemake.input[0], snakemake.output[0])
    log.info("copied %s to %s", snakemake.input[0], snakemake.output[0])
