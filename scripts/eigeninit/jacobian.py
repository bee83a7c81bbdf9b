"""Singular values of the input-output Jacobian J = D(L) W(L) ... D(1) W(1),
D(l) = diag f'(W(l) x(l-1)), of the depth networks with independent weights,
and the theory they are compared with. J spans tens of decades, beyond a
float64 product's SVD, so it is kept stratified as Q diag(d) T (Q orthonormal,
T well conditioned) by column-pivoted QR, and one-sided Jacobi (LAPACK dgejsv;
Drmac & Veselic 2008) gets every sigma to relative accuracy. scipy is imported
where used: the workflow reads :data:`SCHEMES` as it parses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from eigeninit import depth, initializers
from eigeninit.initializers import ORTHOGONAL, member_generator, sample

SCHEMES = tuple(name for name, s in initializers.SCHEMES.items() if s.jacobian)
"""Weight laws measured: Gaussian (Fuss-Catalan theory) and Haar orthogonal."""

WEIGHTS = "independent"
"""The Jacobian is measured on networks with a fresh matrix per layer."""

METHOD = "stratified QR with column pre-pivoting, then one-sided Jacobi (dgejsv)"

BLOCK_CONDITION = 1e10
"""Close a block of layers before its estimated condition passes this, each
block costing a relative error of about eps times it (at k = 256, L = 50,
within 7.1e-8 of one QR per layer)."""

GAUSSIAN_LAYER_CONDITION = 4.0
"""Estimated condition of a Gaussian layer over k: about its median (Edelman
1988). An orthogonal layer's is 1."""

EPS = float(np.finfo(np.float64).eps)

EXACT, ASYMPTOTIC = "exact", "asymptotic"
"""Kinds of theory: exact at this k; mean field, k -> infinity."""


def entry_variance_times_k(scheme: str) -> float:
    """s, k times the variance of an entry, of a scheme in :data:`SCHEMES`."""
    if scheme not in SCHEMES:
        have = ", ".join(SCHEMES)
        raise ValueError(f"no Jacobian for scheme {scheme!r}; have {have}")
    return initializers.SCHEMES[scheme].variance_times_k


def derivative(activation: str, h: np.ndarray) -> np.ndarray:
    """f'(h); tanh' as 4 e^(-2|h|) / (1 + e^(-2|h|))^2, positive where
    1 - tanh(h)^2 rounds to 0; relu'(0) = 0."""
    depth.check_activation(activation)
    if activation == "linear":
        return np.ones_like(h)
    if activation == "relu":
        return (h > 0).astype(np.float64)
    e = np.exp(-2.0 * np.abs(h))
    return 4.0 * e / (1.0 + e) ** 2


def _restratify(c: np.ndarray, t: np.ndarray) -> tuple:
    """c (r, m) and t (m, k) to q (r, p), d (p,), t' (p, k), p = min(r, m), with
    c t = q diag(d) t': c P = q R, P sorting c's columns by decreasing norm."""
    order = np.argsort(-np.linalg.norm(c, axis=0), kind="stable")
    q, r = np.linalg.qr(c[:, order])
    sign = np.where(np.diagonal(r) < 0, -1.0, 1.0)
    d = np.abs(np.diagonal(r))
    if np.any(d == 0):  # rank lost outside the rows dropped exactly
        raise FloatingPointError("a stratification pivot is exactly zero")
    return q * sign, d, (r * (sign / d)[:, None]) @ t[order]


def graded_singular_values(d: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, float]:
    """Singular values (descending) of diag(d) T, d (p,), T (p, k), p <= k, by
    dgejsv (JOBA = 'E') on T^T diag(d), and its condition estimate of T^T with
    unit columns: sigma's relative error is about f(p, k) eps times it (LAWN 169)."""
    from scipy.linalg import lapack

    a = (d[:, None] * t).T
    scale = np.abs(a).max()
    sva, _, _, work, _, info = lapack.dgejsv(
        np.asfortranarray(a / scale), joba=1, jobu=3, jobv=3, jobr=0, jobt=0, jobp=0
    )
    # A scale factor work[0] / work[1] != 1 cannot happen at max |entry| = 1.
    if info != 0 or work[0] != work[1]:
        raise np.linalg.LinAlgError(f"dgejsv: info {info}, scale {work[0] / work[1]}")
    # The estimate is good to a factor of a few, and its last bits follow the
    # BLAS kernels' summation order, which varies between runs: two digits.
    return np.sort(sva)[::-1] * scale, float(f"{work[2]:.2g}")


