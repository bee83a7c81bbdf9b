"""Figures of part two: the circular law over sizes, signals through depth, and
the input-output Jacobian, drawn as in :mod:`eigeninit.figures` from
``(sizes=..., summary=...)`` and ``(runs=..., summary=...)``."""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from eigeninit.depth import WEIGHT_MODES
from eigeninit.figure_style import FigureDefinition, registry
from eigeninit.figures import circle, legend_above, math_number, plain_log_axis
from eigeninit.initializers import SCHEMES

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ACTIVATION_STYLES = {"linear": ("C0", "-", "o"), "relu": ("C1", "--", "s")}
ACTIVATION_STYLES["tanh"] = ("C4", ":", "^")
"""Colour, line style and marker of each activation, the same in every figure."""


def _scaled_spectra(sizes: list[xr.Dataset]) -> list[tuple[int, np.ndarray]]:
    """Per size, increasing: k and every eigenvalue drawn divided by sqrt(k)."""
    from eigeninit.datasets import complex_values

    spectra = {int(d.attrs["k"]): complex_values(d, "eigenvalue").values for d in sizes}
    return [(k, spectra[k].ravel() / np.sqrt(k)) for k in sorted(spectra)]


def _errorbars_by_size(axes: Axes, summary: dict, key: str, **style) -> list[dict]:
    """Mean and 95% band of ``key`` per size on a log axis ticked at the sizes
    measured; returns the summary's entries by size."""
    from matplotlib.ticker import NullLocator

    entries = sorted(summary["sizes"].values(), key=lambda entry: entry["k"])
    k = [entry["k"] for entry in entries]
    mean = np.array([entry[key]["mean"] for entry in entries])
    lo, hi = np.array([entry[key]["ci95"] for entry in entries]).T
    axes.errorbar(k, mean, [mean - lo, hi - mean], capsize=3, **{"marker": "o"} | style)
    axes.set_xscale("log")
    axes.set_xticks(k, [str(size) for size in k])
    axes.xaxis.set_minor_locator(NullLocator())
    axes.set_xlabel("matrix size $k$")
    return entries


def draw_edge(figure: Figure, summary: dict, **_) -> None:
    figure.set_figheight(3.0)
    axes = figure.subplots()
    for key, label, color, marker in (
        ("spectral_radius_over_sqrt_k", r"$\rho\,/\sqrt{k}$", "C0", "o"),
        ("sigma_max_over_sqrt_k", r"$\sigma_{\max}\,/\sqrt{k}$", "C1", "s"),
    ):
        entries = _errorbars_by_size(
            axes, summary, key, color=color, marker=marker, label=label
        )
        axes.axhline(entries[0][key]["limit"], color=color, linestyle="--", lw=0.8)
    axes.set_ylabel(r"value $/\sqrt{k}$")
    legend_above(figure, title="mean and 95% band; dashed: large-$k$ limit")


def draw_disk(figure: Figure, sizes: list[xr.Dataset], **_) -> None:
    k, eigenvalues = _scaled_spectra(sizes)[-1]
    real = eigenvalues.imag == 0
    figure.set_figheight(figure.get_figwidth() + 0.2)
    axes = figure.subplots()
    # Tens of thousands of points: an image inside the PDF, axes and text stay
    # vector.
    dots = {"s": 0.6, "linewidths": 0, "alpha": 0.5, "rasterized": True}
    for chosen, color, label in ((~real, "C0", "complex"), (real, "C1", "real")):
        points, label = eigenvalues[chosen], f"{label}: {chosen.sum()}"
        axes.scatter(points.real, points.imag, color=color, label=label, **dots)
    circle(axes, 1, color="black", linewidth=0.8, label="unit circle")
    axes.set_aspect("equal")
    axes.set_xlabel(r"$\mathrm{Re}\,\lambda\,/\sqrt{k}$")
    axes.set_ylabel(r"$\mathrm{Im}\,\lambda\,/\sqrt{k}$")
    axes.set_title(f"$k = {k}$: {eigenvalues.size} eigenvalues")
    legend_above(figure, ncols=3, markerscale=5, scatterpoints=1)


