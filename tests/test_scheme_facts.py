"""The scheme registry and its predictions: limits and finite-size values."""

import math
import re

import numpy as np
import pytest

from eigeninit import theory
from eigeninit.depth import ACTIVATIONS, WEIGHT_MODES, run_depth
from eigeninit.initializers import SCHEMES, sample
from eigeninit.scheme_facts import (
    EXACT,
    MEAN_FIELD,
    REFERENCE,
    SCHEME_FACTS,
    finite_size_growth,
    gain,
    limit_explanation,
    limit_growth,
    log_spectral_radius,
)
from eigeninit.stats import mean_ci95


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def ensemble(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed)


def test_registry_covers_every_sampler() -> None:
    assert set(SCHEME_FACTS) == set(SCHEMES)
    for name, facts in SCHEME_FACTS.items():
        assert facts.sampler is SCHEMES[name]
        assert facts.family in {"iid", "orthogonal", "normalized"}
        assert (facts.divisor is not None) == (facts.family == "normalized")


@pytest.mark.parametrize("scheme", ["standard", "lecun", "xavier_uniform", "kaiming"])
def test_gain_is_the_measured_entry_variance(scheme: str) -> None:
    """s^2 = k times the sample variance of 40 matrices' entries, to 4 standard
    errors of that variance (entries are iid)."""
    k = 32
    entries = sample(scheme, 40, k, rng(1)).ravel()
    variance = entries.var()
    standard_error = np.sqrt(((entries**2 - variance) ** 2).mean() / entries.size)
    assert abs(gain(scheme, k) ** 2 - k * variance) <= 4 * k * standard_error


def test_limit_table() -> None:
    k = 256
    assert limit_growth("standard", "linear", "independent", k) == 16.0
    assert limit_growth("standard", "relu", "independent", k) == pytest.approx(
        np.sqrt(128)
    )
    assert limit_growth("kaiming", "relu", "independent", k) == pytest.approx(1.0)
    assert limit_growth("lecun", "relu", "independent", k) == pytest.approx(
        np.sqrt(0.5)
    )
    assert limit_growth("spectral", "relu", "independent", k) == pytest.approx(
        0.5 * np.sqrt(0.5)
    )
    assert limit_growth("orthogonal", "linear", "shared", k) == 1.0
    assert limit_growth("eigen", "linear", "shared", k) == 1.0
    assert limit_growth("kaiming", "linear", "shared", k) == pytest.approx(np.sqrt(2))
    assert limit_growth("spectral", "linear", "shared", k) == 0.5
    assert limit_growth("orthogonal", "relu", "shared", k) is None
    assert limit_growth("lecun", "relu", "shared", k) is None
    with pytest.raises(ValueError, match="'he'.*allowed"):
        limit_growth("he", "relu", "shared", 4)


def limit_as_written(value: float, scheme: str, k: int) -> str:
    """How a derivation writes a limit: a multiple of the gain s for iid
    schemes (whose s depends on the scheme and k), a number otherwise."""
    unit = "s" if SCHEME_FACTS[scheme].family == "iid" else "1"
    ratio = value / (gain(scheme, k) if unit == "s" else 1.0)
    written = {
        1.0: unit,
        1 / math.sqrt(2): f"{unit}/sqrt(2)",
        1 / 2: f"{unit}/2",
        1 / (2 * math.sqrt(2)): f"{unit}/(2 sqrt(2))",
    }
    [text] = [text for factor, text in written.items() if math.isclose(ratio, factor)]
    return text


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("weights", WEIGHT_MODES)
def test_every_setting_has_a_value_or_a_reason(
    scheme: str, activation: str, weights: str
) -> None:
    k = 64
    value = limit_growth(scheme, activation, weights, k)
    explanation = limit_explanation(scheme, activation, weights)
    assert (value is None) == (explanation is None)
    if explanation is not None:
        assert value > 0
        # The derivation arrives at the limit limit_growth gives.
        limit = limit_as_written(value, scheme, k)
        stated = rf"(tends to|growth is)( exactly)? {re.escape(limit)}(?![/\w(])"
        assert re.search(stated, explanation), (limit, explanation)
        if weights == "shared" and scheme != "orthogonal":
            assert "large-depth limit" in explanation
    predicted = finite_size_growth(scheme, activation, weights, k, 10)
    # The note says why there is no value exactly where there is none.
    assert predicted["theory_note"].startswith("no closed form") == (
        predicted["theory"] is None
    )
    if predicted["theory"] is None:
        assert predicted["kind"] is None and weights == "shared"
    else:
        assert predicted["kind"] in {EXACT, REFERENCE, MEAN_FIELD}
        assert predicted["theory"] > 0


