"""Part-two summaries: theory or a stated reason beside every measured value."""

import json
import math

import jsonschema
import numpy as np
import pytest

import small_results
from eigeninit import schemas, stages
from eigeninit.depth import ACTIVATIONS, WEIGHT_MODES, run_depth
from eigeninit.initializers import SCHEMES, job_seed_sequence
from eigeninit.part_two_summary import (
    VERDICTS,
    circular_law_summary,
    comparisons,
    depth_summary,
)
from eigeninit.theory import agreement

K_DEPTH, LAYERS, NETWORKS = 16, 10, 6
REFERENCES = small_results.references((4, 16), K_DEPTH, LAYERS, tuple(SCHEMES))


@pytest.fixture(scope="module")
def circular() -> dict:
    sizes = [stages.merge([stages.circular_law_part(k, 1, range(12))]) for k in (4, 16)]
    return circular_law_summary(sizes, REFERENCES)


@pytest.fixture(scope="module")
def depth() -> dict:
    settings = {"k": K_DEPTH, "layers": LAYERS, "seed": 3}
    settings |= {"activations": ACTIVATIONS, "weight_sharing": WEIGHT_MODES}
    runs = [
        stages.merge([part])
        for scheme in SCHEMES
        for part in stages.depth_parts(scheme, settings, range(NETWORKS)).values()
    ]
    return depth_summary(runs, 2.0, REFERENCES)


def assert_block(block: dict) -> None:
    assert set(block) >= {"theory", "theory_se", "kind", "theory_note"}
    assert len(block["theory_note"]) > 20
    if block["theory"] is None:
        assert block["kind"] is None and "z_score" not in block
    else:
        assert math.isfinite(block["z_score"]) and 0 <= block["p_value"] <= 1
        assert block["theory_se"] >= 0


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
                    has_theory = entry["finite_size"]["theory"] is not None
                    assert has_theory != ((scheme, activation) == ("eigen", "tanh"))
    shared_linear = {
        scheme
        for scheme, by_activation in depth["growth_per_layer"].items()
        if "shared" in by_activation.get("linear", {})
    }
    assert set(depth["depth_laws"]) == shared_linear - {"orthogonal"}
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
    expected = agreement(
        runs["relu"].growth,
        entry["finite_size"]["theory"],
        entry["finite_size"]["theory_se"],
    )
    assert entry["finite_size"]["z_score"] == pytest.approx(expected["z_score"])
    assert entry["mean"] == pytest.approx(runs["relu"].growth.mean())


def test_eigen_depth_law_constant_is_l_times_the_log_growth(depth) -> None:
    """rho(W) = 1 for eigen, so C at depth L is L ln(growth) per real-dominant
    network; the share of complex-dominant networks is the rest."""
    law = depth["depth_laws"]["eigen"]
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
    shared = runs["linear"].shared
    np.testing.assert_allclose(shared.spectral_radius, 1.0, rtol=1e-12)
    real = shared.dominant_is_real
    assert law["real_dominant_networks"] == real.sum()
    assert law["complex_dominant_share"]["mean"] == pytest.approx(1 - real.mean())
    expected = (LAYERS * np.log(runs["linear"].growth[real])).mean()
    assert law["constant"][-1]["mean"] == pytest.approx(expected, rel=1e-9)
    ratio = law["median_second_ratio"]
    assert 0 < ratio < 1 and law["depth_scale"] == pytest.approx(-1 / math.log(ratio))


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


def test_verdict_groups_hold_every_setting_once(depth) -> None:
    grouped = {}
    for weights, groups in depth["verdict_groups"].items():
        for group in groups:
            for by_activation in group["activations"]:
                for scheme in by_activation["schemes"]:
                    key = (scheme, by_activation["activation"], weights)
                    assert key not in grouped
                    grouped[key] = group["verdict"]
        order = [group["verdict"] for group in groups]
        assert order == [v for v in VERDICTS if v in order]
    assert grouped == {key: entry["verdict"] for key, entry in _entries(depth)}


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


def test_gain_ratio(depth) -> None:
    comparison = depth["kaiming_over_lecun"]
    assert comparison["gain_ratio"] == pytest.approx(math.sqrt(2), rel=1e-15)
    for weights, ratio in comparison["measured_ratio"].items():
        kaiming = depth["growth_per_layer"]["kaiming"]["linear"][weights]["mean"]
        lecun = depth["growth_per_layer"]["lecun"]["linear"][weights]["mean"]
        assert ratio == pytest.approx(kaiming / lecun, rel=1e-15)


def test_comparisons_take_every_score_as_one_family(depth, circular) -> None:
    family = comparisons(circular, depth)
    scores = [entry["finite_size"] for _, entry in _entries(depth)] + [
        size[key]["finite_size"]
        for size in circular["sizes"].values()
        for key in (
            "spectral_radius_over_sqrt_k",
            "sigma_max_over_sqrt_k",
            "real_eigenvalue_count",
        )
    ]
    with_score = [block for block in scores if "z_score" in block]
    assert family["count"] == len(with_score) == len(family["tests"])
    p_values = sorted(block["p_value"] for block in with_score)
    assert sorted(test["p_value"] for test in family["tests"]) == p_values
    smallest = min(family["tests"], key=lambda test: test["p_value"])
    assert smallest["holm_p_value"] == pytest.approx(
        min(1.0, len(with_score) * smallest["p_value"])
    )
    assert family["disagreements"] == sum(
        test["holm_p_value"] <= 0.05 for test in family["tests"]
    )
    assert family["chance"]["mean"] == pytest.approx(0.05 * family["count"])


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
