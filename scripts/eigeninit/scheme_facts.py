"""What each initialization scheme is, and what theory predicts for it through depth.

:data:`SCHEME_FACTS` is the registry the summaries and the write-up read: each
scheme's sampler, entry law, reader-facing description and family. Per setting
(scheme, activation, weight mode) two predictions come from here:

* :func:`limit_growth`: the large-k (and, for shared weights, large-depth)
  limit, with the derivation :func:`limit_explanation` says in one sentence;
* :func:`finite_size_growth`: the value at the measured k and depth L, from
  :mod:`eigeninit.theory`, labelled exact, reference or mean-field, or None
  with the reason why.
"""

import math
from dataclasses import dataclass

from eigeninit import theory
from eigeninit.depth import check_activation, check_weights
from eigeninit.initializers import SCHEMES, Sampler, check_scheme, theory_weight_std

IID, ORTHOGONAL, NORMALIZED = "iid", "orthogonal", "normalized"


@dataclass(frozen=True)
class SchemeFacts:
    """One scheme: how it samples, its entry law, its name for readers, its family.

    ``entries`` and ``description`` are LaTeX-marked text: ``entries`` a formula,
    ``description`` a phrase with its formulas between dollar signs.
    ``family`` is iid (independent entries), orthogonal (Haar), or normalized
    (a Gaussian matrix divided by ``divisor``, its spectral radius or its
    largest singular value).
    """

    sampler: Sampler
    name: str
    entries: str
    description: str
    family: str
    divisor: str | None = None


SCHEME_FACTS: dict[str, SchemeFacts] = {
    "standard": SchemeFacts(
        SCHEMES["standard"],
        "Standard",
        r"N(0, 1)",
        r"entries $N(0, 1)$, not scaled at all: the matrix of part one",
        IID,
    ),
    "lecun": SchemeFacts(
        SCHEMES["lecun"],
        "LeCun",
        r"N(0, 1/k)",
        r"entries $N(0, 1/k)$; for a square layer this is also Xavier (Glorot) normal",
        IID,
    ),
    "xavier_uniform": SchemeFacts(
        SCHEMES["xavier_uniform"],
        "Xavier uniform",
        r"U(-\sqrt{3/k}, \sqrt{3/k})",
        r"entries uniform between $-\sqrt{3/k}$ and $\sqrt{3/k}$, the same variance"
        r" $1/k$ from a flat distribution",
        IID,
    ),
    "kaiming": SchemeFacts(
        SCHEMES["kaiming"],
        "Kaiming",
        r"N(0, 2/k)",
        r"entries $N(0, 2/k)$, twice the variance, to make up for what ReLU removes",
        IID,
    ),
    "orthogonal": SchemeFacts(
        SCHEMES["orthogonal"],
        "Orthogonal",
        r"\text{Haar orthogonal}",
        "a random orthogonal matrix, which turns vectors without stretching them",
        ORTHOGONAL,
    ),
    "eigen": SchemeFacts(
        SCHEMES["eigen"],
        "Eigen",
        r"G / \rho(G), G \text{ with } N(0, 1) \text{ entries}",
        r"a standard matrix $G$ divided by its own spectral radius $\rho(G)$,"
        " part one's fix",
        NORMALIZED,
        "spectral_radius",
    ),
    "spectral": SchemeFacts(
        SCHEMES["spectral"],
        "Spectral",
        r"G / \sigma_{\max}(G), G \text{ with } N(0, 1) \text{ entries}",
        r"a standard matrix $G$ divided by its largest singular value"
        r" $\sigma_{\max}(G)$",
        NORMALIZED,
        "sigma_max",
    ),
}

EXACT, APPROXIMATION, MEAN_FIELD = "exact", "approximation", "mean_field"
SIMULATED, EXTRAPOLATED = "simulated", "extrapolated"
"""Kinds of finite-size theory value: a closed form or numerically exact
integral; a stated approximation with its error; the tanh mean-field map
(context, never scored); a simulation of the exact law with its standard
error; an extrapolation from simulations (see :mod:`eigeninit.references`)."""


