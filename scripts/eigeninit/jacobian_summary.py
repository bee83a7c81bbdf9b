"""The numbers the write-up quotes about the input-output Jacobian, each beside
its theory, with an isometry verdict beside the depth summary's forward verdict;
workflow/schemas/jacobian_summary.schema.yaml defines every key."""

import math

import numpy as np
import xarray as xr

from eigeninit import jacobian, schemas, theory
from eigeninit.initializers import ORTHOGONAL, SCHEMES
from eigeninit.jacobian import ASYMPTOTIC, EXACT
from eigeninit.stats import finite_or_none

PROBS = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_NAMES = ("fifth", "lower_quartile", "median", "upper_quartile", "ninety_fifth")
BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED = 400, 0

ISOMETRY_BAND = 1.0
"""Decades that q95 - q05 of log10 sigma may span for an isometric Jacobian;
three times as many for a moderately spread one."""


def jacobian_summary(datasets: list[xr.Dataset], depth_summary: dict | None) -> dict:
    """The summary of the Jacobian datasets (one per scheme), with the depth
    summary's forward verdicts beside (None: no verdicts)."""
    attrs = datasets[0].attrs
    summary = {key: int(attrs[key]) for key in ("k", "layers", "seed")}
    summary |= {
        "networks": int(datasets[0].sizes["member"]),
        "weights": jacobian.WEIGHTS,
        "isometry_band": ISOMETRY_BAND,
        "settings": {
            run.attrs["scheme"]: {
                activation: setting_summary(
                    run.sel(activation=activation),
                    _forward(depth_summary, run.attrs["scheme"], activation),
                )
                for activation in run["activation"].values.tolist()
            }
            for run in datasets
        },
    }
    return schemas.validate("jacobian", summary)


def setting_summary(part: xr.Dataset, forward: dict | None = None) -> dict:
    """One setting's entry (see the schema) from its part of a Jacobian dataset."""
    scheme, activation = part.attrs["scheme"], part["activation"].item()
    k, layers = int(part.attrs["k"]), int(part.attrs["layers"])
    sigma, relu = part["sigma"].values, activation == "relu"
    quantiles = log10_sigma_quantiles(sigma)
    values = quantile_theory(scheme, activation, layers) or [None] * len(PROBS)
    zero_share = jacobian.relu_zero_share(k, layers) if relu else 0.0
    for entry, value in zip(quantiles, values, strict=True):
        entry["theory"] = value
        entry["theory_zero"] = entry["probability"] < zero_share if relu else None
    condition = log10_condition(sigma)
    mean_sigma2 = jacobian.mean_sigma2(scheme, activation, layers)
    zero_note = "every factor is invertible almost surely"
    if relu:
        zero_note = "1 - E[min_l r_l] / k, r_l iid Binomial(k, 1/2) active units"
    jacobi_condition = float(part["jacobi_condition"].values.max())
    return {
        "quantiles": quantiles,
        "log10_condition": condition,
        "mean_sigma2": _compared(
            (sigma**2).mean(axis=1), *mean_sigma2, _MEAN_SIGMA2_NOTES[activation]
        ),
        "zero_share": _compared((sigma == 0).mean(1), zero_share, EXACT, zero_note),
        "mean_log10_sigma": _mean_log10_sigma(part, scheme, activation, k, layers),
        "numerics": {  # the worst log-det gap, and the final Jacobi step's error bound
            "log_det_gap_max": finite_or_none(np.abs(part["log_det_gap"].values).max()),
            "relative_error_bound": k * jacobian.EPS * jacobi_condition,
        },
        "isometry": isometry_verdict(quantiles, condition["singular"]),
        "forward": forward,
    }


