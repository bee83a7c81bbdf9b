"""The numbers part two of the write-up quotes, read from its datasets.

Every measured value comes with a 95% band over its samples and a
``finite_size`` block beside it: the theory at the measured size
(``theory``, or None), its ``kind`` (exact, reference, mean_field),
a ``theory_note`` saying where it comes from or why there is none, and, when
there is a value, the Student-t score of the measurement against it
(``z_score``, ``p_value``, ``agrees`` at the 95% level; see
:func:`eigeninit.theory.agreement`).

Beside the measurements, the summaries hold every count, comparison and
grouping the write-up states (how many sizes agree with theory, which settings
keep the signal, the Kaiming-to-LeCun gain ratio), so the templates only
format. workflow/schemas/{circular_law,depth}_summary.schema.yaml define every
key; :func:`eigeninit.schemas.validate` checks a summary before it is
written.
"""

import math

import numpy as np
import xarray as xr

from eigeninit import schemas, theory
from eigeninit.circular_law import SIGMA_MAX_LIMIT, SPECTRAL_RADIUS_LIMIT
from eigeninit.datasets import complex_values
from eigeninit.depth import ACTIVATION_NAMES
from eigeninit.scheme_facts import (
    EXACT,
    REFERENCE,
    SCHEME_FACTS,
    finite_size_growth,
    gain,
    limit_growth,
    log_spectral_radius,
)
from eigeninit.stats import mean_ci95, proportion_ci95, summarize_samples

KEEPS, EXPLODES, VANISHES = "keeps", "explodes", "vanishes"
VERDICTS = (KEEPS, EXPLODES, VANISHES)
"""Verdicts of the depth summary, in the order the write-up groups them."""

_DOMINANT_REAL_NOTE = (
    "no closed form is known: whether a real eigenvalue or a complex pair has the"
    " largest modulus is decided by edge competition (the top real eigenvalue sits"
    " at sqrt(k) + O(1), the complex maximum further out by a term of order"
    " sqrt(log k)), so the share falls with k, but no finite-k law is available"
)
_DISK_KS_NOTE = (
    "no null distribution: the eigenvalues of one matrix repel, so they are not"
    " independent samples; the circular law says only that the distance tends to 0"
)


def finite_size(
    samples: np.ndarray | None, value: float | None, kind: str | None, note: str
) -> dict:
    """A ``finite_size`` block: theory value, kind, note and the agreement score."""
    block = {"theory": value, "kind": kind, "theory_note": note}
    if value is not None and samples is not None:
        block |= theory.agreement(samples, value)
    return block


def circular_law_summary(datasets: list[xr.Dataset]) -> dict:
    """Per size: rho/sqrt(k), sigma_max/sqrt(k), real counts, disk uniformity.

    Besides ``sizes`` (in increasing k), the counts the write-up states:
    ``matrices_per_size`` (None when sizes differ), ``real_count_agreement``
    (sizes whose mean real count agrees with the exact expectation) and
    ``disk_ks_narrows`` (the KS distance smaller at the largest size than at
    the smallest; None with one size).
    """
    by_size = sorted(datasets, key=lambda dataset: int(dataset.attrs["k"]))
    sizes = {}
    for dataset in by_size:
        k = int(dataset.attrs["k"])
        sizes[str(k)] = _size_summary(dataset, k)
    largest = by_size[-1]
    entries = list(sizes.values())
    counts = {entry["matrices"] for entry in entries}
    summary = {
        "sizes": sizes,
        "matrices_per_size": counts.pop() if len(counts) == 1 else None,
        "seed": int(largest.attrs["seed"]),
        "smallest_size": entries[0]["k"],
        "largest_size": entries[-1]["k"],
        "real_count_agreement": agreement_count(
            [entry["real_eigenvalue_count"] for entry in entries]
        ),
        "disk_ks_narrows": (
            entries[-1]["disk_ks_statistic"] < entries[0]["disk_ks_statistic"]
            if len(entries) > 1
            else None
        ),
    }
    return schemas.validate("circular_law", summary)


def agreement_count(measurements: list[dict]) -> dict:
    """How many measurements have a finite-size theory value, how many agree, and
    whether all do."""
    blocks = [m["finite_size"] for m in measurements]
    with_theory = [block for block in blocks if block["theory"] is not None]
    agreeing = sum(bool(block["agrees"]) for block in with_theory)
    return {
        "with_theory": len(with_theory),
        "agreeing": agreeing,
        "all_agree": agreeing == len(with_theory),
    }


