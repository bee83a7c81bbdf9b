"""The input-output Jacobian: the stratified product against exact and
300-digit results, the theory against exact laws, the summary and the figure."""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from scipy import integrate, special, stats

import small_results
from eigeninit import jacobian as J
from eigeninit import schemas, stages
from eigeninit.datasets import jacobian_dataset
from eigeninit.depth import run_depth
from eigeninit.figure_style import save_figures
from eigeninit.initializers import job_seed_sequence
from eigeninit.jacobian_summary import (
    isometry_verdict,
    jacobian_summary,
    log10_sigma_quantiles,
)
from eigeninit.jobs import jacobian_cost
from eigeninit.paper import macro_name
from eigeninit.part_two_figures import JACOBIAN_FIGURES

PROBS = (0.05, 0.25, 0.5, 0.75, 0.95)
SMALL_DEPTH = {
    "k": 16,
    "layers": 6,
    "seed": 1,
    "activations": ["linear", "relu", "tanh"],
    "jacobian_networks": 4,
}


def relative_error(got, truth) -> np.ndarray:
    got, truth = np.asarray(got, float), np.asarray(truth, float)
    safe = np.where(truth > 0, truth, 1.0)
    return np.where(truth > 0, np.abs(got / safe - 1.0), np.abs(got))


# ---- helpers: products of given factors, plainly, stratified and in 300 digits


