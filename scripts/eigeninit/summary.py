"""Every number part one of the write-up quotes about an experiment, read from
its datasets; workflow/schemas/experiment_summary.schema.yaml defines the
keys. A number the data do not support is None."""

import math

import numpy as np
import scipy.stats
import xarray as xr

from eigeninit import schemas
from eigeninit.datasets import complex_values, dominant_structure
from eigeninit.number_format import linear_norm_exponent
from eigeninit.power import MEASURED, REPEATED_REAL, VANISHED
from eigeninit.spectrum import COMPLEX_PAIR, REAL
from eigeninit.stats import finite_or_none

FLOAT64_RESOLUTION = float(np.finfo(np.float64).eps)
FLOAT64_DIGITS = -math.log10(FLOAT64_RESOLUTION)
"""Decimal digits float64 resolves; :func:`agreement_digits` is capped at this."""

PUBLISHED_TOLERANCE = 1e-6
"""Largest difference from a published modulus that still counts as a match."""

PREVIEW_SIZE = 8
"""Rows, columns and moduli the write-up shows; larger matrices show this corner."""

SETTLED_NORM_BAND = 0.9
"""Probability of the central band of settled norms |z| kappa, z standard normal."""


def agreement_digits(estimate: float | None, exact: float) -> float | None:
    """-log10 of the relative difference, capped at float64's resolution; None
    without an estimate, or when only the exact value is 0."""
    if estimate == exact:
        return FLOAT64_DIGITS
    if estimate is None or exact == 0:
        return None
    relative = abs(estimate - exact) / abs(exact)
    return -math.log10(max(relative, FLOAT64_RESOLUTION))


def supported_stretch(run: xr.Dataset) -> float | None:
    """The last stretch estimate when the run's decision supports one, else None."""
    if dominant_structure(run["dominant"]) not in MEASURED:
        return None
    return finite_or_none(run["stretching_estimate"].values[-1])


def dominant_agrees(dominant: str, from_spectrum: str, spectral_radius: float) -> bool:
    """Whether the iterates' decision is the one the spectrum predicts."""
    if dominant == VANISHED:
        return spectral_radius == 0
    if dominant == REPEATED_REAL:
        return from_spectrum == REAL
    return dominant == from_spectrum


def steps_to_resolution(convergence_ratio: float) -> int | None:
    """Steps until ratio^n, power iteration's misalignment, falls below float64's
    resolution; None if it never does."""
    if convergence_ratio <= 0:
        return 0
    if convergence_ratio >= 1:
        return None
    return math.ceil(math.log(FLOAT64_RESOLUTION) / math.log(convergence_ratio))


def norm_swing(rotation_degrees: float) -> tuple[float, float]:
    """How far each step's turn is from a half turn, and so the period in steps of
    the norm, which repeats every half turn (x and -x have the same length)."""
    remainder = rotation_degrees % 180.0
    offset = min(remainder, 180.0 - remainder)
    return offset, 180.0 / offset