def _size_summary(dataset: xr.Dataset, k: int) -> dict:
    root_k = math.sqrt(k)
    radius = dataset["spectral_radius"].values / root_k
    sigma = dataset["sigma_max"].values / root_k
    real_count = dataset["real_eigenvalue_count"].values
    dominant_real = dataset["dominant_is_real"].values.astype(bool)
    uniformity = theory.disk_uniformity(complex_values(dataset, "eigenvalue").values, k)
    radius_reference = theory.spectral_radius_reference(k)
    expected_real = theory.expected_real_eigenvalues(k)
    radius_entry = summarize_samples(radius) | {
        "limit": SPECTRAL_RADIUS_LIMIT,
        "asymptotic": theory.spectral_radius_asymptotic(k) if k >= 3 else None,
        "finite_size": finite_size(
            radius,
            radius_reference.mean,
            REFERENCE,
            "exact mean for complex Ginibre (Kostlan), a reference for these real"
            " matrices, whose mean is lower at finite k (by about 0.0016 at"
            f" k = 1024); reference sd {radius_reference.sd:.4g}",
        ),
    }
    sigma_entry = summarize_samples(sigma) | {"limit": SIGMA_MAX_LIMIT}
    if k >= 2:
        sigma_reference = theory.sigma_max_reference(k)
        sigma_entry["finite_size"] = finite_size(
            sigma,
            sigma_reference.mean,
            REFERENCE,
            "Tracy-Widom (Johnstone's centring and scaling for the largest"
            " eigenvalue of G^T G, square root by the delta method), error"
            f" O(k^-2/3) of the sd; reference sd {sigma_reference.sd:.4g}",
        )
    else:
        sigma_entry["finite_size"] = finite_size(
            None, None, None, "k = 1: sigma_max = |g|, no edge law needed"
        )
    real_entry = summarize_samples(real_count) | {
        "finite_size": finite_size(
            real_count,
            expected_real,
            EXACT,
            "Edelman, Kostlan and Shub (1994), exact at every k",
        )
    }
    return {
        "k": k,
        "matrices": int(radius.size),
        "eigenvalues_drawn": int(radius.size) * k,
        "spectral_radius_over_sqrt_k": radius_entry,
        "sigma_max_over_sqrt_k": sigma_entry,
        "real_eigenvalue_count": real_entry,
        "real_eigenvalue_share": real_entry["mean"] / k,
        "expected_real_eigenvalues": expected_real,
        "asymptotic_real_eigenvalues": theory.asymptotic_real_eigenvalues(k),
        "expected_real_excess": expected_real - theory.asymptotic_real_eigenvalues(k),
        "disk_ks_statistic": uniformity.statistic,
        "disk_ks_pvalue": uniformity.pvalue,
        "disk_ks_finite_size": finite_size(None, None, None, _DISK_KS_NOTE),
        "dominant_real_count": int(dominant_real.sum()),
        "dominant_real_fraction": proportion_ci95(
            int(dominant_real.sum()), dominant_real.size
        )
        | {"finite_size": finite_size(None, None, None, _DOMINANT_REAL_NOTE)},
    }


def verdict(growth: float, layers: int, stable_within: float) -> str:
    """Whether the norm after ``layers`` layers stays within a factor of the input's."""
    log_ratio = layers * math.log(growth) if growth > 0 else -math.inf
    if log_ratio > math.log(stable_within):
        return EXPLODES
    if log_ratio < -math.log(stable_within):
        return VANISHES
    return KEEPS


