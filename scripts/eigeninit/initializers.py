"""Weight-initialization schemes for square k x k layers, and per-job seeding.

Every sampler draws a stack ``(n, k, k)`` with one sequential fill of its
generator, so a + b matrices at once are those of a then b: callers may chunk.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral

import numpy as np

Sampler = Callable[[int, int, np.random.Generator], np.ndarray]

CHUNK_BYTES = 64 * 2**20


def default_chunk(k: int) -> int:
    """Number of k x k float64 matrices that fit in :data:`CHUNK_BYTES` (at least 1)."""
    return max(1, CHUNK_BYTES // (8 * k * k))


def batches(members: range, k: int) -> list[range]:
    """``members`` in consecutive batches of at most :func:`default_chunk` matrices."""
    size = default_chunk(k)
    return [members[start : start + size] for start in range(0, len(members), size)]


def job_seed_sequence(seed: int, *key: str | int) -> np.random.SeedSequence:
    """Seed sequence for one job, from the base seed and the job's key (e.g.
    ``("circular_law", 1024)``), hashed with SHA-256 rather than Python's salted
    ``hash()``: a job's draws depend only on its parameters."""
    if not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if not all(isinstance(part, str | Integral) for part in key):
        raise TypeError(f"key parts must be str or int, got {key!r}")
    text = "\x1f".join(f"s:{p}" if isinstance(p, str) else f"i:{int(p)}" for p in key)
    key_words = np.frombuffer(hashlib.sha256(text.encode()).digest(), "<u4").tolist()
    return np.random.SeedSequence([int(seed), *key_words])


def member_generator(
    seed_sequence: np.random.SeedSequence, index: int
) -> np.random.Generator:
    """The generator of member ``index`` of an ensemble: the child
    ``seed_sequence.spawn`` would give, whichever job asks."""
    child = np.random.SeedSequence(
        seed_sequence.entropy,
        spawn_key=(*seed_sequence.spawn_key, int(index)),
        pool_size=seed_sequence.pool_size,
    )
    return np.random.default_rng(child)


