"""Part-two summaries: theory or a stated reason beside every measured value."""

import json
import math

import jsonschema
import numpy as np
import pytest

from eigeninit import schemas, stages
from eigeninit.depth import ACTIVATIONS, WEIGHT_MODES, run_depth
from eigeninit.initializers import SCHEMES, job_seed_sequence
from eigeninit.part_two_summary import VERDICTS, circular_law_summary, depth_summary
from eigeninit.theory import agreement

K_DEPTH, LAYERS, NETWORKS = 16, 10, 6


@pytest.fixture(scope="module")
def circular() -> dict:
    sizes = [stages.merge([stages.circular_law_part(k, 1, range(12))]) for k in (4, 16)]
    return circular_law_summary(sizes)


@pytest.fixture(scope="module")
def depth() -> dict:
    settings = {"k": K_DEPTH, "layers": LAYERS, "seed": 3}
    settings |= {"activations": ACTIVATIONS, "weight_sharing": WEIGHT_MODES}
    runs = [
        stages.merge([part])
        for scheme in SCHEMES
        for part in stages.depth_parts(scheme, settings, range(NETWORKS)).values()
    ]
    return depth_summary(runs, 2.0)


def assert_block(block: dict) -> None:
    assert set(block) >= {"theory", "kind", "theory_note"}
    assert len(block["theory_note"]) > 20
    if block["theory"] is None:
        assert block["kind"] is None and "z_score" not in block
    else:
        assert math.isfinite(block["z_score"]) and 0 <= block["p_value"] <= 1
        assert block["agrees"] == (block["p_value"] >= 0.05)


def test_every_circular_law_measurement_has_theory_or_a_reason(circular) -> None:
    for entry in circular["sizes"].values():
        for key in (
            "spectral_radius_over_sqrt_k",
            "sigma_max_over_sqrt_k",
            "real_eigenvalue_count",
            "dominant_real_fraction",
        ):
            assert_block(entry[key]["finite_size"])
        assert_block(entry["disk_ks_finite_size"])
        assert entry["dominant_real_fraction"]["finite_size"]["theory"] is None
        real = entry["real_eigenvalue_count"]["finite_size"]
        assert real["theory"] == entry["expected_real_eigenvalues"]
    json.dumps(circular, allow_nan=False)


def test_every_depth_setting_has_theory_or_a_reason(depth) -> None:
    for scheme, by_activation in depth["growth_per_layer"].items():
        assert depth["schemes"][scheme]["sampler"] == scheme
        assert depth["schemes"][scheme]["gain"] > 0
        for activation, by_weights in by_activation.items():
            for weights, entry in by_weights.items():
                assert_block(entry["finite_size"])
                if weights == "independent":
                    assert entry["finite_size"]["theory"] is not None
                assert ("depth_law" in entry) == (
                    weights == "shared" and activation == "linear"
                )
    json.dumps(depth, allow_nan=False)


def test_agreement_is_computed_on_the_per_network_growths(depth) -> None:
    """The stored score is the one the raw growths give against the theory."""
    entry = depth["growth_per_layer"]["lecun"]["relu"]["independent"]
    runs = run_depth(
        "lecun",
        ACTIVATIONS,
        "independent",
        K_DEPTH,
        LAYERS,
        job_seed_sequence(3, "depth", "lecun", "independent"),
        range(NETWORKS),
    )
    expected = agreement(runs["relu"].growth, entry["finite_size"]["theory"])
    assert entry["finite_size"]["z_score"] == pytest.approx(expected["z_score"])
    assert entry["mean"] == pytest.approx(runs["relu"].growth.mean())


def test_eigen_depth_law_constant_is_l_times_the_log_growth(depth) -> None:
    """rho(W) = 1 exactly for eigen, so C at depth L is L ln(growth) per network."""
    law = depth["growth_per_layer"]["eigen"]["linear"]["shared"]["depth_law"]
    assert law["limit"] == 1.0 and law["limit_kind"] == "exact"
    assert law["depths"][-1] == LAYERS
    runs = run_depth(
        "eigen",
        ACTIVATIONS,
        "shared",
        K_DEPTH,
        LAYERS,
        job_seed_sequence(3, "depth", "eigen", "shared"),
        range(NETWORKS),
    )
    expected = (LAYERS * np.log(runs["linear"].growth)).mean()
    assert law["constant"][-1]["mean"] == pytest.approx(expected, rel=1e-12)