def depth_summary(datasets: list[xr.Dataset], stable_within: float) -> dict:
    """growth_per_layer[scheme][activation][weights] with band, theory and verdict.

    ``schemes`` holds each scheme's registry facts and its gain s at this k
    (:func:`eigeninit.scheme_facts.gain`: sqrt(k times the entry variance), so
    kaiming over lecun is sqrt(2) by the variance ratio alone). Each entry holds
    the measured mean and band, ``limit`` (large k and depth),
    the ``finite_size`` block at the measured k and L, for shared linear
    weights the ``depth_law`` (:func:`depth_law`), and the verdict.
    ``keeps_band`` is the growth per layer that keeps the signal,
    ``verdict_groups`` the settings by verdict (:func:`verdict_groups`),
    ``agreement`` how many finite-size theory values the measurements agree
    with, and ``kaiming_over_lecun`` the two schemes' gain ratio beside the
    measured ratio of their linear growths, when both ran.
    """
    growth_per_layer: dict = {}
    first = datasets[0].attrs
    k, layers = int(first["k"]), int(first["layers"])
    for dataset in datasets:
        scheme, weights = dataset.attrs["scheme"], dataset.attrs["weights"]
        for activation in dataset["activation"].values.tolist():
            growth = dataset["growth"].sel(activation=activation).values
            entry = _growth_entry(scheme, activation, weights, k, layers, growth)
            entry["verdict"] = verdict(entry["mean"], layers, stable_within)
            if weights == "shared" and activation == "linear":
                log10_norms = dataset["log10_norm"].sel(activation=activation).values
                entry["depth_law"] = depth_law(scheme, k, log10_norms)
            growth_per_layer.setdefault(scheme, {}).setdefault(activation, {})[
                weights
            ] = entry
    schemes = {
        scheme: {
            "name": SCHEME_FACTS[scheme].name,
            "entries": SCHEME_FACTS[scheme].entries,
            "description": SCHEME_FACTS[scheme].description,
            "family": SCHEME_FACTS[scheme].family,
            "divisor": SCHEME_FACTS[scheme].divisor,
            "sampler": SCHEME_FACTS[scheme].sampler.__name__,
            "gain": gain(scheme, k),
        }
        for scheme in growth_per_layer
    }
    entries = [
        entry
        for by_activation in growth_per_layer.values()
        for by_weights in by_activation.values()
        for entry in by_weights.values()
    ]
    activations = list(
        dict.fromkeys(a for by_a in growth_per_layer.values() for a in by_a)
    )
    summary = {
        "k": k,
        "layers": layers,
        "networks_per_setting": int(first["members"]),
        "seed": int(first["seed"]),
        "stable_within": stable_within,
        "keeps_band": list(growth_bounds(stable_within, layers)),
        "activations": {a: ACTIVATION_NAMES[a] for a in activations},
        "weight_sharing": list(
            dict.fromkeys(
                w
                for by_a in growth_per_layer.values()
                for m in by_a.values()
                for w in m
            )
        ),
        "schemes": schemes,
        "growth_per_layer": growth_per_layer,
        "verdict_groups": verdict_groups(growth_per_layer),
        "tanh_regimes": tanh_regimes(growth_per_layer),
        "agreement": agreement_count(entries),
    }
    comparison = kaiming_over_lecun(growth_per_layer, schemes)
    if comparison is not None:
        summary["kaiming_over_lecun"] = comparison
    return schemas.validate("depth", summary)


def _modes(by_activation: dict) -> list[str]:
    return [weights for by_weights in by_activation.values() for weights in by_weights]


def growth_bounds(stable_within: float, layers: int) -> tuple[float, float]:
    """Growth per layer that keeps the norm within ``stable_within`` over ``layers``."""
    return float(stable_within) ** (-1 / layers), float(stable_within) ** (1 / layers)


def verdict_groups(growth_per_layer: dict) -> list[dict]:
    """The settings grouped by verdict, then activation, then scheme.

    Each group: ``verdict``, ``log10_norm_ratio`` (smallest and largest final
    log10 |x(L)|/|x(0)| in the group; None for a bound where a signal vanished
    to exactly 0, which only happens in the vanishing group) and ``activations``,
    a list of ``{"activation", "schemes": [{"scheme", "growth": {weights:
    mean}}]}``. Verdicts come in :data:`VERDICTS` order and only when some
    setting has them; activations and schemes keep the summary's order, and a
    scheme whose weight modes disagree appears under each verdict with its modes.
    """
    activations = list(
        dict.fromkeys(a for by_a in growth_per_layer.values() for a in by_a)
    )
    groups = []
    for group_verdict in VERDICTS:
        by_activation = []
        ratios = []
        for activation in activations:
            schemes = []
            for scheme, by_a in growth_per_layer.items():
                modes = {
                    weights: entry
                    for weights, entry in by_a.get(activation, {}).items()
                    if entry["verdict"] == group_verdict
                }
                if modes:
                    schemes.append(
                        {
                            "scheme": scheme,
                            "growth": {w: e["mean"] for w, e in modes.items()},
                        }
                    )
                    ratios += [e["log10_norm_ratio"] for e in modes.values()]
            if schemes:
                by_activation.append({"activation": activation, "schemes": schemes})
        if by_activation:
            finite = [r for r in ratios if r is not None]
            low = min(finite) if len(finite) == len(ratios) else None
            high = max(finite) if finite else None
            groups.append(
                {
                    "verdict": group_verdict,
                    "log10_norm_ratio": [low, high],
                    "activations": by_activation,
                }
            )
    return groups


