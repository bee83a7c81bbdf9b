"""Figures of part two: the circular law over sizes, and signals through depth.

``CIRCULAR_LAW_FIGURES[name](sizes=..., summary=...)``,
``DEPTH_FIGURES[name](runs=..., summary=...)`` and
``JACOBIAN_FIGURES[name](runs=..., summary=...)`` return drawn figures for
:func:`eigeninit.figure_style.save`; ``.description`` is each one's sentence.

matplotlib, xarray and scipy are imported where a figure is drawn, as in
:mod:`eigeninit.figures`.
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from eigeninit.depth import WEIGHT_MODES
from eigeninit.figure_style import FigureDefinition, registry
from eigeninit.figures import math_number, plain_log_axis

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

KEEPS_COLOR = "#2ca02c"
KEEPS_ALPHA = 0.18
ACTIVATION_STYLES = (
    {"color": "C0", "linestyle": "-", "marker": "o"},
    {"color": "C1", "linestyle": "--", "marker": "s"},
    {"color": "C4", "linestyle": ":", "marker": "^"},
    {"color": "C5", "linestyle": "-.", "marker": "D"},
)
"""Per activation: lines differ in colour and dash, markers in shape too."""


def _by_size(sizes: list[xr.Dataset]) -> list[xr.Dataset]:
    return sorted(sizes, key=lambda dataset: int(dataset.attrs["k"]))


def _band(summary: dict, key: str):
    """k, mean, lower and upper error of a per-size quantity, for errorbar."""
    entries = sorted(summary["sizes"].values(), key=lambda entry: entry["k"])
    k = np.array([entry["k"] for entry in entries])
    mean = np.array([entry[key]["mean"] for entry in entries])
    lo = np.array([entry[key]["ci95"][0] for entry in entries])
    hi = np.array([entry[key]["ci95"][1] for entry in entries])
    return k, mean, np.vstack([mean - lo, hi - mean])


def _sizes_axis(axes: Axes, k: np.ndarray) -> None:
    """Log axis of matrix sizes, ticked and labelled at the sizes measured."""
    from matplotlib.ticker import NullLocator

    axes.set_xscale("log")
    axes.set_xticks(k, [f"${size}$" for size in k])
    axes.xaxis.set_minor_locator(NullLocator())
    axes.set_xlabel("matrix size $k$")


def draw_edge(figure: Figure, summary: dict, **_) -> None:
    figure.set_figheight(2.6)
    axes = figure.subplots()
    for key, label, color, marker in (
        ("spectral_radius_over_sqrt_k", r"$\rho\,/\sqrt{k}$", "C0", "o"),
        ("sigma_max_over_sqrt_k", r"$\sigma_{\max}\,/\sqrt{k}$", "C1", "s"),
    ):
        k, mean, error = _band(summary, key)
        axes.errorbar(
            k, mean, yerr=error, marker=marker, capsize=3, color=color, label=label
        )
        limit = next(iter(summary["sizes"].values()))[key]["limit"]
        axes.axhline(limit, color=color, linestyle="--", linewidth=0.8)
    _sizes_axis(axes, k)
    axes.set_ylabel(r"value $/\sqrt{k}$")
    axes.legend(
        title="mean, 95% band; dashed: limit", loc="center right", title_fontsize=None
    )


def draw_disk(figure: Figure, sizes: list[xr.Dataset], **_) -> None:
    from eigeninit.datasets import complex_values

    largest = _by_size(sizes)[-1]
    k = int(largest.attrs["k"])
    eigenvalues = complex_values(largest, "eigenvalue").values.ravel() / np.sqrt(k)
    figure.set_figheight(figure.get_figwidth())
    axes = figure.subplots()
    axes.scatter(
        eigenvalues.real,
        eigenvalues.imag,
        s=0.5,
        alpha=0.4,
        color="C0",
        rasterized=True,
    )
    angle = np.linspace(0, 2 * np.pi, 721)
    axes.plot(np.cos(angle), np.sin(angle), color="C3")
    axes.set_aspect("equal")
    axes.set_xlabel(r"$\mathrm{Re}\,\lambda\,/\sqrt{k}$")
    axes.set_ylabel(r"$\mathrm{Im}\,\lambda\,/\sqrt{k}$")
    axes.set_title(f"$k = {k}$: {eigenvalues.size} eigenvalues, unit circle in red")


def draw_radial_cdf(figure: Figure, sizes: list[xr.Dataset], **_) -> None:
    from eigeninit.datasets import complex_values

    figure.set_figheight(2.8)
    axes = figure.subplots()
    dashes = ("-", "--", "-.", ":")
    for index, dataset in enumerate(_by_size(sizes)):
        k = int(dataset.attrs["k"])
        eigenvalues = complex_values(dataset, "eigenvalue").values.ravel()
        radius = np.sort(np.abs(eigenvalues) / np.sqrt(k))
        share = np.arange(1, radius.size + 1) / radius.size
        axes.step(
            radius,
            share,
            where="post",
            color=f"C{index}",
            linestyle=dashes[index % len(dashes)],
            label=f"$k = {k}$",
        )
    r = np.linspace(0, 1, 201)
    axes.plot(r, r**2, color="black", linewidth=2.2, alpha=0.35, label="disk: $r^2$")
    axes.set_xlabel("$r$")
    axes.set_ylabel(r"share with $|\lambda|\,/\sqrt{k} \leq r$")
    axes.legend(loc="upper left")


def draw_real_count(figure: Figure, summary: dict, **_) -> None:
    k, mean, error = _band(summary, "real_eigenvalue_count")
    entries = sorted(summary["sizes"].values(), key=lambda entry: entry["k"])
    figure.set_figheight(2.6)
    axes = figure.subplots()
    axes.errorbar(
        k,
        mean,
        yerr=error,
        marker="o",
        capsize=3,
        linestyle="none",
        label="measured, 95% band",
    )
    axes.plot(
        k,
        [entry["expected_real_eigenvalues"] for entry in entries],
        color="C3",
        label="exact (Edelman, Kostlan, Shub)",
    )
    axes.plot(
        k,
        [entry["asymptotic_real_eigenvalues"] for entry in entries],
        color="0.4",
        linestyle="--",
        label=r"$\sqrt{2k/\pi}$",
    )
    _sizes_axis(axes, k)
    axes.set_yscale("log")
    plain_log_axis(axes.yaxis)
    axes.set_ylabel("real eigenvalues")
    axes.legend(loc="upper left")


def draw_dominant_real(figure: Figure, summary: dict, **_) -> None:
    k, mean, error = _band(summary, "dominant_real_fraction")
    figure.set_figheight(2.4)
    axes = figure.subplots()
    axes.errorbar(k, mean, yerr=error, marker="o", capsize=3)
    _sizes_axis(axes, k)
    axes.set_ylim(0, 1)
    axes.set_ylabel("share, real dominant")
    axes.set_title("mean and 95% Wilson band")


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
        "size, filling the unit disk uniformly.",
    ),
    FigureDefinition(
        "radial_cdf",
        draw_radial_cdf,
        "The share of eigenvalues with modulus over the square root of k below "
        "r, per size, approaching r squared, the uniform disk's law.",
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


def _scheme_label(scheme: str) -> str:
    """The scheme's display name (Xavier uniform, not xavier_uniform)."""
    from eigeninit.scheme_facts import SCHEME_FACTS

    return SCHEME_FACTS[scheme].name