def draw_radial_cdf(figure: Figure, sizes: list[xr.Dataset], **_) -> None:
    figure.set_figheight(3.0)
    axes = figure.subplots()
    for k, eigenvalues in _scaled_spectra(sizes):
        axes.ecdf(np.abs(eigenvalues), label=f"$k = {k}$")
    r = np.linspace(0, 1, 201)
    # On top of the curves, which follow it closely at large k.
    axes.plot(r, r**2, color="black", linestyle="--", zorder=3, label="disk: $r^2$")
    axes.set(xlabel="$r$", ylabel=r"share with $|\lambda|\,/\sqrt{k} \leq r$")
    legend_above(figure, ncols=3)


def draw_real_count(figure: Figure, summary: dict, **_) -> None:
    figure.set_figheight(2.9)
    axes = figure.subplots()
    entries = _errorbars_by_size(
        axes, summary, "real_eigenvalue_count", ls="none", label="measured"
    )
    k = [entry["k"] for entry in entries]
    exact = [entry["expected_real_eigenvalues"] for entry in entries]
    axes.plot(k, exact, color="C3", label="exact (Edelman, Kostlan, Shub)")
    asymptotic = [entry["asymptotic_real_eigenvalues"] for entry in entries]
    axes.plot(k, asymptotic, color="0.4", ls="--", label=r"$\sqrt{2k/\pi}$")
    axes.set_yscale("log")
    plain_log_axis(axes.yaxis)
    axes.set_ylabel("real eigenvalues")
    legend_above(figure)


def draw_dominant_real(figure: Figure, summary: dict, **_) -> None:
    figure.set_figheight(2.4)
    axes = figure.subplots()
    _errorbars_by_size(axes, summary, "dominant_real_fraction")
    axes.set_ylim(0, 1)
    axes.set(ylabel="share, real dominant", title="mean and 95% Wilson band")


CIRCULAR_LAW_FIGURES = registry(
    FigureDefinition(
        "edge",
        draw_edge,
        "The spectral radius and the largest singular value divided by the "
        "square root of k, mean and 95% band per size, approaching their "
        "large-k limits 1 and 2 (dashed).",
    ),
    FigureDefinition(
        "disk",
        draw_disk,
        "Every eigenvalue of G divided by the square root of k, for the largest "
        "size, filling the unit disk uniformly, the real ones (orange) on the "
        "horizontal axis.",
    ),
    FigureDefinition(
        "radial_cdf",
        draw_radial_cdf,
        "The share of eigenvalues with modulus over the square root of k below "
        "r, per size, approaching r squared (dashed), the uniform disk's law.",
    ),
    FigureDefinition(
        "real_count",
        draw_real_count,
        "The mean number of real eigenvalues per size with its 95% band, on the "
        "exact Edelman-Kostlan-Shub expectation, near the square root of 2k/pi.",
    ),
    FigureDefinition(
        "dominant_real",
        draw_dominant_real,
        "The share of matrices whose largest-modulus eigenvalue is real, per "
        "size, with 95% Wilson bands.",
    ),
)


def depth_figure_names(weights: list[str]) -> list[str]:
    """Stable names: one norms figure per weight mode, then the growth summary."""
    return [f"norms_{mode}" for mode in weights] + ["growth"]


def _keeps_band(summary: dict) -> dict:
    """How the band of what keeps the signal is shaded and named."""
    within = math_number(summary["stable_within"], 3)
    return dict(color="C2", alpha=0.25, lw=0, label=rf"keeps: within $\times{within}$")