def _entries(depth: dict):
    for scheme, by_activation in depth["growth_per_layer"].items():
        for activation, by_weights in by_activation.items():
            for weights, entry in by_weights.items():
                yield (scheme, activation, weights), entry


def test_summaries_fit_their_schemas_and_the_schemas_are_strict(
    circular, depth
) -> None:
    schemas.validate("circular_law", circular)
    schemas.validate("depth", depth)
    with pytest.raises(jsonschema.ValidationError):
        schemas.validate("depth", depth | {"unlisted": 1})
    missing = {key: value for key, value in circular.items() if key != "seed"}
    with pytest.raises(jsonschema.ValidationError):
        schemas.validate("circular_law", missing)


def test_verdict_groups_hold_every_setting_once_with_its_range(depth) -> None:
    grouped = {}
    for group in depth["verdict_groups"]:
        ratios = []
        for by_activation in group["activations"]:
            for item in by_activation["schemes"]:
                for weights, mean in item["growth"].items():
                    key = (item["scheme"], by_activation["activation"], weights)
                    assert key not in grouped
                    grouped[key] = (group["verdict"], mean)
                    entry = depth["growth_per_layer"][key[0]][key[1]][weights]
                    ratios.append(entry["log10_norm_ratio"])
        finite = [r for r in ratios if r is not None]
        low = min(finite) if len(finite) == len(ratios) else None
        assert group["log10_norm_ratio"] == [low, max(finite)]
    expected = {key: (e["verdict"], e["mean"]) for key, e in _entries(depth)}
    assert grouped == expected
    order = [group["verdict"] for group in depth["verdict_groups"]]
    assert order == [v for v in VERDICTS if v in order]


def test_keep_band_compounds_to_the_stable_factor(depth) -> None:
    low, high = depth["keeps_band"]
    assert high ** depth["layers"] == pytest.approx(depth["stable_within"])
    assert low ** depth["layers"] == pytest.approx(1 / depth["stable_within"])
    for _, entry in _entries(depth):
        assert (entry["verdict"] == "keeps") == (low <= entry["mean"] <= high)


def test_tanh_regimes_follow_the_gain(depth) -> None:
    regimes = depth["tanh_regimes"]
    assert set(regimes["critical"]) == {"lecun", "xavier_uniform", "orthogonal"}
    assert set(regimes["settles"]) == {"standard", "kaiming"}
    assert set(regimes["vanishes"]) == {"eigen", "spectral"}
    for scheme in regimes["vanishes"]:
        assert depth["schemes"][scheme]["gain"] < 1


def test_agreement_counts_and_gain_ratio(depth, circular) -> None:
    blocks = [entry["finite_size"] for _, entry in _entries(depth)]
    with_theory = [b for b in blocks if b["theory"] is not None]
    assert depth["agreement"] == {
        "with_theory": len(with_theory),
        "agreeing": sum(b["agrees"] for b in with_theory),
        "all_agree": all(b["agrees"] for b in with_theory),
    }
    comparison = depth["kaiming_over_lecun"]
    assert comparison["gain_ratio"] == pytest.approx(math.sqrt(2), rel=1e-15)
    for weights, ratio in comparison["measured_ratio"].items():
        kaiming = depth["growth_per_layer"]["kaiming"]["linear"][weights]["mean"]
        lecun = depth["growth_per_layer"]["lecun"]["linear"][weights]["mean"]
        assert ratio == pytest.approx(kaiming / lecun, rel=1e-15)
    real = [entry["real_eigenvalue_count"] for entry in circular["sizes"].values()]
    assert circular["real_count_agreement"]["with_theory"] == len(real)


def test_circular_law_counts_match_the_samples(circular) -> None:
    for entry in circular["sizes"].values():
        matrices = entry["matrices"]
        assert matrices == circular["matrices_per_size"] == 12
        assert entry["eigenvalues_drawn"] == entry["k"] * matrices
        fraction = entry["dominant_real_fraction"]["mean"]
        assert entry["dominant_real_count"] == pytest.approx(fraction * matrices)
        share = entry["real_eigenvalue_share"] * entry["k"]
        assert share == pytest.approx(entry["real_eigenvalue_count"]["mean"])
    sizes = list(circular["sizes"].values())
    assert circular["disk_ks_narrows"] == (
        sizes[-1]["disk_ks_statistic"] < sizes[0]["disk_ks_statistic"]
    )
