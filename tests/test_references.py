"""The simulated references against exact small cases and direct simulation.

Monte Carlo checks allow 4 standard errors of the difference (seeds are fixed,
so each test is deterministic; a false alarm would be a 1-in-16,000 draw), and
where a wrong model is easy to write, the test shows it would fail.
"""

import math

import numpy as np
import pytest
from scipy.special import gammaln

from eigeninit import references, stages, theory
from eigeninit.stats import chance_exceedances, holm_adjusted


def agree(a: np.ndarray, b: np.ndarray | float, b_se: float = 0.0) -> bool:
    """The mean of ``a`` is within 4 combined standard errors of ``b``'s."""
    a = np.ravel(a)
    se = a.std(ddof=1) / math.sqrt(a.size)
    if isinstance(b, np.ndarray):
        b, b_se = b.mean(), b.std(ddof=1) / math.sqrt(b.size)
    return abs(a.mean() - b) <= 4 * math.hypot(se, b_se)


def direct_sigma_max(k: int, count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrices = rng.standard_normal((count, k, k))
    return np.linalg.svd(matrices, compute_uv=False)[:, 0] / math.sqrt(k)


# ---- sigma_max: the bidiagonal model ----


def test_bidiagonal_sigma_max_is_the_largest_singular_value() -> None:
    rng = np.random.default_rng(0)
    for k in (1, 2, 7, 60):
        diag, superdiag = rng.random((k, 50)) + 0.1, rng.random((k - 1, 50))
        diag[:, 0] *= 1e150  # relative accuracy does not depend on scale
        superdiag[:, 0] *= 1e150
        found = references.bidiagonal_sigma_max(diag.copy(), superdiag.copy())
        for j in range(50):
            b = np.diag(diag[:, j]) + np.diag(superdiag[:, j], 1)
            largest = np.linalg.svd(b, compute_uv=False)[0]
            assert found[j] == pytest.approx(largest, rel=1e-12)


def test_sigma_max_draws_have_the_law_of_a_gaussian_matrix() -> None:
    """Against full SVDs of Gaussian matrices; k = 2 exactly: E sigma_max = sqrt(pi)."""
    model = references.sigma_max_draws(6, 40_000, seed=1)
    assert agree(model, direct_sigma_max(6, 10_000, seed=2))
    # A model with one degree of freedom too many on the diagonal would fail.
    rng = np.random.default_rng(3)
    wrong = references._chi(rng, np.arange(7, 1, -1.0), 40_000)
    wrong_superdiag = references._chi(rng, np.arange(5, 0, -1.0), 40_000)
    shifted = references.bidiagonal_sigma_max(wrong, wrong_superdiag) / math.sqrt(6)
    assert not agree(shifted, direct_sigma_max(6, 10_000, seed=2))
    exact_k2 = math.sqrt(math.pi) / math.sqrt(2)
    assert agree(references.sigma_max_draws(2, 100_000, seed=4), exact_k2)


def test_tracy_widom_is_off_at_small_k_and_close_at_large_k() -> None:
    """Why sigma_max is simulated: Tracy-Widom's mean misses by 0.057 at k = 5."""
    small = references.edge_estimates(references.sigma_max_draws(5, 100_000, 5))
    assert small["scaled"]["mean"] - theory.sigma_max_tracy_widom(5) == pytest.approx(
        0.0567, abs=5 * small["scaled"]["se"]
    )
    large = references.edge_estimates(references.sigma_max_draws(256, 4000, 6))
    assert agree(
        references.sigma_max_draws(256, 4000, 6), theory.sigma_max_tracy_widom(256)
    )
    assert large["scaled"]["se"] < 4e-4


# ---- the spectral radius ----


def test_radius_draws_match_exact_small_cases() -> None:
    """k = 1: rho = |g|, mean sqrt(2/pi); k = 2: E rho = 1.318401 (a 2-d integral
    in closed form)."""
    assert agree(references.radius_draws(1, 100_000, seed=7), math.sqrt(2 / math.pi))
    assert agree(references.radius_draws(2, 100_000, seed=8), 1.318401 / math.sqrt(2))


def test_real_matrices_sit_below_the_complex_exact_radius() -> None:
    """The gap the references correct: 0.046 at k = 5 (Kostlan's exact complex
    mean against real matrices), far beyond the standard error."""
    real = references.edge_estimates(references.radius_draws(5, 50_000, seed=9))
    gap = real["scaled"]["mean"] - theory.complex_spectral_radius(5)
    assert gap == pytest.approx(-0.046, abs=4 * real["scaled"]["se"])


@pytest.mark.slow
def test_extrapolation_from_the_anchors_predicts_a_simulated_size() -> None:
    """Complex exact + c/sqrt(k) from k = 16 and 64 against a direct run at k = 32
    (and the anchors' own values at 16 and 64 within their error)."""
    anchors = {
        k: references.edge_estimates(references.radius_draws(k, draws, seed=10))
        for k, draws in ((16, 40_000), (64, 3_000))
    }
    predicted = references.extrapolated_radius(32, anchors)
    direct = references.edge_estimates(references.radius_draws(32, 8_000, seed=11))
    for quantity in ("scaled", "log", "inverse_square"):
        p, d = predicted[quantity], direct[quantity]
        assert abs(p["mean"] - d["mean"]) <= 4 * math.hypot(p["se"], d["se"]), quantity


def test_complex_inverse_square_radius_is_kostlans() -> None:
    """Against Kostlan's law sampled: rho^2 / k = max_j Gamma(j, 1) / k."""
    rng = np.random.default_rng(12)
    k = 4
    squares = rng.gamma(np.arange(1, k + 1.0), size=(200_000, k)).max(axis=1) / k
    assert agree(1.0 / squares, theory.complex_inverse_square_radius(k))
    with pytest.raises(ValueError):
        theory.complex_inverse_square_radius(1)


# ---- the normalized schemes' gain ----


@pytest.mark.parametrize("divisor", ["radius", "sigma_max"])
def test_the_gain_identity_of_a_normalized_matrix(divisor) -> None:
    """s^2 = E|Wx|^2/|x|^2 = (1 - 2/k^2) E[k/d^2] exactly, at k = 3 where the
    factor is 0.78; 1 / E[d^2 / k] is a different number."""
    k = 3
    rng = np.random.default_rng(13)
    g = rng.standard_normal((200_000, k, k))
    if divisor == "radius":
        d = np.abs(np.linalg.eigvals(g)).max(axis=-1)
    else:
        d = np.linalg.svd(g, compute_uv=False)[:, 0]
    direct = (g[:, :, 0] ** 2).sum(axis=1) / d**2  # x = e1
    inverse_square = np.mean(k / d**2)
    assert agree(direct, theory.normalized_gain_squared(k, inverse_square), 0.004)
    assert not agree(direct, 1.0 / np.mean(d**2 / k))
    assert not agree(direct, inverse_square)


# ---- tanh networks: the scalar chain ----


def chain(scheme, activation, k=12, layers=5, networks=20_000, seed=14):
    rng = np.random.default_rng(seed)
    return references.chain_growth(scheme, activation, k, layers, networks, rng)


def test_the_chain_gives_the_exact_linear_and_relu_growth() -> None:
    k, layers = 12, 5
    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    assert agree(
        chain("lecun", lambda z: z), theory.linear_gaussian_growth(k, 1, layers)
    )
    assert agree(
        chain("kaiming", relu), theory.relu_gaussian_growth(k, math.sqrt(2), layers)
    )
    assert agree(chain("orthogonal", relu), theory.relu_orthogonal_growth(k, layers))
    assert not agree(chain("lecun", relu), theory.relu_gaussian_growth(k, 1.2, layers))


def real_network_growth(scheme_matrices, k, layers, networks, seed):
    """Growth of tanh networks through real k x k matrices, layer by layer."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((networks, k))
    start = np.linalg.norm(x, axis=1)
    for _ in range(layers):
        x = np.tanh(np.einsum("nij,nj->ni", scheme_matrices(rng, networks, k), x))
    return (np.linalg.norm(x, axis=1) / start) ** (1 / layers)


def spectral_matrices(rng, networks, k):
    g = rng.standard_normal((networks, k, k))
    return g / np.linalg.svd(g, compute_uv=False)[:, 0, None, None]


def orthogonal_matrices(rng, networks, k):
    q, r = np.linalg.qr(rng.standard_normal((networks, k, k)))
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[:, None, :]


@pytest.mark.parametrize(
    ("scheme", "matrices"),
    [("spectral", spectral_matrices), ("orthogonal", orthogonal_matrices)],
)
def test_the_chain_has_the_law_of_real_tanh_networks(scheme, matrices) -> None:
    """The reduced models (Haar: W x uniform on the sphere; G / sigma_max(G):
    the bidiagonal model started from x) against real matrices at k = 6."""
    k, layers = 6, 4
    real = real_network_growth(matrices, k, layers, 20_000, seed=15)
    assert agree(chain(scheme, np.tanh, k, layers, 40_000, seed=16), real)


def test_tanh_references_cover_the_schemes_with_a_chain() -> None:
    depth = {"k": 8, "layers": 3, "schemes": ["lecun", "eigen"]}
    depth |= {"activations": ["tanh"], "networks_per_setting": 4}
    values = stages.references(
        {"sizes": [4], "matrices_per_size": 4},
        depth,
        {"seed": 1, "seconds_per_size": 0.2, "tanh_networks": 50},
    )
    assert set(values["tanh"]) == {"lecun"}
    assert values["tanh"]["lecun"]["draws"] == 50
    assert set(values["radius"]) == {"4", "8"} == set(values["sigma_max"])


# ---- many comparisons ----


def test_holm_adjusts_step_down() -> None:
    """Hand-worked: sorted p = 0.01, 0.02, 0.03, 0.5 give 0.04, 0.06, 0.06, 0.5."""
    adjusted = holm_adjusted(np.array([0.03, 0.5, 0.01, 0.02]))
    np.testing.assert_allclose(adjusted, [0.06, 0.5, 0.04, 0.06])
    # Holm rejects 0.01 and stops; Bonferroni (4 p) would reject only 0.01 too,
    # but with 0.012 second Holm rejects both where Bonferroni keeps one.
    assert (holm_adjusted(np.array([0.01, 0.012, 0.9])) <= 0.05).tolist() == [
        True,
        True,
        False,
    ]


def test_chance_exceedances_are_binomial() -> None:
    chance = chance_exceedances(37, 0.05)
    assert chance["mean"] == pytest.approx(1.85)
    assert chance["sd"] == pytest.approx(math.sqrt(37 * 0.05 * 0.95))
    assert chance["range95"] == [0, 5]
    log_p5 = gammaln(38) - gammaln(6) - gammaln(33) + 5 * math.log(0.05)
    assert math.exp(log_p5 + 32 * math.log(0.95)) < 0.05
