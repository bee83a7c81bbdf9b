"""The floor: the workflow's arithmetic in one bare Python process.

Makes the same LAPACK and BLAS calls on the same draws as the workflow's jobs
(every experiment's draws, spectrum and iterations; every circular-law size
and depth setting, all members in one call) and draws the same figures, but
starts Python once, keeps every dataset in memory and runs no scheduler. What
the workflow spends beyond this is its overhead. The write-up and the paper
exports are left out: they are part of the workflow's cost, not of the floor.

    python benchmarks/floor.py [--configfile config/large.yaml] [--figures DIR]
"""

import argparse
import sys
import tempfile
from pathlib import Path

import yaml
from threadpoolctl import threadpool_limits

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from eigeninit.circular_law import measure_sizes  # noqa: E402
from eigeninit.datasets import (  # noqa: E402
    RUNS,
    circular_law_dataset,
    depth_dataset,
    iterations_dataset,
    matrix_dataset,
    spectrum_dataset,
)
from eigeninit.depth import run_depth  # noqa: E402
from eigeninit.draws import draw  # noqa: E402
from eigeninit.experiments import read_matrix_csv  # noqa: E402
from eigeninit.figures import FIGURES, save  # noqa: E402
from eigeninit.initializers import job_seed_sequence  # noqa: E402
from eigeninit.part_two_figures import (  # noqa: E402
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    depth_figure_names,
)
from eigeninit.part_two_summary import (  # noqa: E402
    circular_law_summary,
    depth_summary,
)
from eigeninit.power import measure  # noqa: E402
from eigeninit.settings import resolve_experiments  # noqa: E402
from eigeninit.spectrum import analyze  # noqa: E402
from eigeninit.summary import summarize  # noqa: E402


def merged_config(configfile: str | None) -> dict:
    """config/config.yaml updated by ``configfile`` as Snakemake merges them,
    with the schema's defaults filled in."""
    from snakemake.utils import update_config, validate

    config = yaml.safe_load((PROJECT / "config" / "config.yaml").read_text())
    if configfile:
        update_config(config, yaml.safe_load(Path(configfile).read_text()))
    validate(config, str(PROJECT / "workflow" / "schemas" / "config.schema.yaml"))
    return config


def matrices_per_size(circular_law: dict) -> dict[int, int]:
    counts = circular_law["matrices_per_size"]
    if isinstance(counts, int):
        return dict.fromkeys(circular_law["sizes"], counts)
    return dict(zip(circular_law["sizes"], counts, strict=True))


def experiment(settings, tolerance: float, figures: Path) -> None:
    params = settings.matrix_params()
    draws = draw(settings.k, settings.seed, settings.rng, not settings.matrix)
    matrix = (
        read_matrix_csv(settings.matrix, "matrix") if settings.matrix else draws.matrix
    )
    inputs = {"raw": draws.input_raw, "rescaled": draws.input_rescaled}
    matrix_data = matrix_dataset(matrix, inputs, params)
    spectrum = analyze(matrix)
    spectrum_data = spectrum_dataset(spectrum, matrix_data.attrs)
    scales = {"raw": 1.0, "rescaled": spectrum.spectral_radius}
    measurements = {
        run: measure(
            matrix / scales[run],
            inputs[run],
            settings.iterations,
            spectrum.dominant_basis,
            tolerance,
        )
        for run in RUNS
    }
    iterations = iterations_dataset(
        measurements,
        scales,
        matrix_data.attrs
        | {"iterations": settings.iterations, "convergence_tolerance": tolerance},
    )
    summary = summarize(
        matrix_data, spectrum_data, iterations, settings.published_values
    )
    for name, figure in FIGURES.items():
        drawn = figure(
            matrix=matrix_data,
            spectrum=spectrum_data,
            iterations=iterations,
            summary=summary,
        )
        save(
            drawn, {s: figures / f"{settings.name}-{name}.{s}" for s in ("png", "pdf")}
        )


def circular_law(settings: dict, figures: Path) -> None:
    sizes = []
    for k, count in matrices_per_size(settings).items():
        ensemble = job_seed_sequence(settings["seed"], "circular_law", k)
        measurement = measure_sizes(k, ensemble, range(count), keep_eigenvalues=True)
        params = {"k": k, "seed": settings["seed"], "seeds": count}
        sizes.append(circular_law_dataset(measurement, params))
    summary = circular_law_summary(sizes)
    for name, figure in CIRCULAR_LAW_FIGURES.items():
        drawn = figure(sizes=sizes, summary=summary)
        save(drawn, {s: figures / f"circular_law-{name}.{s}" for s in ("png", "pdf")})


def depth(settings: dict, figures: Path) -> None:
    runs = []
    networks = range(settings["networks_per_setting"])
    for scheme in settings["schemes"]:
        for sharing in settings["weight_sharing"]:
            ensemble = job_seed_sequence(settings["seed"], "depth", scheme, sharing)
            results = run_depth(
                scheme,
                settings["activations"],
                sharing,
                settings["k"],
                settings["layers"],
                ensemble,
                networks,
            )
            params = {
                "scheme": scheme,
                "weights": sharing,
                "k": settings["k"],
                "layers": settings["layers"],
                "seed": settings["seed"],
                "seeds": len(networks),
            }
            runs.append(depth_dataset(results, params, networks))
    summary = depth_summary(runs, settings["stable_within"])
    for name in depth_figure_names(settings["weight_sharing"]):
        drawn = DEPTH_FIGURES[name](runs=runs, summary=summary)
        save(drawn, {s: figures / f"depth-{name}.{s}" for s in ("png", "pdf")})


def main(configfile: str | None, figures: Path) -> None:
    config = merged_config(configfile)
    figures.mkdir(parents=True, exist_ok=True)
    for settings in resolve_experiments(config).values():
        experiment(settings, config["convergence_tolerance"], figures)
    circular_law(config["circular_law"], figures)
    depth(config["depth"], figures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configfile", help="overrides of config/config.yaml")
    parser.add_argument(
        "--figures", type=Path, help="where figures go (default: a temporary folder)"
    )
    arguments = parser.parse_args()
    # The workflow's rules pin BLAS to one thread; so does the floor.
    with threadpool_limits(limits=1), tempfile.TemporaryDirectory() as scratch:
        main(arguments.configfile, arguments.figures or Path(scratch))
