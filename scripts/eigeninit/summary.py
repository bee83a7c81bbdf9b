"""The numbers the write-up quotes for one experiment, read from its datasets."""

import math

import numpy as np
import xarray as xr

from eigeninit.datasets import complex_values, dominant_structure
from eigeninit.spectrum import COMPLEX_PAIR, REAL

FLOAT64_RESOLUTION = float(np.finfo(np.float64).eps)


def agreement_digits(estimate: float, exact: float) -> float:
    """-log10 of the relative difference, capped at float64's resolution."""
    relative = abs(estimate - exact) / abs(exact)
    return -math.log10(max(relative, FLOAT64_RESOLUTION))


def summarize(
    matrix: xr.Dataset, spectrum: xr.Dataset, iterations: xr.Dataset, printed: dict
) -> dict:
    """Every number about one experiment that the write-up may quote."""
    raw = iterations.sel(run="raw")
    rescaled = iterations.sel(run="rescaled")
    eigenvalues = complex_values(spectrum, "eigenvalue").values
    dominant_eigenvalue = eigenvalues[-1]
    spectral_radius = float(spectrum.attrs["spectral_radius"])
    stretching_factor = float(raw["stretching_estimate"].values[-1])
    values = matrix["matrix"].values
    dominant = dominant_structure(raw["dominant"])
    summary = {
        "experiment": matrix.attrs["experiment"],
        "k": int(matrix.attrs["k"]),
        "iterations": int(iterations.attrs["iterations"]),
        "seed": int(matrix.attrs["seed"]),
        "rng": matrix.attrs["rng"],
        "matrix_file": matrix.attrs["matrix_file"] or None,
        "matrix": values.tolist(),
        "matrix_mean": float(values.mean()),
        "matrix_std": float(values.std()),
        "last_quotient": float(raw["quotient"].values[-1]),
        "quotient_spread": _quotient_spread(raw["quotient"].values),
        "dominant": dominant,
        "dominant_from_spectrum": spectrum.attrs["dominant"],
        "dominant_agrees": dominant == spectrum.attrs["dominant"],
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
        "final_log10_norm": float(raw["log10_norm"].values[-1]),
        # The largest lengths set the units of the figures' linear panels
        # (eigeninit.figures.linear_norm_exponent), which captions quote.
        "max_log10_norm": float(raw["log10_norm"].values.max()),
        "rescaled_max_log10_norm": float(rescaled["log10_norm"].values.max()),
        "rescaled_stretching_factor": float(rescaled["stretching_estimate"].values[-1]),
        "rescaled_dominant": dominant_structure(rescaled["dominant"]),
        "rescaled_final_norm": float(rescaled["norm"].values[-1]),
        "rescaled_last_quotient": float(rescaled["quotient"].values[-1]),
        "convergence_tolerance": float(iterations.attrs["convergence_tolerance"]),
    }
    if dominant == COMPLEX_PAIR:
        summary["rotation_degrees"] = float(
            np.degrees(abs(np.angle(dominant_eigenvalue)))
        )
    summary.update(_compare_printed(summary, printed))
    return summary


def _quotient_spread(quotient: np.ndarray) -> float:
    """Relative range (max/min - 1) of the quotient over the last quarter of steps.

    Near 0 when the quotient has settled; large when it keeps oscillating, as
    it does under a complex dominant pair.
    """
    tail = quotient[-max(2, quotient.size // 4) :]
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
