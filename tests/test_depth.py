"""Signal propagation through depth: exact cases and bookkeeping."""

import warnings

import numpy as np
import pytest
from scipy import optimize

from eigeninit.depth import (
    ACTIVATIONS,
    WEIGHT_MODES,
    growth_per_layer,
    propagate,
    run_depth,
)
from eigeninit.initializers import sample


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def scaled_identities(c: float, n: int, k: int, layers: int) -> list[np.ndarray]:
    return [np.broadcast_to(c * np.eye(k), (n, k, k))] * layers


@pytest.mark.parametrize("weights", WEIGHT_MODES)
def test_orthogonal_linear_growth_is_exactly_one(weights: str) -> None:
    run = run_depth("orthogonal", ["linear"], weights, 32, 10, 4, rng(0))["linear"]
    assert run.log10_norms.shape == (4, 11)
    np.testing.assert_allclose(run.growth, 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        run.log10_norms, run.log10_norms[:, :1] + np.zeros((1, 11)), atol=1e-12
    )


@pytest.mark.parametrize("activation", ["linear", "relu"])
def test_scaled_identity_grows_by_exactly_c(activation: str) -> None:
    """c * I with a positive input: every layer multiplies the norm by c. With
    c = 1e10 over 100 layers the true norm (1e1000) would overflow, but the
    accumulated log norm does not."""
    x0 = rng(1).uniform(0.5, 1.5, size=(3, 8))
    for c in (0.5, 3.0, 1e10):
        log10_norms = propagate(x0, scaled_identities(c, 3, 8, 100), activation)
        np.testing.assert_allclose(growth_per_layer(log10_norms), c, rtol=1e-12)
        np.testing.assert_allclose(
            log10_norms[:, -1] - log10_norms[:, 0], 100 * np.log10(c), rtol=1e-12
        )


def test_tanh_propagates_the_true_vector() -> None:
    """tanh(c z) != c tanh(z): compare with a plain loop on the unnormalized vector."""
    x0 = rng(2).normal(size=(4, 6))
    matrices = [sample("standard", 4, 6, rng(10 + layer)) for layer in range(5)]
    x = x0
    expected = [np.linalg.norm(x, axis=-1)]
    for w in matrices:
        x = np.tanh(np.einsum("nij,nj->ni", w, x))
        expected.append(np.linalg.norm(x, axis=-1))
    log10_norms = propagate(x0, matrices, "tanh")
    np.testing.assert_allclose(10**log10_norms, np.stack(expected, axis=-1), rtol=1e-12)


def test_tanh_is_linear_for_tiny_signals_and_saturates_for_large_ones() -> None:
    tiny = propagate(np.full((1, 8), 1e-9), scaled_identities(0.5, 1, 8, 10), "tanh")
    np.testing.assert_allclose(growth_per_layer(tiny), 0.5, rtol=1e-12)
    large = propagate(np.full((1, 8), 10.0), scaled_identities(3.0, 1, 8, 30), "tanh")
    fixed_point = optimize.brentq(lambda x: np.tanh(3.0 * x) - x, 0.5, 1.0)
    assert np.all(10 ** large[0, 1:] <= np.sqrt(8))
    np.testing.assert_allclose(10 ** large[0, -1], np.sqrt(8) * fixed_point, rtol=1e-12)


def test_relu_vanishing_signal_is_minus_infinity_not_nan() -> None:
    """relu(I x) = 0 for an all-negative x: log norm -inf, growth 0, no warnings,
    and the other seed in the stack is unaffected."""
    x0 = np.array([[-1.0, -2.0, -3.0], [1.0, 2.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log10_norms = propagate(x0, scaled_identities(1.0, 2, 3, 4), "relu")
        growth = growth_per_layer(log10_norms)
    assert np.isfinite(log10_norms[0, 0])
    assert np.all(log10_norms[0, 1:] == -np.inf)
    np.testing.assert_allclose(log10_norms[1], np.log10(3.0), rtol=1e-14)
    np.testing.assert_array_equal(growth, [0.0, 1.0])


def test_growth_is_the_geometric_mean_of_layer_ratios() -> None:
    run = run_depth("lecun", ["relu"], "independent", 16, 7, 5, rng(3))["relu"]
    ratios = np.diff(run.log10_norms, axis=-1) * np.log(10)
    np.testing.assert_allclose(run.growth, np.exp(ratios.mean(axis=-1)), rtol=1e-12)


def test_shared_linear_growth_tends_to_each_seeds_spectral_radius() -> None:
    """One W reused for 2000 layers is a power iteration: the growth of every
    seed approaches rho(W) (the norm itself, rho^2000, would overflow). The
    shared matrices are those of the documented stream layout: rng.spawn(2)
    gives the input stream, then the matrix stream."""
    run = run_depth(
        "standard", ["linear"], "shared", 8, 2000, 6, np.random.default_rng(6)
    )["linear"]
    _, matrix_stream = np.random.default_rng(6).spawn(2)
    radius = np.abs(np.linalg.eigvals(sample("standard", 6, 8, matrix_stream))).max(
        axis=-1
    )
    np.testing.assert_allclose(run.growth, radius, rtol=0.01)


@pytest.mark.parametrize("weights", WEIGHT_MODES)
def test_chunking_does_not_change_results(weights: str) -> None:
    whole = run_depth("kaiming", tuple(ACTIVATIONS), weights, 10, 6, 7, rng(7))
    chunked = run_depth(
        "kaiming", tuple(ACTIVATIONS), weights, 10, 6, 7, rng(7), chunk=3
    )
    for activation in ACTIVATIONS:
        np.testing.assert_allclose(
            whole[activation].log10_norms, chunked[activation].log10_norms, rtol=1e-13
        )


def test_activations_share_inputs_and_weights() -> None:
    """Run together or alone, an activation gets the same numbers: every
    activation sees the same draws, so comparing them is free of sampling noise."""
    together = run_depth("lecun", tuple(ACTIVATIONS), "independent", 12, 5, 4, rng(8))
    for activation in ACTIVATIONS:
        alone = run_depth("lecun", [activation], "independent", 12, 5, 4, rng(8))
        np.testing.assert_array_equal(
            together[activation].log10_norms, alone[activation].log10_norms
        )
    # Same input: the layer-0 norms coincide across activations.
    np.testing.assert_array_equal(
        together["linear"].log10_norms[:, 0], together["tanh"].log10_norms[:, 0]
    )


def test_unknown_names_are_rejected_with_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="'gelu'.*linear, relu, tanh"):
        run_depth("lecun", ["gelu"], "shared", 4, 2, 2, rng(0))
    with pytest.raises(ValueError, match="'tied'.*independent, shared"):
        run_depth("lecun", ["relu"], "tied", 4, 2, 2, rng(0))