def facts(scheme: str) -> SchemeFacts:
    check_scheme(scheme)
    return SCHEME_FACTS[scheme]


def edge_reference(scheme: str, k: int, references: dict, quantity: str) -> dict:
    """The reference of a normalized scheme's divisor at k: ``quantity`` is
    scaled (E d / sqrt(k)), log or inverse_square (E k / d^2)."""
    divisor = "radius" if facts(scheme).divisor == "spectral_radius" else "sigma_max"
    return references[divisor][str(k)][quantity]


def gain(scheme: str, k: int, references: dict | None = None) -> float:
    """s = sqrt(k * entry variance): the root-mean-square growth of a linear layer.

    Exact for iid and orthogonal schemes (standard sqrt(k), lecun and
    xavier_uniform 1, kaiming sqrt(2), orthogonal 1). For W = G / d(G),
    s^2 = (1 - 2/k^2) E[k / d^2] exactly
    (:func:`eigeninit.theory.normalized_gain_squared`), with E[k / d^2] from
    ``references``: about 0.929 for eigen and 0.255 for spectral at k = 256;
    their large-k limits are 1 and 1/4.
    """
    family = facts(scheme).family
    if family == IID:
        return float(math.sqrt(k) * theory_weight_std(scheme, k))
    if family == ORTHOGONAL:
        return 1.0
    inverse_square = edge_reference(scheme, k, references, "inverse_square")["mean"]
    return math.sqrt(theory.normalized_gain_squared(k, inverse_square))


# ---- large-k, large-depth limits ----


def limit_growth(scheme: str, activation: str, weights: str, k: int) -> float | None:
    """Growth per layer in the limit of large k (and large depth for shared weights).

    s as in :func:`gain`'s large-k values: iid independent linear s, relu
    s/sqrt(2); orthogonal linear 1 (exact at every k and depth), relu
    1/sqrt(2); eigen 1 and 1/sqrt(2); spectral 1/2 and 1/(2 sqrt(2)); shared
    linear the spectral radius of W (s, 1, 1/2). None for tanh (its value
    depends on depth: see :func:`finite_size_growth`) and shared relu (a
    nonlinear power iteration with no closed-form limit). The derivation is
    :func:`limit_explanation`.
    """
    if limit_explanation(scheme, activation, weights) is None:
        return None
    if facts(scheme).family == IID:
        linear_squared = float(k) if scheme == "standard" else gain(scheme, k) ** 2
    else:
        linear_squared = 0.25 if scheme == "spectral" else 1.0
    relu_factor = 0.5 if activation == "relu" else 1.0
    return float(math.sqrt(linear_squared * relu_factor))


def limit_explanation(scheme: str, activation: str, weights: str) -> str | None:
    """The derivation of :func:`limit_growth` and its finite-k form, or None."""
    scheme_facts = facts(scheme)
    check_activation(activation)
    check_weights(weights)
    if activation == "tanh":
        return None
    if scheme_facts.family == ORTHOGONAL and activation == "linear":
        return _ORTHOGONAL_LINEAR
    if weights == "independent":
        if scheme_facts.family == NORMALIZED:
            return _NORMALIZED_INDEPENDENT[scheme_facts.divisor, activation]
        return _INDEPENDENT[scheme_facts.family, activation]
    if activation == "relu":
        return None
    return _SHARED_LINEAR[scheme_facts.family if scheme != "eigen" else "eigen"]