class GradedProduct:
    """The running product of one network's factors, re-stratified before a
    block's estimated condition passes ``block_condition``. A factor may drop
    rows (ReLU's dead units): the rank, len(d), follows exactly."""

    def __init__(self, k: int, block_condition: float = BLOCK_CONDITION):
        self.block_condition = block_condition
        self.q, self.d, self.t = np.eye(k), np.ones(k), np.eye(k)
        self._pending, self._condition = None, 1.0
        self.restratifications = 0

    def apply(self, factor: np.ndarray, condition: float) -> None:
        """Multiply on the left by ``factor``, of condition about ``condition``."""
        if self._condition * condition > self.block_condition:
            self.close()
        if self._pending is None:
            self._pending, self._condition = self.q * self.d, 1.0
        self._pending = factor @ self._pending
        self._condition *= condition

    def close(self) -> None:
        if self._pending is not None:
            self.q, self.d, self.t = _restratify(self._pending, self.t)
            self.restratifications += bool(self._pending.size)
            self._pending = None

    def singular_values(self) -> tuple[np.ndarray, float]:
        """All k sigma (the k - rank zeros exact) and the condition estimate."""
        self.close()
        sigma = np.zeros(self.t.shape[1])
        if len(self.d) == 0:
            return sigma, 1.0
        sigma[: len(self.d)], condition = graded_singular_values(self.d, self.t)
        return sigma, condition


@dataclass(frozen=True)
class JacobianRun:
    """One activation's Jacobians, a row per network: sigma (descending), rank,
    sum ln sigma - ln|det J| (NaN when singular), dgejsv's condition estimate,
    QR steps, and the forward pass's log10 norms as run_depth records them."""

    sigma: np.ndarray
    rank: np.ndarray
    log_det_gap: np.ndarray
    condition: np.ndarray
    restratifications: np.ndarray
    log10_norms: np.ndarray


def jacobian_spectra(
    scheme: str,
    activations: Sequence[str],
    k: int,
    layers: int,
    seed_sequence: np.random.SeedSequence,
    networks: range,
) -> dict[str, JacobianRun]:
    """The Jacobians of ``networks`` of ``scheme`` per activation, each network
    alone, on the draws and forward arithmetic of :func:`eigeninit.depth.run_depth`
    with independent weights (``log10_norms`` equal its own bit for bit)."""
    entry_variance_times_k(scheme)  # depth.propagate checks the activations
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    generators = (member_generator(seed_sequence, i) for i in networks)
    runs = [_network(scheme, activations, k, layers, g) for g in generators]
    fields = {a: zip(*(run[a] for run in runs), strict=True) for a in activations}
    return {a: JacobianRun(*map(np.stack, values)) for a, values in fields.items()}


def _network(scheme, activations, k, layers, generator) -> dict:
    """One network's Jacobian per activation, as a tuple of JacobianRun's fields."""
    x0 = generator.standard_normal(k)
    products = {a: GradedProduct(k) for a in activations}
    log_det = dict.fromkeys(activations, 0.0)
    orthogonal = initializers.SCHEMES[scheme].family == ORTHOGONAL
    layer_condition = 1.0 if orthogonal else GAUSSIAN_LAYER_CONDITION * k
    dense = any(a != "relu" for a in activations)
    relu_rows = np.arange(k)  # the units ReLU kept on in the layer before

    def observe(w: np.ndarray, pre_activations: dict[str, np.ndarray]) -> None:
        nonlocal relu_rows
        # |det W| = 1 for orthogonal W (to k eps); ReLU needs no determinant.
        w_log_det = np.linalg.slogdet(w)[1] if dense and not orthogonal else 0.0
        for a, h in pre_activations.items():
            slope = derivative(a, h)
            if a == "relu":  # dead units' rows dropped, one QR per layer
                active = np.flatnonzero(slope > 0)
                products[a].apply(w[np.ix_(active, relu_rows)], math.inf)
                relu_rows = active
                continue
            if np.any(slope == 0):
                raise FloatingPointError(f"{a}: f' underflowed to 0")
            log_det[a] += w_log_det + np.log(slope).sum()
            spread = slope.max() / slope.min()
            products[a].apply(slope[:, None] * w, spread * layer_condition)

    matrices = (sample(scheme, 1, k, generator)[0] for _ in range(layers))
    norms = depth.propagate(x0, matrices, activations, observe)
    runs = {}
    for a, product in products.items():
        sigma, condition = product.singular_values()
        gap = math.nan if a == "relu" else np.log(sigma).sum() - log_det[a]
        rank, count = len(product.d), product.restratifications
        runs[a] = (sigma, rank, gap, condition, count, norms[a])
    return runs


