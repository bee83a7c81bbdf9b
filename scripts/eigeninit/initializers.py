"""Weight-initialization schemes for square k x k layers, and per-job seeding.

Every sampler draws a stack of ``n`` matrices, shape ``(n, k, k)``, float64, from
one explicit :class:`numpy.random.Generator`. Each sampler consumes the generator
as a single sequential fill (one ``standard_normal`` or ``uniform`` call), so
drawing ``n = a + b`` matrices at once gives the same matrices as drawing ``a``
then ``b``: callers can process members in chunks without changing any draw.
"""

import hashlib
from collections.abc import Callable
from numbers import Integral

import numpy as np

Sampler = Callable[[int, int, np.random.Generator], np.ndarray]

CHUNK_BYTES = 64 * 2**20
"""Default working-set budget for one chunk of stacked k x k float64 matrices."""


def default_chunk(k: int) -> int:
    """Number of k x k float64 matrices that fit in :data:`CHUNK_BYTES` (at least 1)."""
    return max(1, CHUNK_BYTES // (8 * k * k))


def job_seed_sequence(seed: int, *key: str | int) -> np.random.SeedSequence:
    """Seed sequence for one job, derived from the base seed and the job's own key.

    The key (e.g. ``("circular_law", 1024)`` or ``("depth", "lecun", "relu",
    "shared")``) is hashed with SHA-256, never Python's salted ``hash()``, so a
    job's draws depend only on its parameters: not on which other jobs ran, in
    which order, or in which process.
    """
    if not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    parts = []
    for part in key:
        if isinstance(part, str):
            parts.append(f"s:{part}")
        elif isinstance(part, Integral):
            parts.append(f"i:{int(part)}")
        else:
            raise TypeError(f"key parts must be str or int, got {type(part).__name__}")
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    key_words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 32, 4)]
    return np.random.SeedSequence([int(seed), *key_words])


def member_generator(
    seed_sequence: np.random.SeedSequence, index: int
) -> np.random.Generator:
    """The generator of member ``index`` (a matrix or a network) of an ensemble.

    It is the ``index``-th child that ``seed_sequence.spawn`` would give, built
    directly, so a job handling members 96 to 127 draws exactly what one job
    handling all members draws for them: results do not depend on how an
    ensemble is split into jobs.
    """
    child = np.random.SeedSequence(
        seed_sequence.entropy,
        spawn_key=(*seed_sequence.spawn_key, int(index)),
        pool_size=seed_sequence.pool_size,
    )
    return np.random.default_rng(child)


def batches(members: range, k: int) -> list[range]:
    """``members`` in consecutive batches of at most :func:`default_chunk` matrices."""
    size = default_chunk(k)
    return [members[start : start + size] for start in range(0, len(members), size)]


def standard(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Entries N(0, 1): the unscaled baseline whose signals grow like sqrt(k)."""
    return rng.standard_normal((n, k, k))


def lecun(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Entries N(0, 1/k): preserves the mean-square norm of a linear layer.

    For a square layer fan_in = fan_out = k, so this is also Xavier-normal.
    """
    return rng.standard_normal((n, k, k)) / np.sqrt(k)


def xavier_uniform(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Entries U(-sqrt(3/k), sqrt(3/k)): variance 1/k like lecun, but not Gaussian."""
    bound = np.sqrt(3.0 / k)
    return rng.uniform(-bound, bound, (n, k, k))


def kaiming(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Entries N(0, 2/k): preserves the mean-square norm of a ReLU layer."""
    return rng.standard_normal((n, k, k)) * np.sqrt(2.0 / k)


def orthogonal(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Haar-random orthogonal matrices: all singular values and |eigenvalues| are 1.

    QR of a Gaussian matrix alone is not Haar; multiplying column j of Q by
    sign(R_jj) makes the factorization unique and the distribution Haar
    (Mezzadri 2007).
    """
    q, r = np.linalg.qr(rng.standard_normal((n, k, k)))
    signs = np.sign(np.diagonal(r, axis1=-2, axis2=-1))
    return q * signs[:, np.newaxis, :]


def eigen(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """A standard matrix divided by its spectral radius, so max |eigenvalue| = 1.

    The radius comes from the full LAPACK spectrum (``eigvals``): iterative
    solvers such as ARPACK pick wrong eigenvalues on these disk-edge-crowded
    spectra.
    """
    matrices = rng.standard_normal((n, k, k))
    radius = np.abs(np.linalg.eigvals(matrices)).max(axis=-1)
    return matrices / radius[:, np.newaxis, np.newaxis]


def spectral(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """A standard matrix divided by its largest singular value, so ||W||_2 = 1."""
    matrices = rng.standard_normal((n, k, k))
    sigma_max = np.linalg.svd(matrices, compute_uv=False)[:, 0]
    return matrices / sigma_max[:, np.newaxis, np.newaxis]


SCHEMES: dict[str, Sampler] = {
    "standard": standard,
    "lecun": lecun,
    "xavier_uniform": xavier_uniform,
    "kaiming": kaiming,
    "orthogonal": orthogonal,
    "eigen": eigen,
    "spectral": spectral,
}

_ENTRY_VARIANCE_TIMES_K = {"lecun": 1.0, "xavier_uniform": 1.0, "kaiming": 2.0}


def check_scheme(scheme: str) -> None:
    """Raise a ValueError naming the allowed schemes when ``scheme`` is unknown."""
    if scheme not in SCHEMES:
        raise ValueError(
            f"unknown initialization scheme {scheme!r}; "
            f"allowed: {', '.join(sorted(SCHEMES))}"
        )


def sample(scheme: str, n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` k x k matrices of ``scheme`` as a float64 array (n, k, k)."""
    check_scheme(scheme)
    return SCHEMES[scheme](n, k, rng)


def theory_weight_std(scheme: str, k: int) -> float | None:
    """Per-entry standard deviation of an iid scheme; None where entries are not iid.

    orthogonal, eigen and spectral rescale whole matrices, so their entries are
    dependent and have no prescribed standard deviation.
    """
    check_scheme(scheme)
    if scheme == "standard":
        return 1.0
    if scheme in _ENTRY_VARIANCE_TIMES_K:
        return float(np.sqrt(_ENTRY_VARIANCE_TIMES_K[scheme] / k))
    return None
