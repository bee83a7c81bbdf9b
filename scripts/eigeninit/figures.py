"""Figures of one experiment, and drawing helpers: ``FIGURES[name](matrix=...,
spectrum=..., iterations=..., summary=...)`` draws one. matplotlib and xarray are
imported only to draw: the workflow reads the registry when it parses."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from eigeninit.figure_style import FigureDefinition, registry
from eigeninit.number_format import linear_norm_exponent
from eigeninit.power import VANISHED
from eigeninit.spectrum import REAL

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def math_number(value: float, digits: int = 4) -> str:
    """``value`` to ``digits`` significant digits as mathtext (no $ signs): float
    noise rounded away, huge and tiny values as a times 10^e."""
    if value != 0 and not 1e-3 <= abs(value) < 1e5:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        return rf"{float(mantissa):g} \times 10^{{{int(exponent)}}}"
    return f"{value:.{digits}g}"


def plain_log_axis(axis) -> None:
    """Label a log axis with plain numbers, denser the fewer decades its view spans."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    low, high = sorted(axis.get_view_interval())
    decades = math.log10(high / low)
    subs = (
        (1, 1.5, 2, 3, 5, 7) if decades <= 1.2 else (1, 2, 5) if decades <= 3 else (1,)
    )
    axis.set_major_locator(LogLocator(subs=subs, numticks=99))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_locator(NullLocator())


def legend_above(figure: Figure, handles=None, ncols: int = 2, **options) -> None:
    """A legend above the panels, where it cannot cover data: of ``handles``, or
    of every labelled artist."""
    figure.legend(handles=handles, loc="outside upper center", ncols=ncols, **options)


def circle(axes: Axes, radius: float, **style) -> None:
    angle = np.linspace(0, 2 * np.pi, 721)
    axes.plot(radius * np.cos(angle), radius * np.sin(angle), **style)


def _draw_linear_norm(axes: Axes, steps: np.ndarray, log10_norms: np.ndarray) -> None:
    exponent = linear_norm_exponent(log10_norms)
    axes.plot(steps, 10.0 ** (log10_norms - exponent), color="C0")
    unit = "" if exponent == 0 else rf"\ /\ 10^{{{exponent}}}"
    axes.set_ylabel(rf"$\|x(n)\|{unit}$")
    axes.set_ylim(bottom=0)


def draw_norm(figure: Figure, iterations: xr.Dataset, summary: dict, **_) -> None:
    raw, steps = iterations.sel(run="raw"), iterations["step"].values
    figure.set_figheight(4.4)
    linear, logarithmic = figure.subplots(2, 1, sharex=True)
    _draw_linear_norm(linear, steps, raw["log10_norm"].values)
    linear.set_title("linear scale, as the post plots it")
    logarithmic.plot(steps, raw["log10_norm"].values, color="C0", label="measured")
    last = raw["log10_norm"].values[-1]
    # A nilpotent A (rho = 0) sends x(n) to exactly zero: no slope to draw.
    if summary["spectral_radius"] > 0 and np.isfinite(last):
        slope = math.log10(summary["spectral_radius"])
        label = rf"slope $\log_{{10}}\rho = {math_number(slope)}$"
        line = last + slope * (steps - steps[-1])
        logarithmic.plot(steps, line, color="C3", linestyle="--", label=label)
    logarithmic.set_title("logarithmic scale")
    logarithmic.set_ylabel(r"$\log_{10}\|x(n)\|$")
    logarithmic.set_xlabel("step $n$")
    legend_above(figure)


def draw_quotient(figure: Figure, iterations: xr.Dataset, summary: dict, **_) -> None:
    raw, steps = iterations.sel(run="raw"), iterations["step"].values
    figure.set_figheight(2.9)
    axes = figure.subplots()
    quotient = r"$\|x(n)\|\,/\,\|x(n-1)\|$"
    axes.plot(steps, raw["quotient"].values, marker=".", label=quotient)
    # Without a real dominant eigenvalue the estimate is the two-step plane fit.
    if summary["dominant"] not in (REAL, VANISHED):
        fit = raw["stretching_estimate"].values
        axes.plot(steps, fit, color="C2", linestyle="-.", label="two-step plane fit")
    radius = summary["spectral_radius"]
    label = rf"$\rho = {math_number(radius)}$"
    axes.axhline(radius, color="C3", linestyle="--", label=label)
    axes.set(xlabel="step $n$", ylabel="quotient")
    legend_above(figure)