def standard(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((n, k, k))


def lecun(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((n, k, k)) / np.sqrt(k)


def xavier_uniform(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    bound = np.sqrt(3.0 / k)
    return rng.uniform(-bound, bound, (n, k, k))


def kaiming(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((n, k, k)) * np.sqrt(2.0 / k)


def orthogonal(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """QR of a Gaussian matrix, column j of Q times sign(R_jj): without the
    signs Q is not Haar (Mezzadri 2007)."""
    q, r = np.linalg.qr(rng.standard_normal((n, k, k)))
    signs = np.sign(np.diagonal(r, axis1=-2, axis2=-1))
    return q * signs[:, np.newaxis, :]


def eigen(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """The radius from LAPACK's full spectrum: iterative solvers pick wrong
    eigenvalues on these disk-edge-crowded spectra."""
    matrices = rng.standard_normal((n, k, k))
    radius = np.abs(np.linalg.eigvals(matrices)).max(axis=-1)
    return matrices / radius[:, np.newaxis, np.newaxis]


def spectral(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    matrices = rng.standard_normal((n, k, k))
    return matrices / largest_singular_values(matrices)[:, np.newaxis, np.newaxis]


LANCZOS_FROM_K = 256
"""From this size on Lanczos finds sigma_max faster than a full SVD (half the
time at k = 256, a sixth at 1024, a seventh at 4096)."""


def largest_singular_values(matrices: np.ndarray) -> np.ndarray:
    """sigma_max of each matrix of a stack (n, k, k): by LAPACK's singular values
    below :data:`LANCZOS_FROM_K`, from it on by ARPACK's Lanczos on G^T G to
    full precision (tol 0) from a fixed start, within a few eps of the SVD."""
    k = matrices.shape[-1]
    if k < LANCZOS_FROM_K:
        return np.linalg.svd(matrices, compute_uv=False)[:, 0]
    from scipy.sparse.linalg import LinearOperator, eigsh

    def largest(g: np.ndarray) -> float:
        gram = LinearOperator((k, k), matvec=lambda v: g.T @ (g @ v), dtype=g.dtype)
        start = np.ones(k)
        return eigsh(gram, 1, which="LA", v0=start, tol=0, return_eigenvectors=False)[0]

    return np.sqrt([largest(g) for g in matrices])


IID, ORTHOGONAL, NORMALIZED = "iid", "orthogonal", "normalized"
SPECTRAL_RADIUS, SIGMA_MAX = "spectral_radius", "sigma_max"


@dataclass(frozen=True)
class Scheme:
    """One scheme: what the code and the write-up know about it.

    ``entries`` (a formula) and ``description`` (a phrase, formulas between
    dollar signs) are LaTeX-marked text for readers. ``family``: independent
    entries (IID), Haar (ORTHOGONAL) or a Gaussian G over ``divisor``(G)
    (NORMALIZED). ``variance_times_k``: k Var(W_ij) where the scheme fixes it
    as a constant over k (None for standard's unscaled N(0, 1) and the
    normalized schemes). ``gaussian``: False where iid entries are not
    Gaussian, so theory takes the Gaussian law of their variance, an
    approximation at O(1/k^2). ``jacobian``: whether the input-output
    Jacobian is measured. ``decomposition``: the LAPACK call one draw makes.
    """

    sampler: Sampler
    name: str
    entries: str
    description: str
    family: str
    variance_times_k: float | None = None
    divisor: str | None = None
    gaussian: bool = True
    jacobian: bool = False
    decomposition: str | None = None

    def entry_std(self, k: int) -> float | None:
        """An iid entry's standard deviation; None where entries are dependent."""
        if self.family != IID:
            return None
        if self.variance_times_k is None:
            return 1.0
        return float(np.sqrt(self.variance_times_k / k))


SCHEMES: dict[str, Scheme] = {
    "standard": Scheme(
        standard,
        "Standard",
        r"N(0, 1)",
        r"entries $N(0, 1)$, not scaled at all: the matrix of part one",
        IID,
    ),
    "lecun": Scheme(
        lecun,
        "LeCun",
        r"N(0, 1/k)",
        r"entries $N(0, 1/k)$; for a square layer this is also Xavier (Glorot) normal",
        IID,
        1.0,
        jacobian=True,
    ),
    "xavier_uniform": Scheme(
        xavier_uniform,
        "Xavier uniform",
        r"U(-\sqrt{3/k}, \sqrt{3/k})",
        r"entries uniform between $-\sqrt{3/k}$ and $\sqrt{3/k}$, the same variance"
        r" $1/k$ from a flat distribution",
        IID,
        1.0,
        gaussian=False,
    ),
    "kaiming": Scheme(
        kaiming,
        "Kaiming",
        r"N(0, 2/k)",
        r"entries $N(0, 2/k)$, twice the variance, to make up for what ReLU removes",
        IID,
        2.0,
        jacobian=True,
    ),
    "orthogonal": Scheme(
        orthogonal,
        "Orthogonal",
        r"\text{Haar orthogonal}",
        "a random orthogonal matrix, which turns vectors without stretching them",
        ORTHOGONAL,
        1.0,
        jacobian=True,
        decomposition="qr",
    ),
    "eigen": Scheme(
        eigen,
        "Eigen",
        r"G / \rho(G), G \text{ with } N(0, 1) \text{ entries}",
        r"a standard matrix $G$ divided by its own spectral radius $\rho(G)$,"
        " part one's fix",
        NORMALIZED,
        divisor=SPECTRAL_RADIUS,
        decomposition="eigvals",
    ),
    "spectral": Scheme(
        spectral,
        "Spectral",
        r"G / \sigma_{\max}(G), G \text{ with } N(0, 1) \text{ entries}",
        r"a standard matrix $G$ divided by its largest singular value"
        r" $\sigma_{\max}(G)$",
        NORMALIZED,
        divisor=SIGMA_MAX,
        decomposition="sigma_max",
    ),
}


def check_scheme(scheme: str) -> Scheme:
    """``scheme``'s registry entry; a ValueError naming the allowed ones if unknown."""
    if scheme not in SCHEMES:
        raise ValueError(
            f"unknown initialization scheme {scheme!r}; "
            f"allowed: {', '.join(sorted(SCHEMES))}"
        )
    return SCHEMES[scheme]


def sample(scheme: str, n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` k x k matrices of ``scheme`` as a float64 array (n, k, k)."""
    return check_scheme(scheme).sampler(n, k, rng)
