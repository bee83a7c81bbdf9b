"""Finite-size theory against exact small cases and Monte Carlo simulation.

Monte Carlo tolerances are 4 standard errors of the simulated mean (a false
alarm about once in 16,000 runs; the seeds are fixed anyway) plus, where the
theory is an approximation, its stated error.
"""

import math

import numpy as np
import pytest
from scipy import integrate
from scipy import stats as scipy_stats
from scipy.special import gammaln, polygamma

from eigeninit.depth import propagate, run_depth
from eigeninit.theory import (
    TW1_SD,
    agreement,
    complex_log_spectral_radius,
    complex_spectral_radius,
    depth_law_constants,
    linear_gaussian_growth,
    normalized_log_growth,
    relu_gaussian_growth,
    relu_orthogonal_growth,
    sigma_max_tracy_widom,
    spectral_radius_asymptotic,
    tanh_critical_variance,
    tanh_mean_field_growth,
    tanh_mean_field_variances,
    tanh_regime,
    tanh_variance_map,
)


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def ensemble(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed)


def assert_within_se(samples: np.ndarray, expected: float, model_error: float = 0.0):
    samples = np.ravel(samples)
    standard_error = samples.std(ddof=1) / math.sqrt(samples.size)
    assert abs(samples.mean() - expected) <= 4 * standard_error + model_error


# ---- the edge ----


def test_tracy_widom_matches_the_quoted_values() -> None:
    """Johnstone's centring plus the delta method, worked by hand at k = 256."""
    a = math.sqrt(255) + 16
    m = a**2 + a * (1 / math.sqrt(255) + 1 / 16) ** (1 / 3) * -1.2065335745820
    assert sigma_max_tracy_widom(256) == pytest.approx(math.sqrt(m) / 16, abs=2e-4)
    assert sigma_max_tracy_widom(256) == pytest.approx(1.9790, abs=1e-4)
    assert sigma_max_tracy_widom(1024) == pytest.approx(1.9920, abs=1e-4)
    assert TW1_SD == pytest.approx(1.2679830, abs=1e-7)


@pytest.mark.slow
def test_tracy_widom_against_simulation() -> None:
    """k = 64, 3000 matrices. Johnstone's approximation errs by O(k^-2/3) of
    the fluctuation scale (about 0.003 here)."""
    k = 64
    sigma = np.linalg.svd(rng(0).standard_normal((3000, k, k)), compute_uv=False)
    scaled = sigma[:, 0] / math.sqrt(k)
    model_error = scaled.std(ddof=1) * k ** (-2 / 3)
    assert_within_se(scaled, sigma_max_tracy_widom(k), model_error)


def test_kostlan_reference_is_exact_at_k_one() -> None:
    """k = 1: |z|^2 ~ Exp(1), so E|z| = sqrt(pi)/2 and E log|z| = -euler_gamma / 2."""
    assert complex_spectral_radius(1) == pytest.approx(
        math.sqrt(math.pi) / 2, rel=1e-10
    )
    assert complex_log_spectral_radius(1) == pytest.approx(
        -np.euler_gamma / 2, abs=1e-9
    )


@pytest.mark.slow
def test_kostlan_reference_against_complex_ginibre_simulation() -> None:
    """k = 16, 8000 complex Ginibre matrices with E|G_ij|^2 = 1: exact, so no
    model error."""
    k = 16
    generator = rng(1)
    g = generator.standard_normal((8000, k, k)) + 1j * generator.standard_normal(
        (8000, k, k)
    )
    radius = np.abs(np.linalg.eigvals(g / math.sqrt(2))).max(axis=-1) / math.sqrt(k)
    assert_within_se(radius, complex_spectral_radius(k))
    assert_within_se(np.log(radius), complex_log_spectral_radius(k))


def test_asymptotic_centring_approaches_the_exact_mean_slowly() -> None:
    """Rider's 1 + sqrt(gamma_k / 4k) lies below the exact complex mean, and the
    gap closes (slowly) as k grows."""
    gaps = [
        complex_spectral_radius(k) - spectral_radius_asymptotic(k) for k in (256, 1024)
    ]
    assert 0 < gaps[1] < gaps[0]
    assert spectral_radius_asymptotic(64) is None  # gamma_64 < 0
    assert complex_spectral_radius(1024) == pytest.approx(1.0266, abs=1e-4)


