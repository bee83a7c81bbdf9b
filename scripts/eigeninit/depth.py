"""Signal propagation through depth: x(l+1) = f(W(l) x(l)) for a stack of seeds.

Norms are tracked as log10 so that nothing over- or underflows over many
layers (the standard scheme at k = 256 grows by about 16 per layer). For
positively homogeneous activations (linear, relu: f(c z) = c f(z) for c > 0)
the vector is renormalized every layer and the log norms are accumulated, which
is exact. tanh is not homogeneous (tanh(c z) != c tanh(z)), so for tanh the true
vector is propagated; it saturates, so it cannot overflow.

Growth per layer of one seed is the geometric mean of the per-layer norm ratios,
exp(mean_l log(|x(l+1)| / |x(l)|)) = 10 ** ((log10|x(L)| - log10|x(0)|) / L).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from eigeninit.initializers import check_scheme, default_chunk, sample

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

POSITIVELY_HOMOGENEOUS = frozenset({"linear", "relu"})
"""Activations with f(c z) = c f(z) for c > 0, for which renormalizing is exact."""

WEIGHT_MODES = ("independent", "shared")
"""independent: a fresh matrix per layer per seed; shared: one matrix per seed
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
class DepthRun:
    """log10 norms (seeds, layers + 1), index 0 the input, and growth (seeds,)."""

    log10_norms: np.ndarray
    growth: np.ndarray


def run_depth(
    scheme: str,
    activations: Sequence[str],
    weights: str,
    k: int,
    layers: int,
    seeds: int,
    rng: np.random.Generator,
    chunk: int | None = None,
) -> dict[str, DepthRun]:
    """Propagate a standard Gaussian input through ``layers`` k x k layers per seed.

    Every activation sees the same inputs and the same weight matrices, so
    their differences are not sampling noise. The input x(0) has iid N(0, 1)
    entries; linear and relu results do not depend on its scale, tanh results
    do (tanh is linear near 0 and saturates at 1).

    Seeds are processed as batched stacks of ``chunk`` (default: as many k x k
    matrices as fit in 64 MiB). ``rng`` is split with ``spawn`` into one stream
    for the inputs and one stream per layer (independent) or one stream for the
    shared matrices, and every stream is filled sequentially across chunks, so
    the results do not depend on ``chunk``. Pass a fresh generator per job,
    ``np.random.default_rng(job_seed_sequence(...))``: ``spawn`` advances the
    generator's SeedSequence, so a second generator built from the same
    SeedSequence object would get different streams.
    """
    check_scheme(scheme)
    for activation in activations:
        check_activation(activation)
    check_weights(weights)
    if layers < 1:
        raise ValueError(f"layers must be at least 1, got {layers}")
    chunk = default_chunk(k) if chunk is None else chunk
    input_rng, *matrix_rngs = rng.spawn(1 + (layers if weights == "independent" else 1))
    log10_norms = {
        activation: np.empty((seeds, layers + 1)) for activation in activations
    }
    for start in range(0, seeds, chunk):
        n = min(chunk, seeds - start)
        x0 = input_rng.standard_normal((n, k))
        if weights == "independent":
            layer_matrices = (
                sample(scheme, n, k, layer_rng) for layer_rng in matrix_rngs
            )
        else:
            layer_matrices = repeat(sample(scheme, n, k, matrix_rngs[0]), layers)
        chunk_norms = propagate_each(x0, layer_matrices, activations)
        for activation, norms in chunk_norms.items():
            log10_norms[activation][start : start + n] = norms
    return {
        activation: DepthRun(log10_norms=norms, growth=growth_per_layer(norms))
        for activation, norms in log10_norms.items()
    }


_IID_SCHEMES = ("standard", "lecun", "xavier_uniform", "kaiming")
_IID_GROWTH_TEXT = {
    # scheme: (s = sqrt(k * entry variance), s / sqrt(2)) as written in the sentences
    "standard": ("sqrt(k)", "sqrt(k/2)"),
    "lecun": ("1", "1/sqrt(2)"),
    "xavier_uniform": ("1", "1/sqrt(2)"),
    "kaiming": ("sqrt(2)", "1"),
}
_SHARED_DEPTH_CAVEAT = (
    " This is a large-depth limit: eigenvalues crowd the edge of the disk, so the"
    " power iteration converges slowly and finite-depth growth is a transient."
)


def theory_growth_explanation(scheme: str, activation: str, weights: str) -> str | None:
    """One-sentence derivation of :func:`theory_growth`, or None where it is None."""
    check_scheme(scheme)
    check_activation(activation)
    check_weights(weights)
    if activation == "tanh":
        return None
    if scheme == "orthogonal" and activation == "linear":
        return (
            "An orthogonal W preserves every norm, |Wx| = |x|, so the growth is"
            " exactly 1 at every layer, for independent and shared weights alike."
        )
    if weights == "independent":
        return _independent_explanation(scheme, activation)
    if activation == "relu":
        return None
    return _shared_linear_explanation(scheme)