_ORTHOGONAL_LINEAR = (
    "An orthogonal W preserves every norm, |Wx| = |x|, so the growth is exactly 1"
    " at every layer, for independent and shared weights alike."
)
_INDEPENDENT = {
    (IID, "linear"): (
        "A fresh W with iid zero-mean entries of variance s^2/k, independent of x,"
        " gives E|Wx|^2 = s^2|x|^2, so the root-mean-square growth is s. For"
        " Gaussian entries |Wx|^2/|x|^2 is exactly s^2 chi^2_k/k, so the geometric"
        " mean the table measures is known at every k: s exp((psi(k/2) + ln 2 -"
        " ln k)/2) per layer for deep networks, about s exp(-1/(2k)); uniform"
        " entries of the same variance differ from it only at order 1/k^2."
    ),
    (IID, "relu"): (
        "The pre-activations of a fresh W with iid entries of variance s^2/k are"
        " symmetric with variance s^2|x|^2/k, and relu keeps the N ~ Bin(k, 1/2)"
        " positive ones, so the root-mean-square growth is s/sqrt(2). For Gaussian"
        " entries, given N, |relu(Wx)|^2/|x|^2 is s^2 chi^2_N/k, and the geometric"
        " mean is the binomial mixture s exp((E psi(N/2) + ln 2 - ln k)/2), about"
        " s/sqrt(2) exp(-5/(4k)); with probability 2^-k every unit is negative and"
        " the signal vanishes for good."
    ),
    (ORTHOGONAL, "relu"): (
        "For a Haar W independent of x, Wx/|x| is uniform on the unit sphere, and"
        " relu keeps N ~ Bin(k, 1/2) of its coordinates, whose squared norm is"
        " Beta(N/2, (k - N)/2): the root-mean-square growth is 1/sqrt(2) and the"
        " geometric mean exp((E psi(N/2) - psi(k/2))/2), which tends to 1/sqrt(2)"
        " as k grows."
    ),
}
_NORMALIZED_INDEPENDENT = {
    ("spectral_radius", activation): (
        "W = G/rho(G) with G Gaussian. Because x is independent of G, E log|f(Wx)|"
        " = E log|f(Gx)| - E log rho(G) exactly: the first term is the Gaussian"
        " layer's closed form, and only E log rho(G) has none for real matrices,"
        " so the finite-k value uses its simulation, or beyond the simulated"
        " sizes Kostlan's exact complex value with the real-matrix correction"
        " measured there. As k grows rho(G)/sqrt(k) -> 1 (Geman; Bai and Yin), so"
        f" the growth tends to {limit}."
    )
    for activation, limit in (("linear", "1"), ("relu", "1/sqrt(2)"))
} | {
    ("sigma_max", activation): (
        "W = G/sigma_max(G) with G Gaussian. Because x is independent of G,"
        " E log|f(Wx)| = E log|f(Gx)| - E log sigma_max(G) exactly: the first term"
        " is the Gaussian layer's closed form, and E log sigma_max(G) is simulated"
        " exactly from the bidiagonal model of G's singular values. As k grows"
        " sigma_max(G)/sqrt(k) -> 2 (Geman 1980), so the growth tends to"
        f" {limit}."
    )
    for activation, limit in (("linear", "1/2"), ("relu", "1/(2 sqrt(2))"))
}
_POWER_ITERATION = (
    "With one W reused, x(L) = W^L x(0) and |W^L x(0)|^(1/L) -> rho(W) as"
    " L -> infinity (power iteration)"
)
_DEPTH_LAW = (
    " This is a large-depth limit: over L layers the growth behaves like"
    " rho exp(C/L), where C is the log of the start vector's weight on the"
    " dominant mode, small because a random x(0) projects weakly on it, so the"
    " deficit fades only like 1/L."
)
_SHARED_LINEAR = {
    IID: (
        f"{_POWER_ITERATION}, and for iid entries of variance s^2/k rho(W)/s -> 1"
        " as k grows (circular law; Geman; Bai and Yin), so the growth tends to s."
        + _DEPTH_LAW
    ),
    "eigen": (
        f"{_POWER_ITERATION}, and rho(W) = 1 by construction, so the growth of every"
        " network tends to exactly 1." + _DEPTH_LAW
    ),
    NORMALIZED: (
        f"{_POWER_ITERATION}, and rho(W) = rho(G)/sigma_max(G) -> 1/2 as k grows"
        " (rho(G)/sqrt(k) -> 1, sigma_max(G)/sqrt(k) -> 2), so the growth tends to"
        " 1/2." + _DEPTH_LAW
    ),
}


# ---- finite-size theory at the measured k and depth ----