# ---- theory


def fuss_catalan_parametrization(layers: int, theta: np.ndarray) -> tuple:
    """(u, weight) at 0 < theta < pi/(L + 1) for the Fuss-Catalan law FC_L of
    sigma^2 of a product of L Gaussian matrices with entries N(0, 1/k), k ->
    infinity (Penson & Zyczkowski 2011): u(theta) = sin((L+1) theta)^(L+1) /
    (sin theta sin(L theta)^L) falls from (L+1)^(L+1)/L^L to 0, and
    P(x <= u(theta)) is the integral of weight from theta to pi/(L + 1)."""
    s, theta = layers, np.asarray(theta, dtype=float)
    a, b, c = np.sin(theta), np.sin((s + 1) * theta), np.sin(s * theta)
    log_u = (s + 1) * np.log(b) - np.log(a) - s * np.log(c)
    d_log_u = (s + 1) ** 2 * np.cos((s + 1) * theta) / b - np.cos(theta) / a
    d_log_u = d_log_u - s**2 * np.cos(s * theta) / c
    return np.exp(log_u), -a * b / c * d_log_u / np.pi


def gaussian_linear_quantiles(
    scheme: str, layers: int, probs: Sequence[float]
) -> np.ndarray:
    """Quantiles of log10 sigma for linear Gaussian layers, k -> infinity: half
    the log10 of FC_L's (to 1e-12 relative), plus (L/2) log10 s."""
    from scipy import integrate, optimize

    top = math.pi / (layers + 1)

    def weight(theta: float) -> float:
        return fuss_catalan_parametrization(layers, theta)[1]

    def excess(theta: float, p: float) -> float:
        mass = integrate.quad(weight, theta, top, epsabs=1e-13, epsrel=1e-12, limit=200)
        return mass[0] - p

    low, high = 1e-12 * top, top * (1 - 1e-12)
    thetas = [
        optimize.brentq(excess, low, high, args=(p,), xtol=1e-14 * top) for p in probs
    ]
    x = np.array([float(fuss_catalan_parametrization(layers, t)[0]) for t in thetas])
    s = entry_variance_times_k(scheme)
    return 0.5 * np.log10(x) + 0.5 * layers * math.log10(s)


def gaussian_linear_mean_log10_sigma(scheme: str, k: int, layers: int) -> float:
    """E (1/k) sum_i log10 sigma_i for linear Gaussian layers (:data:`EXACT`):
    by the Bartlett decomposition E ln det(G^T G) = sum_{j=1}^k (psi(j/2) + ln 2)."""
    from scipy import special

    s = entry_variance_times_k(scheme)
    j = np.arange(1, k + 1)
    mean_log_chi2 = float(np.mean(special.digamma(j / 2.0) + math.log(2.0)))
    per_layer = math.log(s / k) + mean_log_chi2
    return 0.5 * layers * per_layer / math.log(10.0)


def relu_zero_share(k: int, layers: int) -> float:
    """E (k - rank J)/k for ReLU with Gaussian or Haar weights (:data:`EXACT`):
    1 - E[min_l r_l]/k, the active counts r_l iid Binomial(k, 1/2) since
    W -> S W (S diagonal signs) leaves either law unchanged."""
    from scipy import special

    at_least = special.bdtrc(np.arange(k), k, 0.5)  # P(Binomial(k, 1/2) >= r), r = 1..k
    return 1.0 - float((at_least**layers).sum()) / k


def mean_sigma2(scheme: str, activation: str, layers: int) -> tuple[float, str]:
    """E |J|_F^2 / k and its kind: s^L for linear and (s/2)^L for relu (exact; W
    -> S W swaps which units are active), for tanh the product over layers of
    s E sech^4(h), h from the mean-field map (:data:`ASYMPTOTIC`)."""
    s = entry_variance_times_k(scheme)
    depth.check_activation(activation)
    if activation == "linear":
        return s**layers, EXACT
    if activation == "relu":
        return (s / 2.0) ** layers, EXACT
    d2, weights = tanh_derivative_laws(scheme, layers)
    return float(np.prod(s * (d2 @ weights))), ASYMPTOTIC


TANH_ATOMS = 160
"""Atoms per layer of the D^2 laws. At the default depth, doubling them moves
the orthogonal tanh quantiles by 2.3e-4 decade at 5% and 5e-6 elsewhere."""


