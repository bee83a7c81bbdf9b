"""Singular values of the input-output Jacobian of the depth experiment's networks,
and the theory they are compared with.

J = D(L) W(L) ... D(1) W(1), with D(l) = diag f'(W(l) x(l-1)) at the forward pass
x(l) = f(W(l) x(l-1)) of :func:`eigeninit.depth.run_depth` with independent
weights: the same streams, the same draws, in the same order.

Measurement
-----------
A float64 product followed by an SVD resolves a singular value only down to
about eps sigma_max (eps = 2.2e-16); below that it returns rounding noise. At
L = 50 and k = 256 Gaussian products span some 75 decades and ReLU Jacobians
are exactly singular, so the product is kept *stratified* instead,

    J = Q diag(d) T,   Q with orthonormal columns, d > 0 of any range,
                       T with rows of unit size and modest condition,

and updated a block of layers at a time: C = (A_b ... A_a) Q diag(d) is
formed (each column keeps its own relative accuracy, whatever its scale), its
columns are sorted by norm, a Householder QR gives C P = Q' R, and
d' = |diag R|, T' = diag(d')^-1 R P^T T. A block is closed when a running
estimate of its condition number would pass :data:`BLOCK_CONDITION`: kappa(D)
for an orthogonal layer (exact: kappa(D W) = kappa(D)), kappa(D) times
:data:`GAUSSIAN_LAYER_CONDITION` k for a Gaussian one. The singular values
of J are those of diag(d) T; preconditioned one-sided Jacobi (LAPACK dgejsv,
Drmac & Veselic 2008) computes them from the column-scaled T^T diag(d) with
relative error at most about f(k) eps cond(T^T) whatever the range of d
(:func:`jacobi_singular_values`). LAPACK's bidiagonal SVD does not have this
property (it loses the small values of a graded product; the tests keep a case).

The accumulated d are not the singular values at finite depth (they differ by
up to 1.5 decades at L = 50); only their sum is exact: sum ln d = ln|det J|.
So every network is checked against the exact identity sum_i ln sigma_i =
sum_l (ln|det W(l)| + sum_i ln D(l)_ii) (``log_det_gap``).

ReLU makes D exactly singular: rank J = min_l r_l almost surely, r_l the
active units of layer l. Dead rows are dropped exactly (the factors become
r_l x r_(l-1), one QR per layer), so the k - rank zero singular values are
exact zeros, never rounding noise.

Theory
------
Each value says its kind (:data:`EXACT`, :data:`LARGE_K_LAW`,
:data:`ASYMPTOTIC`): exact at this k; the exact k -> infinity law at this
depth; mean field and free probability, k -> infinity, computed numerically.

scipy is imported where it is used: the workflow reads :func:`settings` when
it parses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from eigeninit.depth import ACTIVATIONS, POSITIVELY_HOMOGENEOUS, check_activation
from eigeninit.initializers import check_scheme, member_generator, sample

SCHEMES = ("lecun", "kaiming", "orthogonal")
"""Weight laws measured: the Gaussian schemes LeCun and Kaiming, and Haar
orthogonal, each with the theory below."""

WEIGHTS = "independent"
"""The Jacobian is measured on networks with a fresh matrix per layer."""

METHOD = "stratified QR with column pre-pivoting, then one-sided Jacobi (dgejsv)"

BLOCK_CONDITION = 1e10
"""Close a block of layers before its estimated condition passes this. Forming
a block costs a columnwise relative error of about eps times its condition,
2e-6 at most. Measured on the first 4 networks of each setting at k = 256,
L = 50: singular values within 7.1e-8 of one QR per layer (Kaiming linear;
3e-13 with orthogonal weights), with log-det gaps of the same size, which
therefore flag a block that went wrong."""

GAUSSIAN_LAYER_CONDITION = 4.0
"""Condition allowed per Gaussian k x k layer, in units of k: about the median
(3.7 k at k = 256; cond/k has a 1/x tail, Edelman 1988). An estimate, not a
bound; its adequacy is what the log-det identity and the tests check."""

EPS = float(np.finfo(np.float64).eps)

EXACT, LARGE_K_LAW, ASYMPTOTIC = "exact", "large_k_law", "asymptotic"
THEORY_KINDS = (EXACT, LARGE_K_LAW, ASYMPTOTIC)


def settings(depth: dict) -> dict:
    """What the workflow measures for a checked depth config: the schemes of
    :data:`SCHEMES` it runs, its activations (all have a Jacobian here) and
    the number of networks, the first ``jacobian_networks`` of each."""
    return {
        "schemes": [scheme for scheme in depth["schemes"] if scheme in SCHEMES],
        "activations": list(depth["activations"]),
        "networks": depth["jacobian_networks"],
    }


def entry_variance_times_k(scheme: str) -> float:
    """s: k times the variance of an entry (1 for orthogonal, whose |W x| = |x|)."""
    if scheme not in SCHEMES:
        raise ValueError(
            f"no Jacobian for scheme {scheme!r}; have {', '.join(SCHEMES)}"
        )
    return 2.0 if scheme == "kaiming" else 1.0


# ---------------------------------------------------------------------------
# Activations and products
# ---------------------------------------------------------------------------


def derivative(activation: str, h: np.ndarray) -> np.ndarray:
    """f'(h). tanh' = sech^2 is computed as 4 e^(-2|h|) / (1 + e^(-2|h|))^2, which
    stays positive where 1 - tanh(h)^2 rounds to 0 (|h| > 19); relu'(0) = 0."""
    check_activation(activation)
    if activation == "linear":
        return np.ones_like(h)
    if activation == "relu":
        return (h > 0).astype(np.float64)
    e = np.exp(-2.0 * np.abs(h))
    return 4.0 * e / (1.0 + e) ** 2