def finite_size_growth(
    scheme: str, activation: str, weights: str, k: int, layers: int, references: dict
) -> dict:
    """Mean growth per layer over ``layers`` layers at width k, or None and why.

    Returns ``{"theory", "theory_se", "kind", "theory_note"}``. Independent
    weights: exact for Gaussian and orthogonal layers with linear or relu
    (:mod:`eigeninit.theory`); for the normalized schemes the exact form
    E log|f(Gx)| - E log d with the simulated or extrapolated E log d; for
    tanh the exact law simulated by ``references``' chains (eigen has none:
    its radius has no reduced model), with mean-field theory beside it for
    context. Shared weights: exactly 1 for orthogonal linear; otherwise None,
    because a reused matrix's finite-depth growth depends on that matrix's
    whole spectrum and eigenvectors (the linear case is measured against the
    depth law instead).
    """
    scheme_facts = facts(scheme)
    check_activation(activation)
    check_weights(weights)
    family = scheme_facts.family
    if family == ORTHOGONAL and activation == "linear":
        return _value(1.0, 0.0, EXACT, "an orthogonal matrix preserves every norm")
    if weights == "shared":
        return _value(None, None, None, _SHARED_NOTES[activation])
    if activation == "tanh":
        return _tanh_value(scheme, k, layers, references)
    if family == NORMALIZED:
        log_divisor = edge_reference(scheme, k, references, "log")
        rate = math.exp(
            theory.normalized_log_growth(k, activation, log_divisor["mean"])
        )
        return _value(
            rate,
            rate * log_divisor["se"],
            log_divisor["kind"],
            "E log|f(Gx)| exact, minus E log of the divisor, "
            + log_divisor["kind"]
            + " for real matrices; the mean over networks exceeds this large-depth"
            " rate by 1 + O(1/(kL))",
        )
    if family == ORTHOGONAL:
        value = theory.relu_orthogonal_growth(k, layers)
        return _value(
            value, 0.0, EXACT, "Haar rows, relu keeps Bin(k, 1/2) coordinates"
        )
    s = gain(scheme, k)
    if activation == "linear":
        value = theory.linear_gaussian_growth(k, s, layers)
    else:
        value = theory.relu_gaussian_growth(k, s, layers)
    if scheme == "xavier_uniform":
        return _value(
            value,
            0.0,
            APPROXIMATION,
            "Gaussian law of the same variance; uniform entries differ at O(k^-2)",
        )
    return _value(
        value, 0.0, EXACT, "chi-square law of |f(Wx)|^2 / |x|^2 at this k and L"
    )


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


def _tanh_value(scheme: str, k: int, layers: int, references: dict) -> dict:
    s = gain(scheme, k, references) ** 2
    regime = theory.tanh_regime(s)
    mean_field = {
        "growth": theory.tanh_mean_field_growth(s, layers),
        "s": s,
        "q_final": float(theory.tanh_mean_field_variances(s, layers)[-1]),
        "critical_q_final": theory.tanh_critical_variance(layers)
        if regime["regime"] == "critical"
        else None,
        "is_rate": regime["regime"] == "vanishes",
        "note": "mean-field map q <- E tanh(sqrt(s q) g)^2 from q(0) = 1, exact as k"
        " grows; at finite k the mean over networks differs by O(1/k) per layer; "
        + _TANH_REGIME_NOTES[regime["regime"]],
    } | regime
    chain = references["tanh"].get(scheme)
    if chain is None:
        value = _value(
            None,
            None,
            None,
            "no closed form, nor a reduced model to simulate: W = G / rho(G) ties"
            " each layer's pre-activations to its spectral radius; mean field is"
            " shown for context",
        )
    else:
        value = _value(
            chain["mean"],
            chain["se"],
            SIMULATED if scheme != "xavier_uniform" else APPROXIMATION,
            f"exact law of the norm, simulated over {chain['draws']} networks"
            + (
                " with Gaussian entries of the same variance (uniform ones differ"
                " at O(k^-2))"
                if scheme == "xavier_uniform"
                else ""
            ),
        )
    return value | {"mean_field": mean_field}


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


def _value(value: float | None, se: float | None, kind: str | None, note: str) -> dict:
    return {"theory": value, "theory_se": se, "kind": kind, "theory_note": note}
