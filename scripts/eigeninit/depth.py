"""Signal propagation through depth: x(l+1) = f(W(l) x(l)) for a stack of networks.

Norms are tracked as log10 so that nothing over- or underflows over many
layers (the standard scheme at k = 256 grows by about 16 per layer). For
positively homogeneous activations (linear, relu: f(c z) = c f(z) for c > 0)
the vector is renormalized every layer and the log norms are accumulated, which
is exact. tanh is not homogeneous (tanh(c z) != c tanh(z)), so for tanh the true
vector is propagated; it saturates, so it cannot overflow.

Growth per layer of one network is the geometric mean of the per-layer norm ratios,
exp(mean_l log(|x(l+1)| / |x(l)|)) = 10 ** ((log10|x(L)| - log10|x(0)|) / L).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from itertools import repeat

import numpy as np

from eigeninit.initializers import batches, check_scheme, member_generator, sample
from eigeninit.spectrum import TIE_TOLERANCE

Activation = Callable[[np.ndarray], np.ndarray]


def _linear(z: np.ndarray) -> np.ndarray:
    return z


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


ACTIVATIONS: dict[str, Activation] = {
    "linear": _linear,
    "relu": _relu,
    "tanh": np.tanh,
}

ACTIVATION_NAMES = {"linear": "linear", "relu": "ReLU", "tanh": "tanh"}
"""How the write-up names each activation."""

POSITIVELY_HOMOGENEOUS = frozenset({"linear", "relu"})
"""Activations with f(c z) = c f(z) for c > 0, for which renormalizing is exact."""

WEIGHT_MODES = ("independent", "shared")
"""independent: a fresh matrix per layer per network; shared: one matrix per network
reused at every layer (the power-iteration model)."""


def check_activation(activation: str) -> None:
    """Raise a ValueError naming the allowed activations when unknown."""
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; allowed: {', '.join(ACTIVATIONS)}"
        )


def check_weights(weights: str) -> None:
    """Raise a ValueError naming the allowed weight modes when unknown."""
    if weights not in WEIGHT_MODES:
        raise ValueError(
            f"unknown weights mode {weights!r}; allowed: {', '.join(WEIGHT_MODES)}"
        )


def propagate(
    x0: np.ndarray, layer_matrices: Iterable[np.ndarray], activation: str
) -> np.ndarray:
    """log10 norms of x(0), ..., x(L) for a stack of inputs, shape (n, L + 1).

    ``x0`` is (n, k); ``layer_matrices`` yields one (n, k, k) stack per layer
    (the same stack every layer for shared weights). A signal that vanishes
    exactly (e.g. relu of an all-negative pre-activation) gets log10 norm -inf
    from then on, and stays at zero, instead of producing NaN.
    """
    return propagate_each(x0, layer_matrices, (activation,))[activation]


def propagate_each(
    x0: np.ndarray, layer_matrices: Iterable[np.ndarray], activations: Sequence[str]
) -> dict[str, np.ndarray]:
    """:func:`propagate` for several activations through the same layers.

    Each layer's matrices are used by every activation before the next layer
    is drawn, so activations are compared on identical weights without holding
    all layers in memory.
    """
    for activation in activations:
        check_activation(activation)
    x = np.asarray(x0, dtype=np.float64)
    signals = {activation: _normalized(x) for activation in activations}
    log10_norms = {activation: [_log10_norm(x)] for activation in activations}
    for activation in activations:
        if activation not in POSITIVELY_HOMOGENEOUS:
            signals[activation] = x
    for matrices in layer_matrices:
        for activation in activations:
            y = ACTIVATIONS[activation](
                np.matmul(matrices, signals[activation][..., np.newaxis])[..., 0]
            )
            if activation in POSITIVELY_HOMOGENEOUS:
                log10_norms[activation].append(
                    log10_norms[activation][-1] + _log10_norm(y)
                )
                signals[activation] = _normalized(y)
            else:
                log10_norms[activation].append(_log10_norm(y))
                signals[activation] = y
    return {
        activation: np.stack(norms, axis=-1)
        for activation, norms in log10_norms.items()
    }


def _log10_norm(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log10(np.linalg.norm(x, axis=-1))


def _normalized(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)


def growth_per_layer(log10_norms: np.ndarray) -> np.ndarray:
    """Geometric-mean norm ratio per layer, from log10 norms (..., L + 1).

    A vanished signal has growth 0.
    """
    layers = log10_norms.shape[-1] - 1
    return 10.0 ** ((log10_norms[..., -1] - log10_norms[..., 0]) / layers)


@dataclass(frozen=True)
class SharedSpectra:
    """Per network, the spectrum facts of its one shared matrix W: rho(W),
    whether the eigenvalue of largest modulus is real, and |lambda_2| / rho,
    the largest modulus not tied with rho over rho (how fast the dominant mode
    takes over: after about -1 / ln of it layers, per factor e)."""

    spectral_radius: np.ndarray
    dominant_is_real: np.ndarray
    second_ratio: np.ndarray


def shared_spectra(matrices: np.ndarray) -> SharedSpectra:
    """:class:`SharedSpectra` of a stack of matrices (n, k, k), by LAPACK eigvals."""
    eigenvalues = np.linalg.eigvals(matrices)
    modulus = np.abs(eigenvalues)
    top = np.argmax(modulus, axis=-1)[:, np.newaxis]
    radius = np.take_along_axis(modulus, top, -1)[:, 0]
    real = np.take_along_axis(eigenvalues.imag, top, -1)[:, 0] == 0
    # A conjugate partner (and any exact tie) shares rho; the next mode is below.
    below = np.where(modulus < radius[:, np.newaxis] * (1 - TIE_TOLERANCE), modulus, 0)
    return SharedSpectra(radius, real, below.max(axis=-1) / radius)


@dataclass(frozen=True)
class DepthRun:
    """log10 norms (networks, layers + 1), index 0 the input, and growth (networks,);
    with shared weights, the spectra of the networks' matrices."""

    log10_norms: np.ndarray
    growth: np.ndarray
    shared: SharedSpectra | None = None


