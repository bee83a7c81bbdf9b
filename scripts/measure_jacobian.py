"""Rule measure_jacobian: the input-output Jacobian's singular values of one
scheme's first networks, every activation on the same draws."""

import numpy as np

from eigeninit import stages
from eigeninit.datasets import write
from eigeninit.runlog import logged

REPORT = "%s %s, %d networks: log10 sigma %.2f to %.2f, %.4f of sigma exactly 0, "
REPORT += "largest log-det gap %.2g"

with logged(snakemake) as log:
    scheme = snakemake.wildcards.scheme
    dataset = stages.jacobian(scheme, snakemake.params.depth)
    write(dataset, snakemake.output[0])
    for activation in dataset["activation"].values:
        part = dataset.sel(activation=activation)
        sigma, gap = part["sigma"].values, np.abs(part["log_det_gap"].values)
        low, high = np.log10(sigma[sigma > 0].min()), np.log10(sigma.max())
        zeros, worst = (sigma == 0).mean(), np.nanmax(gap, initial=0.0)
        log.info(REPORT, scheme, activation, len(sigma), low, high, zeros, worst)
