"""Signal propagation through depth: x(l+1) = f(W(l) x(l)) for a stack of networks.

Norms are tracked as log10, so nothing over- or underflows: linear and relu
signals are renormalized every layer (exact, as f(c z) = c f(z) for c > 0), tanh
signals propagated as they are (they saturate, so they cannot overflow).
"""

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import repeat
from typing import NamedTuple

import numpy as np

from eigeninit.initializers import batches, check_scheme, member_generator, sample
from eigeninit.spectrum import TIE_TOLERANCE

ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
}

ACTIVATION_NAMES = {"linear": "linear", "relu": "ReLU", "tanh": "tanh"}
"""How the write-up names each activation."""

POSITIVELY_HOMOGENEOUS = frozenset({"linear", "relu"})

WEIGHT_MODES = ("independent", "shared")
"""independent: a fresh matrix per layer per network; shared: one matrix per network
reused at every layer (the power-iteration model)."""


def _check(value: str, allowed, what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; allowed: {', '.join(allowed)}")


check_activation = partial(_check, allowed=ACTIVATIONS, what="activation")
check_weights = partial(_check, allowed=WEIGHT_MODES, what="weights mode")


def propagate(
    x0: np.ndarray, layer_matrices: Iterable, activations: Sequence[str], observe=None
) -> dict[str, np.ndarray]:
    """log10 norms of x(0), ..., x(L), (n, L + 1) per activation, for inputs ``x0``
    (n, k), ``layer_matrices`` yielding one (n, k, k) stack per layer, used once by
    every activation; a signal that vanishes exactly gets -inf from then on, not
    NaN. ``observe(matrices, pre_activations)``, if given, sees each layer's W x
    per activation (x normalized for linear and relu)."""
    for activation in activations:
        check_activation(activation)
    x = np.asarray(x0, dtype=np.float64)
    homogeneous = {a: a in POSITIVELY_HOMOGENEOUS for a in activations}
    signals = {a: _normalized(x) if homogeneous[a] else x for a in activations}
    logs = {a: [_log10_norm(x)] for a in activations}
    for matrices in layer_matrices:
        pre = {a: np.matmul(matrices, v[..., None])[..., 0] for a, v in signals.items()}
        if observe is not None:
            observe(matrices, pre)
        for a, h in pre.items():
            y = ACTIVATIONS[a](h)
            step = _log10_norm(y)
            logs[a].append(logs[a][-1] + step if homogeneous[a] else step)
            signals[a] = _normalized(y) if homogeneous[a] else y
    return {a: np.stack(norms, axis=-1) for a, norms in logs.items()}


def _log10_norm(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log10(np.linalg.norm(x, axis=-1))


def _normalized(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)


def growth_per_layer(log10_norms: np.ndarray) -> np.ndarray:
    """Geometric-mean norm ratio per layer from log10 norms (..., L + 1); 0 for a
    vanished signal."""
    layers = log10_norms.shape[-1] - 1
    return 10.0 ** ((log10_norms[..., -1] - log10_norms[..., 0]) / layers)


class SharedSpectra(NamedTuple):
    """Per network, of its one shared matrix W: rho(W), whether the eigenvalue of
    largest modulus is real, and |lambda_2| / rho, the largest modulus not tied
    with rho over rho (the dominant mode gains a factor e per -1 / ln of it layers)."""

    spectral_radius: np.ndarray
    dominant_is_real: np.ndarray
    second_ratio: np.ndarray


def shared_spectra(matrices: np.ndarray) -> SharedSpectra:
    """:class:`SharedSpectra` of a stack of matrices (n, k, k), by LAPACK eigvals."""
    eigenvalues = np.linalg.eigvals(matrices)
    modulus = np.abs(eigenvalues)
    radius = modulus.max(axis=-1)
    real = eigenvalues.imag[np.arange(len(modulus)), modulus.argmax(axis=-1)] == 0
    # A conjugate partner (and any exact tie) shares rho; the next mode is below.
    below = np.where(modulus < radius[:, np.newaxis] * (1 - TIE_TOLERANCE), modulus, 0)
    return SharedSpectra(radius, real, below.max(axis=-1) / radius)


class DepthRun(NamedTuple):
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
    """Propagate an N(0, I) input through ``layers`` k x k layers per network,
    every activation on the same inputs and weights. Network i draws its input,
    then its matrix per layer (independent) or its one matrix (shared), from
    :func:`member_generator` of ``seed_sequence`` and i, whichever job runs it.
    Networks go in stacks of at most 64 MiB of matrices."""
    check_scheme(scheme)
    check_weights(weights)  # propagate checks the activations
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    log10_norms = {a: np.empty((len(networks), layers + 1)) for a in activations}
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
        for a, norms in propagate(x0, layer_matrices, activations).items():
            log10_norms[a][rows] = norms
    stacked = map(np.concatenate, zip(*spectra, strict=True))
    shared = SharedSpectra(*stacked) if spectra else None
    return {
        activation: DepthRun(norms, growth_per_layer(norms), shared)
        for activation, norms in log10_norms.items()
    }


def _draw_layer(
    scheme: str, k: int, generators: list[np.random.Generator]
) -> np.ndarray:
    """One layer's matrix for each network, from that network's own stream."""
    return np.concatenate([sample(scheme, 1, k, generator) for generator in generators])
