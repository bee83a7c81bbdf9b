"""The benchmark's ratio arithmetic, against values worked by hand."""

import sys

import pytest

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "benchmarks"))

from benchmark import paired_ratio, with_target  # noqa: E402


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