def tanh_regimes(growth_per_layer: dict) -> dict[str, list[str]]:
    """Schemes by the regime of their tanh mean-field map (independent weights):
    ``vanishes`` (s < 1), ``critical`` (s = 1) and ``settles`` (s > 1)."""
    regimes: dict[str, list[str]] = {"vanishes": [], "critical": [], "settles": []}
    for scheme, by_activation in growth_per_layer.items():
        entry = by_activation.get("tanh", {}).get("independent")
        if entry is not None:
            regimes[entry["finite_size"]["mean_field"]["regime"]].append(scheme)
    return regimes


def kaiming_over_lecun(growth_per_layer: dict, schemes: dict) -> dict | None:
    """Kaiming's gain over LeCun's (sqrt 2, the variance ratio) beside the measured
    ratio of their linear growths per weight mode; None unless both ran linear."""
    try:
        kaiming, lecun = growth_per_layer["kaiming"], growth_per_layer["lecun"]
        measured = {
            weights: kaiming["linear"][weights]["mean"] / entry["mean"]
            for weights, entry in lecun["linear"].items()
        }
    except KeyError:
        return None
    return {
        "gain_ratio": schemes["kaiming"]["gain"] / schemes["lecun"]["gain"],
        "measured_ratio": measured,
    }


def _growth_entry(
    scheme: str, activation: str, weights: str, k: int, layers: int, growth
) -> dict:
    measured = summarize_samples(growth)
    predicted = finite_size_growth(scheme, activation, weights, k, layers)
    block = finite_size(
        growth, predicted["theory"], predicted["kind"], predicted["theory_note"]
    )
    if "mean_field" in predicted:
        block["mean_field"] = predicted["mean_field"]
    return measured | {
        "limit": limit_growth(scheme, activation, weights, k),
        "finite_size": block,
        "log10_norm_ratio": _log10_norm_ratio(measured["mean"], layers),
    }


def depth_law(scheme: str, k: int, log10_norms: np.ndarray) -> dict:
    """The 1/L law of shared linear weights, measured: C at a few depths with bands.

    Growth over l layers = rho exp(C/l) defines C = l (ln g_l - ln rho) per
    network (:func:`eigeninit.theory.depth_law_constants`), with ln rho exact
    (eigen: 0) or the scheme's reference E ln rho(W). C nearly equal across
    depths is the 1/L law; a drift says the depths are not yet large enough.
    For the iid and spectral schemes the per-network ln rho varies around the
    reference, which widens the bands but not the means.
    """
    layers = log10_norms.shape[-1] - 1
    depths = np.unique(
        np.maximum(1, (layers * np.array([0.1, 0.2, 0.5, 1.0])).astype(int))
    )
    log_limit, kind = log_spectral_radius(scheme, k)
    constants = theory.depth_law_constants(log10_norms, log_limit, depths)
    bands = []
    for column in constants.T:
        mean, low, high = mean_ci95(column)
        bands.append({"mean": float(mean), "ci95": [float(low), float(high)]})
    deepest, before = bands[-1]["ci95"], bands[-2]["ci95"] if len(bands) > 1 else None
    return {
        "limit": math.exp(log_limit),
        "log_limit": log_limit,
        "limit_kind": kind,
        "depths": depths.tolist(),
        "constant": bands,
        "steady": (
            bool(deepest[0] <= before[1] and before[0] <= deepest[1])
            if before is not None
            else None
        ),
        "law_note": (
            "growth over l layers = rho exp(C/l); C tends, for each matrix, to the"
            " log of the start vector's weight on the dominant mode,"
            " ln(|u.x| |v| / (|u.v| |x|)) with u, v its left and right eigenvectors"
            " (theory.dominant_mode_constant): negative because a random x projects"
            " on it by about 1/sqrt(k), raised by the ill-conditioning of the edge"
            " eigenvalues of a non-normal Gaussian matrix (about k^(1/4)); no closed"
            " form for its mean is known"
        ),
    }


def _log10_norm_ratio(growth: float, layers: int) -> float | None:
    """log10 of the norm after all layers over the input's; None if it vanished."""
    return layers * math.log10(growth) if growth > 0 else None