def draw_eigenvalues(figure: Figure, spectrum: xr.Dataset, summary: dict, **_) -> None:
    from eigeninit.datasets import complex_values

    eigenvalues = complex_values(spectrum, "eigenvalue").values
    radius = summary["spectral_radius"]
    figure.set_figheight(figure.get_figwidth() + 0.3)
    axes = figure.subplots()
    axes.axhline(0, color="0.85", linewidth=0.6)
    axes.axvline(0, color="0.85", linewidth=0.6)
    circle(axes, radius, color="0.6", linewidth=0.8, label=r"$|\lambda| = \rho$")
    axes.scatter(eigenvalues.real, eigenvalues.imag, zorder=3, label=r"$\lambda$")
    dominant = eigenvalues[np.abs(eigenvalues) == np.abs(eigenvalues).max()]
    ring = {"facecolor": "none", "edgecolor": "C3", "s": 120, "zorder": 4}
    label = rf"dominant, $\rho = {math_number(radius)}$"
    axes.scatter(dominant.real, dominant.imag, label=label, **ring)
    # Every eigenvalue 0 (a nilpotent A): frame the origin at unit scale.
    reach = 1.15 * (radius if radius > 0 else 1.0)
    axes.set(xlim=(-reach, reach), ylim=(-reach, reach), aspect="equal")
    axes.set(xlabel=r"$\mathrm{Re}\,\lambda$", ylabel=r"$\mathrm{Im}\,\lambda$")
    legend_above(figure, ncols=3, handletextpad=0.3, columnspacing=0.8)


def draw_convergence(
    figure: Figure, iterations: xr.Dataset, summary: dict, **_
) -> None:
    """Misalignment and stretch error beside ratio^n, whose slope comes from the
    spectrum and whose height is fitted to the misalignment above float64 noise."""
    from matplotlib.ticker import LogLocator, NullLocator

    raw, steps = iterations.sel(run="raw"), iterations["step"].values.astype(float)
    misalignment = raw["misalignment"].values
    with np.errstate(divide="ignore", invalid="ignore"):  # rho = 0: no error
        error = abs(raw["stretching_estimate"].values / summary["spectral_radius"] - 1)
    figure.set_figheight(3.1)
    axes = figure.subplots()
    # Fixed limits: exact zeros lie on the bottom edge.
    axes.set_yscale("log", nonpositive="clip")
    axes.set_ylim(1e-17, 10)
    axes.plot(steps, misalignment, label="sine of the angle to the subspace")
    stretch_error = r"$|\mathrm{stretch}\,/\,\rho - 1|$"
    axes.plot(steps, error, color="C1", linestyle="-.", label=stretch_error)
    ratio = summary["convergence_ratio"]
    above_noise = misalignment > 1e-12
    if ratio > 0 and above_noise.any():
        height = np.mean(
            np.log(misalignment[above_noise]) - steps[above_noise] * np.log(ratio)
        )
        predicted = np.exp(height + steps * np.log(ratio))
        # A base written with a power of ten needs brackets: no double superscript.
        base = math_number(ratio, 3)
        power = f"({base})^{{n}}" if "10^" in base else f"{base}^{{n}}"
        label = rf"predicted $\propto {power}$"
        axes.plot(steps, predicted, color="0.3", linestyle="--", label=label)
    eps = np.finfo(np.float64).eps
    axes.axhline(eps, color="0.6", lw=0.8, ls=":", label=r"float64 $\varepsilon$")
    axes.yaxis.set_major_locator(LogLocator(numticks=5))
    axes.yaxis.set_minor_locator(NullLocator())
    axes.set(xlabel="step $n$", ylabel="error")
    legend_above(figure, ncols=1)


def draw_rescaled(figure: Figure, iterations: xr.Dataset, **_) -> None:
    rescaled, steps = iterations.sel(run="rescaled"), iterations["step"].values
    figure.set_figheight(3.8)
    norm_axes, quotient_axes = figure.subplots(2, 1, sharex=True)
    _draw_linear_norm(norm_axes, steps, rescaled["log10_norm"].values)
    norm_axes.set_title(r"length, $A/\rho$")
    quotient_axes.plot(steps, rescaled["quotient"].values, color="C0")
    quotient_axes.axhline(1, color="C3", linestyle="--")
    quotient_axes.set_title(r"quotient $\|x(n)\|\,/\,\|x(n-1)\|$, dashed at $1$")
    quotient_axes.set_xlabel("step $n$")


FIGURES = registry(
    FigureDefinition(
        "norm",
        draw_norm,
        "The length of x(n) against the step n, on a linear axis as the post "
        "plots it and as log10, where it grows along a line whose slope is "
        "log10 of the spectral radius.",
    ),
    FigureDefinition(
        "quotient",
        draw_quotient,
        "The length of x(n) over that of x(n-1) against the step n settling on the "
        "spectral radius (dashed), or, for a complex dominant pair, swinging "
        "around it while the plane-fit estimate settles on it.",
    ),
    FigureDefinition(
        "eigenvalues",
        draw_eigenvalues,
        "The eigenvalues of A in the complex plane inside the circle whose "
        "radius is the spectral radius, the dominant one circled.",
    ),
    FigureDefinition(
        "convergence",
        draw_convergence,
        "On a log axis, the sine of the angle between x(n) and the dominant "
        "invariant subspace and the stretch estimate's relative error fall "
        "like the convergence ratio to the power n, down to float64 precision.",
    ),
    FigureDefinition(
        "rescaled",
        draw_rescaled,
        "With A divided by its spectral radius, the length of x(n) settles and "
        "the quotient goes to 1 (dashed).",
    ),
)
