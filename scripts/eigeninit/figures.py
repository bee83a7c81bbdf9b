"""Figures of one experiment, drawn from its datasets.

Each function takes the experiment's datasets and summary and returns a
matplotlib figure; ``FIGURES`` maps the stable file names to them.
"""

import matplotlib

matplotlib.use("Agg")
# Fixed ids in any SVG output, so the same data gives the same bytes.
matplotlib.rcParams["svg.hashsalt"] = "eigeninit"

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

from eigeninit.spectrum import COMPLEX_PAIR  # noqa: E402

FIGURE_SIZE = (9.0, 3.6)
SQUARE_SIZE = (4.8, 4.8)


def _steps(iterations: xr.Dataset) -> np.ndarray:
    return iterations["step"].values


def norm_figure(iterations: xr.Dataset, summary: dict, **_) -> plt.Figure:
    """|x(n)| against n, linear (as the post plots it) and logarithmic."""
    raw = iterations.sel(run="raw")
    figure, (linear, logarithmic) = plt.subplots(1, 2, figsize=FIGURE_SIZE)
    linear.plot(_steps(iterations), raw["norm"].values, color="C0")
    linear.set_title("linear scale")
    linear.set_ylabel("norm |x(n)|")
    logarithmic.plot(_steps(iterations), raw["log10_norm"].values, color="C0")
    slope = np.log10(summary["spectral_radius"])
    logarithmic.plot(
        _steps(iterations),
        raw["log10_norm"].values[-1]
        + slope * (_steps(iterations) - _steps(iterations)[-1]),
        color="C3",
        linestyle="--",
        linewidth=1,
        label=f"slope log10 ρ = {slope:.4f}",
    )
    logarithmic.set_title("logarithmic scale")
    logarithmic.set_ylabel("log10 |x(n)|")
    logarithmic.legend(loc="upper left")
    for axes in (linear, logarithmic):
        axes.set_xlabel("step n")
    return figure


def quotient_figure(iterations: xr.Dataset, summary: dict, **_) -> plt.Figure:
    """|x(n)|/|x(n-1)| against n with the spectral radius drawn."""
    raw = iterations.sel(run="raw")
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    axes.plot(_steps(iterations), raw["quotient"].values, marker=".", label="quotient")
    if summary["dominant"] == COMPLEX_PAIR:
        axes.plot(
            _steps(iterations),
            raw["stretching_estimate"].values,
            color="C2",
            label="plane-fit estimate sqrt(-b)",
        )
    axes.axhline(
        summary["spectral_radius"],
        color="C3",
        linestyle="--",
        label=f"spectral radius ρ = {summary['spectral_radius']:.5f}",
    )
    axes.set_xlabel("step n")
    axes.set_ylabel("|x(n)| / |x(n-1)|")
    axes.legend()
    return figure


def eigenvalues_figure(spectrum: xr.Dataset, summary: dict, **_) -> plt.Figure:
    """Eigenvalues in the complex plane inside the circle of radius ρ."""
    eigenvalues = spectrum["eigenvalue"].values
    radius = summary["spectral_radius"]
    figure, axes = plt.subplots(figsize=SQUARE_SIZE)
    angle = np.linspace(0, 2 * np.pi, 361)
    axes.plot(radius * np.cos(angle), radius * np.sin(angle), color="0.6", linewidth=1)
    axes.scatter(eigenvalues.real, eigenvalues.imag, color="C0", zorder=3)
    dominant = eigenvalues[np.abs(eigenvalues) == np.abs(eigenvalues).max()]
    axes.scatter(
        dominant.real,
        dominant.imag,
        facecolor="none",
        edgecolor="C3",
        s=160,
        zorder=4,
        label=f"|l| = ρ = {radius:.5f}",
    )
    axes.axhline(0, color="0.85", linewidth=0.8)
    axes.axvline(0, color="0.85", linewidth=0.8)
    axes.set_aspect("equal")
    axes.set_xlabel("real part")
    axes.set_ylabel("imaginary part")
    axes.legend(loc="lower left", fontsize="small")
    return figure


def convergence_figure(iterations: xr.Dataset, summary: dict, **_) -> plt.Figure:
    """Misalignment and stretch error on a log scale beside ratio^n.

    The predicted line has the slope log(ratio) from the spectrum; only its
    height is fitted, to the misalignment above float64 noise.
    """
    raw = iterations.sel(run="raw")
    steps = _steps(iterations).astype(float)
    misalignment = raw["misalignment"].values
    error = np.abs(raw["stretching_estimate"].values / summary["spectral_radius"] - 1)
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    floor = 1e-17
    axes.semilogy(
        steps, np.maximum(misalignment, floor), label="sine of angle to subspace"
    )
    axes.semilogy(steps, np.maximum(error, floor), label="relative stretch error")
    ratio = summary["convergence_ratio"]
    if ratio > 0:
        above_noise = misalignment > 1e-12
        height = np.mean(
            np.log(misalignment[above_noise]) - steps[above_noise] * np.log(ratio)
        )
        axes.semilogy(
            steps,
            np.exp(height + steps * np.log(ratio)),
            color="0.3",
            linestyle="--",
            label=f"predicted rate {ratio:.4f}^n",
        )
    axes.axhline(
        np.finfo(np.float64).eps, color="0.7", linewidth=0.8, label="float64 eps"
    )
    axes.set_ylim(floor, 10)
    axes.set_xlabel("step n")
    axes.set_ylabel("error (dimensionless)")
    axes.legend(fontsize="small")
    return figure


def rescaled_figure(iterations: xr.Dataset, summary: dict, **_) -> plt.Figure:
    """Norm and quotient of the run with A divided by its spectral radius."""
    rescaled = iterations.sel(run="rescaled")
    figure, (norm_axes, quotient_axes) = plt.subplots(1, 2, figsize=FIGURE_SIZE)
    norm_axes.plot(_steps(iterations), rescaled["norm"].values, color="C0")
    norm_axes.set_ylabel("norm |x(n)|")
    norm_axes.set_ylim(bottom=0)
    quotient_axes.plot(_steps(iterations), rescaled["quotient"].values, color="C0")
    quotient_axes.axhline(1, color="C3", linestyle="--", label="1")
    quotient_axes.set_ylabel("|x(n)| / |x(n-1)|")
    quotient_axes.legend()
    for axes in (norm_axes, quotient_axes):
        axes.set_xlabel("step n")
    return figure


FIGURES = {
    "norm": norm_figure,
    "quotient": quotient_figure,
    "eigenvalues": eigenvalues_figure,
    "convergence": convergence_figure,
    "rescaled": rescaled_figure,
}

# No dates or versions in the files, so the same data gives the same bytes.
STABLE_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def save(figure: plt.Figure, paths: dict[str, str]) -> None:
    """Save in each format (``{"png": path, ...}``) with stable metadata, then close."""
    figure.tight_layout()
    for file_format, path in paths.items():
        figure.savefig(
            path, format=file_format, dpi=120, metadata=STABLE_METADATA[file_format]
        )
    plt.close(figure)
