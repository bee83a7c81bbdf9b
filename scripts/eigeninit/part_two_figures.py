"""Figures of part two: the circular law over sizes, and signals through depth.

Circular-law figures take the per-size datasets and the summary; depth
figures take the per-(scheme, weights) datasets and the summary. Each returns
a matplotlib figure; :func:`eigeninit.figures.save` writes it.
"""

import numpy as np
import xarray as xr

from eigeninit.figures import FIGURE_SIZE, SQUARE_SIZE, plt
from eigeninit.stats import mean_ci95


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


def edge_figure(summary: dict, **_) -> plt.Figure:
    """rho/sqrt(k) and sigma_max/sqrt(k) against k, with their limits 1 and 2."""
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    for key, label, color in (
        ("spectral_radius_over_sqrt_k", "spectral radius ρ / √k", "C0"),
        ("sigma_max_over_sqrt_k", "largest singular value σmax / √k", "C1"),
    ):
        k, mean, error = _band(summary, key)
        axes.errorbar(
            k, mean, yerr=error, marker="o", capsize=4, color=color, label=label
        )
        axes.axhline(summary["theory"][key], color=color, linestyle="--", linewidth=1)
    axes.set_xscale("log")
    axes.set_xlabel("matrix size k")
    axes.set_ylabel("value / √k (dimensionless)")
    axes.legend(title="mean and 95% band; dashed: large-k limit", fontsize="small")
    return figure


def disk_figure(sizes: list[xr.Dataset], **_) -> plt.Figure:
    """Eigenvalues of G/sqrt(k) for the largest size, inside the unit circle."""
    largest = _by_size(sizes)[-1]
    k = int(largest.attrs["k"])
    eigenvalues = largest["eigenvalue"].values.ravel() / np.sqrt(k)
    figure, axes = plt.subplots(figsize=SQUARE_SIZE)
    axes.scatter(
        eigenvalues.real,
        eigenvalues.imag,
        s=0.5,
        alpha=0.4,
        color="C0",
        rasterized=True,
    )
    angle = np.linspace(0, 2 * np.pi, 721)
    axes.plot(
        np.cos(angle), np.sin(angle), color="C3", linewidth=1, label="unit circle"
    )
    axes.set_aspect("equal")
    axes.set_xlabel("real part of λ / √k")
    axes.set_ylabel("imaginary part of λ / √k")
    axes.set_title(f"k = {k}, {eigenvalues.size} eigenvalues", fontsize="medium")
    axes.legend(loc="lower left", fontsize="small")
    return figure


def radial_cdf_figure(sizes: list[xr.Dataset], **_) -> plt.Figure:
    """Empirical CDF of |l|/sqrt(k) per size against r^2, the uniform disk's CDF."""
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    for index, dataset in enumerate(_by_size(sizes)):
        k = int(dataset.attrs["k"])
        radius = np.sort(np.abs(dataset["eigenvalue"].values.ravel()) / np.sqrt(k))
        share = np.arange(1, radius.size + 1) / radius.size
        axes.step(radius, share, where="post", color=f"C{index}", label=f"k = {k}")
    r = np.linspace(0, 1, 201)
    axes.plot(r, r**2, color="black", linestyle="--", label="uniform disk: r²")
    axes.set_xlabel("r")
    axes.set_ylabel("share of eigenvalues with |λ| / √k ≤ r")
    axes.legend(fontsize="small")
    return figure


def real_count_figure(summary: dict, **_) -> plt.Figure:
    """Mean number of real eigenvalues against the exact and asymptotic theory."""
    k, mean, error = _band(summary, "real_eigenvalue_count")
    entries = sorted(summary["sizes"].values(), key=lambda entry: entry["k"])
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    axes.errorbar(
        k,
        mean,
        yerr=error,
        marker="o",
        capsize=4,
        linestyle="none",
        label="measured, 95% band",
    )
    axes.plot(
        k,
        [entry["expected_real_eigenvalues"] for entry in entries],
        color="C3",
        label="exact expectation (Edelman, Kostlan, Shub)",
    )
    axes.plot(
        k,
        [entry["asymptotic_real_eigenvalues"] for entry in entries],
        color="0.4",
        linestyle="--",
        label="√(2k/π)",
    )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("matrix size k")
    axes.set_ylabel("real eigenvalues (count)")
    axes.legend(fontsize="small")
    return figure


