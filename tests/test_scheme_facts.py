"""Each scheme's predicted growth through depth: limits and finite-size values."""

import math

import numpy as np
import pytest

import small_results
from eigeninit import schemas
from eigeninit.depth import ACTIVATIONS, WEIGHT_MODES, run_depth
from eigeninit.initializers import SCHEMES, job_seed_sequence, sample
from eigeninit.references import EXTRAPOLATED, SIMULATED
from eigeninit.scheme_facts import (
    APPROXIMATION,
    EXACT,
    finite_size_growth,
    gain,
    limit_growth,
)


def references(k: int, layers: int) -> dict:
    return small_results.references((4,), k, layers, tuple(SCHEMES))


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def ensemble(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed)


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


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("weights", WEIGHT_MODES)
def test_every_setting_has_a_value_or_a_reason(
    scheme: str, activation: str, weights: str
) -> None:
    """Limits: s for a linear layer (1 for Haar and G/rho(G), 1/2 for
    G/sigma_max(G), whose sigma_max/sqrt(k) -> 2), times 1/sqrt(2) for relu;
    none for tanh and shared relu."""
    k = 64
    value = limit_growth(scheme, activation, weights, k)
    facts = SCHEMES[scheme]
    if activation == "tanh" or (weights, activation) == ("shared", "relu"):
        assert value is None
    else:
        linear = gain(scheme, k) if facts.family == "iid" else 1.0
        linear /= 2 if facts.divisor == "sigma_max" else 1
        relu = 1 / math.sqrt(2) if activation == "relu" else 1.0
        assert value == pytest.approx(linear * relu, rel=1e-14)
    predicted = finite_size_growth(
        scheme, activation, weights, k, 10, references(k, 10)
    )
    # The note says why there is no value exactly where there is none.
    assert predicted["theory_note"].startswith("no closed form") == (
        predicted["theory"] is None
    )
    if predicted["theory"] is None:
        assert predicted["kind"] is None
        assert weights == "shared" or (scheme, activation) == ("eigen", "tanh")
    else:
        assert predicted["kind"] in {EXACT, APPROXIMATION, SIMULATED, EXTRAPOLATED}
        assert predicted["theory"] > 0 and predicted["theory_se"] >= 0


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
    predicted = finite_size_growth(scheme, activation, "independent", k, layers, {})
    assert predicted["kind"] == EXACT
    standard_error = growth.std(ddof=1) / np.sqrt(growth.size)
    assert abs(growth.mean() - predicted["theory"]) <= 4 * standard_error


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scheme", "activation"),
    [
        ("xavier_uniform", "relu"),
        ("spectral", "linear"),
        ("eigen", "relu"),
        ("spectral", "tanh"),
        ("lecun", "tanh"),
    ],
)
def test_reference_finite_size_growth_within_its_errors(
    scheme: str, activation: str
) -> None:
    """k = 128, 10 layers, 64 networks on their depth streams, against the
    simulated or extrapolated references' values and standard errors."""
    k, layers = 128, 10
    stream = job_seed_sequence(5, "depth", scheme, "independent")
    growth = run_depth(
        scheme, [activation], "independent", k, layers, stream, range(64)
    )
    growth = growth[activation].growth
    predicted = finite_size_growth(
        scheme, activation, "independent", k, layers, references(k, layers)
    )
    se = growth.std(ddof=1) / np.sqrt(growth.size)
    assert abs(growth.mean() - predicted["theory"]) <= 4 * math.hypot(
        se, predicted["theory_se"]
    )


@pytest.mark.slow
def test_tanh_entries_carry_the_exact_law_and_mean_field_beside_it() -> None:
    values = references(256, 50)
    lecun = finite_size_growth("lecun", "tanh", "independent", 256, 50, values)
    assert lecun["kind"] == SIMULATED
    assert lecun["theory"] == pytest.approx(0.95404, abs=4 * lecun["theory_se"] + 1e-4)
    mean_field = lecun["mean_field"]
    assert mean_field["regime"] == "critical" and not mean_field["is_rate"]
    assert mean_field["critical_q_final"] == pytest.approx(
        mean_field["q_final"], rel=0.1
    )
    # Mean field overshoots the exact law by about 0.0011 at k = 256.
    assert mean_field["growth"] - lecun["theory"] == pytest.approx(0.0011, abs=0.0006)
    spectral = finite_size_growth("spectral", "tanh", "independent", 256, 50, values)
    assert spectral["mean_field"]["regime"] == "vanishes"
    assert spectral["mean_field"]["s"] == pytest.approx(0.2553, abs=0.0005)
    eigen = finite_size_growth("eigen", "tanh", "independent", 256, 50, values)
    assert eigen["theory"] is None and eigen["mean_field"]["s"] > 0.92


def test_normalized_gains_come_from_the_references() -> None:
    """s^2 = (1 - 2/k^2) E[k/d^2]: 0.929 for eigen and 0.255 for spectral at
    k = 256 (the large-k limits are 1 and 1/4)."""
    values = references(256, 50)
    assert gain("eigen", 256, values) ** 2 == pytest.approx(0.929, abs=0.003)
    assert gain("spectral", 256, values) ** 2 == pytest.approx(0.2553, abs=0.0005)


def test_depth_schema_allows_every_family_and_divisor() -> None:
    facts = schemas.schema("depth")["properties"]["schemes"]["additionalProperties"]
    properties = facts["properties"]
    assert {s.family for s in SCHEMES.values()} == set(properties["family"]["enum"])
    assert {s.divisor for s in SCHEMES.values()} == set(properties["divisor"]["enum"])