def _keeps_within(summary: dict) -> float:
    """The band of log10 |x(L)|/|x(0)| that counts as keeping the signal."""
    return math.log10(summary["stable_within"])


def _depth_legend(
    figure: Figure, activations: list[str], summary: dict, keys: tuple, *extra
):
    """One legend above the panels: activations (drawn with the ``keys`` of
    their style), extra entries, the keeps band."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Line2D(
            [],
            [],
            **{"linestyle": "none"} | {key: style[key] for key in keys},
            label=activation,
        )
        for activation, style in zip(activations, ACTIVATION_STYLES, strict=False)
    ]
    handles += extra
    within = math_number(summary["stable_within"], 3)
    handles.append(
        Patch(
            color=KEEPS_COLOR,
            alpha=2 * KEEPS_ALPHA,
            label=rf"keeps: within $\times{within}$",
        )
    )
    figure.legend(
        handles=handles,
        loc="outside upper center",
        ncols=min(len(handles), 3),
        handlelength=2.2,
        columnspacing=1.0,
    )


def draw_norms(
    figure: Figure, runs: list[xr.Dataset], summary: dict, weights: str, **_
) -> None:
    """One panel per scheme, each on its own scale, so that no scheme's growth
    (the standard scheme's 10^60) flattens the others; a line per activation."""
    from eigeninit.stats import mean_ci95

    growth = summary["growth_per_layer"]
    by_scheme = {
        run.attrs["scheme"]: run for run in runs if run.attrs["weights"] == weights
    }
    schemes = [scheme for scheme in growth if scheme in by_scheme]
    activations = by_scheme[schemes[0]]["activation"].values.tolist()
    keeps = _keeps_within(summary)
    figure.set_figheight(0.95 * len(schemes) + 0.9)
    panels = figure.subplots(len(schemes), 1, sharex=True, squeeze=False)[:, 0]
    for panel, scheme in zip(panels, schemes, strict=True):
        run = by_scheme[scheme]
        layer = run["layer"].values
        panel.axhspan(-keeps, keeps, color=KEEPS_COLOR, alpha=KEEPS_ALPHA, lw=0)
        panel.axhline(0, color="0.6", linewidth=0.6)
        extremes = [-1.0, 1.0]
        for activation, style in zip(activations, ACTIVATION_STYLES, strict=False):
            norms = run["log10_norm"].sel(activation=activation).values
            with np.errstate(invalid="ignore"):
                mean, lo, hi = mean_ci95(norms - norms[:, :1], axis=0)
            panel.plot(layer, mean, color=style["color"], ls=style["linestyle"])
            panel.fill_between(layer, lo, hi, color=style["color"], alpha=0.2, lw=0)
            shown = np.concatenate([mean, lo, hi])
            extremes += shown[np.isfinite(shown)].tolist()
        low, high = min(extremes), max(extremes)
        margin = 0.08 * (high - low)
        panel.set_ylim(low - margin, high + margin)
        kept = [
            activation
            for activation in activations
            if growth[scheme][activation][weights]["verdict"] == "keeps"
        ]
        panel.set_title(
            f"{_scheme_label(scheme)}: keeps with {', '.join(kept) or 'none'}",
            pad=2,
        )
    panels[-1].set_xlabel("layer $l$")
    figure.supylabel(r"$\log_{10}\,\|x(l)\|\,/\,\|x(0)\|$")
    _depth_legend(figure, activations, summary, ("color", "linestyle"))


def draw_growth(figure: Figure, summary: dict, **_) -> None:
    """Growth per layer, a row per scheme and a marker per activation, beside theory.

    The shaded band is the growth that keeps the norm within ``stable_within``
    of the input's over all layers.
    """
    from matplotlib.lines import Line2D

    growth = summary["growth_per_layer"]
    schemes = list(growth)
    activations = list(next(iter(growth.values())))
    modes = list(next(iter(next(iter(growth.values())).values())))
    low, high = (
        summary["stable_within"] ** (sign / summary["layers"]) for sign in (-1, 1)
    )
    figure.set_figheight(len(modes) * (0.3 * len(schemes) + 0.55) + 0.6)
    panels = figure.subplots(len(modes), 1, sharex=True, squeeze=False)[:, 0]
    rows = np.arange(len(schemes))[::-1]
    offsets = np.linspace(-0.25, 0.25, len(activations))
    for panel, mode in zip(panels, modes, strict=True):
        panel.axvspan(low, high, color=KEEPS_COLOR, alpha=2 * KEEPS_ALPHA, lw=0)
        panel.axvline(1, color="0.6", linewidth=0.6)
        for offset, activation, style in zip(
            offsets, activations, ACTIVATION_STYLES, strict=False
        ):
            entries = [growth[scheme][activation][mode] for scheme in schemes]
            mean = np.array([entry["mean"] for entry in entries])
            lo, hi = np.array([entry["ci95"] for entry in entries]).T
            drawn = mean > 0  # a vanished signal has no place on a log axis
            panel.errorbar(
                mean[drawn],
                rows[drawn] + offset,
                xerr=[(mean - lo)[drawn], (hi - mean)[drawn]],
                color=style["color"],
                marker=style["marker"],
                linestyle="none",
                capsize=2,
            )
            theory = np.array(
                [
                    np.nan
                    if e["finite_size"]["theory"] is None
                    else e["finite_size"]["theory"]
                    for e in entries
                ]
            )
            panel.scatter(
                theory, rows + offset, marker="x", color="black", s=14, zorder=3
            )
        panel.set_xscale("log")
        plain_log_axis(panel.xaxis)
        panel.set_yticks(rows, [_scheme_label(scheme) for scheme in schemes])
        panel.set_ylim(-0.6, len(schemes) - 0.4)
        panel.set_title(f"{mode} weights")
    panels[-1].set_xlabel("growth per layer, mean and 95% band")
    theory = Line2D([], [], marker="x", color="black", linestyle="none", label="theory")
    _depth_legend(figure, activations, summary, ("color", "marker"), theory)


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
        "activation and weight mode, beside the theory at this size (crosses); "
        "the shaded band is the growth that keeps the signal.",
    ),
)