def network_factors(kind: str, k: int, layers: int, seed: int) -> list[np.ndarray]:
    """The factors D(l) W(l) of a small network, the forward pass deciding D."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(k)
    activation = {"gauss": "linear", "orthogonal": "linear"}.get(kind, kind)
    factors = []
    for _ in range(layers):
        if kind == "orthogonal":
            w = np.linalg.qr(rng.standard_normal((k, k)))[0]
        else:
            w = rng.standard_normal((k, k)) * math.sqrt(
                (2.0 if kind == "relu" else 1.0) / k
            )
        h = w @ x
        x = {"linear": h, "relu": np.maximum(h, 0), "tanh": np.tanh(h)}[activation]
        factors.append(J.derivative(activation, h)[:, None] * w)
    return factors


def stratified(factors, block_condition: float = 0.0) -> np.ndarray:
    """Singular values of A(L) ... A(1) (factors in the order A(1), ...) by the
    library's product: zero rows dropped exactly (as for ReLU) with a QR per
    factor, else blocks closed on the factors' exact condition numbers (0: one
    QR per factor)."""
    k = factors[0].shape[0]
    drop_rows = any(np.any(~np.any(a != 0, axis=1)) for a in factors)
    product, rows = J.GradedProduct(k, block_condition), np.arange(k)
    for a in factors:
        if drop_rows:
            active = np.flatnonzero(np.any(a != 0, axis=1))
            product.apply(a[np.ix_(active, rows)], np.inf)
            rows = active
        else:
            product.apply(a, float(np.linalg.cond(a)) if block_condition else np.inf)
    return product.singular_values()[0]


def plain(factors) -> np.ndarray:
    """A float64 product, then an SVD: resolves only sigma >~ eps sigma_max."""
    product = np.eye(factors[0].shape[0])
    for a in factors:
        product = a @ product
    return np.linalg.svd(product, compute_uv=False)


def extended_precision(factors, digits: int = 300) -> np.ndarray:
    """Singular values of the product in ``digits``-digit decimal arithmetic:
    the float64 entries converted exactly, the product formed and one-sided
    (Hestenes) Jacobi run to convergence. Jacobi's relative accuracy (Demmel &
    Veselic 1992) makes values down to about 1e-250 of sigma_max exact to
    double precision; below 1e-(digits - 50) sigma_max they are rank
    deficiency and come back as exact zeros."""
    k = factors[0].shape[0]
    with localcontext() as context:
        context.prec = digits
        j = [[Decimal(int(r == c)) for c in range(k)] for r in range(k)]
        for a in factors:
            ad = [[Decimal(float(v)) for v in row] for row in a]
            j = [
                [sum(ad[r][m] * j[m][c] for m in range(k)) for c in range(k)]
                for r in range(k)
            ]
        columns = [[j[r][c] for r in range(k)] for c in range(k)]
        tolerance = Decimal(10) ** (-(digits - 30))
        negligible = max(sum(v * v for v in col) for col in columns) * Decimal(10) ** (
            -2 * (digits - 50)
        )
        for _ in range(100):
            rotated = False
            for p in range(k - 1):
                for s in range(p + 1, k):
                    alpha = sum(v * v for v in columns[p])
                    beta = sum(v * v for v in columns[s])
                    gamma = sum(
                        u * v for u, v in zip(columns[p], columns[s], strict=True)
                    )
                    if (
                        gamma == 0
                        or min(alpha, beta) <= negligible
                        or abs(gamma) <= tolerance * (alpha * beta).sqrt()
                    ):
                        continue
                    rotated = True
                    zeta = (beta - alpha) / (2 * gamma)
                    tan = (1 if zeta >= 0 else -1) / (
                        abs(zeta) + (1 + zeta * zeta).sqrt()
                    )
                    cos = 1 / (1 + tan * tan).sqrt()
                    sin = cos * tan
                    cp, cs = columns[p], columns[s]
                    columns[p] = [
                        cos * u - sin * v for u, v in zip(cp, cs, strict=True)
                    ]
                    columns[s] = [
                        sin * u + cos * v for u, v in zip(cp, cs, strict=True)
                    ]
            if not rotated:
                break
        else:
            raise RuntimeError("Jacobi did not converge")
        sigma = sorted(
            (sum(v * v for v in col).sqrt() for col in columns), reverse=True
        )
        floor = sigma[0] * Decimal(10) ** (-(digits - 50))
        return np.array([float(s) if s > floor else 0.0 for s in sigma])


# ---- the measurement


@pytest.mark.parametrize(
    ("kind", "k", "layers"),
    [("gauss", 6, 24), ("tanh", 6, 24), ("orthogonal", 6, 24), ("relu", 8, 6)],
)
def test_stratified_product_against_300_digit_arithmetic(kind, k, layers):
    factors = network_factors(kind, k, layers, seed=3)
    truth = extended_precision(factors)
    got = stratified(factors)
    np.testing.assert_array_equal(got == 0, truth == 0)  # zeros exactly where they are
    assert np.max(relative_error(got, truth)) < 1e-11
    if kind in ("gauss", "tanh"):
        assert truth[0] / truth[-1] > 1e14  # beyond a plain product
        assert np.max(relative_error(plain(factors), truth)) > 1e-3
        blocked = stratified(factors, block_condition=1e10)
        assert np.max(relative_error(blocked, truth)) < 1e-5


def test_relu_rank_is_the_fewest_active_units():
    factors = network_factors("relu", 8, 5, seed=11)
    got = stratified(factors)
    active = [int(np.any(a != 0, axis=1).sum()) for a in factors]
    assert (
        int((got > 0).sum())
        == int((extended_precision(factors) > 0).sum())
        == min(active)
    )
    assert min(active) < 8


def test_a_product_left_without_rows_is_exactly_zero():
    """When ReLU turns every unit off, J = 0: k exact zeros, rank 0, and no QR
    counted for the empty factors."""
    product = J.GradedProduct(4)
    for factor in (3 * np.eye(4)[:2], np.zeros((0, 2)), np.zeros((3, 0))):
        product.apply(factor, np.inf)
    sigma, condition = product.singular_values()
    assert sigma.tolist() == [0.0] * 4 and condition == 1.0
    assert len(product.d) == 0 and product.restratifications == 1


def test_graded_product_over_200_decades_is_exact():
    """A(l) = P(l) D(l), P signed permutations: J is a signed permutation times a
    diagonal whose entries, products along each coordinate's path, span 200
    decades. The stratified product gets them to 1e-12; LAPACK's bidiagonal
    SVD of the same graded factor diag(d) T loses the small ones, which is why
    the final step is one-sided Jacobi."""
    rng = np.random.default_rng(1)
    k, layers = 12, 25
    rates = 10.0 ** -np.linspace(0, 8, k)
    position = np.arange(k)  # where each track sits before the next layer
    factors, truth = [], np.ones(k)
    for _ in range(layers):
        scale = rates * 2.0 ** rng.integers(-3, 4, k)
        truth *= scale
        d = np.empty(k)
        d[position] = scale
        permutation = rng.permutation(k)
        p = rng.choice([-1.0, 1.0], k)[:, None] * np.eye(k)[permutation]
        factors.append(p @ np.diag(d))
        position = np.argsort(permutation)[position]
    truth = np.sort(truth)[::-1]
    assert truth[0] / truth[-1] > 1e190
    assert np.max(relative_error(stratified(factors), truth)) < 1e-12
    product = J.GradedProduct(k, 0.0)
    for a in factors:
        product.apply(a, np.inf)
    product.close()
    order = np.argsort(-product.d)
    graded = (product.d[:, None] * product.t)[order]
    assert (
        np.max(relative_error(J.graded_singular_values(product.d, product.t)[0], truth))
        < 1e-12
    )
    assert np.max(relative_error(np.linalg.svd(graded, compute_uv=False), truth)) > 1.0


def test_jacobi_final_step_on_a_long_gaussian_product():
    """48 x 48, 40 layers (sigma over 40 decades): the Jacobi step agrees with
    LAPACK's bidiagonal SVD, which is accurate on such products; the product
    of the singular values is that of d (|det T| = 1); the condition estimate
    is modest and kept to two digits."""
    rng = np.random.default_rng(2)
    product = J.GradedProduct(48, 0.0)
    for _ in range(40):
        product.apply(rng.standard_normal((48, 48)) / math.sqrt(48), np.inf)
    product.close()
    sigma, condition = J.graded_singular_values(product.d, product.t)
    order = np.argsort(-product.d)
    bidiagonal = np.linalg.svd(
        (product.d[:, None] * product.t)[order], compute_uv=False
    )
    assert sigma[0] / sigma[-1] > 1e40
    assert np.max(relative_error(bidiagonal, sigma)) < 1e-11
    assert np.log(sigma).sum() == pytest.approx(np.log(product.d).sum(), abs=1e-10)
    assert 1 <= condition < 1e6
    # Two significant digits: the estimate's last bits vary between processes.
    assert condition == float(f"{condition:.2g}")


def test_orthogonal_linear_networks_are_isometric_to_1e_12():
    ensemble = job_seed_sequence(2020, "depth", "orthogonal", "independent")
    run = J.jacobian_spectra("orthogonal", ["linear"], 64, 20, ensemble, range(3))[
        "linear"
    ]
    assert np.max(np.abs(run.sigma - 1.0)) < 1e-12
    assert np.all(run.rank == 64)


@pytest.mark.parametrize("scheme", J.SCHEMES)
def test_the_depth_experiments_networks_and_the_log_det_identity(scheme):
    """Forward log10 norms equal run_depth's bit for bit (networks 2 to 4 of a
    job, as run_depth would run them with others), and sum ln sigma equals
    ln|det J| from the factors."""
    activations = ["linear", "relu", "tanh"]
    ensemble = job_seed_sequence(2020, "depth", scheme, "independent")
    runs = J.jacobian_spectra(scheme, activations, 32, 12, ensemble, range(2, 5))
    depth = run_depth(scheme, activations, "independent", 32, 12, ensemble, range(6))
    for activation in activations:
        np.testing.assert_array_equal(
            runs[activation].log10_norms, depth[activation].log10_norms[2:5]
        )
    for activation in ("linear", "tanh"):
        assert np.max(np.abs(runs[activation].log_det_gap)) < 1e-8
    assert np.all(np.isnan(runs["relu"].log_det_gap))


def test_a_network_does_not_depend_on_the_others():
    ensemble = job_seed_sequence(5, "depth", "lecun", "independent")
    both = J.jacobian_spectra("lecun", ["tanh"], 16, 8, ensemble, range(2))["tanh"]
    alone = J.jacobian_spectra("lecun", ["tanh"], 16, 8, ensemble, range(1, 2))["tanh"]
    np.testing.assert_array_equal(both.sigma[1:], alone.sigma)


def test_relu_mean_sigma2_and_zero_share_match_their_exact_laws():
    """E |J|_F^2 / k = (s/2)^L and E zero share = 1 - E min_l r_l / k, over 300
    networks at k = 16, L = 4, for Gaussian and Haar weights."""
    for scheme in ("kaiming", "orthogonal"):
        ensemble = job_seed_sequence(7, "jacobian-test", scheme)
        run = J.jacobian_spectra(scheme, ["relu"], 16, 4, ensemble, range(300))["relu"]
        expected, kind = J.mean_sigma2(scheme, "relu", 4)
        assert kind == J.EXACT
        assert expected == (1.0 if scheme == "kaiming" else 0.5**4)
        for samples, exact in (
            ((run.sigma**2).mean(axis=1), expected),
            ((run.sigma == 0).mean(axis=1), J.relu_zero_share(16, 4)),
        ):
            z = (samples.mean() - exact) / (samples.std(ddof=1) / math.sqrt(300))
            assert abs(z) < 4, (scheme, z)


# ---- theory


def test_relu_zero_share_small_cases():
    # k = 2: min of L Binomial(2, 1/2); L = 1: E = 1; L = 2: P(min >= 1) = (3/4)^2,
    # P(min >= 2) = (1/4)^2, so E min = 10/16.
    assert J.relu_zero_share(2, 1) == pytest.approx(0.5, abs=1e-15)
    assert J.relu_zero_share(2, 2) == pytest.approx(1 - (10 / 16) / 2, abs=1e-15)


def test_gaussian_mean_log10_sigma_is_exact_at_finite_k():
    # k = 1: E log10 |g| = (psi(1/2) + ln 2) / (2 ln 10) per layer
    one = (special.digamma(0.5) + math.log(2)) / (2 * math.log(10))
    assert J.gaussian_linear_mean_log10_sigma("lecun", 1, 3) == pytest.approx(
        3 * one, abs=1e-14
    )
    rng = np.random.default_rng(4)
    k, layers, n = 4, 3, 4000
    w = rng.standard_normal((n, layers, k, k)) * math.sqrt(2 / k)
    samples = np.linalg.slogdet(w)[1].sum(axis=1) / (k * math.log(10))
    exact = J.gaussian_linear_mean_log10_sigma("kaiming", k, layers)
    assert abs(samples.mean() - exact) < 4 * samples.std(ddof=1) / math.sqrt(n)


def fuss_catalan_moment(layers: int, n: float) -> float:
    top = math.pi / (layers + 1)
    value, _ = integrate.quad(
        lambda t: np.prod(
            [
                J.fuss_catalan_parametrization(layers, t)[0] ** n,
                J.fuss_catalan_parametrization(layers, t)[1],
            ]
        ),
        0.0,
        top,
        epsabs=0,
        epsrel=1e-12,
        limit=400,
    )
    return value


@pytest.mark.parametrize("layers", [1, 2, 3, 50])
def test_fuss_catalan_parametrization_has_the_fuss_catalan_moments(layers):
    """Mass 1, moments binom((L+1)n, n)/(Ln+1), and E ln x = -L (the
    Fuglede-Kadison determinant is multiplicative, -1 per Marchenko-Pastur)."""
    assert fuss_catalan_moment(layers, 0) == pytest.approx(1.0, abs=1e-12)
    for n in (1, 2, 3):
        exact = math.comb((layers + 1) * n, n) / (layers * n + 1)
        assert fuss_catalan_moment(layers, n) == pytest.approx(exact, rel=1e-11)
    top = math.pi / (layers + 1)
    mean_log, _ = integrate.quad(
        lambda t: (
            np.log(J.fuss_catalan_parametrization(layers, t)[0])
            * J.fuss_catalan_parametrization(layers, t)[1]
        ),
        0.0,
        top,
        epsabs=1e-12,
        epsrel=1e-12,
        limit=400,
    )
    assert mean_log == pytest.approx(-layers, rel=1e-10)


def test_one_layer_quantiles_are_marchenko_pastur():
    """FC_1 is Marchenko-Pastur: F(x) = (2/pi)(t + sin t cos t), t = asin(sqrt(x)/2)."""
    x = 10 ** (2 * J.gaussian_linear_quantiles("lecun", 1, [0.05, 0.5, 0.95]))
    t = np.arcsin(np.sqrt(x) / 2)
    np.testing.assert_allclose(
        2 / np.pi * (t + np.sin(t) * np.cos(t)), [0.05, 0.5, 0.95], atol=1e-10
    )
    # Kaiming's quantiles are LeCun's shifted by (L/2) log10 2
    np.testing.assert_allclose(
        J.gaussian_linear_quantiles("kaiming", 3, PROBS),
        J.gaussian_linear_quantiles("lecun", 3, PROBS) + 1.5 * math.log10(2),
        atol=1e-12,
    )


def test_s_transform_solver_reproduces_fuss_catalan():
    for layers in (1, 3):
        got = J.FreeProduct(mp_scales=[1.0] * layers).log10_sigma_quantiles(PROBS)
        exact = J.gaussian_linear_quantiles("lecun", layers, PROBS)
        assert np.max(np.abs(got - exact)) < 1e-4


def test_s_transform_with_discrete_factors_reproduces_fuss_catalan():
    """Two Marchenko-Pastur laws given as 150-atom Gauss-Jacobi discretizations
    (density (1/2pi) sqrt((4 - x)/x) on (0, 4]) through the discrete-factor
    path: their free product is FC_2, up to the discretization."""
    nodes, weights = special.roots_jacobi(150, 0.5, -0.5)
    atoms, weights = 2.0 * (1.0 + nodes), weights / weights.sum()
    free = J.FreeProduct(values=[atoms, atoms], weights=weights)
    got = free.log10_sigma_quantiles(PROBS)
    exact = J.gaussian_linear_quantiles("lecun", 2, PROBS)
    assert np.max(np.abs(got - exact)) < 1e-4


def test_a_point_mass_scales_the_law():
    """delta_c [x] MP is MP scaled by c: quantiles of log10 sigma move by log10(c)/2."""
    probs = [0.1, 0.5, 0.9]
    base = J.FreeProduct(mp_scales=[1.0]).log10_sigma_quantiles(probs, mass_target=0.95)
    scaled = J.FreeProduct(
        mp_scales=[1.0], values=[[0.3, 0.3]], weights=[0.5, 0.5]
    ).log10_sigma_quantiles(probs, mass_target=0.95)
    np.testing.assert_allclose(scaled - base, 0.5 * math.log10(0.3), atol=2e-5)


def test_free_moments_multiply_and_normalized_variances_add():
    """For free positive a, b: phi(ab) = phi(a) phi(b) and phi(abab) =
    phi(a^2) phi(b)^2 + phi(a)^2 phi(b^2) - phi(a)^2 phi(b)^2, so normalized
    variances add; MP has normalized variance 1."""
    values, weights = np.array([[0.2, 0.5, 1.0]]), np.array([0.2, 0.3, 0.5])
    free = J.FreeProduct(mp_scales=[1.0], values=values, weights=weights)
    xs, density, _ = free.distribution(eps=1e-12, mass_target=0.9999)
    support = density * xs > 1e-9 * (density * xs).max()  # off the Poisson tails
    u, f = -np.log(xs[support]), (density * xs)[support]
    m = [J._cumulative_simpson(u - u[0], f * xs[support] ** j)[-1] for j in range(3)]
    mean = weights @ values[0]
    variance = weights @ values[0] ** 2 / mean**2 - 1
    assert 0.9999 <= m[0] <= 1 + 1e-6
    assert m[1] == pytest.approx(mean, rel=1e-5)
    assert m[2] / m[1] ** 2 - 1 == pytest.approx(1.0 + variance, rel=1e-4)


def test_tanh_derivative_laws_are_gauss_rules_of_the_mean_field_laws():
    """Each layer's E D^2 and E D^4 against adaptive quadrature of sech^4 and
    sech^8 at the mean-field variance (to 1e-11 and, where sech's poles
    nearest the real axis slow the rule, 1e-9); 80 atoms are the 160-node
    Gauss-Hermite rule with +-g merged."""
    from eigeninit.theory import tanh_mean_field_variances

    d2, weights = J.tanh_derivative_laws("kaiming", 4)
    q = tanh_mean_field_variances(2.0, 4, 1.0)
    for layer in range(4):
        a = math.sqrt(2.0 * q[layer])
        for power, moment, rel in ((4, d2[layer], 1e-11), (8, d2[layer] ** 2, 1e-9)):
            direct = 2 * sum(
                integrate.quad(
                    lambda g, a=a, power=power: (
                        stats.norm.pdf(g) / math.cosh(a * g) ** power
                    ),
                    start,
                    start + 0.25,
                    epsabs=0,
                    epsrel=1e-13,
                )[0]
                for start in np.arange(0, 12, 0.25)
            )
            assert weights @ moment == pytest.approx(direct, rel=rel)
    d2, weights = J.tanh_derivative_laws("orthogonal", 1, atoms=80)
    nodes, gauss = np.polynomial.hermite_e.hermegauss(160)
    positive = nodes > 0
    merged = 2 * gauss[positive] / gauss.sum() @ (1 / np.cosh(nodes[positive]) ** 4)
    assert weights @ d2[0] == pytest.approx(merged, rel=1e-13)


def test_mean_sigma2_laws():
    assert J.mean_sigma2("kaiming", "linear", 50) == (2.0**50, J.EXACT)
    assert J.mean_sigma2("orthogonal", "linear", 50) == (1.0, J.EXACT)
    assert J.mean_sigma2("lecun", "relu", 3) == (0.125, J.EXACT)
    value, kind = J.mean_sigma2("orthogonal", "tanh", 2)
    d2, weights = J.tanh_derivative_laws("orthogonal", 2)
    assert kind == J.ASYMPTOTIC and value == pytest.approx(np.prod(d2 @ weights))
    assert 0 < value < 1


# ---- the summary, its schema and the figure


@pytest.fixture(scope="module")
def small_runs():
    return [stages.jacobian(scheme, SMALL_DEPTH) for scheme in J.SCHEMES]


@pytest.fixture(scope="module")
def small_summary(small_runs):
    forward = {
        "networks_per_setting": 4,
        "growth_per_layer": {
            "orthogonal": {
                "tanh": {
                    "independent": {"verdict": "vanishes", "log10_norm_ratio": -0.5}
                }
            }
        },
    }
    return jacobian_summary(small_runs, forward)


def test_datasets_describe_themselves(small_runs):
    for dataset in small_runs:
        for name, variable in dataset.variables.items():
            assert variable.attrs.get("units"), name
            assert variable.attrs.get("long_name"), name
        assert {"scheme", "weights", "k", "layers", "seed", "method"} <= set(
            dataset.attrs
        )
        assert dataset.sizes["member"] == 4 and dataset.sizes["singular_value"] == 16


def test_summary_verdicts_and_theory(small_summary):
    settings = small_summary["settings"]
    linear = settings["orthogonal"]["linear"]
    assert linear["isometry"]["shape"] == "isometric"
    assert all(
        abs(q["value"]) < 1e-12 and q["theory"] == 0 for q in linear["quantiles"]
    )
    relu = settings["lecun"]["relu"]
    assert relu["isometry"]["shape"] == "singular"
    assert all(q["theory"] is None for q in relu["quantiles"])
    assert relu["log10_condition"] == {"singular": True, "median": None, "range": None}
    assert relu["zero_share"]["theory"] == pytest.approx(J.relu_zero_share(16, 6))
    assert relu["quantiles"][0]["zero"] and relu["quantiles"][0]["theory_zero"]
    gaussian = [q["theory"] for q in settings["kaiming"]["linear"]["quantiles"]]
    assert gaussian == J.gaussian_linear_quantiles("kaiming", 6, PROBS).tolist()
    assert all(q["theory"] is None for q in settings["kaiming"]["tanh"]["quantiles"])
    tanh = settings["orthogonal"]["tanh"]
    # Every sigma of a product lies between the products of its factors'
    # smallest and largest: here sech^2 over each layer's atoms.
    theory = [q["theory"] for q in tanh["quantiles"]]
    d2, _ = J.tanh_derivative_laws("orthogonal", 6)
    low, high = (0.5 * np.log10(bound(d2, axis=1)).sum() for bound in (np.min, np.max))
    assert low < theory[0] and np.all(np.diff(theory) > 0) and theory[-1] < high
    assert tanh["isometry"]["theory_spread_decades"] == theory[-1] - theory[0]
    assert relu["isometry"]["theory_spread_decades"] is None
    assert tanh["forward"] == {"verdict": "vanishes"}
    assert settings["lecun"]["linear"]["mean_log10_sigma"]["kind"] == "exact"
    assert settings["lecun"]["linear"]["forward"] is None
    assert schemas.validate("jacobian", small_summary) is small_summary


def test_summary_numbers_have_distinct_macro_names(small_summary):
    named = [
        macro_name("Jacobian", *parts)
        for parts, _ in schemas.quoted_numbers("jacobian", small_summary)
    ]
    assert len(named) == len(set(named)) > 50
    assert "JacobianLecunLinearMedianTheory" in named


def test_quantiles_keep_exact_zeros_and_the_verdicts():
    sigma = np.array([[1.0, 0.5, 0.0, 0.0]] * 3)
    quantiles = log10_sigma_quantiles(sigma)
    assert quantiles[0]["zero"] and quantiles[0]["value"] is None
    assert quantiles[-1]["value"] == 0.0 and quantiles[-1]["standard_error"] == 0.0
    assert isometry_verdict(quantiles, singular=True)["shape"] == "singular"
    flat = log10_sigma_quantiles(np.full((3, 8), 0.01))
    assert isometry_verdict(flat, singular=False)["shape"] == "isometric"
    spread = log10_sigma_quantiles(np.logspace(0, -40, 64)[None].repeat(2, 0))
    assert isometry_verdict(spread, singular=False)["shape"] == "ill_conditioned"


def test_the_figure_draws(small_runs, small_summary, tmp_path):
    save_figures(
        JACOBIAN_FIGURES.values(), tmp_path, runs=small_runs, summary=small_summary
    )
    for name in JACOBIAN_FIGURES:
        assert (tmp_path / f"{name}.png").stat().st_size > 0


def test_schemes_and_cost():
    depth = {
        "k": 256,
        "layers": 50,
        "activations": ["linear", "relu", "tanh"],
        "jacobian_networks": 8,
    }
    # The workflow measures a depth config's schemes among these.
    assert J.SCHEMES == ("lecun", "kaiming", "orthogonal")
    # Measured: 0.5 to 0.6 s per network and scheme at k = 256, L = 50.
    assert 3 < jacobian_cost(depth, "lecun").seconds < 8
    assert jacobian_cost(depth, "lecun").megabytes < 1000
    with pytest.raises(ValueError, match="no Jacobian"):
        J.entry_variance_times_k("standard")


def test_summary_schema_names_the_registrys_jacobian_schemes():
    settings = schemas.schema("jacobian")["properties"]["settings"]
    assert settings["propertyNames"]["enum"] == list(J.SCHEMES)


def test_dataset_from_runs_keeps_activations_in_order():
    ensemble = job_seed_sequence(3, "depth", "lecun", "independent")
    runs = J.jacobian_spectra("lecun", ["tanh", "linear"], 8, 3, ensemble, range(2))
    dataset = jacobian_dataset(runs, {"scheme": "lecun", "seed": 3}, range(2))
    assert dataset["activation"].values.tolist() == ["tanh", "linear"]
    np.testing.assert_array_equal(
        dataset["sigma"].sel(activation="linear").values, runs["linear"].sigma
    )


def test_exact_scores_join_part_twos_family(small_summary):
    """Each score against exact theory is one more test of Holm's family, and
    the write-up's verdict lands on its block."""
    from eigeninit.part_two_summary import comparisons
    from eigeninit.writeup import with_verdicts

    circular = small_results.circular_law()["summary"]
    depth = small_results.depth(k=8, layers=3, schemes=("lecun",))["summary"]
    without = comparisons(circular, depth)
    family = comparisons(circular, depth, small_summary)
    scored = [
        (scheme, activation, quantity)
        for scheme, by_activation in small_summary["settings"].items()
        for activation, setting in by_activation.items()
        for quantity in ("mean_sigma2", "zero_share", "mean_log10_sigma")
        if "z_score" in setting[quantity]
    ]
    jacobian_tests = [test for test in family["tests"] if test["part"] == "jacobian"]
    assert scored and family["count"] == without["count"] + len(scored)
    assert [(t["scheme"], t["activation"], t["quantity"]) for t in jacobian_tests] == (
        scored
    )
    verdicts = with_verdicts(
        {
            "circular_law": circular,
            "depth": depth,
            "jacobian": small_summary,
            "comparisons": family,
        }
    )
    for test in jacobian_tests:
        block = verdicts["jacobian"]["settings"][test["scheme"]][test["activation"]]
        assert block[test["quantity"]]["disagrees"] == test["disagrees"]