@pytest.mark.parametrize(
    ("scheme", "activation"),
    [
        ("lecun", "linear"),
        ("kaiming", "relu"),
        ("standard", "linear"),
        ("orthogonal", "relu"),
    ],
)
def test_exact_finite_size_growth_lies_within_four_standard_errors(
    scheme: str, activation: str
) -> None:
    """k = 64, 10 layers, 64 networks: the exact value has no model error, and
    the measurement's own noise is the only slack."""
    k, layers = 64, 10
    growth = run_depth(
        scheme, [activation], "independent", k, layers, ensemble(4), range(64)
    )
    growth = growth[activation].growth
    predicted = finite_size_growth(scheme, activation, "independent", k, layers)
    assert predicted["kind"] == EXACT
    standard_error = growth.std(ddof=1) / np.sqrt(growth.size)
    assert abs(growth.mean() - predicted["theory"]) <= 4 * standard_error


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scheme", "activation", "model_error"),
    [
        # Uniform entries: the Gaussian formula, off by O(k^-2).
        ("xavier_uniform", "relu", 1e-4),
        # Tracy-Widom's E log sigma_max errs by about 0.002 at k = 128.
        ("spectral", "linear", 0.002),
        # Complex Ginibre's radius exceeds real Ginibre's by about 0.8% at k = 128.
        ("eigen", "relu", 0.012),
    ],
)
def test_reference_finite_size_growth_within_its_stated_error(
    scheme: str, activation: str, model_error: float
) -> None:
    k, layers = 128, 10
    growth = run_depth(
        scheme, [activation], "independent", k, layers, ensemble(5), range(32)
    )
    growth = growth[activation].growth
    predicted = finite_size_growth(scheme, activation, "independent", k, layers)
    assert predicted["kind"] == REFERENCE
    _, low, high = mean_ci95(growth)
    value = predicted["theory"]
    assert low - model_error * value <= value <= high + model_error * value


def test_tanh_entries_carry_the_regime() -> None:
    lecun = finite_size_growth("lecun", "tanh", "independent", 256, 50)
    assert lecun["kind"] == MEAN_FIELD
    assert lecun["mean_field"]["regime"] == "critical"
    assert not lecun["mean_field"]["is_rate"]
    assert lecun["mean_field"]["critical_q_final"] == pytest.approx(
        lecun["mean_field"]["q_final"], rel=0.1
    )
    spectral = finite_size_growth("spectral", "tanh", "independent", 256, 50)
    assert spectral["mean_field"]["regime"] == "vanishes"
    assert spectral["mean_field"]["s"] == pytest.approx(0.255, abs=0.002)
    assert spectral["theory"] == pytest.approx(0.503, abs=0.002)


def test_log_spectral_radius_of_shared_matrices() -> None:
    """eigen and orthogonal: exactly 0. kaiming: ln sqrt(2) above lecun. The
    spectral scheme's rho(W) = rho(G)/sigma_max(G) lies near 1/2."""
    k = 64
    assert log_spectral_radius("eigen", k) == (0.0, EXACT)
    assert log_spectral_radius("orthogonal", k) == (0.0, EXACT)
    lecun, kind = log_spectral_radius("lecun", k)
    assert kind == REFERENCE
    kaiming, _ = log_spectral_radius("kaiming", k)
    assert kaiming - lecun == pytest.approx(math.log(2) / 2)
    assert lecun == pytest.approx(theory.log_spectral_radius_reference(k))
    spectral, _ = log_spectral_radius("spectral", k)
    assert math.exp(spectral) == pytest.approx(
        theory.spectral_radius_reference(k).mean / theory.sigma_max_reference(k).mean,
        rel=0.01,
    )
