"""Summary numbers computed from datasets built in memory."""

from statistics import NormalDist

import jsonschema
import numpy as np
import pytest

from eigeninit import schemas
from eigeninit.summary import (
    agreement_digits,
    norm_swing,
    steps_to_resolution,
    summarize,
)
from matrices import block_diagonal, datasets_for, rotation_scaling, similar


def test_agreement_digits():
    assert agreement_digits(2.0 * (1 + 1e-7), 2.0) == pytest.approx(7.0, abs=1e-6)
    assert agreement_digits(2.0, 2.0) == pytest.approx(-np.log10(np.finfo(float).eps))


def test_real_dominant_summary():
    summary = summarize(*datasets_for(similar(np.diag([-3.0, 2.0, 1.0, 0.5]))), {})
    assert summary["dominant"] == summary["dominant_from_spectrum"] == "real"
    assert summary["sign_flips"] is True
    assert summary["spectral_radius"] == pytest.approx(3.0, rel=1e-12)
    assert summary["stretching_factor"] == summary["last_quotient"]
    assert summary["agreement_digits"] > 12
    assert summary["convergence_ratio"] == pytest.approx(2 / 3, rel=1e-12)
    assert summary["rescaled_stretching_factor"] == pytest.approx(1.0, rel=1e-12)
    assert summary["quotient_spread"] < 1e-10
    assert summary["eigenvalue_moduli"] == sorted(summary["eigenvalue_moduli"])


def test_complex_pair_summary_and_published_comparison():
    matrix = similar(block_diagonal(rotation_scaling(2.0, 0.7), np.diag([1.5, -0.5])))
    published = {"moduli": [2.0, 0.5, 2.0, 1.5], "mean": 0.0}
    summary = summarize(*datasets_for(matrix), published)
    assert summary["dominant"] == "complex pair"
    assert summary["sign_flips"] is False
    assert summary["rotation_degrees"] == pytest.approx(np.degrees(0.7), rel=1e-10)
    assert summary["stretching_factor"] == pytest.approx(2.0, rel=1e-9)
    assert summary["quotient_spread"] > 0.05
    assert summary["published_moduli"] == [0.5, 1.5, 2.0, 2.0]
    assert summary["moduli_max_abs_difference"] < 1e-12
    assert summary["mean_abs_difference"] == pytest.approx(abs(matrix.mean()))


def test_every_variable_is_described():
    for dataset in datasets_for(similar(np.diag([2.0, 1.0, 0.5, 0.1]))):
        for name, variable in dataset.variables.items():
            assert variable.attrs.get("units"), name
            assert variable.attrs.get("long_name"), name
        assert dataset.attrs["seed"] == 0 and dataset.attrs["rng"] == "pcg64"


def test_steps_to_resolution():
    eps = np.finfo(np.float64).eps
    steps = steps_to_resolution(0.5)
    assert 0.5**steps <= eps < 0.5 ** (steps - 1)
    assert steps_to_resolution(0.0) == 0
    assert steps_to_resolution(1.0) is None


def test_norm_swing_of_a_near_half_turn():
    offset, period = norm_swing(161.9323075)
    assert offset == pytest.approx(18.0676925)
    assert period == pytest.approx(180 / 18.0676925)
    assert norm_swing(90.0) == (90.0, 2.0)


def test_rescaled_run_settles_where_the_left_eigenvector_says():
    """|x(n)| of A/rho tends to |w.x(0)|, w the dominant row of V^-1 (w.v = 1)."""
    matrix = similar(np.diag([-3.0, 2.0, 1.0, 0.5]), seed=3)
    datasets = datasets_for(matrix)
    summary = summarize(*datasets, {})
    values, vectors = np.linalg.eig(matrix)
    dominant = np.argmax(np.abs(values))
    left = np.linalg.inv(vectors)[dominant].real
    start = datasets[0]["input"].sel(run="rescaled").values
    assert summary["settled_norm_scale"] == pytest.approx(
        np.linalg.norm(left), rel=1e-10
    )
    assert summary["rescaled_final_norm"] == pytest.approx(abs(left @ start), rel=1e-9)
    # |z| kappa lies within kappa times the 5% and 95% points of |z|.
    low, high = summary["settled_norm_band"]
    normal = NormalDist()
    assert low == pytest.approx(normal.inv_cdf(0.525) * np.linalg.norm(left))
    assert high == pytest.approx(normal.inv_cdf(0.975) * np.linalg.norm(left))
    assert summary["rescaled_quotient_agreement_digits"] > 12


def test_published_stretching_factor_and_settled_level():
    matrix = similar(np.diag([-2.6035904, 1.5, 1.0, 0.5]))
    datasets = datasets_for(matrix)
    published = {"stretching_factor": "2.60", "rescaled_final_norm": "0.8"}
    summary = summarize(*datasets, published)
    assert summary["published_stretching_factor"] == 2.6
    assert summary["published_stretching_factor_decimals"] == 2
    assert summary["stretching_factor_rounded"] == 2.6
    assert summary["stretching_factor_matches_published"] is True
    assert summary["published_rescaled_final_norm_decimals"] == 1
    kappa = summary["settled_norm_scale"]
    assert summary["published_settled_norm_probability"] == pytest.approx(
        2 * NormalDist().cdf(0.8 / kappa) - 1, rel=1e-12
    )
    other = summarize(*datasets, {"stretching_factor": "2.61"})
    assert other["stretching_factor_matches_published"] is False


def test_counts_and_rates_the_write_up_quotes():
    datasets = datasets_for(similar(np.diag([2.0, 1.0, 0.5, 0.1])), 60)
    summary = summarize(*datasets, {})
    assert summary["matrix_entries"] == 16 and summary["products"] == 59
    assert summary["digits_per_step"] == pytest.approx(np.log10(2), rel=1e-12)
    # log(eps) / log(1/2) is exactly 52; the computed ratio's last bit decides
    # whether the ceiling is 52 or 53.
    assert summary["steps_to_resolution"] in (52, 53)
    assert summary["converges_within_run"] is True
    assert summary["log10_spectral_radius"] == pytest.approx(np.log10(2), rel=1e-12)
    assert summary["quotient_max_over_min"] == pytest.approx(1, abs=1e-12)
    assert summary["matrix_preview"] == datasets[0]["matrix"].values.tolist()
    assert summary["largest_moduli"] == summary["eigenvalue_moduli"]


def test_schema_refuses_unknown_and_missing_keys():
    summary = summarize(*datasets_for(similar(np.diag([2.0, 1.0, 0.5, 0.1]))), {})
    with pytest.raises(jsonschema.ValidationError, match="unexpected"):
        schemas.validate("experiment", summary | {"unexpected": 1.0})
    incomplete = dict(summary)
    del incomplete["spectral_radius"]
    with pytest.raises(jsonschema.ValidationError, match="spectral_radius"):
        schemas.validate("experiment", incomplete)


def test_schema_describes_every_key_and_quotes_only_numbers():
    properties = schemas.schema("experiment")["properties"]
    assert all(definition.get("description") for definition in properties.values())
    numeric = {"number", "integer", "array"}
    by_label = {
        definition.get("x-macro", key): definition
        for key, definition in properties.items()
    }
    quoted = {parts[0] for parts in schemas.quoted_names("experiment", 2)}
    assert {"k", "stretching_factor", "printed_mean"} <= quoted
    for key in quoted:
        definition = by_label[key]
        kinds = definition.get("type", "array" if "$ref" in definition else None)
        kinds = {kinds} if isinstance(kinds, str) else set(kinds) - {"null"}
        assert kinds <= numeric, key
