"""The minimal floor: the LAPACK and BLAS calls the results need, in one process
on one BLAS thread, written from the results' definitions (no workflow code).

Per experiment: A (drawn, or read) and its eigendecomposition, and two runs of
matrix-vector products. Per circular-law matrix: its draw, eigenvalues and
singular values. Per depth network (scheme, weight sharing): its layers' draws
with the scheme's normalizing decomposition (QR, eigenvalues or singular
values), a matrix-vector product per layer and activation, and a shared
matrix's eigenvalues. Per Jacobian network: its layers' draws and, per
activation, their product and its singular values. The references' simulated
draws, as many as the build's references summary records (the radius draws'
spectra, the sigma_max draws' chi variables, the tanh chains' Gaussian
vectors). A line plot saved as PNG and PDF per figure the build made.

Left out: files, summaries and their theory, analysis beyond these calls, the
largest singular value of each bidiagonal reference draw, the QR and Jacobi SVD
that keep the Jacobian's small singular values accurate, the write-up, and
every Python start-up but one. Prints, as JSON, how many members of each kind
the calls covered.

    python benchmarks/minimal.py [--configfile FILE] [--results results]
"""

import argparse
import json
import os
from pathlib import Path

import numpy as np
import yaml
from threadpoolctl import threadpool_limits

PROJECT = Path(__file__).resolve().parents[1]
RNG = np.random.default_rng(0)


def config(configfile: str | None) -> dict:
    """config/config.yaml updated by ``configfile``, as Snakemake merges them."""
    from snakemake.utils import update_config

    merged = yaml.safe_load((PROJECT / "config/config.yaml").read_text())
    if configfile:
        update_config(merged, yaml.safe_load(Path(configfile).read_text()))
    experiments = merged["experiments"]
    if isinstance(experiments, str):
        merged["experiments"] = yaml.safe_load((PROJECT / experiments).read_text())
    return merged


def experiments(settings: dict) -> int:
    for experiment in settings["experiments"].values():
        if "matrix" in experiment:
            matrix = np.loadtxt(PROJECT / experiment["matrix"], delimiter=",", ndmin=2)
        else:
            matrix = RNG.standard_normal((experiment["k"], experiment["k"]))
        np.linalg.eig(matrix)
        for start in RNG.standard_normal((2, len(matrix))):
            for _ in range(experiment["iterations"]):
                start = matrix @ start
    return len(settings["experiments"])


def stacks(count: int, k: int):
    """``count`` Gaussian k x k matrices, in stacks of at most 64 MiB."""
    size = max(1, 2**23 // k**2)
    for start in range(0, count, size):
        yield RNG.standard_normal((min(size, count - start), k, k))


def circular_law(settings: dict) -> dict[int, int]:
    sizes, counts = settings["sizes"], settings["matrices_per_size"]
    counts = [counts] * len(sizes) if isinstance(counts, int) else counts
    for k, count in zip(sizes, counts, strict=True):
        for stack in stacks(count, k):
            np.linalg.eigvals(stack)
            np.linalg.svd(stack, compute_uv=False)
    return dict(zip(sizes, counts, strict=True))


def layer(scheme: str, k: int) -> np.ndarray:
    """One k x k layer of ``scheme``, normalized as the scheme defines."""
    if scheme == "xavier_uniform":
        return RNG.uniform(-1, 1, (k, k))
    matrix = RNG.standard_normal((k, k))
    if scheme == "orthogonal":
        return np.linalg.qr(matrix)[0]
    if scheme == "eigen":
        return matrix / np.abs(np.linalg.eigvals(matrix)).max()
    if scheme == "spectral":
        return matrix / np.linalg.svd(matrix, compute_uv=False)[0]
    return matrix


def depth(settings: dict) -> dict[str, int]:
    k, layers, activations = settings["k"], settings["layers"], settings["activations"]
    for scheme in settings["schemes"]:
        for sharing in settings["weight_sharing"]:
            for _ in range(settings["networks_per_setting"]):
                signal = RNG.standard_normal(k)
                shared = layer(scheme, k) if sharing == "shared" else None
                if shared is not None:
                    np.linalg.eigvals(shared)
                for _ in range(layers):
                    matrix = shared if shared is not None else layer(scheme, k)
                    for _ in activations:
                        matrix @ signal
    runs = [f"{s}_{w}" for s in settings["schemes"] for w in settings["weight_sharing"]]
    return dict.fromkeys(runs, settings["networks_per_setting"])


def jacobian(settings: dict) -> dict[str, int]:
    k, layers = settings["k"], settings["layers"]
    default = min(8, settings["networks_per_setting"])  # as the schema's
    networks = settings.get("jacobian_networks", default)
    with_law = {"lecun", "kaiming", "orthogonal"}  # the schemes with a Jacobian law
    schemes = [s for s in settings["schemes"] if s in with_law]
    for scheme in schemes:
        for _ in range(networks):
            weights = [layer(scheme, k) for _ in range(layers)]
            for _ in settings["activations"]:
                product = np.eye(k)
                for matrix in weights:
                    product = matrix @ product
                np.linalg.svd(product, compute_uv=False)
    return dict.fromkeys(schemes, networks)


def references(summary: dict, settings: dict) -> None:
    for k, radius in summary["radius"].items():
        for stack in stacks(radius["scaled"]["draws"], int(k)):
            np.linalg.eigvals(stack)
    for k, sigma in summary["sigma_max"].items():
        # chi variables of k, ..., 1 and k - 1, ..., 1 degrees of freedom
        dof = np.concatenate([np.arange(1, int(k) + 1), np.arange(1, int(k))])
        np.sqrt(2 * RNG.standard_gamma(dof / 2, (sigma["scaled"]["draws"], dof.size)))
    k = settings["k"]
    for scheme, tanh in summary["tanh"].items():
        for _ in range(settings["layers"]):
            np.linalg.norm(np.tanh(RNG.standard_normal((tanh["draws"], k))), axis=1)
            if scheme == "spectral":
                dof = np.arange(1, 2 * k - 1) % (k - 1) + 1
                np.sqrt(2 * RNG.standard_gamma(dof / 2, (tanh["draws"], dof.size)))


def figures(count: int) -> int:
    from matplotlib.figure import Figure

    for _ in range(count):
        figure = Figure(figsize=(3.4, 2.55), dpi=150)
        figure.add_subplot().plot(RNG.standard_normal(100))
        for suffix in ("png", "pdf"):
            figure.savefig(os.devnull, format=suffix)
    return count


def main(configfile: str | None, results: Path) -> dict:
    """Make the calls; return how many members of each kind they covered."""
    settings = config(configfile)
    summary = json.loads((results / "references/summary.json").read_text())
    counts = {
        "experiments": experiments(settings),
        "circular_law": circular_law(settings["circular_law"]),
        "depth": depth(settings["depth"]),
        "jacobian": jacobian(settings["depth"]),
    }
    references(summary, settings["depth"])
    counts["figures"] = figures(sum(1 for _ in results.glob("**/figures/*.png")))
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configfile", help="overrides of config/config.yaml")
    about = "a build's results, for the counts the config does not set"
    parser.add_argument("--results", type=Path, default=PROJECT / "results", help=about)
    arguments = parser.parse_args()
    with threadpool_limits(limits=1):
        print(json.dumps(main(arguments.configfile, arguments.results)))
