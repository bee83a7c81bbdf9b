"""Finite-size theory for part two: edges of Gaussian spectra, growth through depth.

Every function is pure and works in float64. Conventions: G is a k x k matrix of
iid N(0, 1) entries; rho is the spectral radius, sigma_max the largest singular
value; the growth per layer of a network is (|x(L)| / |x(0)|)^(1/L), and the
part-two summaries average it over networks.

Each docstring says which kind of value a function gives:

* exact: a closed form or a numerically exact integral of a known law, at the
  size given;
* asymptotic: a large-k law (Tracy-Widom, mean field), labelled as such, set
  beside the measurements for context.

What neither gives at finite k (the real-matrix edge, tanh networks) is
simulated by :mod:`eigeninit.references`, with its standard error.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from scipy import integrate
from scipy import stats as scipy_stats
from scipy.optimize import brentq
from scipy.special import digamma, gammainc, gammaln

from eigeninit.stats import KSResult, uniform_ks

TW1_MEAN = -1.2065335745820
"""Mean of the GOE Tracy-Widom law F1 (Bornemann 2010, Table 4)."""

TW1_VARIANCE = 1.6077810345810
"""Variance of F1 (Bornemann 2010); the standard deviation is 1.26798..."""

TW1_SD = float(np.sqrt(TW1_VARIANCE))


class MeanSd(NamedTuple):
    """Mean and standard deviation of a random quantity."""

    mean: float
    sd: float


# ---- The edge: largest singular value and spectral radius ----


def _johnstone_largest_eigenvalue(k: int) -> MeanSd:
    """Mean and sd of the largest eigenvalue l1 of G^T G by Tracy-Widom.

    Johnstone (2001): for an n x p real Gaussian X, (l1 - mu) / s tends to F1
    with mu = (sqrt(n - 1) + sqrt(p))^2 and
    s = (sqrt(n - 1) + sqrt(p)) (1/sqrt(n - 1) + 1/sqrt(p))^(1/3); here n = p = k.
    The relative error of the centring is O(k^-2/3) of the fluctuation scale.
    """
    if k < 2:
        raise ValueError(f"Tracy-Widom centring needs k >= 2, got {k}")
    a, b = np.sqrt(k - 1.0), np.sqrt(float(k))
    centre = (a + b) ** 2
    scale = (a + b) * (1.0 / a + 1.0 / b) ** (1.0 / 3.0)
    return MeanSd(centre + scale * TW1_MEAN, scale * TW1_SD)


@lru_cache
def sigma_max_tracy_widom(k: int) -> MeanSd:
    """Mean and sd of sigma_max(G) / sqrt(k) from Tracy-Widom (asymptotic).

    sigma_max(G)^2 is the largest eigenvalue l1 of G^T G (mean m, sd v^(1/2)
    from :func:`_johnstone_largest_eigenvalue`); the square root by the delta
    method to second order: E sqrt(l1) = sqrt(m) (1 - v / (8 m^2)),
    sd sqrt(l1) = sqrt(v) / (2 sqrt(m)). About 1.9790 at k = 256 and 1.9920 at
    k = 1024, within a few 1e-4 of the exact mean there; at k = 5 it gives
    1.574 where the exact mean is 1.631. The large-k limit is 2 (Geman 1980).
    """
    m, sd = _johnstone_largest_eigenvalue(k)
    mean = np.sqrt(m / k) * (1.0 - sd**2 / (8.0 * m**2))
    return MeanSd(float(mean), float(sd / (2.0 * np.sqrt(m * k))))


def _kostlan_cdf(t: float, k: int) -> float:
    """P(rho / sqrt(k) <= t) for complex Ginibre: prod_j P(j, k t^2), j = 1..k."""
    if t <= 0:
        return 0.0
    with np.errstate(divide="ignore"):
        log_cdf = np.log(gammainc(np.arange(1, k + 1), k * t * t)).sum()
    return float(np.exp(log_cdf))


def _kostlan_tail(t: float, k: int) -> float:
    """1 - :func:`_kostlan_cdf`, accurate where the cdf is near 1."""
    if t <= 0:
        return 1.0
    with np.errstate(divide="ignore"):
        log_cdf = np.log(gammainc(np.arange(1, k + 1), k * t * t)).sum()
    return float(-np.expm1(log_cdf))


def _check_size(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be a positive integer, got {k}")


@lru_cache
def complex_spectral_radius(k: int) -> MeanSd:
    """Mean and sd of rho / sqrt(k) for a k x k *complex* Ginibre matrix (exact).

    Kostlan (1992): the squared moduli of the eigenvalues of a complex
    Ginibre matrix (E|G_ij|^2 = 1) are distributed as independent Gamma(j, 1),
    j = 1..k, so P(rho <= r) = prod_j P(j, r^2) with P the regularized lower
    incomplete gamma function; E rho is its tail's integral, by adaptive
    quadrature (about 1.0266 at k = 1024; sqrt(pi)/2 at k = 1).

    The matrices of part two are real. Their radius has no such law; it sits
    lower (by 0.046 at k = 5, 0.0036 at k = 1024), and
    :mod:`eigeninit.references` measures the gap and extrapolates from this
    exact value.
    """
    _check_size(k)
    mean = _edge_integral(lambda t: _kostlan_tail(t, k), k)
    second = _edge_integral(lambda t: 2.0 * t * _kostlan_tail(t, k), k)
    return MeanSd(mean, float(np.sqrt(max(second - mean**2, 0.0))))


@lru_cache
def complex_log_spectral_radius(k: int) -> float:
    """E log(rho / sqrt(k)) for complex Ginibre, exactly (see
    :func:`complex_spectral_radius`).

    E log T = integral_1^inf (1 - F(t)) / t dt - integral_0^1 F(t) / t dt for a
    positive T with cdf F.
    """
    _check_size(k)
    above = integrate.quad(lambda t: _kostlan_tail(t, k) / t, 1.0, np.inf)[0]
    below = integrate.quad(lambda t: _kostlan_cdf(t, k) / t, 0.0, 1.0, limit=200)[0]
    return float(above - below)


@lru_cache
def complex_inverse_square_radius(k: int) -> float:
    """E[k / rho^2] for complex Ginibre, exactly: integral_0^inf 2 F(t) / t^3 dt
    (by parts; F(t) vanishes like t^(k(k+1)) at 0, so it is finite for k >= 2)."""
    if k < 2:
        raise ValueError(f"E[k / rho^2] is infinite at k = 1, got k = {k}")
    pieces = ((0.0, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, np.inf))
    return float(
        sum(
            integrate.quad(lambda t: 2.0 * _kostlan_cdf(t, k) / t**3, a, b, limit=400)[
                0
            ]
            for a, b in pieces
        )
    )


def _edge_integral(integrand, k: int) -> float:
    """integral_0^inf of an integrand living at t <= 1 + O(sqrt(log k / k))."""
    inner = integrate.quad(integrand, 0.0, 1.0, limit=200)[0]
    return float(inner + integrate.quad(integrand, 1.0, np.inf, limit=200)[0])


def spectral_radius_asymptotic(k: int) -> float | None:
    """Large-k centring of rho / sqrt(k): 1 + sqrt(gamma_k / (4k)) (asymptotic).

    gamma_k = ln(k / (2 pi)) - 2 ln ln k (Rider 2003 for complex Ginibre; Rider
    and Sinclair 2014 for real Ginibre), around which rho fluctuates on the
    scale 1 / sqrt(4 k gamma_k) with a Gumbel law. The approach is only like
    log log k / log k: at k = 1024 this gives 1.017 where the exact complex mean
    is 1.027 (and the real mean 1.023). For context, not for comparison with
    finite-k measurements.
    None while gamma_k <= 0 (k below about 200), where the formula says nothing.
    """
    if k < 3:
        raise ValueError(f"the asymptotic centring needs k >= 3, got {k}")
    gamma_k = np.log(k / (2.0 * np.pi)) - 2.0 * np.log(np.log(k))
    if gamma_k <= 0:
        return None
    return float(1.0 + np.sqrt(gamma_k / (4.0 * k)))


# ---- The bulk: real eigenvalues and the disk ----


def expected_real_eigenvalues(k: int) -> float:
    """Exact expected number of real eigenvalues of a k x k real Gaussian matrix.

    Edelman, Kostlan and Shub (1994): for even k,
    E = sqrt(2) * sum_{j=0}^{k/2-1} (4j-1)!!/(4j)!!, and for odd k,
    E = 1 + sqrt(2) * sum_{j=1}^{(k-1)/2} (4j-3)!!/(4j-2)!!. Both sums are
    sums of (2m-1)!!/(2m)!! = Gamma(m + 1/2) / (sqrt(pi) Gamma(m + 1)) over
    m = k-2, k-4, ... >= 0, evaluated through ``gammaln`` so that k = 1024 and
    beyond do not overflow.
    """
    if k < 1:
        raise ValueError(f"k must be a positive integer, got {k}")
    m = np.arange(k % 2, k - 1, 2, dtype=np.float64)
    ratios = np.exp(gammaln(m + 0.5) - gammaln(m + 1.0) - 0.5 * np.log(np.pi))
    return float(k % 2 + np.sqrt(2.0) * ratios.sum())


def asymptotic_real_eigenvalues(k: int) -> float:
    """Leading-order expected real-eigenvalue count sqrt(2k/pi); the exact value
    exceeds it by 1/2 + o(1)."""
    return float(np.sqrt(2.0 * k / np.pi))


def disk_uniformity(eigenvalues: np.ndarray, k: int) -> KSResult:
    """KS test of |lambda|^2 / k against Uniform(0, 1), the circular-law prediction.

    Under the circular law the eigenvalues of G / sqrt(k) are uniform on the unit
    disk, so the squared modulus is uniform on [0, 1]. At finite k the edge is
    blurred (a few |lambda|^2 / k exceed 1) and eigenvalues of one matrix repel,
    so they are not independent: read the statistic as a distance and the
    p-value as indicative only.
    """
    return uniform_ks(np.abs(np.ravel(eigenvalues)) ** 2 / k)


# ---- Independent weights: growth per layer at finite k ----
#
# For every scheme below a fresh W is independent of x(l), and the law of
# |f(W x)| / |x| does not depend on x (Gaussian and Haar matrices are invariant
# under rotations, G under conjugation G -> Q^T G Q as well), so the per-layer
# ratios r_l are iid. The mean growth over L layers is then exactly
# E[(prod_l r_l)^(1/L)] = (E r^(1/L))^L, which tends to exp(E log r) as L grows.


def _binomial_active_units(k: int) -> tuple[np.ndarray, np.ndarray]:
    """N = 1..k and P(N) for N ~ Bin(k, 1/2), the units relu keeps; N = 0 left out."""
    active = np.arange(1, k + 1, dtype=np.float64)
    return active, scipy_stats.binom.pmf(active, k, 0.5)


def relu_vanishing_probability(k: int) -> float:
    """P(relu(W x) = 0) = 2^-k for a Gaussian or Haar W: every unit negative."""
    _check_size(k)
    return float(0.5**k)


def linear_gaussian_growth(k: int, s: float = 1.0, layers: int | None = None) -> float:
    """Mean growth per layer of linear layers with iid N(0, s^2 / k) entries (exact).

    |W x|^2 / |x|^2 is (s^2 / k) chi^2_k, so E log r = log s + (psi(k/2) +
    ln 2 - ln k) / 2 and, with ``layers`` = L, E r^(1/L) = (s / sqrt(k))^(1/L)
    2^(1/(2L)) Gamma(k/2 + 1/(2L)) / Gamma(k/2). ``layers=None`` gives the
    large-depth rate s exp((psi(k/2) + ln 2 - ln k) / 2) = s exp(-1/(2k) + O(k^-2)).
    Uniform entries of the same variance differ only at O(k^-2).
    """
    _check_size(k)
    if layers is None:
        return float(s * np.exp((digamma(k / 2) + np.log(2.0) - np.log(k)) / 2))
    a = _power(layers)
    log_moment = a * np.log(2.0) + gammaln(k / 2 + a) - gammaln(k / 2)
    return float(s / np.sqrt(k) * np.exp(layers * log_moment))


def relu_gaussian_growth(k: int, s: float = 1.0, layers: int | None = None) -> float:
    """Mean growth per layer of relu layers with iid N(0, s^2 / k) entries (exact).

    The pre-activations W x are iid N(0, s^2 |x|^2 / k); relu keeps N ~ Bin(k, 1/2)
    of them, so given N, |relu(W x)|^2 / |x|^2 is (s^2 / k) chi^2_N. With
    ``layers`` = L the mean growth is (s / sqrt(k)) 2^(1/2)
    (E_N Gamma(N/2 + 1/(2L)) / Gamma(N/2))^L, where N = 0 (probability 2^-k,
    the signal vanishes for good) contributes growth 0, as it does to the
    measured mean. ``layers=None`` gives the large-depth rate conditioned on the
    signal surviving, s exp((E[psi(N/2) | N >= 1] + ln 2 - ln k) / 2) =
    s / sqrt(2) exp(-5/(4k) + O(k^-2)); unconditioned it is 0, since every
    network eventually loses its signal.
    """
    _check_size(k)
    active, weight = _binomial_active_units(k)
    if layers is None:
        mean_digamma = (weight * digamma(active / 2)).sum() / weight.sum()
        return float(s * np.exp((mean_digamma + np.log(2.0) - np.log(k)) / 2))
    a = _power(layers)
    moment = (weight * np.exp(gammaln(active / 2 + a) - gammaln(active / 2))).sum()
    return float(s * np.sqrt(2.0 / k) * np.exp(layers * np.log(moment)))


def relu_orthogonal_growth(k: int, layers: int | None = None) -> float:
    """Mean growth per layer of relu layers with Haar orthogonal weights (exact).

    W x / |x| is uniform on the unit sphere; relu keeps N ~ Bin(k, 1/2) of its
    coordinates, and the squared norm of N coordinates of a uniform unit vector
    is Beta(N/2, (k - N)/2). So E log r = (E psi(N/2) - psi(k/2)) / 2 and
    E r^(1/L) = E_N Gamma(N/2 + 1/(2L)) Gamma(k/2) / (Gamma(N/2) Gamma(k/2 + 1/(2L))).
    N = 0 is handled as in :func:`relu_gaussian_growth`. The large-depth rate
    tends to 1/sqrt(2) as k grows.
    """
    _check_size(k)
    active, weight = _binomial_active_units(k)
    if layers is None:
        mean_digamma = (weight * digamma(active / 2)).sum() / weight.sum()
        return float(np.exp((mean_digamma - digamma(k / 2)) / 2))
    a = _power(layers)
    log_ratio = gammaln(active / 2 + a) - gammaln(active / 2)
    moment = (weight * np.exp(log_ratio)).sum() * np.exp(
        gammaln(k / 2) - gammaln(k / 2 + a)
    )
    return float(np.exp(layers * np.log(moment)))


def _power(layers: int) -> float:
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    return 1.0 / (2.0 * layers)


def gaussian_log_growth(k: int, activation: str) -> float:
    """E log(|f(G x)| / (sqrt(k) |x|)) for G with iid N(0, 1) entries (exact):
    (psi(k/2) + ln 2 - ln k) / 2 for linear, and for relu the same with psi
    averaged over N ~ Bin(k, 1/2) given N >= 1."""
    if activation == "linear":
        return float(np.log(linear_gaussian_growth(k)))
    if activation == "relu":
        return float(np.log(relu_gaussian_growth(k)))
    raise ValueError(f"activation must be linear or relu, got {activation!r}")


def normalized_log_growth(k: int, activation: str, log_divisor: float) -> float:
    """E log(|f(W x)| / |x|) for W = G / d(G), d = rho or sigma_max (exact form).

    x is independent of G, so exactly E log|f(W x)| = E log|f(G x)| - E log d:
    the first term is :func:`gaussian_log_growth`, ``log_divisor`` is
    E log(d / sqrt(k)), which :mod:`eigeninit.references` estimates. The mean
    growth over L layers exceeds exp of this rate by a factor
    exp(Var(log r) / (2L)) = 1 + O(1 / (kL)), below 1e-4 for k, L >= 50.
    """
    return gaussian_log_growth(k, activation) - log_divisor


def normalized_gain_squared(k: int, inverse_square: float) -> float:
    """s^2 = E|W x|^2 / |x|^2 for W = G / d(G), with ``inverse_square`` E[k / d^2].

    Exact for any d with d(cG) = c d(G): writing G = R U with R = |G|_F
    independent of U uniform on the unit sphere, |G x| / d(G) = |U x| / d(U),
    and E[1 / R^2] = 1 / (k^2 - 2) gives s^2 = (1 - 2/k^2) E[k / d^2].
    """
    if k < 2:
        raise ValueError(f"the gain needs k >= 2, got {k}")
    return float((1.0 - 2.0 / k**2) * inverse_square)


# ---- tanh: mean-field theory ----


_LEGENDRE_NODES, _LEGENDRE_WEIGHTS = np.polynomial.legendre.leggauss(200)


def tanh_variance_map(q: float, s: float) -> float:
    """One layer of the mean-field map: E[tanh(sqrt(s q) g)^2], g ~ N(0, 1).

    With q(l) = |x(l)|^2 / k and a fresh W of entry variance s / k, each
    pre-activation is N(0, s q(l)) given x(l), and the k units average out to
    q(l+1) = E tanh(sqrt(s q) g)^2 up to O(1/k).

    With a = sqrt(s q) and u = a g the integral is 2 int_0^inf tanh(u)^2
    phi(u / a) / a du: a product of a factor of width 1 and one of width a. A
    Gauss-Hermite rule in g would step over the dip of width 1/a at g = 0 when
    a is large, so a 200-node Gauss-Legendre rule covers u in [0, U] with
    U = min(40, 12 a), where both factors' tails are below 1e-30. For a >= 1
    the complement 1 - E sech(u)^2 is integrated instead, which is the
    smaller, accurately resolved part.
    """
    if q <= 0:
        return 0.0
    a = float(np.sqrt(s * q))
    upper = min(40.0, 12.0 * a)
    u = 0.5 * upper * (_LEGENDRE_NODES + 1.0)
    weights = 0.5 * upper * _LEGENDRE_WEIGHTS * scipy_stats.norm.pdf(u / a) / a
    if a < 1.0:
        return float(2.0 * (weights * np.tanh(u) ** 2).sum())
    return float(1.0 - 2.0 * (weights / np.cosh(u) ** 2).sum())


def tanh_mean_field_variances(s: float, layers: int, q0: float = 1.0) -> np.ndarray:
    """q(0), ..., q(L) of the mean-field map :func:`tanh_variance_map`."""
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    q = np.empty(layers + 1)
    q[0] = q0
    for layer in range(layers):
        q[layer + 1] = tanh_variance_map(q[layer], s)
    return q


def tanh_mean_field_growth(s: float, layers: int, q0: float = 1.0) -> float:
    """Growth per layer over L layers, (q(L) / q(0))^(1/(2L)), by mean-field theory.

    s is k times the entry variance (1 lecun, xavier and orthogonal, 2 kaiming,
    k standard). The result depends on L, not only on s: see
    :func:`tanh_regime` for when it is a rate at all.
    """
    q = tanh_mean_field_variances(s, layers, q0)
    return float((q[-1] / q[0]) ** (1.0 / (2.0 * layers)))


def tanh_regime(s: float) -> dict[str, float | str]:
    """How q(L) behaves as L grows, with the growth per layer it tends to.

    tanh(z)^2 = z^2 - 2 z^4 / 3 + ..., so for small q the map is
    q -> s q - 2 s^2 q^2 + ...:

    * s < 1, "vanishes": q(L) ~ s^L, the growth per layer tends to sqrt(s);
    * s = 1, "critical": q -> q - 2 q^2, so 1/q grows by 2 per layer and
      q(L) ~ 1 / (2L): an algebraic decay, whose growth per layer
      (2L)^(-1/(2L)) tends to 1 only slowly and is not a rate;
    * s > 1, "settles": q(L) tends to the fixed point q* > 0 of the map, and the
      growth per layer tends to 1.
    """
    if np.isclose(s, 1.0, rtol=1e-12, atol=0.0):
        return {"regime": "critical", "rate_limit": 1.0, "fixed_point": 0.0}
    if s < 1:
        return {
            "regime": "vanishes",
            "rate_limit": float(np.sqrt(s)),
            "fixed_point": 0.0,
        }
    fixed_point = _tanh_fixed_point(s)
    return {"regime": "settles", "rate_limit": 1.0, "fixed_point": fixed_point}


def _tanh_fixed_point(s: float) -> float:
    # q* lies in (0, 1]: the map is below 1 everywhere and above q near 0 when s > 1.
    return float(brentq(lambda q: tanh_variance_map(q, s) - q, 1e-12, 1.0, xtol=1e-14))


def tanh_critical_variance(layers: int, q0: float = 1.0) -> float:
    """Leading-order q(L) at s = 1: 1 / (2L + 1/q0), from 1/q growing by 2 per layer."""
    return 1.0 / (2.0 * layers + 1.0 / q0)


# ---- Shared weights: the finite-depth law ----


def depth_law_constants(
    log10_norms: np.ndarray, spectral_radius: np.ndarray, depths: np.ndarray
) -> np.ndarray:
    """C = l (ln g_l - ln rho) per network at each depth l, shape (networks, depths).

    With one W reused, |W^l x(0)| / |x(0)| ~ a rho^l for large l, so the growth
    over l layers g_l = (|x(l)| / |x(0)|)^(1/l) behaves like rho exp(C / l) with
    C -> ln a. ``log10_norms`` is (networks, L + 1), ``spectral_radius`` each
    network's own rho(W) (networks,). C equal at every depth is the 1/L law;
    it holds once the second eigenvalue has died out, after many times
    -1 / ln(|lambda_2| / rho) layers. A complex dominant pair makes C
    oscillate with l instead.
    """
    log_growth = np.log(10.0) * (log10_norms[:, depths] - log10_norms[:, :1])
    return log_growth - depths * np.log(np.asarray(spectral_radius))[:, np.newaxis]


def dominant_mode_constant(matrix: np.ndarray, x: np.ndarray) -> float:
    """Large-depth C of the 1/L law for one matrix with a real dominant eigenvalue.

    With right and left eigenvectors v and u of the dominant eigenvalue lambda,
    W^l x = lambda^l (u.x) / (u.v) v + o(|lambda|^l), so
    C = ln(|u.x| |v| / (|u.v| |x|)): small when x projects weakly on the
    dominant mode (|u.x| / |x| ~ 1/sqrt(k) for a random x) and larger when
    the mode is ill-conditioned (1 / |u.v| large, as at the edge of a
    non-normal Ginibre spectrum, where it grows like k^(1/4): Chalker and
    Mehlig 1998). A complex dominant pair makes the norm oscillate with l, and
    no single C exists; this raises a ValueError then.
    """
    eigenvalues, right = np.linalg.eig(matrix)
    dominant = int(np.argmax(np.abs(eigenvalues)))
    if eigenvalues[dominant].imag != 0:
        raise ValueError("the dominant eigenvalue is complex: no single constant")
    left_values, left = np.linalg.eig(matrix.T)
    match = int(np.argmin(np.abs(left_values - eigenvalues[dominant])))
    v = right[:, dominant].real
    u = left[:, match].real
    return float(
        np.log(abs(u @ x) * np.linalg.norm(v) / (abs(u @ v) * np.linalg.norm(x)))
    )


# ---- Agreement of a measurement with theory ----


def agreement(
    samples: np.ndarray, theory: float, theory_se: float = 0.0, rtol: float = 1e-12
) -> dict[str, float]:
    """Student-t score of the sample mean against a theory value.

    score = (mean - theory) / sqrt(se^2 + theory_se^2 + (rtol theory)^2), with
    se the standard error of the mean; ``theory_se`` is the theory's own
    standard error (0 for exact values) and ``rtol`` absorbs float64
    rounding, so an exactly-one growth measured as 1 - 1e-16 agrees. The
    two-sided p-value is Student's t with n - 1 degrees of freedom (fewer
    than Welch's with the reference's error, so never too small), for this
    test alone: whether a family of them disagrees is
    :func:`eigeninit.stats.holm_adjusted`'s to say.
    """
    values = np.ravel(np.asarray(samples, dtype=np.float64))
    n = values.size
    if n < 2:
        raise ValueError("agreement needs at least two samples")
    standard_error = values.std(ddof=1) / np.sqrt(n)
    scale = np.sqrt(standard_error**2 + theory_se**2 + (rtol * theory) ** 2)
    score = (values.mean() - theory) / scale if scale > 0 else 0.0
    pvalue = 2.0 * scipy_stats.t.sf(abs(score), n - 1)
    return {"z_score": float(score), "p_value": float(pvalue)}
