"""The numbers the write-up quotes for one experiment, read from its datasets.

A number the data do not support is None (null in JSON): the stretching factor
of a run whose iterates fit no model, a quotient after x(n) = 0, a norm past
the float64 range. The matrix itself stays in matrix.nc; the summary keeps the
corner the write-up prints.
"""

import math

import numpy as np
import xarray as xr

from eigeninit.datasets import complex_values, dominant_structure
from eigeninit.power import MEASURED, REPEATED_REAL, VANISHED
from eigeninit.spectrum import COMPLEX_PAIR, REAL

FLOAT64_RESOLUTION = float(np.finfo(np.float64).eps)
MATRIX_CORNER = 8
"""Rows and columns of A's top-left corner kept for the write-up to print."""


def agreement_digits(estimate: float | None, exact: float) -> float | None:
    """-log10 of the relative difference, capped at float64's resolution.

    None without an estimate, or when only the exact value is 0 (no relative
    difference exists).
    """
    if estimate is None:
        return None
    if estimate == exact:
        return -math.log10(FLOAT64_RESOLUTION)
    if exact == 0:
        return None
    relative = abs(estimate - exact) / abs(exact)
    return -math.log10(max(relative, FLOAT64_RESOLUTION))


def finite_or_none(value) -> float | None:
    """A float for JSON, or None where the value is NaN or infinite."""
    value = float(value)
    return value if math.isfinite(value) else None


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


def summarize(
    matrix: xr.Dataset, spectrum: xr.Dataset, iterations: xr.Dataset, printed: dict
) -> dict:
    """Every number about one experiment that the write-up may quote."""
    raw = iterations.sel(run="raw")
    rescaled = iterations.sel(run="rescaled")
    eigenvalues = complex_values(spectrum, "eigenvalue").values
    dominant_eigenvalue = eigenvalues[-1]
    spectral_radius = float(spectrum.attrs["spectral_radius"])
    stretching_factor = supported_stretch(raw)
    values = matrix["matrix"].values
    dominant = dominant_structure(raw["dominant"])
    summary = {
        "experiment": matrix.attrs["experiment"],
        "k": int(matrix.attrs["k"]),
        "iterations": int(iterations.attrs["iterations"]),
        "seed": int(matrix.attrs["seed"]),
        "rng": matrix.attrs["rng"],
        "matrix_file": matrix.attrs["matrix_file"] or None,
        "matrix_corner": values[:MATRIX_CORNER, :MATRIX_CORNER].tolist(),
        "matrix_mean": float(values.mean()),
        "matrix_std": float(values.std()),
        "last_quotient": finite_or_none(raw["quotient"].values[-1]),
        "quotient_spread": _quotient_spread(raw["quotient"].values),
        "dominant": dominant,
        "dominant_from_spectrum": spectrum.attrs["dominant"],
        "dominant_agrees": dominant_agrees(
            dominant, spectrum.attrs["dominant"], spectral_radius
        ),
        "dominant_eigenvalue": [
            float(dominant_eigenvalue.real),
            float(dominant_eigenvalue.imag),
        ],
        "sign_flips": bool(dominant == REAL and dominant_eigenvalue.real < 0),
        "stretching_factor": stretching_factor,
        "spectral_radius": spectral_radius,
        "eigenvalues": [[float(z.real), float(z.imag)] for z in eigenvalues],
        "eigenvalue_moduli": spectrum["modulus"].values.tolist(),
        "agreement_digits": agreement_digits(stretching_factor, spectral_radius),
        "convergence_ratio": float(spectrum.attrs["convergence_ratio"]),
        "final_alignment": float(raw["alignment"].values[-1]),
        "final_log10_norm": finite_or_none(raw["log10_norm"].values[-1]),
        # The largest lengths set the units of the figures' linear panels
        # (eigeninit.figures.linear_norm_exponent), which captions quote.
        "max_log10_norm": float(raw["log10_norm"].values.max()),
        "rescaled_max_log10_norm": float(rescaled["log10_norm"].values.max()),
        "rescaled_by": float(rescaled["scale"].values),
        "rescaled_stretching_factor": supported_stretch(rescaled),
        "rescaled_dominant": dominant_structure(rescaled["dominant"]),
        "rescaled_final_norm": finite_or_none(rescaled["norm"].values[-1]),
        "rescaled_last_quotient": finite_or_none(rescaled["quotient"].values[-1]),
        "convergence_tolerance": float(iterations.attrs["convergence_tolerance"]),
    }
    if dominant == COMPLEX_PAIR:
        summary["rotation_degrees"] = float(
            np.degrees(abs(np.angle(dominant_eigenvalue)))
        )
    summary.update(_compare_printed(summary, printed))
    return summary


def _quotient_spread(quotient: np.ndarray) -> float | None:
    """Relative range (max/min - 1) of the quotient over the last quarter of steps.

    Near 0 when the quotient has settled; large when it keeps oscillating, as
    it does under a complex dominant pair. Only defined quotients count (step 0
    has none, nor any step after x(n) = 0); None when none is left or the
    smallest is 0.
    """
    defined = quotient[np.isfinite(quotient)]
    tail = defined[-max(2, quotient.size // 4) :]
    if tail.size == 0 or tail.min() == 0:
        return None
    return float(tail.max() / tail.min() - 1)


def _compare_printed(summary: dict, printed: dict) -> dict:
    """Our values beside those a publication printed, with the differences."""
    compared = {}
    if "moduli" in printed:
        ours = np.array(summary["eigenvalue_moduli"])
        theirs = np.sort(np.array(printed["moduli"], dtype=np.float64))
        compared["printed_moduli"] = theirs.tolist()
        compared["moduli_difference"] = (ours - theirs).tolist()
        compared["moduli_max_abs_difference"] = float(np.max(np.abs(ours - theirs)))
    for key in ("mean", "std"):
        if key in printed:
            compared[f"printed_{key}"] = float(printed[key])
            compared[f"{key}_abs_difference"] = abs(
                summary[f"matrix_{key}"] - float(printed[key])
            )
    return compared