def _independent_explanation(scheme: str, activation: str) -> str:
    relu = activation == "relu"
    if scheme in _IID_SCHEMES:
        s_text, relu_text = _IID_GROWTH_TEXT[scheme]
        if relu:
            return (
                "Each pre-activation (Wx)_i of a fresh W with iid symmetric entries of"
                " variance s^2/k is symmetric with variance s^2|x|^2/k, and relu keeps"
                " exactly half of a symmetric variable's second moment, so"
                " E|relu(Wx)|^2 = s^2|x|^2/2 and the root-mean-square growth is"
                f" s/sqrt(2) = {relu_text} exactly; the geometric-mean growth measured"
                " is lower by a factor 1 - O(1/k) (about exp(-5/(4k)) for Gaussian"
                " entries)."
            )
        return (
            "A fresh W with iid zero-mean entries of variance s^2/k, independent of"
            " x, gives E|Wx|^2 = s^2|x|^2 exactly, so the root-mean-square growth is"
            f" s = {s_text}; the geometric-mean growth measured is lower by a factor"
            " 1 - O(1/k) (about exp(-1/(2k)) for Gaussian entries)."
        )
    if scheme == "orthogonal":
        return (
            "For a Haar W independent of x, Wx is uniform on the sphere of radius |x|"
            " with symmetric coordinates, so relu keeps exactly half of the squared"
            " norm in expectation: the root-mean-square growth is 1/sqrt(2), and the"
            " geometric-mean growth tends to it as k grows because"
            " |relu(Wx)|^2/|x|^2 concentrates at 1/2."
        )
    halved = (
        " and relu keeps half of the squared norm of the Gaussian vector Gx"
        if relu
        else ""
    )
    if scheme == "eigen":
        limit = "1/sqrt(2)" if relu else "1"
        return (
            "W = G/rho(G) with G Gaussian and independent of x: |Gx|/(sqrt(k)|x|) -> 1"
            f"{halved}, while rho(G)/sqrt(k) -> 1 (Geman; Bai and Yin), so the"
            f" per-layer ratio tends to {limit} as k grows; there is no finite-k"
            " closed form because rho(G) is itself random and depends on G."
        )
    limit = "1/(2 sqrt(2))" if relu else "1/2"
    return (
        "W = G/sigma_max(G) with G Gaussian and independent of x: |Gx|/(sqrt(k)|x|)"
        f" -> 1{halved}, while sigma_max(G)/sqrt(k) -> 2 (Geman 1980), so the"
        f" per-layer ratio tends to {limit} as k grows; there is no finite-k closed"
        " form because sigma_max(G) is itself random and depends on G."
    )


def _shared_linear_explanation(scheme: str) -> str:
    power_iteration = (
        "With one W reused, x(L) = W^L x(0) and |W^L x(0)|^(1/L) -> rho(W) as"
        " L -> infinity (power iteration)"
    )
    if scheme in _IID_SCHEMES:
        s_text = _IID_GROWTH_TEXT[scheme][0]
        return (
            f"{power_iteration}, and for iid entries of variance s^2/k"
            " rho(W)/s -> 1 as k grows (circular law; Geman; Bai and Yin), so the"
            f" growth tends to s = {s_text}." + _SHARED_DEPTH_CAVEAT
        )
    if scheme == "eigen":
        return (
            f"{power_iteration}, and rho(W) = 1 by construction, so the growth of"
            " every seed tends to exactly 1." + _SHARED_DEPTH_CAVEAT
        )
    return (
        f"{power_iteration}, and rho(W) = rho(G)/sigma_max(G) -> 1/2 as k grows"
        " (rho(G)/sqrt(k) -> 1, sigma_max(G)/sqrt(k) -> 2), so the growth tends to"
        " 1/2." + _SHARED_DEPTH_CAVEAT
    )


def theory_growth(scheme: str, activation: str, weights: str, k: int) -> float | None:
    """Predicted growth per layer where a closed form or a stated limit exists.

    Values (s = sqrt(k * entry variance): standard sqrt(k), lecun and
    xavier_uniform 1, kaiming sqrt(2)); each case's one-sentence derivation is
    :func:`theory_growth_explanation`:

    * orthogonal, linear, either weights: exactly 1 (norm preserving).
    * iid schemes, independent: linear s, relu s/sqrt(2); exact for the
      root-mean-square growth, the measured geometric mean is lower by 1 - O(1/k).
    * orthogonal, relu, independent: 1/sqrt(2) (exact root-mean-square; the
      geometric mean reaches it as k grows).
    * eigen, independent: linear 1, relu 1/sqrt(2); spectral, independent:
      linear 1/2, relu 1/(2 sqrt(2)); large-k limits.
    * shared, linear: the spectral radius of W, reached only as depth -> infinity:
      iid schemes s (large k), eigen exactly 1, spectral 1/2 (large k).
    * None: tanh (no closed form), and shared relu (a nonlinear power iteration
      with no closed-form limit).
    """
    if theory_growth_explanation(scheme, activation, weights) is None:
        return None
    linear_growth_squared = {
        "standard": float(k),
        "lecun": 1.0,
        "xavier_uniform": 1.0,
        "kaiming": 2.0,
        "orthogonal": 1.0,
        "eigen": 1.0,
        "spectral": 0.25,
    }[scheme]
    relu_factor = 0.5 if activation == "relu" else 1.0
    return float(np.sqrt(linear_growth_squared * relu_factor))