# ---- independent weights ----


def test_growth_exact_cases_at_k_one() -> None:
    """k = 1, one layer: |g| has mean sqrt(2/pi) and E log|g| = -(gamma + ln 2)/2;
    relu(g x) keeps |g| only when g x > 0, mean 1/sqrt(2 pi); a 1 x 1
    orthogonal matrix is +-1, so relu passes the signal half the time."""
    assert linear_gaussian_growth(1, layers=1) == pytest.approx(math.sqrt(2 / math.pi))
    assert linear_gaussian_growth(1) == pytest.approx(
        math.exp(-(np.euler_gamma + math.log(2)) / 2)
    )
    assert relu_gaussian_growth(1, layers=1) == pytest.approx(
        1 / math.sqrt(2 * math.pi)
    )
    assert relu_orthogonal_growth(1, layers=1) == pytest.approx(0.5)


def test_growth_large_k_expansions() -> None:
    """psi(k/2) = ln(k/2) - 1/k - 1/(3k^2) + ... gives exp(-1/(2k)) for linear
    and exp(-5/(4k)) / sqrt(2) for relu, up to terms of order k^-2 (checked
    as 3/k^2)."""
    k = 1024
    assert linear_gaussian_growth(k) == pytest.approx(
        math.exp(-1 / (2 * k)), abs=3 / k**2
    )
    assert relu_gaussian_growth(k) == pytest.approx(
        math.exp(-5 / (4 * k)) / math.sqrt(2), abs=3 / k**2
    )
    assert relu_orthogonal_growth(k) == pytest.approx(1 / math.sqrt(2), abs=1e-3)


def test_finite_depth_mean_exceeds_the_rate_by_the_log_variance() -> None:
    """E exp(mean of L iid log ratios) = exp(E log r + Var(log r) / (2L) + ...),
    and Var(log |Gx|/|x|) = psi'(k/2) / 4 for linear Gaussian layers."""
    k, layers = 64, 100
    excess = linear_gaussian_growth(k, layers=layers) / linear_gaussian_growth(k)
    assert math.log(excess) == pytest.approx(
        polygamma(1, k / 2) / (8 * layers), rel=0.02
    )


@pytest.mark.parametrize(
    ("scheme", "activation", "theory"),
    [
        # 60000 networks each, so every variant is in the slow tier. Kaiming is
        # LeCun times sqrt(2), which linear and relu layers carry through
        # exactly; the fast tier checks that gain in test_scheme_facts.
        pytest.param(
            "lecun",
            "linear",
            lambda k, L: linear_gaussian_growth(k, 1.0, L),
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "kaiming",
            "linear",
            lambda k, L: linear_gaussian_growth(k, math.sqrt(2), L),
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "lecun",
            "relu",
            lambda k, L: relu_gaussian_growth(k, 1.0, L),
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "kaiming",
            "relu",
            lambda k, L: relu_gaussian_growth(k, math.sqrt(2), L),
            marks=pytest.mark.slow,
        ),
        # 180000 Haar matrices (60000 networks of 3 layers), a QR each: about 10 s.
        pytest.param(
            "orthogonal",
            "relu",
            lambda k, L: relu_orthogonal_growth(k, L),
            marks=pytest.mark.slow,
        ),
    ],
)
def test_mean_growth_against_the_networks_themselves(
    scheme, activation, theory
) -> None:
    """k = 4 and 3 layers, where every finite-k effect is large (relu loses the
    whole signal with probability 1/16 per layer), through the project's own
    propagation code: exact theory, so no model error."""
    k, layers = 4, 3
    run = run_depth(
        scheme, [activation], "independent", k, layers, ensemble(3), range(60000)
    )
    assert_within_se(run[activation].growth, theory(k, layers))


@pytest.mark.slow
def test_large_depth_rate_is_the_mean_log_ratio_of_surviving_layers() -> None:
    """One relu layer at k = 4 over 200000 networks: mean of log(|relu(Wx)|/|x|)
    where the signal survives."""
    k = 4
    run = run_depth("lecun", ["relu"], "independent", k, 1, ensemble(4), range(200000))[
        "relu"
    ]
    log_ratio = np.log(10.0) * (run.log10_norms[:, 1] - run.log10_norms[:, 0])
    survived = np.isfinite(log_ratio)
    assert 1 - survived.mean() == pytest.approx(0.5**k, abs=0.003)
    assert_within_se(log_ratio[survived], math.log(relu_gaussian_growth(k)))