def _restratify(c: np.ndarray, t: np.ndarray) -> tuple:
    """One stratification step: c (r, m) graded columns and t (m, k) give
    q (r, p), d (p,) and t' (p, k), p = min(r, m), with c P = q R,
    d = |diag R| and t' = diag(d)^-1 R P^T t; P sorts the columns of c by
    decreasing norm first."""
    order = np.argsort(-np.linalg.norm(c, axis=0), kind="stable")
    q, r = np.linalg.qr(c[:, order])
    diagonal = np.diagonal(r)
    sign = np.where(diagonal < 0, -1.0, 1.0)
    d = np.abs(diagonal)
    if np.any(d == 0):
        raise FloatingPointError(
            "a stratification pivot is exactly zero: the product lost rank "
            "outside the rows dropped exactly"
        )
    return q * sign, d, (r * (sign / d)[:, None]) @ t[order]


def jacobi_singular_values(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Singular values (descending) of a matrix with at least as many rows as
    columns (else of its transpose), and dgejsv's estimate of the condition
    of the matrix with unit columns.

    dgejsv with JOBA = 'E' (column scaling, condition estimate), no singular
    vectors, JOBR = 'N' (no small column is set to zero), JOBT = 'N' (no
    transposition: the scaling stays on the columns), JOBP = 'N' (no
    perturbation). For M = B D with D diagonal every singular value has
    relative error at most about f(m, n) eps cond(B) (Drmac & Veselic 2008,
    LAPACK working notes 169 and 170), so with the estimate ~ n eps cond(B)
    bounds the error. scipy's integer job codes index "CEFGAR", "UFWN",
    "VJWN" and N/R, N/T, N/P (scipy/linalg/flapack_other.pyf.src).
    """
    from scipy.linalg import lapack

    a = matrix if matrix.shape[0] >= matrix.shape[1] else matrix.T
    scale = np.abs(a).max()
    if scale == 0:
        return np.zeros(a.shape[1]), 1.0
    sva, _, _, work, _, info = lapack.dgejsv(
        np.asfortranarray(a / scale), joba=1, jobu=3, jobv=3, jobr=0, jobt=0, jobp=0
    )
    if info != 0:
        raise np.linalg.LinAlgError(f"dgejsv returned info = {info}")
    if work[0] != work[1]:
        # dgejsv had to keep its values scaled (sigma_max near overflow); the
        # input is normalized to max |entry| = 1, so this does not happen.
        raise FloatingPointError(f"dgejsv left a scale factor {work[0] / work[1]}")
    return np.sort(sva)[::-1] * scale, float(work[2])


def graded_singular_values(d: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, float]:
    """Singular values (descending) of diag(d) T, d (p,) and T (p, k) with p <= k,
    from the column-scaled T^T diag(d) (:func:`jacobi_singular_values`), and
    the condition estimate that bounds their relative error."""
    return jacobi_singular_values((d[:, None] * t).T)


class GradedProduct:
    """The running product A(L) ... A(1) of one network's k x k factors.

    :meth:`apply` multiplies by the next factor with an estimate of its
    condition number; a block of factors is re-stratified (QR) before its
    estimated condition passes ``block_condition`` (0: after every factor).
    :meth:`singular_values` closes the last block.
    """

    def __init__(self, k: int, block_condition: float = BLOCK_CONDITION):
        self.block_condition = block_condition
        self.q, self.d, self.t = np.eye(k), np.ones(k), np.eye(k)
        self._pending: np.ndarray | None = None
        self._pending_condition = 1.0
        self.restratifications = 0

    def apply(self, factor: np.ndarray, condition: float) -> None:
        """Multiply on the left by ``factor``, of condition about ``condition``."""
        if (
            self._pending is not None
            and self._pending_condition * condition > self.block_condition
        ):
            self.close()
        if self._pending is None:
            self._pending = self.q * self.d
            self._pending_condition = 1.0
        self._pending = factor @ self._pending
        self._pending_condition *= condition

    def close(self) -> None:
        """Re-stratify the pending block, if any."""
        if self._pending is not None:
            self.q, self.d, self.t = _restratify(self._pending, self.t)
            self._pending = None
            self.restratifications += 1

    def singular_values(self) -> tuple[np.ndarray, float]:
        """The singular values, descending, and their condition estimate."""
        self.close()
        return graded_singular_values(self.d, self.t)


class RankTrackingProduct:
    """The running product of one network's factors D(l) W(l) where D(l) has exact
    zeros (ReLU).

    ``apply(w, active, scale)`` multiplies by D W with D zero off the rows
    ``active`` and ``scale`` on them. Dead rows are dropped exactly, so the
    state is Q (r_l x p), d (p) and T (p x k) with p the rank of the product
    so far; one QR per layer reveals each drop of rank exactly.
    """

    def __init__(self, k: int):
        self.k = k
        self.rows = np.arange(k)
        self.q, self.d, self.t = np.eye(k), np.ones(k), np.eye(k)
        self.restratifications = 0

    @property
    def rank(self) -> int:
        return len(self.d)

    def apply(self, w: np.ndarray, active: np.ndarray, scale: np.ndarray) -> None:
        if self.rank == 0 or len(active) == 0:
            self.q, self.d = np.zeros((len(active), 0)), np.zeros(0)
            self.t = np.zeros((0, self.k))
        else:
            c = (scale[:, None] * w[np.ix_(active, self.rows)]) @ (self.q * self.d)
            self.q, self.d, self.t = _restratify(c, self.t)
            self.restratifications += 1
        self.rows = np.asarray(active)

    def singular_values(self) -> tuple[np.ndarray, float]:
        """All k singular values, descending, the k - rank zeros exact, and the
        condition estimate of the nonzero ones (1 when there are none)."""
        sigma = np.zeros(self.k)
        if self.rank == 0:
            return sigma, 1.0
        sigma[: self.rank], condition = graded_singular_values(self.d, self.t)
        return sigma, condition


# ---------------------------------------------------------------------------
# The measurement
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JacobianRun:
    """One activation's Jacobians over networks.

    sigma (networks, k): singular values, descending, exact zeros kept;
    rank (networks,); log_det_gap (networks,): sum ln sigma - ln|det J| from
    the factors, NaN where J is singular; condition (networks,): dgejsv's
    condition estimate of the final step; restratifications (networks,): QR
    steps; log10_norms (networks, layers + 1): the forward pass, as
    :func:`eigeninit.depth.run_depth` records it.
    """

    sigma: np.ndarray
    rank: np.ndarray
    log_det_gap: np.ndarray
    condition: np.ndarray
    restratifications: np.ndarray
    log10_norms: np.ndarray


def _log10_norm(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log10(np.linalg.norm(x, axis=-1))


def jacobian_spectra(
    scheme: str,
    activations: Sequence[str],
    k: int,
    layers: int,
    seed_sequence: np.random.SeedSequence,
    networks: range,
    block_condition: float = BLOCK_CONDITION,
) -> dict[str, JacobianRun]:
    """The Jacobian's singular values of networks ``networks`` of ``scheme``,
    per activation, all activations on the same inputs and weights.

    Network i draws exactly what :func:`eigeninit.depth.run_depth` draws for
    it with independent weights: from ``member_generator(seed_sequence, i)``
    its input x(0), then one matrix per layer through
    :func:`eigeninit.initializers.sample`; the forward pass is the same
    arithmetic, so ``log10_norms`` equal run_depth's bit for bit. Each
    network is computed alone (stacking them saves no time), so its values
    depend on nothing but its own draws.
    """
    check_scheme(scheme)
    entry_variance_times_k(scheme)
    for activation in activations:
        check_activation(activation)
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    per_network = [
        _network(
            scheme,
            activations,
            k,
            layers,
            member_generator(seed_sequence, i),
            block_condition,
        )
        for i in networks
    ]
    return {
        activation: JacobianRun(
            *(
                np.stack([runs[activation][field] for runs in per_network])
                for field in JacobianRun.__dataclass_fields__
            )
        )
        for activation in activations
    }


def _network(scheme, activations, k, layers, generator, block_condition) -> dict:
    """One network's Jacobian per activation, as the fields of JacobianRun."""
    x0 = generator.standard_normal(k)
    # As eigeninit.depth.propagate_each: homogeneous activations carry the
    # normalized signal and accumulate log norms, tanh the signal itself.
    signals, log10_norms = {}, {}
    for activation in activations:
        signals[activation] = (
            _normalized(x0) if activation in POSITIVELY_HOMOGENEOUS else x0
        )
        log10_norms[activation] = [_log10_norm(x0)]
    products = {
        activation: RankTrackingProduct(k)
        if activation == "relu"
        else GradedProduct(k, block_condition)
        for activation in activations
    }
    log_det = dict.fromkeys(activations, 0.0)
    orthogonal = scheme == "orthogonal"
    layer_condition = 1.0 if orthogonal else GAUSSIAN_LAYER_CONDITION * k
    for _ in range(layers):
        w = sample(scheme, 1, k, generator)[0]
        # |det W| = 1 for orthogonal W (to k eps); ReLU needs no determinant.
        dense = any(activation != "relu" for activation in activations)
        w_log_det = np.linalg.slogdet(w)[1] if dense and not orthogonal else 0.0
        for activation in activations:
            h = w @ signals[activation]
            y = ACTIVATIONS[activation](h)
            slope = derivative(activation, h)
            if activation in POSITIVELY_HOMOGENEOUS:
                log10_norms[activation].append(
                    log10_norms[activation][-1] + _log10_norm(y)
                )
                y = _normalized(y)
            else:
                log10_norms[activation].append(_log10_norm(y))
            signals[activation] = y
            product = products[activation]
            if activation == "relu":
                active = np.flatnonzero(slope > 0)
                product.apply(w, active, slope[active])
                continue
            if np.any(slope == 0):
                raise FloatingPointError(f"{activation}: f' underflowed to 0")
            log_det[activation] += w_log_det + np.log(slope).sum()
            spread = slope.max() / slope.min()
            product.apply(slope[:, None] * w, spread * layer_condition)
    fields = {}
    for activation, product in products.items():
        sigma, condition = product.singular_values()
        singular = activation == "relu"
        fields[activation] = {
            "sigma": sigma,
            "rank": product.rank if singular else k,
            "log_det_gap": math.nan
            if singular
            else np.log(sigma).sum() - log_det[activation],
            "condition": condition,
            "restratifications": product.restratifications,
            "log10_norms": np.array(log10_norms[activation]),
        }
    return fields


def _normalized(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)


# ---------------------------------------------------------------------------
# Theory
# ---------------------------------------------------------------------------

LN10 = math.log(10.0)


def _fuss_catalan_log_u(layers: int, theta: np.ndarray) -> np.ndarray:
    s = layers
    return (
        (s + 1) * np.log(np.sin((s + 1) * theta))
        - np.log(np.sin(theta))
        - s * np.log(np.sin(s * theta))
    )


def _fuss_catalan_weight(layers: int, theta: np.ndarray) -> np.ndarray:
    """density(u(theta)) |u'(theta)|: the law as a density in theta."""
    s = layers
    a, b, c = np.sin(theta), np.sin((s + 1) * theta), np.sin(s * theta)
    d_log_u = (
        (s + 1) ** 2 * np.cos((s + 1) * theta) / b
        - np.cos(theta) / a
        - s**2 * np.cos(s * theta) / c
    )
    return -a * b / c * d_log_u / np.pi


def fuss_catalan_parametrization(layers: int, theta: np.ndarray) -> tuple:
    """(u, weight) at angles 0 < theta < pi / (L + 1) for the Fuss-Catalan law
    FC_L of x = sigma^2, the k -> infinity law of the squared singular values
    of a product of L independent k x k Gaussian matrices with entries
    N(0, 1/k) (Penson & Zyczkowski 2011):

        u(theta) = sin((L+1) theta)^(L+1) / (sin theta sin(L theta)^L),

    decreasing from the upper edge (L+1)^(L+1)/L^L at theta = 0 to 0 at
    pi/(L+1), and weight = density(u) |du/dtheta|, so that
    P(x <= u(theta)) = int_theta^(pi/(L+1)) weight. The tests check it: mass
    1, the Fuss-Catalan moments binom((L+1)n, n)/(Ln+1) and E ln x = -L.
    (Its source in the literature, thought to be Haagerup & Moller 2013 or
    Neuschel 2014, is unchecked; cite the moments and Penson & Zyczkowski.)
    """
    theta = np.asarray(theta, dtype=float)
    return np.exp(_fuss_catalan_log_u(layers, theta)), _fuss_catalan_weight(
        layers, theta
    )


def _fuss_catalan_cdf_at(layers: int, theta: float) -> float:
    from scipy import integrate

    value, _ = integrate.quad(
        lambda t: _fuss_catalan_weight(layers, np.array(t)),
        theta,
        math.pi / (layers + 1),
        epsabs=1e-13,
        epsrel=1e-12,
        limit=200,
    )
    return float(value)


def fuss_catalan_quantiles(layers: int, probs: Sequence[float]) -> np.ndarray:
    """Quantiles of x ~ FC_L: root-finding in theta on the CDF (quadrature to
    1e-12), to 1e-12 relative in x."""
    from scipy import optimize

    top = math.pi / (layers + 1)
    quantiles = []
    for p in probs:
        theta = optimize.brentq(
            lambda t, p=p: _fuss_catalan_cdf_at(layers, t) - p,
            1e-12 * top,
            top * (1 - 1e-12),
            xtol=1e-14 * top,
        )
        quantiles.append(float(np.exp(_fuss_catalan_log_u(layers, np.array(theta)))))
    return np.array(quantiles)


def gaussian_linear_quantiles(
    scheme: str, layers: int, probs: Sequence[float]
) -> np.ndarray:
    """Quantiles of log10 sigma for linear Gaussian layers of entry variance s/k,
    k -> infinity (:data:`LARGE_K_LAW`): half the log10 of FC_L's quantiles,
    plus (L/2) log10 s."""
    s = entry_variance_times_k(scheme)
    return 0.5 * np.log10(
        fuss_catalan_quantiles(layers, probs)
    ) + 0.5 * layers * math.log10(s)


def gaussian_linear_mean_log10_sigma(scheme: str, k: int, layers: int) -> float:
    """E (1/k) sum_i log10 sigma_i for linear Gaussian layers, exact at every k
    (:data:`EXACT`): (1/(2k)) E ln det(J^T J) / ln 10, with
    E ln det(G^T G) = sum_{j=1}^k (psi(j/2) + ln 2) for a k x k matrix of
    standard normal entries (its Bartlett decomposition: independent
    chi-square variables with k, k-1, ..., 1 degrees of freedom)."""
    from scipy import special

    s = entry_variance_times_k(scheme)
    j = np.arange(1, k + 1)
    per_layer = math.log(s / k) + float(
        np.mean(special.digamma(j / 2.0) + math.log(2.0))
    )
    return 0.5 * layers * per_layer / LN10


def relu_zero_share(k: int, layers: int) -> float:
    """E (k - rank J)/k for ReLU with Gaussian or Haar orthogonal weights, exact
    (:data:`EXACT`): 1 - E[min_l r_l]/k with r_l iid Binomial(k, 1/2). Given
    x(l-1) != 0 the signs of W x(l-1) are iid fair coins for both laws
    (W -> S W, S a diagonal of signs, leaves either law unchanged), so the
    active counts are iid, and rank J = min_l r_l almost surely."""
    from scipy import special

    r = np.arange(1, k + 1)
    at_least = special.bdtrc(r - 1, k, 0.5)  # P(Binomial(k, 1/2) >= r)
    return 1.0 - float((at_least**layers).sum()) / k


def mean_sigma2(scheme: str, activation: str, layers: int) -> tuple[float, str]:
    """E |J|_F^2 / k, the mean of sigma^2, and its kind.

    linear: s^L (exact; E|W v|^2 = s |v|^2, and 1 for orthogonal W).
    relu: (s/2)^L (exact). For any v fixed by the earlier layers,
      E|D W v|^2 = E|W v|^2 / 2: W -> S W with S a diagonal of signs leaves
      the law of W unchanged and swaps which units of W x(l-1) are active.
    tanh: prod_l s E sech^4(h_l), h_l ~ N(0, s q(l-1)) with q from the
      mean-field map (:data:`ASYMPTOTIC`).
    """
    s = entry_variance_times_k(scheme)
    check_activation(activation)
    if activation == "linear":
        return s**layers, EXACT
    if activation == "relu":
        return (s / 2.0) ** layers, EXACT
    d2, weights = tanh_derivative_laws(scheme, layers)
    return float(np.prod(s * (d2 @ weights))), ASYMPTOTIC


TANH_ATOMS = 160
"""Atoms per layer of the D^2 laws (see :func:`tanh_derivative_laws`). For
the 50 layers of the default depth the quantiles of orthogonal tanh move,
from 80 atoms to 160 and from 160 to 320, by 6e-4 and 2.3e-4 decade at 5%
and by at most 2e-5 and 5e-6 at 25% to 95%: 160 atoms are within about 5e-4
decade at 5% and 1e-5 elsewhere, for about 3.5 s of CPU (320: 5.6 s)."""


def tanh_derivative_laws(scheme: str, layers: int, atoms: int = TANH_ATOMS) -> tuple:
    """The laws of D(l)^2 = sech^4(h), h ~ N(0, s q(l-1)) for l = 1..L, as atoms
    (layers, atoms) with weights (atoms,), q from the mean-field map
    (:func:`eigeninit.theory.tanh_mean_field_variances`, q(0) = 1 as x(0) ~
    N(0, I)).

    sech^4 is even, so only |h| matters: with u = g^2/2 the Gauss rule of
    ``atoms`` nodes for the weight u^(-1/2) e^(-u) (generalized Laguerre)
    integrates E p(g^2) exactly for polynomials p of degree below 2 ``atoms``.
    It is the Gauss-Hermite rule of 2 ``atoms`` nodes with the nodes +-g
    merged, and it stays finite to larger sizes (hermegauss overflows
    beyond about 300 nodes).
    """
    from scipy import special

    from eigeninit.theory import tanh_mean_field_variances

    s = entry_variance_times_k(scheme)
    q = tanh_mean_field_variances(s, layers, 1.0)[:-1]
    u, weights = special.roots_genlaguerre(atoms, -0.5)
    g, weights = np.sqrt(2.0 * u), weights / weights.sum()
    e = np.exp(-2.0 * np.sqrt(s * q)[:, None] * g[None, :])
    return (4.0 * e / (1.0 + e) ** 2) ** 2, weights


def tanh_orthogonal_quantiles(layers: int, probs: Sequence[float]) -> np.ndarray:
    """Quantiles of log10 sigma for tanh with Haar orthogonal weights,
    k -> infinity (:data:`ASYMPTOTIC`): mean field gives each layer's law of
    D^2 (:func:`tanh_derivative_laws`); asymptotic freeness (Pennington,
    Schoenholz & Ganguli 2017) makes the law of J J^T their free
    multiplicative convolution, since Haar W^T D^2 W is free of the rest.
    Numerically within about 5e-4 decade at 5% and 1e-5 decade at 25% to 95%
    (:data:`TANH_ATOMS`, :class:`FreeProduct`)."""
    d2, weights = tanh_derivative_laws("orthogonal", layers)
    return FreeProduct(values=d2, weights=weights).log10_sigma_quantiles(probs)


class FreeProduct:
    """The free multiplicative convolution of laws on (0, inf), each either a
    square Marchenko-Pastur law of scale s (the law of W^T W, W with entries
    N(0, s/k)) or a discrete law (atoms ``values[j]`` with ``weights``).

    By the S-transform (Voiculescu 1987), S of the product is the product of
    the factors' S. Written with v = zeta G(zeta) (G the Cauchy transform)
    this says: for zeta off the support, with w = v - 1, each factor j has a
    point zeta_j where its own zeta_j G_j(zeta_j) - 1 = w, and

        zeta = prod_j zeta_j ((v - 1)/v)^(n - 1),

    with zeta_j = s v^2/(v - 1) for a Marchenko-Pastur factor. For each
    zeta = x (1 + i eps) Newton's method finds w (an inner Newton each
    discrete factor's zeta_j), continued from above the support downwards in
    steps of ln x; the density there is -Im G / pi (the law smoothed by a
    Poisson kernel of relative width eps = 1e-10) and the CDF is the mass
    integrated down from the top (Simpson's rule in ln x on the adaptive grid).

    Accuracy: against the exact Fuss-Catalan laws (Marchenko-Pastur factors),
    quantiles of log10 sigma agree to 1e-4 decade and better (tests); against
    exact moments (mean multiplies, normalized variances add) to 1e-5. The
    discrete laws add their own error, which :data:`TANH_ATOMS` states for
    the tanh layers of the default depth.
    """

    def __init__(
        self,
        mp_scales: Sequence[float] = (),
        values: np.ndarray | None = None,
        weights: np.ndarray | None = None,
    ):
        self.mp = np.asarray(mp_scales, dtype=float)
        if values is None:
            self.values, self.weights = np.zeros((0, 1)), np.ones(1)
        else:
            self.values = np.atleast_2d(np.asarray(values, dtype=float))
            self.weights = np.asarray(weights, dtype=float)
        self.n = len(self.mp) + len(self.values)
        if self.n == 0:
            raise ValueError("a free product needs at least one factor")
        self._pd = self.weights * self.values
        self.m1 = self.values @ self.weights
        upper = float(np.prod(4.0 * self.mp)) * float(np.prod(self.values.max(axis=1)))
        self.upper_bound = upper  # the norm of a product bounds its support
        self.mean = float(np.prod(self.mp) * np.prod(self.m1))
        self.unresolved_mass = math.nan

    def _subordination(self, w: complex, zj: np.ndarray) -> tuple:
        """zeta_j with sum_i p_i d_i / (zeta_j - d_i) = w for every discrete
        factor, from the start ``zj``, and d zeta_j / d w."""
        if len(self.values) == 0:
            return zj, zj
        for _ in range(100):
            inverse = 1.0 / (zj[:, None] - self.values)
            terms = self._pd * inverse
            f = terms.sum(axis=1) - w
            df = -(terms * inverse).sum(axis=1)
            step = f / df
            zj = zj - step
            # converged: a tiny step, or a residual at the rounding level of
            # the sum (which cancels against w when w is near -1)
            floor = 8 * EPS * (np.abs(terms).sum(axis=1) + abs(w))
            if np.all((np.abs(step) <= 1e-14 * np.abs(zj)) | (np.abs(f) <= floor)):
                break
        else:
            raise ArithmeticError("the subordination Newton did not converge")
        inverse = 1.0 / (zj[:, None] - self.values)
        return zj, -1.0 / (self._pd * inverse * inverse).sum(axis=1)

    def _solve(self, zeta: complex, w: complex, zj: np.ndarray) -> tuple:
        """Newton in w = zeta G(zeta) - 1 on the log of the S-transform
        equation (in w, not v, so that nothing cancels far above the support,
        where w ~ mean / zeta)."""
        n, n_mp = self.n, len(self.mp)
        log_s = np.log(self.mp).sum()
        for iteration in range(1, 100):
            zj, dzj = self._subordination(w, zj)
            lv, lw = np.log1p(w), np.log(w)
            phi = (
                np.log(zj).sum()
                + n_mp * (2 * lv - lw)
                + log_s
                + (n - 1) * (lw - lv)
                - np.log(zeta)
            )
            dphi = (
                (dzj / zj).sum()
                + n_mp * (2.0 / (1.0 + w) - 1.0 / w)
                + (n - 1) * (1.0 / w - 1.0 / (1.0 + w))
            )
            step = phi / dphi
            while abs(step) > 0.5 * min(abs(w), abs(1.0 + w)):  # off the branch points
                step *= 0.5
            w = w - step
            # the residual test matters at the soft edges, where d phi / dw
            # tends to 0 and Newton's steps stall near sqrt(eps)
            if abs(step) <= 1e-14 * abs(w) + 1e-300 or abs(phi) <= 1e-13:
                zj, _ = self._subordination(w, zj)
                return w, zj, iteration
        raise ArithmeticError("the S-transform Newton did not converge")

    def distribution(
        self,
        eps: float = 1e-10,
        max_change: float = 0.02,
        h_max: float = 0.05,
        mass_target: float = 0.995,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, density, CDF) with x decreasing from above the support until the
        mass integrated reaches ``mass_target``.

        A step of h in ln x is taken when Newton converges, x times the
        density changes by at most a factor exp(``max_change``), its log-slope
        by at most ``max_change`` / h (unless the density is negligible), and
        h <= ``h_max``. Should the steps shrink below 1e-10 (the far lower
        tail of a discrete law, where its atoms stop standing for a smooth
        law), the walk stops and the mass below stays unresolved.
        """
        # Start above the support: within twice the norm bound, and within 1e7
        # times the mean (by Markov, less than 1e-7 of the mass lies above).
        x = min(2.0 * self.upper_bound, 1e7 * self.mean)
        zeta = x * (1 + 1j * eps)
        w = self.mean / (zeta - self.mean)
        zj = self.m1 * (1.0 + w) / w  # exact for point masses
        w, zj, _ = self._solve(zeta, w, zj)
        xs, fs = [x], [-((1.0 + w) / zeta).imag / np.pi * x]
        h, mass, peak, slope_before = 0.25, 0.0, 0.0, None
        while mass < mass_target:
            h_try = h
            while True:
                x_new = x * math.exp(-h_try)
                zeta = x_new * (1 + 1j * eps)
                try:
                    w_new, zj_new, iterations = self._solve(zeta, w, zj)
                    if w_new.imag > 0:
                        raise ArithmeticError("wrong half plane")
                    f0 = fs[-1]
                    f1 = -((1.0 + w_new) / zeta).imag / np.pi * x_new
                    negligible = max(f0, f1) < max(1e-12 * peak, 1e-14)
                    if not negligible and h_try > 1e-7:
                        if min(f0, f1) <= 0 or abs(math.log(f1 / f0)) > max_change:
                            raise ArithmeticError("step too long")
                        slope = math.log(f1 / f0) / h_try
                        if (
                            slope_before is not None
                            and abs(slope - slope_before) * h_try > max_change
                        ):
                            raise ArithmeticError("curvature")
                    break
                except (ArithmeticError, FloatingPointError, ZeroDivisionError):
                    h_try *= 0.5
                    if h_try < 1e-10:
                        break
            if h_try < 1e-10:
                break
            slope_before = math.log(f1 / f0) / h_try if min(f0, f1) > 0 else None
            mass += 0.5 * h_try * (f0 + f1)
            peak = max(peak, f1)
            x, w, zj = x_new, w_new, zj_new
            xs.append(x)
            fs.append(f1)
            h = min(h_try * (1.5 if iterations <= 6 else 1.0), h_max)
        xs, fs = np.array(xs), np.array(fs)
        u = -np.log(xs)
        cumulative = _cumulative_simpson(u - u[0], fs)
        self.unresolved_mass = float(1.0 - cumulative[-1])
        return xs, fs / xs, 1.0 - cumulative

    def log10_sigma_quantiles(self, probs: Sequence[float], **options) -> np.ndarray:
        """Quantiles of log10 sigma = log10(x)/2, x from this law: monotone cubic
        (PCHIP) interpolation of log10 x against the CDF; NaN below the
        resolved range."""
        from scipy.interpolate import PchipInterpolator

        xs, _, cdf = self.distribution(**options)
        order = np.argsort(cdf, kind="stable")
        c, log_x = cdf[order], np.log10(xs[order])
        keep = np.concatenate([[True], np.diff(c) > 0])
        probs = np.asarray(probs, dtype=float)
        values = 0.5 * PchipInterpolator(c[keep], log_x[keep])(probs)
        return np.where(probs >= c[keep][0], values, np.nan)


def _cumulative_simpson(u: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Cumulative integral of f over the increasing grid u: on each interval the
    parabola through its ends and the next point (the previous one at the
    end) is integrated exactly, in coordinates relative to the interval's
    start so that short intervals do not cancel."""
    out = np.zeros_like(f)
    m = len(u)
    for i in range(m - 1):
        j = i + 2 if i + 2 < m else i - 1
        h, c = u[i + 1] - u[i], u[j] - u[i]
        w0 = (h**3 / 3 - (h + c) * h**2 / 2 + h * c * h) / (h * c)
        w1 = (h**3 / 3 - c * h**2 / 2) / (h * (h - c))
        w2 = (h**3 / 3 - h * h**2 / 2) / (c * (c - h))
        out[i + 1] = out[i] + f[i] * w0 + f[i + 1] * w1 + f[j] * w2
    return out
