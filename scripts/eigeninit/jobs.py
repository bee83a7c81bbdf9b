"""How the heavy work is split into jobs of bounded size, and what each job costs.

An ensemble (the matrices of one circular-law size, the networks of one depth
scheme) is split into consecutive ranges of members, one job each, so that no
job does much more than :data:`TARGET_JOB_SECONDS` of LAPACK work: two cores
stay busy to the end and a cluster can spread a large ensemble over many
nodes. Members draw from streams keyed by their index, so the split changes
how fast results come, never what they are.

Costs are single-core times measured with OpenBLAS on a Haswell core
(``eigvals`` from 0.022 s at k = 256 to 22 s at k = 4096, singular values
likewise, interpolated between and extrapolated as k^3 beyond; QR as a
fraction of ``eigvals``; drawing and products per matrix entry). They size
jobs and tell a scheduler how long a job may run, with a margin added there;
a faster machine only makes jobs shorter.
"""

import math

import numpy as np

TARGET_JOB_SECONDS = 10.0
"""Work per job: about ten times a job's start-up (Python, numpy, xarray)."""

LAPACK_SECONDS = {
    "eigvals": {256: 0.022, 512: 0.22, 1024: 0.79, 2048: 3.6, 4096: 22.3},
    "singular_values": {256: 0.004, 512: 0.026, 1024: 0.16, 2048: 2.0, 4096: 15.4},
}
"""Measured: one call on a k x k matrix on one core, by k. Singular values cost
a fifth of ``eigvals`` up to k = 1024 but two thirds at 4096, where both wait
on memory, so each call has its own table."""

QR_PER_EIGVALS = 0.15
"""QR's time relative to ``eigvals`` at the same k (0.14 to 0.16 at 256 and 1024)."""

SCHEME_DECOMPOSITION = {
    "orthogonal": "qr",
    "eigen": "eigvals",
    "spectral": "singular_values",
}
"""The decomposition each normalized scheme makes per matrix; iid schemes make none."""

GAUSSIAN_SECONDS_PER_VALUE = 8e-9
"""Drawing one standard normal float64 (the iid schemes' cost per layer)."""

PRODUCT_SECONDS_PER_VALUE = 1e-10
"""One matrix entry's share of a batched matrix-vector product."""


def lapack_seconds(call: str, k: int) -> float:
    """Single-core time of one ``call`` (see :data:`LAPACK_SECONDS`) on a k x k
    matrix: the measurements, interpolated linearly in log k and log time, and
    as k^3 outside them."""
    sizes, seconds = zip(*sorted(LAPACK_SECONDS[call].items()), strict=True)
    nearest = min(max(k, sizes[0]), sizes[-1])
    log_seconds = np.interp(np.log(nearest), np.log(sizes), np.log(seconds))
    return float(np.exp(log_seconds) * (k / nearest) ** 3)


def eigvals_seconds(k: int) -> float:
    return lapack_seconds("eigvals", k)


def decomposition_seconds(decomposition: str, k: int) -> float:
    if decomposition == "qr":
        return QR_PER_EIGVALS * eigvals_seconds(k)
    return lapack_seconds(decomposition, k)


def matrix_seconds(k: int) -> float:
    """One circular-law matrix: draw it, all its eigenvalues, its singular values."""
    return (
        GAUSSIAN_SECONDS_PER_VALUE * k * k
        + eigvals_seconds(k)
        + lapack_seconds("singular_values", k)
    )


def layer_seconds(scheme: str, k: int) -> float:
    """Draw one k x k layer of ``scheme`` (with its normalizing decomposition)."""
    decomposition = SCHEME_DECOMPOSITION.get(scheme)
    normalizing = decomposition_seconds(decomposition, k) if decomposition else 0.0
    return GAUSSIAN_SECONDS_PER_VALUE * k * k + normalizing


def network_seconds(
    scheme: str, weights: str, k: int, layers: int, activations: int
) -> float:
    """One depth network: its matrices, and a matrix-vector product per layer and
    activation."""
    drawn = layers if weights == "independent" else 1
    products = layers * activations * PRODUCT_SECONDS_PER_VALUE * k * k
    return drawn * layer_seconds(scheme, k) + products


def member_ranges(
    count: int, member_seconds: float, target: float = TARGET_JOB_SECONDS
) -> list[range]:
    """Split members 0 .. count - 1 into near-equal consecutive ranges, one per job.

    As few jobs as keep each at most ``target`` seconds of work (a member
    heavier than ``target`` gets a job of its own); sizes differ by at most one.
    """
    if count < 1:
        raise ValueError(f"an ensemble needs at least one member, got {count}")
    per_job = max(1, math.floor(target / member_seconds))
    jobs = math.ceil(count / per_job)
    return [
        range(job * count // jobs, (job + 1) * count // jobs) for job in range(jobs)
    ]


def fixed_ranges(count: int, per_job: int) -> list[range]:
    """Members 0 .. count - 1 in ranges of ``per_job`` each (the last shorter)."""
    if per_job < 1:
        raise ValueError(f"members per job must be at least 1, got {per_job}")
    return [
        range(start, min(start + per_job, count)) for start in range(0, count, per_job)
    ]


def range_label(members: range) -> str:
    """A job's members as a file-name part: ``0-7`` holds members 0 to 6."""
    return f"{members.start}-{members.stop}"


def parse_range_label(label: str) -> range:
    """Inverse of :func:`range_label`."""
    start, stop = (int(part) for part in label.split("-"))
    return range(start, stop)
