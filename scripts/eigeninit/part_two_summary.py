"""The numbers part two of the write-up quotes, read from its datasets: each
measured value beside its finite-size theory and score, every score weighed as
one family (:func:`comparisons`), and the groupings the write-up states, so the
templates only format. workflow/schemas/*_summary.schema.yaml define every key.
"""

import math

import numpy as np
import xarray as xr

from eigeninit import schemas, stats, theory
from eigeninit.circular_law import SIGMA_MAX_LIMIT, SPECTRAL_RADIUS_LIMIT
from eigeninit.datasets import complex_values
from eigeninit.depth import ACTIVATION_NAMES
from eigeninit.initializers import ORTHOGONAL, SCHEMES
from eigeninit.scheme_facts import (
    EXACT,
    finite_size_growth,
    gain,
    limit_growth,
    theory_block,
)

KEEPS, EXPLODES, VANISHES = "keeps", "explodes", "vanishes"
VERDICTS = (KEEPS, EXPLODES, VANISHES)
"""Verdicts of the depth summary, in the order the write-up groups them."""

FAMILY_LEVEL = 0.05
"""Family-wise error level of part two's comparisons with theory."""
CIRCULAR_LAW_SCORED = (
    "spectral_radius_over_sqrt_k",
    "sigma_max_over_sqrt_k",
    "real_eigenvalue_count",
)
JACOBIAN_SCORED = ("mean_sigma2", "zero_share", "mean_log10_sigma")
"""The summaries' quantities that may carry a score against their theory."""

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


def _scored(block: dict, samples: np.ndarray) -> dict:
    """A ``finite_size`` block, with the samples' score when there is a theory value."""
    if block["theory"] is not None:
        block |= theory.agreement(samples, block["theory"], block["theory_se"])
    return block


def _reference_block(samples: np.ndarray, reference: dict, note: str) -> dict:
    how = (
        f"simulated over {reference['draws']} real matrices"
        if reference["kind"] == "simulated"
        else "Kostlan's exact complex mean plus the real-matrix correction c/sqrt(k)"
        " measured at the simulated sizes, its error including c's drift"
    )
    block = theory_block(reference["mean"], reference["se"], reference["kind"], note)
    block["theory_note"] += f": {how}"
    return _scored(block, samples)


def circular_law_summary(datasets: list[xr.Dataset], references: dict) -> dict:
    """Per size (increasing k): rho/sqrt(k), sigma_max/sqrt(k), real counts and
    disk uniformity, each beside its theory and ``references``' values."""
    by_size = sorted(datasets, key=lambda dataset: int(dataset.attrs["k"]))
    entries = [_size_summary(d, int(d.attrs["k"]), references) for d in by_size]
    counts = {entry["matrices"] for entry in entries}
    first, last = (entry["disk_ks_statistic"] for entry in (entries[0], entries[-1]))
    summary = {
        "sizes": {str(entry["k"]): entry for entry in entries},
        "matrices_per_size": counts.pop() if len(counts) == 1 else None,
        "seed": int(by_size[-1].attrs["seed"]),
        "disk_ks_narrows": last < first if len(entries) > 1 else None,
    }
    return schemas.validate("circular_law", summary)