def run_depth(
    scheme: str,
    activations: Sequence[str],
    weights: str,
    k: int,
    layers: int,
    seed_sequence: np.random.SeedSequence,
    networks: range,
) -> dict[str, DepthRun]:
    """Propagate a standard Gaussian input through ``layers`` k x k layers per network.

    Every activation sees the same inputs and the same weight matrices, so
    their differences are not sampling noise. The input x(0) has iid N(0, 1)
    entries; linear and relu results do not depend on its scale, tanh results
    do (tanh is linear near 0 and saturates at 1).

    Network i draws from its own stream, :func:`member_generator` of
    ``seed_sequence`` and i: its input, then its weight matrices layer by layer
    (independent) or its one matrix (shared). A job running part of the
    networks therefore gets exactly what one job running all of them gets for
    those networks. Networks are propagated as batched stacks of at most
    64 MiB of matrices, never all at once.
    """
    check_scheme(scheme)
    for activation in activations:
        check_activation(activation)
    check_weights(weights)
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    log10_norms = {
        activation: np.empty((len(networks), layers + 1)) for activation in activations
    }
    spectra = []
    for batch in batches(networks, k):
        generators = [member_generator(seed_sequence, i) for i in batch]
        x0 = np.stack([generator.standard_normal(k) for generator in generators])
        if weights == "independent":
            layer_matrices = (_draw_layer(scheme, k, generators) for _ in range(layers))
        else:
            matrices = _draw_layer(scheme, k, generators)
            spectra.append(shared_spectra(matrices))
            layer_matrices = repeat(matrices, layers)
        rows = slice(batch.start - networks.start, batch.stop - networks.start)
        for activation, norms in propagate_each(
            x0, layer_matrices, activations
        ).items():
            log10_norms[activation][rows] = norms
    shared = (
        SharedSpectra(
            *(
                np.concatenate([getattr(part, field.name) for part in spectra])
                for field in fields(SharedSpectra)
            )
        )
        if spectra
        else None
    )
    return {
        activation: DepthRun(norms, growth_per_layer(norms), shared)
        for activation, norms in log10_norms.items()
    }


def _draw_layer(
    scheme: str, k: int, generators: list[np.random.Generator]
) -> np.ndarray:
    """One layer's matrix for each network, from that network's own stream."""
    return np.concatenate([sample(scheme, 1, k, generator) for generator in generators])