SCHEME_COLORS = {"lecun": "C0", "kaiming": "C3", "orthogonal": "C2"}
"""Colour per weight law in the Jacobian figure."""
ACTIVATION_DASHES = {"linear": "-", "tanh": "--", "relu": ":"}
"""Line style per activation in the Jacobian figure."""


def _jacobian_axis_range(runs: list[xr.Dataset]) -> tuple[float, float]:
    """log10 sigma from the lowest setting's 1% quantile to above the largest
    value, in whole tens and fives: every setting's bulk shows, none of the
    far lower tails (down to 10^-110) flattens the rest."""
    lows, highs = [], []
    for run in runs:
        for activation in run["activation"].values.tolist():
            sigma = run["sigma"].sel(activation=activation).values.ravel()
            logs = np.log10(sigma[sigma > 0])
            lows.append(np.quantile(logs, 0.01))
            highs.append(logs.max())
    return 10 * math.floor(min(lows) / 10), 5 * math.ceil(max(max(highs), 0.5) / 5)


def draw_jacobian(figure: Figure, runs: list[xr.Dataset], summary: dict, **_) -> None:
    """The empirical CDF of log10 sigma pooled over networks, a curve per
    setting; open circles at the theory's quantiles; ReLU curves start at their
    share of exact zeros, marked on the left edge beside the exact share."""
    from matplotlib.lines import Line2D

    low, high = _jacobian_axis_range(runs)
    figure.set_figheight(3.6)
    axes = figure.subplots()
    axes.axvline(0, color="0.6", linewidth=0.6)
    for run in runs:
        scheme = run.attrs["scheme"]
        color = SCHEME_COLORS[scheme]
        for activation in run["activation"].values.tolist():
            entry = summary["settings"][scheme][activation]
            sigma = np.sort(run["sigma"].sel(activation=activation).values.ravel())
            zeros = int((sigma == 0).sum())
            logs = np.log10(sigma[zeros:])
            share = (zeros + np.arange(1, logs.size + 1)) / sigma.size
            # Below its smallest nonzero value the CDF is the zero share.
            x = np.concatenate([[low], logs])
            y = np.concatenate([[zeros / sigma.size], share])
            axes.step(
                x,
                y,
                where="post",
                color=color,
                linestyle=ACTIVATION_DASHES[activation],
            )
            theory = [
                (q["theory"], q["probability"])
                for q in entry["quantiles"]
                if q["theory"] is not None
            ]
            if theory:
                axes.plot(
                    *zip(*theory, strict=True),
                    linestyle="none",
                    marker="o",
                    markerfacecolor="none",
                    color=color,
                )
            if zeros:
                axes.plot(
                    low, zeros / sigma.size, marker="<", color=color, clip_on=False
                )
                axes.plot(
                    low,
                    entry["zero_share"]["theory"],
                    marker="o",
                    markerfacecolor="none",
                    color=color,
                    clip_on=False,
                )
    axes.set_xlim(low, high)
    axes.set_ylim(0, 1)
    axes.set_xlabel(r"$\log_{10}\,\sigma$ of the input-output Jacobian")
    axes.set_ylabel(r"share of $\sigma$ below")
    handles = [
        Line2D([], [], color=SCHEME_COLORS[scheme], label=_scheme_label(scheme))
        for scheme in summary["settings"]
    ]
    activations = list(
        dict.fromkeys(a for by_a in summary["settings"].values() for a in by_a)
    )
    handles += [
        Line2D([], [], color="black", linestyle=ACTIVATION_DASHES[a], label=a)
        for a in activations
    ]
    handles.append(
        Line2D(
            [],
            [],
            color="black",
            marker="o",
            markerfacecolor="none",
            linestyle="none",
            label="theory",
        )
    )
    if "relu" in activations:
        handles.append(
            Line2D(
                [],
                [],
                color="black",
                marker="<",
                linestyle="none",
                label=r"$\sigma = 0$",
            )
        )
    # Three columns, filled column by column: weight laws, then activations,
    # then the markers.
    figure.legend(
        handles=handles,
        loc="outside upper center",
        ncols=3,
        handlelength=2.2,
        columnspacing=1.0,
    )


JACOBIAN_FIGURES = registry(
    FigureDefinition(
        "singular_values",
        draw_jacobian,
        "The share of the input-output Jacobian's singular values sigma below "
        "each value of log10 sigma, pooled over networks, per weight law (colour) "
        "and activation (line style), with the theory's quantiles as open "
        "circles; a ReLU curve starts at its share of exactly zero sigma "
        "(triangle, exact share as a circle), and the axis starts at the lowest "
        "setting's 1% quantile.",
    ),
)
