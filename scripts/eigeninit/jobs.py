"""How the heavy work is split into jobs of bounded size, and what each job costs.

An ensemble (the matrices of one circular-law size, the networks of one depth
scheme) is split into consecutive ranges of members, each job about
:data:`TARGET_JOB_SECONDS` of work, so two cores stay busy to the end and a
cluster can spread an ensemble over many nodes. Members draw from streams keyed
by their index, so the split changes how fast results come, never what they are.
Costs are single-core times measured with OpenBLAS on a Haswell core; they size
jobs and, with a margin, the run time a job asks a scheduler for.
"""

import math
from typing import NamedTuple

import numpy as np

from eigeninit.initializers import SCHEMES, default_chunk

TARGET_JOB_SECONDS = 30.0
"""Work per job: forty times its start-up, short enough for cores to end together."""

LAPACK_SECONDS = {
    "eigvals": {256: 0.022, 512: 0.22, 1024: 0.79, 2048: 3.6, 4096: 22.3},
    "sigma_max": {128: 0.0007, 256: 0.002, 1024: 0.027, 2048: 0.30, 4096: 2.4},
}
"""Measured: one call on a k x k matrix on one core, by k (sigma_max: the SVD
below :data:`~eigeninit.initializers.LANCZOS_FROM_K`, Lanczos from it on)."""

QR_PER_EIGVALS = 0.15
"""QR's time relative to ``eigvals`` at the same k (0.14 to 0.16 at 256 and 1024)."""

GAUSSIAN_SECONDS_PER_VALUE = 8e-9
"""Drawing one standard normal float64 (the iid schemes' cost per layer)."""

PRODUCT_SECONDS_PER_VALUE = 1e-10
"""One matrix entry's share of a batched matrix-vector product."""


def lapack_seconds(call: str, k: int) -> float:
    """Single-core time of one ``call`` (``qr`` or one of :data:`LAPACK_SECONDS`)
    on a k x k matrix: the measurements, interpolated linearly in log k and log
    time, and as k^3 outside them."""
    if call == "qr":
        return QR_PER_EIGVALS * lapack_seconds("eigvals", k)
    sizes, seconds = zip(*sorted(LAPACK_SECONDS[call].items()), strict=True)
    nearest = min(max(k, sizes[0]), sizes[-1])
    log_seconds = np.interp(np.log(nearest), np.log(sizes), np.log(seconds))
    return float(np.exp(log_seconds) * (k / nearest) ** 3)


def matrix_seconds(k: int) -> float:
    """One circular-law matrix: draw it, all its eigenvalues, its sigma_max."""
    draw = GAUSSIAN_SECONDS_PER_VALUE * k * k
    return sum((lapack_seconds(c, k) for c in ("eigvals", "sigma_max")), draw)


def layer_seconds(scheme: str, k: int) -> float:
    """Draw one k x k layer of ``scheme`` (with its normalizing decomposition)."""
    decomposition = SCHEMES[scheme].decomposition
    normalizing = lapack_seconds(decomposition, k) if decomposition else 0.0
    return GAUSSIAN_SECONDS_PER_VALUE * k * k + normalizing


