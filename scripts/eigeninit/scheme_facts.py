"""What theory predicts for each scheme's growth per layer through depth, as k
grows and at the measured k and depth; the write-up's theory section gives the
derivations."""

import math

from eigeninit import theory
from eigeninit.circular_law import SIGMA_MAX_LIMIT, SPECTRAL_RADIUS_LIMIT
from eigeninit.depth import check_activation, check_weights
from eigeninit.initializers import (
    IID,
    NORMALIZED,
    ORTHOGONAL,
    SCHEMES,
    SIGMA_MAX,
    SPECTRAL_RADIUS,
    check_scheme,
)
from eigeninit.references import SIMULATED

EXACT, APPROXIMATION = "exact", "approximation"
"""Kinds of finite-size value besides the references' (simulated, extrapolated):
a closed form or numerically exact integral, or an approximation with a
stated error."""

DIVISOR_LIMITS = {SPECTRAL_RADIUS: SPECTRAL_RADIUS_LIMIT, SIGMA_MAX: SIGMA_MAX_LIMIT}
"""Large-k limit of each divisor d(G) / sqrt(k)."""


def edge_reference(scheme: str, k: int, references: dict, quantity: str) -> dict:
    """A normalized scheme's divisor reference at k: an edge_estimates quantity."""
    edge = "radius" if check_scheme(scheme).divisor == SPECTRAL_RADIUS else "sigma_max"
    return references[edge][str(k)][quantity]


def gain(scheme: str, k: int, references: dict | None = None) -> float:
    """s = sqrt(k times the entry variance), a linear layer's root-mean-square
    growth; for W = G/d(G) exact from the references' E[k/d^2]
    (:func:`eigeninit.theory.normalized_gain_squared`)."""
    facts = check_scheme(scheme)
    if facts.family == IID:
        return float(math.sqrt(k) * facts.entry_std(k))
    if facts.family == ORTHOGONAL:
        return 1.0
    inverse_square = edge_reference(scheme, k, references, "inverse_square")["mean"]
    return math.sqrt(theory.normalized_gain_squared(k, inverse_square))


def limit_growth(scheme: str, activation: str, weights: str, k: int) -> float | None:
    """Growth per layer as k (and, for shared weights, depth) grows: s for a
    linear layer (s^2 is 1/4 for G/sigma_max(G), whose rho(G)/sigma_max(G)
    -> 1/2), times 1/sqrt(2) for relu. None for tanh (its value depends on
    depth) and shared relu (a nonlinear power iteration)."""
    facts = check_scheme(scheme)
    check_activation(activation)
    check_weights(weights)
    if activation == "tanh" or (weights == "shared" and activation == "relu"):
        return None
    if facts.family == IID:
        linear_squared = (
            float(k) if facts.variance_times_k is None else gain(scheme, k) ** 2
        )
    elif facts.family == NORMALIZED:
        linear_squared = 1 / DIVISOR_LIMITS[facts.divisor] ** 2
    else:
        linear_squared = 1.0
    relu_factor = 0.5 if activation == "relu" else 1.0
    return float(math.sqrt(linear_squared * relu_factor))


def finite_size_growth(
    scheme: str, activation: str, weights: str, k: int, layers: int, references: dict
) -> dict:
    """Mean growth per layer over ``layers`` layers at width k as a
    :func:`theory_block`, or None and why. Independent weights: exact for
    Gaussian and orthogonal linear or relu layers; E log|f(Gx)| - E log d for
    G/d(G) with d's reference; for tanh the exact law simulated by the
    references (none for eigen), mean field beside. Shared weights: exact only
    for orthogonal linear layers."""
    facts = check_scheme(scheme)
    check_activation(activation)
    check_weights(weights)
    if facts.family == ORTHOGONAL and activation == "linear":
        return theory_block(1.0, 0.0, EXACT, _ISOMETRY_NOTE)
    if weights == "shared":
        return theory_block(None, None, None, _SHARED_NOTES[activation])
    if activation == "tanh":
        return _tanh_value(scheme, k, layers, references)
    if facts.family == NORMALIZED:
        log_divisor = edge_reference(scheme, k, references, "log")
        log_rate = theory.normalized_log_growth(k, activation, log_divisor["mean"])
        rate, kind = math.exp(log_rate), log_divisor["kind"]
        note = (
            f"E log|f(Gx)| exact, minus E log of the divisor, {kind} for real"
            " matrices; the mean over networks exceeds this large-depth rate by"
            " 1 + O(1/(kL))"
        )
        return theory_block(rate, rate * log_divisor["se"], kind, note)
    if facts.family == ORTHOGONAL:
        value = theory.relu_orthogonal_growth(k, layers)
        return theory_block(value, 0.0, EXACT, _HAAR_RELU_NOTE)
    growth = {
        "linear": theory.linear_gaussian_growth,
        "relu": theory.relu_gaussian_growth,
    }
    value = growth[activation](k, gain(scheme, k), layers)
    if facts.gaussian:
        return theory_block(value, 0.0, EXACT, _CHI_SQUARE_NOTE)
    return theory_block(value, 0.0, APPROXIMATION, _UNIFORM_NOTE)


