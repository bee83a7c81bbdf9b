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


def ensemble(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed)


def scaled_identities(c: float, n: int, k: int, layers: int) -> list[np.ndarray]:
    return [np.broadcast_to(c * np.eye(k), (n, k, k))] * layers


@pytest.mark.parametrize("weights", WEIGHT_MODES)
def test_orthogonal_linear_growth_is_exactly_one(weights: str) -> None:
    run = run_depth("orthogonal", ["linear"], weights, 32, 10, ensemble(0), range(4))[
        "linear"
    ]
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
        matrices = scaled_identities(c, 3, 8, 100)
        log10_norms = propagate(x0, matrices, [activation])[activation]
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
    log10_norms = propagate(x0, matrices, ["tanh"])["tanh"]
    np.testing.assert_allclose(10**log10_norms, np.stack(expected, axis=-1), rtol=1e-12)


def test_tanh_is_linear_for_tiny_signals_and_saturates_for_large_ones() -> None:
    def tanh_norms(x: float, c: float, layers: int) -> np.ndarray:
        matrices = scaled_identities(c, 1, 8, layers)
        return propagate(np.full((1, 8), x), matrices, ["tanh"])["tanh"]

    tiny = tanh_norms(1e-9, 0.5, 10)
    np.testing.assert_allclose(growth_per_layer(tiny), 0.5, rtol=1e-12)
    large = tanh_norms(10.0, 3.0, 30)
    fixed_point = optimize.brentq(lambda x: np.tanh(3.0 * x) - x, 0.5, 1.0)
    assert np.all(10 ** large[0, 1:] <= np.sqrt(8))
    np.testing.assert_allclose(10 ** large[0, -1], np.sqrt(8) * fixed_point, rtol=1e-12)


def test_relu_vanishing_signal_is_minus_infinity_not_nan() -> None:
    """relu(I x) = 0 for an all-negative x: log norm -inf, growth 0, no warnings,
    and the other seed in the stack is unaffected."""
    x0 = np.array([[-1.0, -2.0, -3.0], [1.0, 2.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log10_norms = propagate(x0, scaled_identities(1.0, 2, 3, 4), ["relu"])["relu"]
        growth = growth_per_layer(log10_norms)
    assert np.isfinite(log10_norms[0, 0])
    assert np.all(log10_norms[0, 1:] == -np.inf)
    np.testing.assert_allclose(log10_norms[1], np.log10(3.0), rtol=1e-14)
    np.testing.assert_array_equal(growth, [0.0, 1.0])


def test_growth_is_the_geometric_mean_of_layer_ratios() -> None:
    run = run_depth("lecun", ["relu"], "independent", 16, 7, ensemble(3), range(5))[
        "relu"
    ]
    ratios = np.diff(run.log10_norms, axis=-1) * np.log(10)
    np.testing.assert_allclose(run.growth, np.exp(ratios.mean(axis=-1)), rtol=1e-12)


def test_shared_linear_growth_tends_to_each_seeds_spectral_radius() -> None:
    """One W reused for 2000 layers is a power iteration: the growth of every
    network approaches rho(W) (the norm itself, rho^2000, would overflow). The
    shared matrices are those of the documented stream layout: network i draws
    from the i-th child of the ensemble's SeedSequence, its input then W."""
    run = run_depth("standard", ["linear"], "shared", 8, 2000, ensemble(6), range(6))
    radius = []
    for child in ensemble(6).spawn(6):
        stream = np.random.default_rng(child)
        stream.standard_normal(8)
        radius.append(np.abs(np.linalg.eigvals(sample("standard", 1, 8, stream))).max())
    np.testing.assert_allclose(run["linear"].growth, radius, rtol=0.01)


@pytest.mark.parametrize("weights", WEIGHT_MODES)
def test_a_range_of_networks_runs_what_the_whole_ensemble_does(
    weights: str, monkeypatch
) -> None:
    """With batches of 3 networks, 14 networks and networks 5 to 13 are cut
    into batches at different places; the job running only networks 5 to 13
    gets the same numbers bit for bit."""
    monkeypatch.setattr("eigeninit.initializers.CHUNK_BYTES", 3 * 8 * 10 * 10)
    args = ("kaiming", tuple(ACTIVATIONS), weights, 10, 6, ensemble(7))
    whole = run_depth(*args, range(14))
    part = run_depth(*args, range(5, 14))
    for activation in ACTIVATIONS:
        np.testing.assert_array_equal(
            whole[activation].log10_norms[5:], part[activation].log10_norms
        )


def test_activations_share_inputs_and_weights() -> None:
    """Run together or alone, an activation gets the same numbers: every
    activation sees the same draws, so comparing them is free of sampling noise."""
    together = run_depth(
        "lecun", tuple(ACTIVATIONS), "independent", 12, 5, ensemble(8), range(4)
    )
    for activation in ACTIVATIONS:
        alone = run_depth(
            "lecun", [activation], "independent", 12, 5, ensemble(8), range(4)
        )
        np.testing.assert_array_equal(
            together[activation].log10_norms, alone[activation].log10_norms
        )
    # Same input: the layer-0 norms coincide across activations.
    np.testing.assert_array_equal(
        together["linear"].log10_norms[:, 0], together["tanh"].log10_norms[:, 0]
    )


def test_unknown_names_are_rejected_with_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="'gelu'.*linear, relu, tanh"):
        run_depth("lecun", ["gelu"], "shared", 4, 2, ensemble(0), range(2))
    with pytest.raises(ValueError, match="'tied'.*independent, shared"):
        run_depth("lecun", ["relu"], "tied", 4, 2, ensemble(0), range(2))