def tanh_derivative_laws(scheme: str, layers: int, atoms: int = TANH_ATOMS) -> tuple:
    """The laws of D(l)^2 = sech^4(h), h ~ N(0, s q(l-1)), q from the mean-field
    map from q(0) = 1, as atoms (layers, atoms) and weights (atoms,): the Gauss
    rule for u^(-1/2) e^(-u), u = g^2/2, i.e. 2 ``atoms`` Gauss-Hermite nodes
    with +-g merged (finite where hermegauss overflows)."""
    from scipy import special

    from eigeninit.theory import tanh_mean_field_variances

    s = entry_variance_times_k(scheme)
    q = tanh_mean_field_variances(s, layers, 1.0)[:-1]
    u, weights = special.roots_genlaguerre(atoms, -0.5)
    g, weights = np.sqrt(2.0 * u), weights / weights.sum()
    return derivative("tanh", np.sqrt(s * q)[:, None] * g) ** 2, weights


class FreeProduct:
    """The free multiplicative convolution of laws on (0, inf): Marchenko-Pastur
    laws of scales ``mp_scales`` (W^T W, W with entries N(0, s/k)) and discrete
    laws (atoms ``values[j]`` with ``weights``). S of the product is the product
    of the factors' S (Voiculescu 1987): with v = zeta G(zeta) and w = v - 1,
    each factor has zeta_j with zeta_j G_j(zeta_j) - 1 = w (zeta_j = s v^2/(v - 1)
    for Marchenko-Pastur), and zeta = prod_j zeta_j ((v - 1)/v)^(n - 1). Newton
    solves this at zeta = x (1 + i eps), continued downwards in ln x; the density
    is -Im G / pi, the CDF the mass integrated from the top."""

    def __init__(self, mp_scales=(), values=None, weights=(1.0,)):
        self.mp = np.asarray(mp_scales, dtype=float)
        values = np.zeros((0, 1)) if values is None else values
        self.values = np.atleast_2d(np.asarray(values, dtype=float))
        self.weights = np.asarray(weights, dtype=float)
        self.n = len(self.mp) + len(self.values)
        if self.n == 0:
            raise ValueError("a free product needs at least one factor")
        self._pd = self.weights * self.values
        self.m1 = self.values @ self.weights
        self.mean = float(np.prod(self.mp) * np.prod(self.m1))

    def _subordination(self, w: complex, zj: np.ndarray) -> tuple:
        """zeta_j with sum_i p_i d_i / (zeta_j - d_i) = w for each discrete
        factor, Newton from ``zj``, and d zeta_j / d w."""
        if len(self.values) == 0:
            return zj, zj
        for _ in range(100):
            inverse = 1.0 / (zj[:, None] - self.values)
            terms = self._pd * inverse
            f = terms.sum(axis=1) - w
            step = f / -(terms * inverse).sum(axis=1)
            zj = zj - step
            # converged: a tiny step, or a residual at the rounding level of
            # the sum (which cancels against w when w is near -1)
            floor = 8 * EPS * (np.abs(terms).sum(axis=1) + abs(w))
            if np.all((np.abs(step) <= 1e-14 * np.abs(zj)) | (np.abs(f) <= floor)):
                inverse = 1.0 / (zj[:, None] - self.values)
                return zj, -1.0 / (self._pd * inverse * inverse).sum(axis=1)
        raise ArithmeticError("the subordination Newton did not converge")

    def _solve(self, zeta: complex, w: complex, zj: np.ndarray) -> tuple:
        """Newton in w on the log of the S-transform equation (in w, not v:
        nothing cancels far above the support, where w ~ mean / zeta)."""
        n, n_mp, log_s = self.n, len(self.mp), np.log(self.mp).sum()
        for iteration in range(1, 100):
            zj, dzj = self._subordination(w, zj)
            lv, lw = np.log1p(w), np.log(w)
            mp = n_mp * (2 * lv - lw)
            phi = np.log(zj).sum() + mp + log_s + (n - 1) * (lw - lv) - np.log(zeta)
            d_mp = n_mp * (2.0 / (1.0 + w) - 1.0 / w)
            dphi = (dzj / zj).sum() + d_mp + (n - 1) * (1.0 / w - 1.0 / (1.0 + w))
            step = phi / dphi
            while abs(step) > 0.5 * min(abs(w), abs(1.0 + w)):  # off the branch points
                step *= 0.5
            w = w - step
            # the residual test matters at the soft edges, where d phi / dw
            # tends to 0 and Newton's steps stall near sqrt(eps)
            if abs(step) <= 1e-14 * abs(w) + 1e-300 or abs(phi) <= 1e-13:
                return w, self._subordination(w, zj)[0], iteration
        raise ArithmeticError("the S-transform Newton did not converge")

    def distribution(self, eps: float = 1e-10, mass_target: float = 0.995) -> tuple:
        """(x, density, CDF), x falling from above the support until the mass
        reaches ``mass_target``, in steps h <= 0.05 of ln x over which x times
        the density changes by at most exp(0.02) and its log-slope by 0.02 / h.
        Steps below 1e-10 (a discrete law's far tail) stop the walk, leaving
        the mass below unresolved."""
        max_change, h_max = 0.02, 0.05

        def step(h: float) -> tuple | None:
            """The walk's next point x e^-h, or None where the step is too long."""
            x_new = x * math.exp(-h)
            zeta = x_new * (1 + 1j * eps)
            try:
                w_new, zj_new, iterations = self._solve(zeta, w, zj)
            except (ArithmeticError, FloatingPointError, ZeroDivisionError):
                return None
            f0, f1 = fs[-1], -((1.0 + w_new) / zeta).imag / np.pi * x_new
            change = math.log(f1 / f0) if min(f0, f1) > 0 else None
            slope = None if change is None else change / h
            resolved = max(f0, f1) >= max(1e-12 * peak, 1e-14) and h > 1e-7
            rough = change is None or abs(change) > max_change
            if not rough and slope_before is not None:
                rough = abs(slope - slope_before) * h > max_change  # curvature
            if (resolved and rough) or w_new.imag > 0:  # or the wrong half plane
                return None
            return x_new, w_new, zj_new, iterations, f1, slope

        # Above the support: twice the product's norm bound, at most 1e7 times
        # the mean (by Markov, less than 1e-7 of the mass lies above).
        norm_bound = np.prod(4.0 * self.mp) * np.prod(self.values.max(axis=1))
        x = min(2.0 * float(norm_bound), 1e7 * self.mean)
        zeta = x * (1 + 1j * eps)
        w = self.mean / (zeta - self.mean)
        zj = self.m1 * (1.0 + w) / w  # exact for point masses
        w, zj, _ = self._solve(zeta, w, zj)
        xs, fs = [x], [-((1.0 + w) / zeta).imag / np.pi * x]
        h, mass, peak, slope_before = 0.25, 0.0, 0.0, None
        while mass < mass_target:
            h_try = h
            while (new := step(h_try)) is None and h_try * 0.5 >= 1e-10:
                h_try *= 0.5
            if new is None:
                break
            x, w, zj, iterations, f1, slope_before = new
            mass += 0.5 * h_try * (fs[-1] + f1)
            peak = max(peak, f1)
            xs.append(x)
            fs.append(f1)
            h = min(h_try * (1.5 if iterations <= 6 else 1.0), h_max)
        xs, fs = np.array(xs), np.array(fs)
        u = -np.log(xs)
        return xs, fs / xs, 1.0 - _cumulative_simpson(u - u[0], fs)

    def log10_sigma_quantiles(self, probs: Sequence[float], **options) -> np.ndarray:
        """Quantiles of log10 sigma = log10(x)/2 by PCHIP interpolation of log10 x
        against the CDF; NaN below the resolved range."""
        from scipy.interpolate import PchipInterpolator

        xs, _, cdf = self.distribution(**options)
        order = np.argsort(cdf, kind="stable")
        c, log_x = cdf[order], np.log10(xs[order])
        keep = np.concatenate([[True], np.diff(c) > 0])
        probs = np.asarray(probs, dtype=float)
        values = 0.5 * PchipInterpolator(c[keep], log_x[keep])(probs)
        return np.where(probs >= c[keep][0], values, np.nan)


def _cumulative_simpson(u: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Cumulative integral of f over the increasing grid u, each interval by the
    parabola through its ends and the next point (the previous one at the
    end), relative to the interval's start so short intervals do not cancel."""
    out = np.zeros_like(f)
    for i in range(len(u) - 1):
        j = i + 2 if i + 2 < len(u) else i - 1
        h, c = u[i + 1] - u[i], u[j] - u[i]
        w0 = (h**3 / 3 - (h + c) * h**2 / 2 + h * c * h) / (h * c)
        w1 = (h**3 / 3 - c * h**2 / 2) / (h * (h - c))
        w2 = (h**3 / 3 - h * h**2 / 2) / (c * (c - h))
        out[i + 1] = out[i] + f[i] * w0 + f[i + 1] * w1 + f[j] * w2
    return out