def theory_block(value: float | None, se: float | None, kind: str | None, note: str):
    """The theory part of a summary's ``finite_size`` block."""
    return {"theory": value, "theory_se": se, "kind": kind, "theory_note": note}


_ISOMETRY_NOTE = "an orthogonal matrix preserves every norm"
_HAAR_RELU_NOTE = "Haar rows, relu keeps Bin(k, 1/2) coordinates"
_CHI_SQUARE_NOTE = "chi-square law of |f(Wx)|^2 / |x|^2 at this k and L"
_UNIFORM_NOTE = "Gaussian law of the same variance; uniform entries differ at O(k^-2)"
_SHARED_NOTES = {
    "linear": (
        "no closed form at finite depth: the growth over L layers follows"
        " rho exp(C/L) with C set by the start vector's weight on the dominant"
        " mode; see depth_law for rho and the measured C"
    ),
    "relu": (
        "no closed form: with one matrix reused, relu makes the repeated product"
        " a nonlinear power iteration"
    ),
    "tanh": (
        "no closed form: mean-field theory needs a fresh matrix per layer, and a"
        " reused matrix correlates the pre-activations across layers"
    ),
}
_UNIFORM_CHAIN_NOTE = (
    " with Gaussian entries of the same variance (uniform ones differ at O(k^-2))"
)
_NO_TANH_CHAIN_NOTE = (
    "no closed form, nor a reduced model to simulate: W = G / rho(G) ties each"
    " layer's pre-activations to its spectral radius; mean field is shown for"
    " context"
)
_TANH_REGIME_NOTES = {
    "vanishes": "s < 1: q(L) ~ s^L, so the growth per layer is a rate, -> sqrt(s)",
    "critical": (
        "critical (s = 1): q(L) ~ 1/(2L), an algebraic decay, so this growth per"
        " layer depends on L and is not a rate"
    ),
    "settles": (
        "s > 1: q(L) settles on the map's fixed point, so the norm levels off and"
        " this growth per layer tends to 1 like 1/L: not a rate"
    ),
}


def _tanh_value(scheme: str, k: int, layers: int, references: dict) -> dict:
    s = gain(scheme, k, references) ** 2
    regime = theory.tanh_regime(s)
    critical = regime["regime"] == "critical"
    note = (
        "mean-field map q <- E tanh(sqrt(s q) g)^2 from q(0) = 1, exact as k grows;"
        " at finite k the mean over networks differs by O(1/k) per layer; "
    )
    mean_field = {
        "growth": theory.tanh_mean_field_growth(s, layers),
        "s": s,
        "q_final": float(theory.tanh_mean_field_variances(s, layers)[-1]),
        "critical_q_final": theory.tanh_critical_variance(layers) if critical else None,
        "is_rate": regime["regime"] == "vanishes",
        "note": note + _TANH_REGIME_NOTES[regime["regime"]],
    }
    mean_field = {"mean_field": mean_field | regime}
    chain = references["tanh"].get(scheme)
    if chain is None:
        return theory_block(None, None, None, _NO_TANH_CHAIN_NOTE) | mean_field
    note = f"exact law of the norm, simulated over {chain['draws']} networks"
    if SCHEMES[scheme].gaussian:
        return theory_block(chain["mean"], chain["se"], SIMULATED, note) | mean_field
    note += _UNIFORM_CHAIN_NOTE
    return theory_block(chain["mean"], chain["se"], APPROXIMATION, note) | mean_field
