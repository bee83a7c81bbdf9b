"""Seeded draws: the legacy order replays a plain RandomState notebook."""

import numpy as np
import pytest

from eigeninit.draws import draw


def test_legacy_replays_the_notebook_order():
    k, seed = 5, 2020
    notebook = np.random.RandomState(seed)
    matrix = notebook.randn(k, k)
    raw = notebook.randn(k, 1)
    rescaled = notebook.randn(k, 1)
    drawn, inputs = draw(k, seed, "legacy")
    np.testing.assert_array_equal(drawn, matrix)
    np.testing.assert_array_equal(inputs["raw"], raw[:, 0])
    np.testing.assert_array_equal(inputs["rescaled"], rescaled[:, 0])


def test_legacy_with_a_matrix_file_draws_the_inputs_first():
    notebook = np.random.RandomState(7)
    raw, rescaled = notebook.randn(3, 1), notebook.randn(3, 1)
    drawn, inputs = draw(3, 7, "legacy", draw_matrix=False)
    assert drawn is None
    np.testing.assert_array_equal(inputs["raw"], raw[:, 0])
    np.testing.assert_array_equal(inputs["rescaled"], rescaled[:, 0])


def test_pcg64_streams_are_independent_of_each_other():
    matrix, inputs = draw(4, 11, "pcg64")
    _, without_matrix = draw(4, 11, "pcg64", draw_matrix=False)
    np.testing.assert_array_equal(inputs["raw"], without_matrix["raw"])
    assert not np.allclose(inputs["raw"], inputs["rescaled"])
    np.testing.assert_array_equal(draw(4, 11, "pcg64")[0], matrix)
    assert not np.allclose(draw(4, 12, "pcg64")[0], matrix)


def test_pcg64_matrix_is_standard_normal():
    entries = draw(200, 3, "pcg64")[0].ravel()
    # 40 000 draws: the sample mean's standard error is 0.005, the std's 0.0035.
    assert abs(entries.mean()) < 0.025
    assert abs(entries.std() - 1) < 0.02


def test_unknown_rng_is_rejected_with_the_allowed_values():
    with pytest.raises(ValueError, match="pcg64, legacy"):
        draw(3, 0, "mt19937")