def member_ranges(
    count: int,
    member_seconds: float = 0.0,
    per_job: int | None = None,
    target: float = TARGET_JOB_SECONDS,
) -> list[range]:
    """Members 0 .. count - 1 in consecutive ranges, one per job: ``per_job``
    each (the last fewer), else as few near-equal ranges as keep each within
    ``target`` seconds of work (a heavier member alone)."""
    if count < 1:
        raise ValueError(f"an ensemble needs at least one member, got {count}")
    if per_job is not None:
        if per_job < 1:
            raise ValueError(f"members per job must be at least 1, got {per_job}")
        return [range(i, min(i + per_job, count)) for i in range(0, count, per_job)]
    jobs = math.ceil(count / max(1, math.floor(target / member_seconds)))
    return [range(j * count // jobs, (j + 1) * count // jobs) for j in range(jobs)]


def range_label(members: range) -> str:
    """A job's members as a file-name part: ``0-7`` holds members 0 to 6."""
    return f"{members.start}-{members.stop}"


def parse_range_label(label: str) -> range:
    """Inverse of :func:`range_label`."""
    return range(*map(int, label.split("-")))


def matrices_per_size(circular_law: dict) -> dict[int, int]:
    """Matrices per circular-law size (one count per size, or one for all)."""
    counts = circular_law["matrices_per_size"]
    if isinstance(counts, int):
        return dict.fromkeys(circular_law["sizes"], counts)
    return dict(zip(circular_law["sizes"], counts, strict=True))


def circular_law_jobs(circular_law: dict) -> dict[int, list[range]]:
    """Per size k, the ranges of matrices its jobs measure."""
    per_job = circular_law["matrices_per_job"]
    return {
        k: member_ranges(count, matrix_seconds(k), per_job)
        for k, count in matrices_per_size(circular_law).items()
    }


def depth_network_seconds(depth: dict, scheme: str) -> float:
    """One network of ``scheme`` in every weight sharing (a job runs them all):
    its matrices, and a matrix-vector product per layer and activation."""
    k, layers = depth["k"], depth["layers"]
    products = layers * len(depth["activations"]) * PRODUCT_SECONDS_PER_VALUE * k * k
    return sum(
        (layers if sharing == "independent" else 1) * layer_seconds(scheme, k)
        + products
        for sharing in depth["weight_sharing"]
    )


def depth_jobs(depth: dict) -> dict[str, list[range]]:
    """Per scheme, the ranges of networks its jobs run."""
    count, per_job = depth["networks_per_setting"], depth["networks_per_job"]
    return {
        scheme: member_ranges(count, depth_network_seconds(depth, scheme), per_job)
        for scheme in depth["schemes"]
    }


PYTHON_MB = 400
"""Memory of a job's Python with numpy, xarray and matplotlib loaded."""

MARGIN = 3
"""Run time asked for, as a multiple of the cost model's."""


class Cost(NamedTuple):
    """A job's memory in MiB (Python included) and its work in seconds."""

    megabytes: int
    seconds: float

    def minutes(self, attempt: int = 1) -> int:
        """Run time to ask for: a margin over the work, growing with each retry."""
        return math.ceil(5 + attempt * MARGIN * self.seconds / 60)


def _cost(float64_values: float, seconds: float) -> Cost:
    return Cost(PYTHON_MB + math.ceil(8 * float64_values / 2**20), seconds)


def spectrum_cost(k: int) -> Cost:
    """A handful of k x k matrices in memory, one eigendecomposition."""
    return _cost(8 * k**2, 4 * lapack_seconds("eigvals", k))


def iteration_cost(k: int, steps: int) -> Cost:
    """Two runs of k-vectors over every step, and products with A."""
    return _cost(8 * k * k + 16 * steps * k, 1e-8 * steps * k**2)


def _batch_values(k: int, members: int) -> int:
    """A batch of stacked k x k matrices (at most 64 MiB) with LAPACK's copies of it."""
    return 4 * min(members, default_chunk(k)) * k * k


def circular_law_cost(k: int, matrices: int) -> Cost:
    """A range of matrices, decomposed a batch at a time; all their eigenvalues."""
    values = _batch_values(k, matrices) + 2 * matrices * k
    return _cost(values, matrices * matrix_seconds(k))


def depth_cost(depth: dict, scheme: str, networks: int) -> Cost:
    """A range of networks in every weight sharing, a batch of layers at a time;
    every layer's norm."""
    norms = 3 * len(depth["weight_sharing"]) * networks * (depth["layers"] + 1)
    values = _batch_values(depth["k"], networks) + norms
    return _cost(values, networks * depth_network_seconds(depth, scheme))


JACOBIAN_LAYER_SECONDS = {
    "gaussian": {"dense": 6e-3, "relu": 1.8e-3},
    "orthogonal": {"dense": 2.2e-3, "relu": 1.4e-3},
}
"""Measured at k = 256, growing as k^3 (k^2.4 from 128 to 256): one layer of one
network's Jacobian beside its draw, per activation (dense: linear or tanh, a k x k
product and shares of QR and Jacobi steps; relu: a QR per layer)."""


def jacobian_cost(depth: dict, scheme: str) -> Cost:
    """The Jacobians of the first ``jacobian_networks`` networks of ``scheme``,
    one network at a time: a few k x k matrices per activation."""
    k, layers, networks = depth["k"], depth["layers"], depth["jacobian_networks"]
    law = JACOBIAN_LAYER_SECONDS["orthogonal" if scheme == "orthogonal" else "gaussian"]
    activations = depth["activations"]
    per_layer = sum(law["relu" if f == "relu" else "dense"] for f in activations)
    per_layer *= (k / 256) ** 3
    return _cost(
        (4 * len(activations) + 2) * k * k + networks * len(activations) * (k + layers),
        networks * layers * (layer_seconds(scheme, k) + per_layer),
    )


def merge_cost(values: float) -> Cost:
    """Reading every part of a set of ensembles and writing them merged."""
    return _cost(2 * values, 60)


LIGHT_COST = Cost(2 * PYTHON_MB, 60)
"""Summaries, figures, write-up, exports: reading small files."""