def quotient_max_over_min(quotient: np.ndarray) -> float | None:
    """Largest over smallest defined quotient in the last quarter of the steps
    (1 once settled); None when none is left or the smallest is 0."""
    defined = quotient[np.isfinite(quotient)]
    tail = defined[-max(2, quotient.size // 4) :]
    if tail.size == 0 or tail.min() == 0:
        return None
    return float(tail.max() / tail.min())


def summarize(
    matrix: xr.Dataset,
    spectrum: xr.Dataset,
    iterations: xr.Dataset,
    published_values: dict,
) -> dict:
    """Every number about one experiment the write-up may quote, validated, with
    ``published_values`` (numbers a publication printed) set beside ours."""
    raw, rescaled = (iterations.sel(run=run) for run in ("raw", "rescaled"))
    eigenvalues = complex_values(spectrum, "eigenvalue").values
    top = eigenvalues[-1]
    radius = float(spectrum.attrs["spectral_radius"])
    stretching_factor = supported_stretch(raw)
    values = matrix["matrix"].values
    k = int(matrix.attrs["k"])
    count = int(iterations.attrs["iterations"])
    dominant = dominant_structure(raw["dominant"])
    ratio = float(spectrum.attrs["convergence_ratio"])
    steps = steps_to_resolution(ratio)
    max_over_min = quotient_max_over_min(raw["quotient"].values)
    agreement = agreement_digits(stretching_factor, radius)
    measured = agreement is not None
    rescaled_quotient = finite_or_none(rescaled["quotient"].values[-1])
    from_spectrum = spectrum.attrs["dominant"]
    summary = {
        "experiment": matrix.attrs["experiment"],
        "k": k,
        "matrix_entries": k * k,
        "iterations": count,
        "products": count - 1,
        "seed": int(matrix.attrs["seed"]),
        "rng": matrix.attrs["rng"],
        "matrix_file": matrix.attrs["matrix_file"] or None,
        "matrix_preview": values[:PREVIEW_SIZE, :PREVIEW_SIZE].tolist(),
        "matrix_is_previewed": k > PREVIEW_SIZE,
        "matrix_mean": float(values.mean()),
        "matrix_std": float(values.std()),
        "last_quotient": finite_or_none(raw["quotient"].values[-1]),
        "quotient_max_over_min": max_over_min,
        "quotient_spread": None if max_over_min is None else max_over_min - 1,
        "dominant": dominant,
        "dominant_from_spectrum": from_spectrum,
        "dominant_agrees": dominant_agrees(dominant, from_spectrum, radius),
        "dominant_eigenvalue": [float(top.real), float(top.imag)],
        "sign_flips": bool(dominant == REAL and top.real < 0),
        "stretching_factor": stretching_factor,
        "spectral_radius": radius,
        "log10_spectral_radius": math.log10(radius) if radius > 0 else None,
        "eigenvalues": [[float(z.real), float(z.imag)] for z in eigenvalues],
        "eigenvalue_moduli": spectrum["modulus"].values.tolist(),
        "largest_moduli": spectrum["modulus"].values[-PREVIEW_SIZE:].tolist(),
        "agreement_digits": agreement,
        "agreement_whole_digits": math.floor(agreement) if measured else None,
        "agreement_at_resolution": agreement >= FLOAT64_DIGITS if measured else None,
        "convergence_ratio": ratio,
        "digits_per_step": -math.log10(ratio) if ratio > 0 else None,
        "steps_to_resolution": steps,
        "converges_within_run": steps is not None and steps <= count - 1,
        "final_alignment": float(raw["alignment"].values[-1]),
        "final_log10_norm": finite_or_none(raw["log10_norm"].values[-1]),
        # The largest lengths set the units of the figures' linear panels
        # (eigeninit.number_format.linear_norm_exponent), which captions quote.
        "max_log10_norm": float(raw["log10_norm"].values.max()),
        "norm_axis_exponent": linear_norm_exponent(raw["log10_norm"].values),
        "rescaled_max_log10_norm": float(rescaled["log10_norm"].values.max()),
        "rescaled_by": float(rescaled["scale"].values),
        "rescaled_stretching_factor": supported_stretch(rescaled),
        "rescaled_dominant": dominant_structure(rescaled["dominant"]),
        "rescaled_final_norm": finite_or_none(rescaled["norm"].values[-1]),
        "rescaled_last_quotient": rescaled_quotient,
        "rescaled_quotient_agreement_digits": agreement_digits(rescaled_quotient, 1.0),
        "convergence_tolerance": float(iterations.attrs["convergence_tolerance"]),
    }
    if dominant == COMPLEX_PAIR:
        rotation = float(np.degrees(abs(np.angle(top))))
        offset, period = norm_swing(rotation)
        summary |= {
            "rotation_degrees": rotation,
            "rotation_offset_degrees": offset,
            "norm_swing_period": period,
        }
    # The settled level's law assumes one simple real eigenvalue on top, which
    # the spectrum's condition number is given for, and iterates that found it.
    if spectrum.attrs["condition_number"] != "" and dominant == REAL:
        scale = float(spectrum.attrs["condition_number"])
        summary["settled_norm_scale"] = scale
        band = scipy.stats.halfnorm(scale=scale).interval(SETTLED_NORM_BAND)
        summary["settled_norm_band"] = [float(bound) for bound in band]
    summary.update(compare_published(summary, published_values))
    return schemas.validate("experiment", summary)


def compare_published(summary: dict, published: dict) -> dict:
    """Our values beside those a publication printed (the config's
    ``published_values``), with how far they agree."""
    compared = {}
    if "moduli" in published:
        ours = np.array(summary["eigenvalue_moduli"])
        theirs = np.sort(np.array(published["moduli"], dtype=np.float64))
        largest = float(np.max(np.abs(ours - theirs)))
        compared |= {
            "published_moduli": theirs.tolist(),
            "moduli_difference": (ours - theirs).tolist(),
            "moduli_max_abs_difference": largest,
            "moduli_agreement_digits": min(map(agreement_digits, ours, theirs)),
            "published_tolerance": PUBLISHED_TOLERANCE,
            "moduli_within_tolerance": largest <= PUBLISHED_TOLERANCE,
        }
    for key in ("mean", "std"):
        if key in published:
            theirs = compared[f"published_{key}"] = float(published[key])
            compared[f"{key}_abs_difference"] = abs(summary[f"matrix_{key}"] - theirs)
    if "stretching_factor" in published:
        text = published["stretching_factor"]
        decimals = len(text.partition(".")[2])  # "2.60" has 2, "1" has 0
        ours = summary["stretching_factor"]
        rounded = None if ours is None else round(ours, decimals)
        compared |= {
            "published_stretching_factor": float(text),
            "published_stretching_factor_decimals": decimals,
            "stretching_factor_rounded": rounded,
            "stretching_factor_matches_published": rounded == float(text),
        }
    if "rescaled_final_norm" in published and "settled_norm_scale" in summary:
        text = published["rescaled_final_norm"]
        settled = scipy.stats.halfnorm(scale=summary["settled_norm_scale"])
        compared |= {
            "published_rescaled_final_norm": float(text),
            "published_rescaled_final_norm_decimals": len(text.partition(".")[2]),
            "published_settled_norm_probability": float(settled.cdf(float(text))),
        }
    return compared
