"""The benchmark's ratio and fit arithmetic, against values worked by hand."""

import sys

import numpy as np
import pytest

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))

from arithmetic import paired_ratio, power_law, with_target  # noqa: E402


def test_paired_ratio_is_the_median_of_pair_ratios_not_a_ratio_of_medians():
    # Pairs (2, 1), (9, 3), (4, 4): ratios 2, 3, 1, median 2; the ratio of the
    # medians would be 4 / 3.
    ratio = paired_ratio([2.0, 9.0, 4.0], [1.0, 3.0, 4.0])
    assert ratio == {"median": 2.0, "ratios": [2.0, 3.0, 1.0]}


def test_paired_ratio_refuses_unpaired_measurements():
    with pytest.raises(ValueError, match="same number"):
        paired_ratio([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="same number"):
        paired_ratio([], [])


def test_target_holds_at_and_below_it_only():
    assert with_target({"median": 1.25}, 1.25)["holds"]
    assert not with_target({"median": 1.2500001}, 1.25)["holds"]


@pytest.mark.parametrize("exponent", [1.0, 2.0, 3.0])
def test_power_law_recovers_exact_exponents(exponent):
    sizes = np.array([64, 128, 256, 512, 1024])
    fit = power_law(sizes, 3e-9 * sizes**exponent)
    assert fit["exponent"] == pytest.approx(exponent, rel=1e-12)
    assert fit["coefficient"] == pytest.approx(3e-9, rel=1e-9)


def test_power_law_of_noisy_cubic_time_is_near_three():
    """Multiplicative noise of +-10% moves the slope over a 16-fold range of k
    by at most log(1.1/0.9)/log(16) = 0.07."""
    sizes = np.array([64, 128, 256, 512, 1024])
    noise = np.array([1.1, 0.9, 1.1, 0.9, 1.1])
    assert power_law(sizes, sizes**3 * noise)["exponent"] == pytest.approx(3, abs=0.07)


def test_power_law_refuses_too_few_or_non_positive_points():
    with pytest.raises(ValueError):
        power_law([8], [1.0])
    with pytest.raises(ValueError):
        power_law([8, 16], [1.0, 0.0])
