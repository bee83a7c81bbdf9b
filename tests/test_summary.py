"""Summary numbers computed from datasets built in memory."""

import numpy as np
import pytest

from eigeninit.summary import agreement_digits, summarize
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


def test_complex_pair_summary_and_printed_comparison():
    matrix = similar(block_diagonal(rotation_scaling(2.0, 0.7), np.diag([1.5, -0.5])))
    printed = {"moduli": [2.0, 0.5, 2.0, 1.5], "mean": 0.0}
    summary = summarize(*datasets_for(matrix), printed)
    assert summary["dominant"] == "complex pair"
    assert summary["sign_flips"] is False
    assert summary["rotation_degrees"] == pytest.approx(np.degrees(0.7), rel=1e-10)
    assert summary["stretching_factor"] == pytest.approx(2.0, rel=1e-9)
    assert summary["quotient_spread"] > 0.05
    assert summary["printed_moduli"] == [0.5, 1.5, 2.0, 2.0]
    assert summary["moduli_max_abs_difference"] < 1e-12
    assert summary["mean_abs_difference"] == pytest.approx(abs(matrix.mean()))


def test_every_variable_is_described():
    for dataset in datasets_for(similar(np.diag([2.0, 1.0, 0.5, 0.1]))):
        for name, variable in dataset.variables.items():
            assert variable.attrs.get("units"), name
            assert variable.attrs.get("long_name"), name
        assert dataset.attrs["seed"] == 0 and dataset.attrs["rng"] == "pcg64"