@pytest.mark.parametrize(
    "divisor", ["sigma_max", pytest.param("spectral_radius", marks=pytest.mark.slow)]
)
def test_normalized_scheme_growth_is_gaussian_growth_over_the_divisor(divisor):
    """E log|f(Wx)| for W = G / d(G) is E log|f(Gx)| - E log d exactly, with E log d
    measured on the same matrices' divisors (k = 64, 3000 one-layer networks)."""
    k = 64
    scheme = "spectral" if divisor == "sigma_max" else "eigen"
    generator = rng(5)
    g = generator.standard_normal((3000, k, k))
    if divisor == "sigma_max":
        d = np.linalg.svd(g, compute_uv=False)[:, 0]
    else:
        d = np.abs(np.linalg.eigvals(g)).max(axis=-1)
    x = generator.standard_normal((3000, k))
    for activation, f in (
        ("linear", lambda z: z),
        ("relu", lambda z: np.maximum(z, 0)),
    ):
        image = f(np.einsum("nij,nj->ni", g, x))
        log_ratio = np.log(np.linalg.norm(image, axis=1) / np.linalg.norm(x, axis=1))
        log_ratio -= np.log(d)
        expected = normalized_log_growth(k, activation, np.log(d / math.sqrt(k)).mean())
        assert_within_se(log_ratio, expected), (scheme, activation)


# ---- tanh ----


@pytest.mark.parametrize("a", [1e-3, 0.5, 1.0, 16.0, 1e3])
def test_tanh_variance_map_against_adaptive_quadrature(a: float) -> None:
    expected = (
        2
        * integrate.quad(
            lambda g: np.tanh(a * g) ** 2 * scipy_stats.norm.pdf(g),
            0,
            np.inf,
            limit=500,
            epsabs=0,
            epsrel=1e-13,
        )[0]
    )
    assert tanh_variance_map(a * a, 1.0) == pytest.approx(expected, rel=1e-12)


def test_tanh_variance_map_small_and_large_signals() -> None:
    """For small s q, tanh(z)^2 = z^2 - 2 z^4/3: the map is s q - 2 (s q)^2; for
    large s q nearly every unit saturates, and 1 - map = E sech^2, about
    2 phi(0) / sqrt(s q)."""
    q = 1e-3
    assert tanh_variance_map(q, 1.0) == pytest.approx(q - 2 * q**2, rel=1e-5)
    big = 1e6
    assert 1 - tanh_variance_map(1.0, big) == pytest.approx(
        2 * scipy_stats.norm.pdf(0) / math.sqrt(big), rel=1e-3
    )


@pytest.mark.parametrize(("scheme", "s"), [("lecun", 1.0), ("kaiming", 2.0)])
def test_tanh_mean_field_against_simulation(scheme: str, s: float) -> None:
    """k = 256, 20 layers, 24 networks. Mean-field theory neglects O(1/k)
    fluctuations of q and the input's own q(0) = |x(0)|^2/k, so 2e-3 model error."""
    k, layers = 256, 20
    run = run_depth(scheme, ["tanh"], "independent", k, layers, ensemble(7), range(24))[
        "tanh"
    ]
    assert_within_se(run.growth, tanh_mean_field_growth(s, layers), model_error=2e-3)


def test_tanh_regimes() -> None:
    """Critical s = 1: q(L) ~ 1/(2L); s < 1: the growth tends to sqrt(s); s > 1:
    q settles on the map's fixed point and the growth tends to 1."""
    layers = 3000
    q = tanh_mean_field_variances(1.0, layers)
    assert tanh_regime(1.0)["regime"] == "critical"
    assert q[-1] * 2 * layers == pytest.approx(1.0, rel=0.02)
    assert tanh_critical_variance(layers) == pytest.approx(q[-1], rel=0.02)
    low = tanh_regime(0.25)
    assert low["regime"] == "vanishes"
    q_low = tanh_mean_field_variances(0.25, 60)
    assert math.sqrt(q_low[-1] / q_low[-2]) == pytest.approx(
        low["rate_limit"], rel=1e-6
    )
    high = tanh_regime(2.0)
    fixed_point = high["fixed_point"]
    assert tanh_variance_map(fixed_point, 2.0) == pytest.approx(fixed_point, rel=1e-10)
    assert tanh_mean_field_variances(2.0, 200)[-1] == pytest.approx(
        fixed_point, rel=1e-8
    )