def _log10(sigma: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log10(sigma)


def log10_sigma_quantiles(sigma: np.ndarray) -> list[dict]:
    """Quantiles of log10 sigma pooled over networks (networks, k), by the
    inverted CDF so that exact zeros give ``zero`` (value None) rather than NaN,
    with seeded bootstrap standard errors over networks (None when a
    resample's quantile is an exact zero)."""
    logs, n = _log10(sigma), sigma.shape[0]
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    rows = rng.integers(0, n, (BOOTSTRAP_RESAMPLES, n))  # networks per resample
    values = np.quantile(logs, PROBS, method="inverted_cdf")
    resampled = logs[rows].reshape(BOOTSTRAP_RESAMPLES, -1)
    resamples = np.quantile(resampled, PROBS, axis=1, method="inverted_cdf")
    return [
        {
            "name": name,
            "probability": p,
            "value": finite_or_none(value),
            "zero": bool(value == -np.inf),
            "standard_error": float(column.std(ddof=1))
            if np.all(np.isfinite(column))
            else None,
        }
        for name, p, value, column in zip(
            QUANTILE_NAMES, PROBS, values, resamples, strict=True
        )
    ]


def quantile_theory(scheme: str, activation: str, layers: int) -> list | None:
    """The theory's quantiles of log10 sigma: exact (0) for orthogonal linear
    layers, the Fuss-Catalan law (Penson & Zyczkowski 2011, k -> infinity) for
    Gaussian ones, free probability (Pennington, Schoenholz & Ganguli 2017) for
    orthogonal tanh; else None (Gaussian tanh's, with Marchenko-Pastur factors
    in :class:`~eigeninit.jacobian.FreeProduct`, would cost 8 s per scheme)."""
    orthogonal = SCHEMES[scheme].family == ORTHOGONAL
    if activation == "linear" and orthogonal:
        return [0.0] * len(PROBS)
    if activation == "linear":
        return jacobian.gaussian_linear_quantiles(scheme, layers, PROBS).tolist()
    if activation == "tanh" and orthogonal:
        d2, weights = jacobian.tanh_derivative_laws(scheme, layers)
        free = jacobian.FreeProduct(values=d2, weights=weights)
        return free.log10_sigma_quantiles(PROBS).tolist()
    return None


def _compared(samples, value, kind, note, numerical_error: float = 0.0) -> dict:
    """Mean and standard error of per-network samples beside a theory value;
    against exact theory, :func:`eigeninit.theory.agreement`'s score, whose
    scale adds ``numerical_error``, a bound on the computed mean's own error."""
    mean = finite_or_none(samples.mean())
    se = None if mean is None else float(samples.std(ddof=1) / math.sqrt(samples.size))
    block = {
        "mean": mean,
        "standard_error": se,
        "theory": value,
        "kind": kind,
        "note": note,
        "numerical_error": numerical_error,
    }
    if kind == EXACT and value is not None and mean is not None:
        block |= theory.agreement(samples, value, numerical_error)
    return block


_MEAN_SIGMA2_NOTES = {
    "linear": "E|W v|^2 = s |v|^2 per layer",
    "relu": "E|D W v|^2 = s |v|^2 / 2 per layer (sign symmetry)",
    "tanh": "mean field: prod over layers of s E sech^4(h), k -> infinity",
}


def _mean_log10_sigma(part: xr.Dataset, scheme, activation, k, layers) -> dict:
    """The mean of log10 sigma, (1/k) log10 |det J|, its numerical error bounded
    by the log-det gap: |gap| / (k ln 10)."""
    samples = _log10(part["sigma"].values).mean(axis=1)
    if activation == "relu":
        note = "minus infinity: the Jacobian is singular"
        return _compared(samples, None, None, note)
    error = float(np.abs(part["log_det_gap"].values).max()) / (k * math.log(10))
    orthogonal = SCHEMES[scheme].family == ORTHOGONAL
    if orthogonal and activation == "linear":
        return _compared(samples, 0.0, EXACT, "every sigma is 1", error)
    gaussian = 0.0
    if not orthogonal:
        gaussian = jacobian.gaussian_linear_mean_log10_sigma(scheme, k, layers)
    if activation == "linear":
        note = "(1/2k) E ln det(W^T W) per layer, Bartlett decomposition, exact at k"
        return _compared(samples, gaussian, EXACT, note, error)
    d2, weights = jacobian.tanh_derivative_laws(scheme, layers)
    value = gaussian + 0.5 * float((np.log10(d2) @ weights).sum())
    note = "ln|det J| adds up: the exact weight term plus mean field's E ln D^2"
    return _compared(samples, value, ASYMPTOTIC, note, error)


def log10_condition(sigma: np.ndarray) -> dict:
    """log10 sigma_max / sigma_min per network: median and range, or singular."""
    if np.any(sigma[:, -1] == 0):
        return {"singular": True, "median": None, "range": None}
    ratio = _log10(sigma[:, 0]) - _log10(sigma[:, -1])
    range_ = [float(ratio.min()), float(ratio.max())]
    return {"singular": False, "median": float(np.median(ratio)), "range": range_}


def isometry_verdict(quantiles: list[dict], singular: bool, band=ISOMETRY_BAND) -> dict:
    """The shape of a spectrum from its quantiles at :data:`PROBS`: singular
    (some sigma exactly 0), else by q95 - q05 against ``band``; with that
    spread, the theory's and the median of log10 sigma."""
    low, median, high = quantiles[0], quantiles[2], quantiles[4]
    theory_low, theory_high = low.get("theory"), high.get("theory")
    spread = None if singular else high["value"] - low["value"]
    if singular:
        shape = "singular"
    elif spread <= band:
        shape = "isometric"
    else:
        shape = "moderately_spread" if spread <= 3 * band else "ill_conditioned"
    known = not singular and theory_low is not None and theory_high is not None
    return {
        "shape": shape,
        "spread_decades": spread,
        "theory_spread_decades": theory_high - theory_low if known else None,
        "median_log10_sigma": median["value"],
    }


def _forward(depth_summary: dict | None, scheme: str, activation: str) -> dict | None:
    """The depth summary's forward verdict for this setting with independent
    weights; None when it did not run."""
    try:
        entry = depth_summary["growth_per_layer"][scheme][activation][jacobian.WEIGHTS]
    except (KeyError, TypeError):
        return None
    return {"verdict": entry["verdict"]}