def draw_norms(
    figure: Figure, runs: list[xr.Dataset], summary: dict, weights: str, **_
) -> None:
    """A panel per scheme on its own scale, so that no scheme's growth (the
    standard scheme's 10^60) flattens the others; a line per activation."""
    from eigeninit.stats import mean_ci95

    by_scheme = {
        run.attrs["scheme"]: run for run in runs if run.attrs["weights"] == weights
    }
    schemes = [scheme for scheme in summary["growth_per_layer"] if scheme in by_scheme]
    keeps = math.log10(summary["stable_within"])
    figure.set_figheight(0.95 * len(schemes) + 0.9)
    panels = figure.subplots(len(schemes), 1, sharex=True, squeeze=False)[:, 0]
    for panel, scheme in zip(panels, schemes, strict=True):
        run = by_scheme[scheme]
        layer = run["layer"].values
        for activation in run["activation"].values.tolist():
            norms = run["log10_norm"].sel(activation=activation).values
            with np.errstate(invalid="ignore"):
                mean, lo, hi = mean_ci95(norms - norms[:, :1], axis=0)
            color, dashes, _ = ACTIVATION_STYLES[activation]
            panel.plot(layer, mean, color=color, ls=dashes, label=activation)
            panel.fill_between(layer, lo, hi, color=color, alpha=0.2, lw=0)
        panel.axhline(0, color="0.6", linewidth=0.6)
        panel.axhspan(-keeps, keeps, **_keeps_band(summary))
        low, high = panel.get_ylim()
        panel.set_ylim(min(low, -1), max(high, 1))
        panel.set_title(SCHEMES[scheme].name, pad=2)
    panels[-1].set_xlabel("layer $l$")
    figure.supylabel(r"$\log_{10}\,\|x(l)\|\,/\,\|x(0)\|$")
    legend_above(figure, panels[0].get_legend_handles_labels()[0], ncols=3)


ROUND_GROWTHS = (1, 10, 0.1, 2, 0.5, 100, 0.01, 1.1, 0.9, 5, 0.2, 1.01, 0.99, 1.5)
ROUND_GROWTHS += (0.8, 1.02, 0.98, 1.05, 0.95, 20, 0.05, 1e3, 1e-3, 1.2, 0.7, 3, 0.3)
"""Tick values of the growth axis, roundest first."""