# ---- shared weights ----


def test_depth_law_constants_on_a_known_spectrum() -> None:
    """W = diag(lambda): |W^l x|^2 = sum x_j^2 lambda_j^(2l), so
    C_l = ln(sqrt(sum x_j^2 (lambda_j/rho)^(2l)) / |x|), through propagate."""
    eigenvalues = np.array([1.5, -1.2, 0.9, 0.3])
    x = np.array([[0.2, 1.0, -0.7, 2.0]])
    layers = 40
    matrices = [np.diag(eigenvalues)[np.newaxis]] * layers
    log10_norms = propagate(x, matrices, ["linear"])["linear"]
    depths = np.array([1, 5, 20, 40])
    constants = depth_law_constants(log10_norms, np.array([1.5]), depths)[0]
    shares = (x[0, :, np.newaxis] * (eigenvalues[:, np.newaxis] / 1.5) ** depths) ** 2
    expected = np.log(np.sqrt(shares.sum(axis=0)) / np.linalg.norm(x))
    np.testing.assert_allclose(constants, expected, rtol=1e-10)


def test_depth_law_constant_of_a_non_normal_matrix() -> None:
    """[[1, b], [0, mu]]: right eigenvector (1, 0), left u = (1, b/(1 - mu)), so
    C_l tends to ln(|u.x| / (|u_1| |x|)), reached at l = 200 (mu^200 is negligible)."""
    b, mu = 3.0, 0.5
    matrix = np.array([[1.0, b], [0.0, mu]])
    x = np.array([0.1, 1.0])
    u = np.array([1.0, b / (1 - mu)])
    expected = math.log(abs(u @ x) / (abs(u[0]) * np.linalg.norm(x)))
    matrices = [matrix[np.newaxis]] * 200
    log10_norms = propagate(x[np.newaxis], matrices, ["linear"])["linear"]
    constant = depth_law_constants(log10_norms, np.array([1.0]), np.array([200]))[0, 0]
    assert constant == pytest.approx(expected, rel=1e-10)


# ---- agreement ----


def test_agreement_is_student_t_and_holds_its_level() -> None:
    """The score is scipy's one-sample t statistic; over 2000 samples drawn
    from the theory the 95% verdict rejects 5% of the time (binomial band)."""
    samples = rng(8).normal(1.0, 0.1, size=20)
    result = agreement(samples, 1.02, rtol=0.0)
    test = scipy_stats.ttest_1samp(samples, 1.02)
    assert result["z_score"] == pytest.approx(test.statistic, rel=1e-12)
    assert result["p_value"] == pytest.approx(test.pvalue, rel=1e-10)
    draws = rng(9).normal(0.0, 1.0, size=(2000, 10))
    rejected = sum(agreement(row, 0.0)["p_value"] < 0.05 for row in draws)
    assert scipy_stats.binomtest(rejected, 2000, 0.05).pvalue > 1e-3


def test_agreement_absorbs_rounding_and_theory_uncertainty() -> None:
    exactly_one = 1.0 + np.array([1, -1, 2, 0]) * np.finfo(float).eps
    assert agreement(exactly_one, 1.0)["p_value"] > 0.5
    assert agreement(exactly_one, 1.0 + 1e-9)["p_value"] < 1e-6
    off = rng(10).normal(1.1, 0.01, size=30)
    assert agreement(off, 1.0)["p_value"] < 1e-6
    assert agreement(off, 1.0, theory_se=0.1)["p_value"] > 0.05


def test_gamma_ratio_moment_matches_chi_moments() -> None:
    """E chi_k = sqrt(2) Gamma((k+1)/2) / Gamma(k/2): linear growth over one layer."""
    k = 7
    expected = math.sqrt(2 / k) * math.exp(gammaln((k + 1) / 2) - gammaln(k / 2))
    assert linear_gaussian_growth(k, layers=1) == pytest.approx(expected, rel=1e-12)
