"""Rule export_figures: every figure's PDF under its stable name in results/paper/."""

import shutil

from eigeninit.runlog import logged

with logged(snakemake) as log:
    for source, copy in zip(snakemake.input, snakemake.output.figures, strict=True):
        shutil.copyfile(source, copy)
        log.info("copied %s to %s", source, copy)