def dominant_real_figure(summary: dict, **_) -> plt.Figure:
    """Share of matrices whose largest-modulus eigenvalue is real, against k."""
    k, mean, error = _band(summary, "dominant_real_fraction")
    figure, axes = plt.subplots(figsize=FIGURE_SIZE)
    axes.errorbar(k, mean, yerr=error, marker="o", capsize=4)
    axes.set_xscale("log")
    axes.set_ylim(0, 1)
    axes.set_xlabel("matrix size k")
    axes.set_ylabel("share with a real dominant eigenvalue")
    axes.set_title("mean and 95% Wilson band", fontsize="medium")
    return figure


CIRCULAR_LAW_FIGURES = {
    "edge": edge_figure,
    "disk": disk_figure,
    "radial_cdf": radial_cdf_figure,
    "real_count": real_count_figure,
    "dominant_real": dominant_real_figure,
}


def depth_figure_names(weights: list[str]) -> list[str]:
    """Stable names: one norms figure per weight mode, then the growth summary."""
    return [f"norms_{mode}" for mode in weights] + ["growth"]


def norms_figure(runs: list[xr.Dataset], weights: str) -> plt.Figure:
    """log10 |x(l)|/|x(0)| against layer: a panel per activation, a band per scheme."""
    selected = [run for run in runs if run.attrs["weights"] == weights]
    activations = selected[0]["activation"].values.tolist()
    figure, panels = plt.subplots(
        1, len(activations), figsize=(4.2 * len(activations), 4.2), squeeze=False
    )
    for panel, activation in zip(panels[0], activations, strict=True):
        for index, run in enumerate(selected):
            norms = run["log10_norm"].sel(activation=activation).values
            relative = norms - norms[:, :1]
            mean, lo, hi = mean_ci95(relative, axis=0)
            layer = run["layer"].values
            color = f"C{index}"
            panel.plot(layer, mean, color=color, label=run.attrs["scheme"])
            panel.fill_between(layer, lo, hi, color=color, alpha=0.25, linewidth=0)
        panel.set_title(activation)
        panel.set_xlabel("layer l")
        panel.axhline(0, color="0.6", linewidth=0.8)
    panels[0][0].set_ylabel("log10 |x(l)| / |x(0)|")
    panels[0][-1].legend(fontsize="small")
    figure.suptitle(f"{weights} weights: mean and 95% band over seeds")
    return figure


def growth_figure(summary: dict, **_) -> plt.Figure:
    """Measured growth per layer with its band beside the theoretical value."""
    growth = summary["growth_per_layer"]
    schemes = list(growth)
    activations = list(next(iter(growth.values())))
    modes = list(next(iter(next(iter(growth.values())).values())))
    figure, panels = plt.subplots(
        1,
        len(modes),
        figsize=(4.8 * len(modes), 0.5 * len(schemes) * len(activations) + 1.5),
        squeeze=False,
        sharey=True,
    )
    labels = [
        f"{scheme} · {activation}" for scheme in schemes for activation in activations
    ]
    position = np.arange(len(labels))[::-1]
    for panel, mode in zip(panels[0], modes, strict=True):
        entries = [
            growth[scheme][activation][mode]
            for scheme in schemes
            for activation in activations
        ]
        mean = np.array([entry["mean"] for entry in entries])
        lo = np.array([entry["ci95"][0] for entry in entries])
        hi = np.array([entry["ci95"][1] for entry in entries])
        panel.errorbar(
            mean,
            position,
            xerr=[mean - lo, hi - mean],
            marker="o",
            linestyle="none",
            capsize=3,
            label="measured, 95% band",
        )
        theory = np.array(
            [
                np.nan if entry["theory"] is None else entry["theory"]
                for entry in entries
            ]
        )
        panel.scatter(
            theory, position, marker="x", color="C3", zorder=3, label="theory"
        )
        panel.axvline(1, color="0.6", linewidth=0.8)
        panel.set_xscale("log")
        panel.set_xlabel("growth per layer")
        panel.set_title(f"{mode} weights")
    panels[0][0].set_yticks(position, labels, fontsize="small")
    panels[0][-1].legend(fontsize="small")
    return figure


def depth_figure(name: str, runs: list[xr.Dataset], summary: dict) -> plt.Figure:
    """Dispatch a depth figure by its stable name."""
    if name == "growth":
        return growth_figure(summary)
    return norms_figure(runs, name.removeprefix("norms_"))