def _stretch_near_one(axes: Axes, half_width: float) -> None:
    """A growth axis linear in log growth within ``half_width`` of 0 (the keeps
    band) and logarithmic in it beyond, labelled at round growths."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    def forward(growth):
        return np.arcsinh(np.log(np.maximum(growth, 1e-300)) / half_width)

    def inverse(stretched):
        return np.exp(half_width * np.sinh(stretched))

    axes.set_xscale("function", functions=(forward, inverse))
    low, high = forward(np.array(axes.get_xlim()))
    ticks = []
    for value in ROUND_GROWTHS:  # roundest first, each far enough from the others
        position = forward(value)
        if low <= position <= high and all(
            abs(position - forward(tick)) > (high - low) / 10 for tick in ticks
        ):
            ticks.append(value)
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"${value:g}$"))
    axes.xaxis.set_minor_locator(NullLocator())


def draw_growth(figure: Figure, summary: dict, **_) -> None:
    growth = summary["growth_per_layer"]
    schemes = list(growth)
    activations = list(growth[schemes[0]])
    modes = list(growth[schemes[0]][activations[0]])
    low, high = summary["keeps_band"]
    figure.set_figheight(len(modes) * (0.3 * len(schemes) + 0.55) + 0.8)
    panels = figure.subplots(len(modes), 1, sharex=True, squeeze=False)[:, 0]
    rows = np.arange(len(schemes))[::-1]
    offsets = np.linspace(-0.25, 0.25, len(activations))
    for panel, mode in zip(panels, modes, strict=True):
        for activation, offset in zip(activations, offsets, strict=True):
            cells = [growth[scheme][activation][mode] for scheme in schemes]
            mean = np.array([cell["mean"] for cell in cells])
            lo, hi = np.array([cell["ci95"] for cell in cells]).T
            theory = [cell["finite_size"]["theory"] for cell in cells]
            theory = np.array(theory, dtype=float)  # None: no theory, not drawn
            # Bars under the measurements' markers and longer, so that both show.
            under = dict(markersize=9, color="black", zorder=1.5, label="theory")
            [theory_bars] = panel.plot(theory, rows + offset, "|", **under)
            color, _, marker = ACTIVATION_STYLES[activation]
            shown = mean > 0  # a vanished signal has no place on a log axis
            xerr = [(mean - lo)[shown], (hi - mean)[shown]]
            bars = {"fmt": marker, "color": color, "capsize": 2, "label": activation}
            panel.errorbar(mean[shown], rows[shown] + offset, xerr=xerr, **bars)
        panel.axvline(1, color="0.6", linewidth=0.6, zorder=1)
        keeps = panel.axvspan(low, high, **_keeps_band(summary))
        _stretch_near_one(panel, math.log(high / low) / 2)
        panel.set_yticks(rows, [SCHEMES[scheme].name for scheme in schemes])
        panel.set_ylim(-0.6, len(schemes) - 0.4)
        panel.set_title(f"{mode} weights")
    panels[-1].set_xlabel("growth per layer")
    # Activations in the first column, the references in the second.
    legend_above(figure, [*panel.containers, theory_bars, keeps])


DEPTH_FIGURES = registry(
    *(
        FigureDefinition(
            f"norms_{mode}",
            partial(draw_norms, weights=mode),
            f"The signal's log10 norm relative to the input through the layers "
            f"with {mode} weights, mean and 95% band over networks, a panel per "
            "scheme on its own scale and a line per activation; the shaded band "
            "is where the signal is kept.",
        )
        for mode in WEIGHT_MODES
    ),
    FigureDefinition(
        "growth",
        draw_growth,
        "The measured growth per layer, mean and 95% band, per scheme, "
        "activation and weight mode, beside the theory at this size (black "
        "bars), on an axis stretched near one so that the shaded band of growths "
        "that keep the signal shows.",
    ),
)


SCHEME_COLORS = {"lecun": "C0", "kaiming": "C3", "orthogonal": "C2"}
"""Colour per weight law in the Jacobian figure."""
THEORY_MARKS = {"linestyle": "none", "marker": "o", "markerfacecolor": "none"}


def draw_jacobian(figure: Figure, runs: list[xr.Dataset], summary: dict, **_) -> None:
    from matplotlib.lines import Line2D

    activations = runs[0]["activation"].values.tolist()
    curves = [
        (run.attrs["scheme"], a, run["sigma"].sel(activation=a).values.ravel())
        for run in runs
        for a in activations
    ]
    # From the lowest setting's 1% quantile to above the largest value, in whole
    # tens and fives: every bulk shows, no far lower tail (down to 10^-110)
    # flattens the rest.
    logs = [np.log10(sigma[sigma > 0]) for *_, sigma in curves]
    low = 10 * math.floor(min(np.quantile(x, 0.01) for x in logs) / 10)
    high = 5 * math.ceil(max(*(x.max() for x in logs), 0.5) / 5)
    figure.set_figheight(3.6)
    axes = figure.subplots()
    axes.axvline(0, color="0.6", linewidth=0.6)
    for scheme, activation, sigma in curves:
        color, entry = SCHEME_COLORS[scheme], summary["settings"][scheme][activation]
        # Zeros (and tails below the view) lie left of it: the curve enters the
        # view at their share.
        shown = np.log10(np.maximum(sigma, 10.0 ** (low - 1)))
        axes.ecdf(shown, color=color, ls=ACTIVATION_STYLES[activation][1])
        quantiles = [(q["theory"], q["probability"]) for q in entry["quantiles"]]
        axes.plot(*np.array(quantiles, dtype=float).T, color=color, **THEORY_MARKS)
        if share := entry["zero_share"]["theory"]:
            axes.plot(low, share, color=color, clip_on=False, **THEORY_MARKS)
    axes.set(xlim=(low, high), ylim=(0, 1), ylabel=r"share of $\sigma$ below")
    axes.set_xlabel(r"$\log_{10}\,\sigma$ of the input-output Jacobian")
    # Three columns, filled column by column: weight laws, activations, theory.
    schemes = list(summary["settings"])
    keys = [Line2D([], [], color=SCHEME_COLORS[scheme]) for scheme in schemes]
    keys += [Line2D([], [], color="k", ls=ACTIVATION_STYLES[a][1]) for a in activations]
    keys.append(Line2D([], [], color="k", **THEORY_MARKS))
    labels = [*(SCHEMES[scheme].name for scheme in schemes), *activations, "theory"]
    legend_above(figure, keys, ncols=3, labels=labels, handlelength=2.2)


JACOBIAN_FIGURES = registry(
    FigureDefinition(
        "singular_values",
        draw_jacobian,
        "The share of the input-output Jacobian's singular values sigma below "
        "each value of log10 sigma, pooled over networks, per weight law (colour) "
        "and activation (line style), with the theory's quantiles as open "
        "circles; a ReLU curve enters at its share of exactly zero sigma, whose "
        "exact value is circled on the left edge, and the axis starts at the "
        "lowest setting's 1% quantile.",
    ),
)
