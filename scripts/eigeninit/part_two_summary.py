"""The numbers part two of the write-up quotes, read from its datasets.

Every measured value comes with a 95% band over seeds and, where one exists,
the theoretical value beside it.
"""

import math

import xarray as xr

from eigeninit.circular_law import (
    SIGMA_MAX_LIMIT,
    SPECTRAL_RADIUS_LIMIT,
    asymptotic_real_eigenvalues,
    disk_uniformity,
    expected_real_eigenvalues,
)
from eigeninit.depth import theory_growth, theory_growth_explanation
from eigeninit.stats import proportion_ci95, summarize_samples

KEEPS, EXPLODES, VANISHES = "keeps", "explodes", "vanishes"


def circular_law_summary(datasets: list[xr.Dataset]) -> dict:
    """Per size: rho/sqrt(k), sigma_max/sqrt(k), real counts, disk uniformity."""
    by_size = sorted(datasets, key=lambda dataset: int(dataset.attrs["k"]))
    sizes = {}
    for dataset in by_size:
        k = int(dataset.attrs["k"])
        root_k = math.sqrt(k)
        dominant_real = dataset["dominant_is_real"].values.astype(bool)
        uniformity = disk_uniformity(dataset["eigenvalue"].values, k)
        sizes[str(k)] = {
            "k": k,
            "spectral_radius_over_sqrt_k": summarize_samples(
                dataset["spectral_radius"].values / root_k
            ),
            "sigma_max_over_sqrt_k": summarize_samples(
                dataset["sigma_max"].values / root_k
            ),
            "real_eigenvalue_count": summarize_samples(
                dataset["real_eigenvalue_count"].values
            ),
            "expected_real_eigenvalues": expected_real_eigenvalues(k),
            "asymptotic_real_eigenvalues": asymptotic_real_eigenvalues(k),
            "disk_ks_statistic": uniformity.statistic,
            "disk_ks_pvalue": uniformity.pvalue,
            "dominant_real_fraction": proportion_ci95(
                int(dominant_real.sum()), dominant_real.size
            ),
        }
    largest = by_size[-1]
    return {
        "sizes": sizes,
        "seeds": int(largest.attrs["seeds"]),
        "seed": int(largest.attrs["seed"]),
        "largest_size": int(largest.attrs["k"]),
        "theory": {
            "spectral_radius_over_sqrt_k": SPECTRAL_RADIUS_LIMIT,
            "sigma_max_over_sqrt_k": SIGMA_MAX_LIMIT,
        },
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
    """growth_per_layer[scheme][activation][weights] with band, theory and verdict."""
    growth_per_layer: dict = {}
    explanations: dict = {}
    first = datasets[0].attrs
    k, layers = int(first["k"]), int(first["layers"])
    for dataset in datasets:
        scheme, weights = dataset.attrs["scheme"], dataset.attrs["weights"]
        for activation in dataset["activation"].values.tolist():
            growth = dataset["growth"].sel(activation=activation).values
            measured = summarize_samples(growth)
            theory = theory_growth(scheme, activation, weights, k)
            entry = measured | {
                "theory": theory,
                "theory_in_band": _within(theory, measured["ci95"]),
                "log10_norm_ratio": _log10_norm_ratio(measured["mean"], layers),
                "verdict": verdict(measured["mean"], layers, stable_within),
            }
            growth_per_layer.setdefault(scheme, {}).setdefault(activation, {})[
                weights
            ] = entry
            explanation = theory_growth_explanation(scheme, activation, weights)
            if explanation is not None:
                explanations.setdefault(scheme, {}).setdefault(activation, {})[
                    weights
                ] = explanation
    return {
        "k": k,
        "layers": layers,
        "seeds": int(first["seeds"]),
        "seed": int(first["seed"]),
        "stable_within": stable_within,
        "growth_per_layer": growth_per_layer,
        "explanations": explanations,
    }


def _log10_norm_ratio(growth: float, layers: int) -> float | None:
    """log10 of the norm after all layers over the input's; None if it vanished."""
    return layers * math.log10(growth) if growth > 0 else None


def _within(value: float | None, band: list[float]) -> bool | None:
    if value is None:
        return None
    return bool(band[0] <= value <= band[1])