def _size_summary(dataset: xr.Dataset, k: int, references: dict) -> dict:
    root_k = math.sqrt(k)
    radius = dataset["spectral_radius"].values / root_k
    sigma = dataset["sigma_max"].values / root_k
    real_count = dataset["real_eigenvalue_count"].values
    real_dominant = int(dataset["dominant_is_real"].values.astype(bool).sum())
    uniformity = theory.disk_uniformity(complex_values(dataset, "eigenvalue").values, k)
    expected_real = theory.expected_real_eigenvalues(k)
    radius_entry = stats.summarize_samples(radius) | {
        "limit": SPECTRAL_RADIUS_LIMIT,
        "asymptotic": theory.spectral_radius_asymptotic(k) if k >= 3 else None,
        "complex_exact": theory.complex_spectral_radius(k),
        "finite_size": _reference_block(
            radius, references["radius"][str(k)]["scaled"], "real Ginibre mean"
        ),
    }
    sigma_entry = stats.summarize_samples(sigma) | {
        "limit": SIGMA_MAX_LIMIT,
        "tracy_widom": theory.sigma_max_tracy_widom(k),
        "finite_size": _reference_block(
            sigma,
            references["sigma_max"][str(k)]["scaled"],
            "exact law of the largest singular value (Golub-Kahan bidiagonal model)",
        ),
    }
    real_note = "Edelman, Kostlan and Shub (1994), exact at every k"
    real_entry = stats.summarize_samples(real_count) | {
        "finite_size": _scored(
            theory_block(expected_real, 0.0, EXACT, real_note), real_count
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
        "disk_ks_statistic": float(uniformity.statistic),
        "disk_ks_pvalue": float(uniformity.pvalue),
        "disk_ks_finite_size": theory_block(None, None, None, _DISK_KS_NOTE),
        "dominant_real_count": real_dominant,
        "dominant_real_fraction": stats.proportion_ci95(real_dominant, radius.size)
        | {"finite_size": theory_block(None, None, None, _DOMINANT_REAL_NOTE)},
    }


def verdict(growth: float, layers: int, stable_within: float) -> str:
    """Whether the norm after ``layers`` layers stays within a factor of the input's."""
    log_ratio = layers * math.log(growth) if growth > 0 else -math.inf
    if log_ratio > math.log(stable_within):
        return EXPLODES
    if log_ratio < -math.log(stable_within):
        return VANISHES
    return KEEPS


def depth_summary(
    datasets: list[xr.Dataset], stable_within: float, references: dict
) -> dict:
    """Each setting's growth per layer beside its theory, with its verdict and the
    groupings the write-up states; each scheme's facts; shared weights' depth laws."""
    growth_per_layer, depth_laws = {}, {}
    first = datasets[0].attrs
    k, layers = int(first["k"]), int(first["layers"])
    for dataset in datasets:
        scheme, weights = dataset.attrs["scheme"], dataset.attrs["weights"]
        by_activation = growth_per_layer.setdefault(scheme, {})
        activations = dataset["activation"].values.tolist()
        for activation in activations:
            growth = dataset["growth"].sel(activation=activation).values
            setting = (scheme, activation, weights)
            measured = stats.summarize_samples(growth)
            mean = measured["mean"]
            predicted = finite_size_growth(*setting, k, layers, references)
            by_activation.setdefault(activation, {})[weights] = measured | {
                "limit": limit_growth(*setting, k),
                "finite_size": _scored(predicted, growth),
                "log10_norm_ratio": layers * math.log10(mean) if mean > 0 else None,
                "verdict": verdict(mean, layers, stable_within),
            }
        if weights == "shared" and SCHEMES[scheme].family != ORTHOGONAL:
            if "linear" in activations:
                depth_laws[scheme] = depth_law(dataset)
    facts = ("name", "entries", "description", "family", "divisor")
    schemes = {
        scheme: {fact: getattr(SCHEMES[scheme], fact) for fact in facts}
        | {"sampler": SCHEMES[scheme].sampler.__name__}
        | {"gain": gain(scheme, k, references)}
        for scheme in growth_per_layer
    }
    activations, modes = _activations_and_modes(growth_per_layer)
    summary = {
        "k": k,
        "layers": layers,
        "networks_per_setting": int(first["members"]),
        "seed": int(first["seed"]),
        "stable_within": stable_within,
        "keeps_band": [stable_within ** (-1 / layers), stable_within ** (1 / layers)],
        "activations": {a: ACTIVATION_NAMES[a] for a in activations},
        "weight_sharing": modes,
        "schemes": schemes,
        "growth_per_layer": growth_per_layer,
        "verdict_groups": verdict_groups(growth_per_layer),
        "tanh_regimes": tanh_regimes(growth_per_layer),
        "depth_laws": depth_laws,
    }
    if (comparison := kaiming_over_lecun(growth_per_layer, schemes)) is not None:
        summary["kaiming_over_lecun"] = comparison
    return schemas.validate("depth", summary)


SETTING = ("scheme", "activation", "weights")


def _activations_and_modes(growth_per_layer: dict) -> tuple[list, list]:
    """The activations and weight modes of the settings, in the order they ran."""
    keys = [key for key, _ in _leaves(growth_per_layer, SETTING)]
    return [list(dict.fromkeys(key[level] for key in keys)) for level in SETTING[1:]]


def verdict_groups(growth_per_layer: dict) -> dict[str, list[dict]]:
    """Per weight sharing, the settings by verdict (in :data:`VERDICTS` order,
    those present), then activation, naming the schemes in the summary's order."""
    activations, modes = _activations_and_modes(growth_per_layer)
    schemes: dict[tuple, list] = {}
    for key, entry in _leaves(growth_per_layer, SETTING):
        group = (key["weights"], entry["verdict"], key["activation"])
        schemes.setdefault(group, []).append(key["scheme"])
    return {
        weights: [
            {"verdict": verdict, "activations": by_activation}
            for verdict in VERDICTS
            if (
                by_activation := [
                    {"activation": activation, "schemes": schemes[group]}
                    for activation in activations
                    if (group := (weights, verdict, activation)) in schemes
                ]
            )
        ]
        for weights in modes
    }


def tanh_regimes(growth_per_layer: dict) -> dict[str, list[str]]:
    """Schemes by tanh mean-field regime, independent weights (theory.tanh_regime)."""
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
    gain_ratio = schemes["kaiming"]["gain"] / schemes["lecun"]["gain"]
    return {"gain_ratio": gain_ratio, "measured_ratio": measured}


def depth_law(dataset: xr.Dataset) -> dict:
    """Shared linear weights against growth over l layers = rho exp(C/l), rho
    each network's own: C's mean and band over the real-dominant networks at a
    few depths, the share of complex-dominant ones (whose C oscillates), and
    the depth scale -1/ln(|lambda_2|/rho) after many times which C settles."""
    log10_norms = dataset["log10_norm"].sel(activation="linear").values
    layers = log10_norms.shape[-1] - 1
    depths = np.unique(
        np.maximum(1, (layers * np.array([0.1, 0.2, 0.5, 1.0])).astype(int))
    )
    radius = dataset["spectral_radius"].values
    real = dataset["dominant_is_real"].values.astype(bool)
    constants = theory.depth_law_constants(log10_norms, radius, depths)[real]
    empty = (np.nan,) * 3
    bands = [
        [stats.finite_or_none(v) for v in (stats.mean_ci95(c) if c.size else empty)]
        for c in constants.T
    ]
    median_ratio = float(np.median(dataset["second_ratio"].values))
    return {
        "depths": depths.tolist(),
        "constant": [{"mean": mean, "ci95": [lo, hi]} for mean, lo, hi in bands],
        "real_dominant_networks": int(real.sum()),
        "complex_dominant_share": stats.proportion_ci95(int((~real).sum()), real.size),
        "median_second_ratio": median_ratio,
        "depth_scale": -1.0 / math.log(median_ratio) if 0 < median_ratio < 1 else None,
    }


def comparisons(circular_law: dict, depth: dict, jacobian: dict | None = None) -> dict:
    """Every score of part two against its theory (the Jacobian's when measured)
    as one family: a measurement disagrees only when Holm's rule rejects it at
    :data:`FAMILY_LEVEL`, whatever the scores' dependence."""
    growth = _leaves(depth["growth_per_layer"], SETTING)
    settings = _leaves((jacobian or {}).get("settings", {}), ("scheme", "activation"))
    candidates = [
        ({"part": "circular_law", "k": int(k), "quantity": quantity}, block)
        for k, size in circular_law["sizes"].items()
        for quantity in CIRCULAR_LAW_SCORED
        for block in [size[quantity]["finite_size"]]
    ]
    candidates += [
        ({"part": "depth"} | key, entry["finite_size"]) for key, entry in growth
    ]
    candidates += [
        ({"part": "jacobian"} | key | {"quantity": quantity}, setting[quantity])
        for key, setting in settings
        for quantity in JACOBIAN_SCORED
    ]
    tests = [
        labels | {key: block[key] for key in ("z_score", "p_value", "kind")}
        for labels, block in candidates
        if "z_score" in block
    ]
    adjusted = stats.holm_adjusted([test["p_value"] for test in tests])
    for test, holm_p in zip(tests, adjusted, strict=True):
        test |= {
            "holm_p_value": float(holm_p),
            "disagrees": bool(holm_p <= FAMILY_LEVEL),
        }
    summary = {
        "level": FAMILY_LEVEL,
        "tests": tests,
        "count": len(tests),
        "below_level": sum(test["p_value"] < FAMILY_LEVEL for test in tests),
        "beyond_two": sum(abs(test["z_score"]) > 2 for test in tests),
        "chance": stats.chance_exceedances(len(tests), FAMILY_LEVEL),
        "disagreements": sum(test["disagrees"] for test in tests),
    }
    return schemas.validate("comparisons", summary)


def _leaves(tree: dict, levels: tuple[str, ...]) -> list[tuple[dict, dict]]:
    """(labels, leaf) of a dict nested ``len(levels)`` deep, each key named."""
    if not levels:
        return [({}, tree)]
    return [
        ({levels[0]: key} | labels, leaf)
        for key, subtree in tree.items()
        for labels, leaf in _leaves(subtree, levels[1:])
    ]
