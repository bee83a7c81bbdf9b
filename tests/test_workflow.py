"""The workflow end to end on a tiny config: outputs, reruns and bad input."""

import copy
import json
import re
import shutil

import numpy as np
import pytest
import xarray as xr

from eigeninit import datasets
from eigeninit.figures import FIGURES as FIGURE_REGISTRY
from eigeninit.number_format import number
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES, DEPTH_FIGURES
from workflow_runner import (
    TINY_CONFIG,
    planned_outputs,
    prepare_workdir,
    snakemake,
    write_config,
)

pytestmark = pytest.mark.workflow

EXPERIMENTS = list(TINY_CONFIG["experiments"])
FIGURES = ["norm", "quotient", "eigenvalues", "convergence", "rescaled"]


def load_summary(workdir, experiment):
    return json.loads(
        (workdir / "results" / "experiments" / experiment / "summary.json").read_text()
    )


def test_every_output_exists(workdir):
    assert (workdir / "results" / "report.html").stat().st_size > 10_000
    for experiment in EXPERIMENTS:
        folder = workdir / "results" / "experiments" / experiment
        for name in ("matrix.nc", "spectrum.nc", "iterations.nc", "summary.json"):
            assert (folder / name).is_file(), name
        for figure in FIGURES:
            for suffix in ("png", "pdf"):
                assert (folder / "figures" / f"{figure}.{suffix}").stat().st_size > 0


def test_summaries_agree_with_datasets_and_mathematics(workdir):
    for experiment in EXPERIMENTS:
        summary = load_summary(workdir, experiment)
        folder = workdir / "results" / "experiments" / experiment
        iterations = datasets.read(folder / "iterations.nc")
        raw = iterations.sel(run="raw")
        assert iterations.sizes["step"] == 40
        assert summary["stretching_factor"] == raw["stretching_estimate"].values[-1]
        assert summary["dominant"] == datasets.dominant_structure(raw["dominant"])
        with xr.open_dataset(folder / "matrix.nc") as matrix:
            assert summary["matrix_mean"] == pytest.approx(
                float(matrix["matrix"].mean())
            )
            eigenvalues = np.linalg.eigvals(matrix["matrix"].values)
        assert summary["spectral_radius"] == pytest.approx(
            np.abs(eigenvalues).max(), rel=1e-12
        )
        assert summary["dominant_agrees"]
        assert summary["agreement_digits"] >= 6
    assert load_summary(workdir, "post")["dominant"] == "real"
    assert load_summary(workdir, "rotating")["dominant"] == "complex pair"
    assert load_summary(workdir, "published")["moduli_max_abs_difference"] < 1e-7


def test_datasets_describe_themselves(workdir):
    for experiment in EXPERIMENTS:
        for name in ("matrix.nc", "spectrum.nc", "iterations.nc"):
            path = workdir / "results" / "experiments" / experiment / name
            with xr.open_dataset(path) as dataset:
                for variable_name, variable in dataset.variables.items():
                    assert variable.attrs.get("units"), (path, variable_name)
                    assert variable.attrs.get("long_name"), (path, variable_name)
                assert dataset.attrs["experiment"] == experiment
                assert {"k", "seed", "rng"} <= set(dataset.attrs)


def test_changing_iterations_reruns_exactly_the_dependent_jobs(workdir):
    config = copy.deepcopy(TINY_CONFIG)
    config["experiments"]["post"]["iterations"] = 50
    changed = write_config(workdir, config, "changed.yaml")
    result = snakemake(workdir, changed, "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    expected = {
        "results/experiments/post/iterations.nc",
        "results/experiments/post/summary.json",
        # One job draws all of the experiment's figures; its first output is the folder.
        "results/experiments/post/figures",
        "results/report.html",
    }
    assert planned_outputs(result.stdout) == expected


def test_unchanged_config_has_nothing_to_do(workdir):
    result = snakemake(workdir, workdir / "config.yaml", "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    assert planned_outputs(result.stdout) == set()


def test_another_command_line_does_not_rebuild_the_archive(workdir):
    """The command line goes into provenance.json, but is no reason to rebuild."""
    result = snakemake(
        workdir,
        workdir / "config.yaml",
        "--dry-run",
        "--cores",
        "1",
        "archive",
        "paper",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert planned_outputs(result.stdout) == set()


def test_an_archive_rebuilt_without_job_records_reruns_their_jobs(workdir, tmp_path):
    """Job records are outputs of their jobs and inputs of the archive: when the
    archive is built again after results/logs was lost, the jobs behind it run
    again, so its RO-Crate never describes fewer of them."""
    copy_dir = tmp_path / "copy"
    shutil.copytree(workdir, copy_dir, symlinks=True)
    shutil.rmtree(copy_dir / "results" / "logs")
    for forced in (["--forcerun", "build_archive"], []):
        if not forced:
            (copy_dir / "results" / "archive" / "eigeninit-results.tar.gz").unlink()
        result = snakemake(copy_dir, copy_dir / "config.yaml", "-n", *forced, "archive")
        assert result.returncode == 0, result.stderr[-3000:]
        assert {
            "results/experiments/post/matrix.nc",
            "results/report.html",
            "results/archive/eigeninit-results.tar.gz",
        } <= planned_outputs(result.stdout)


def bad(experiment_settings: dict, **top_level) -> dict:
    config = copy.deepcopy(TINY_CONFIG)
    config["experiments"]["bad"] = experiment_settings
    config.update(top_level)
    return config


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (bad({"k": 0}), "experiments.bad.k: 0 is less than the minimum of 1"),
        (
            bad({"k": 3, "iterations": 1}),
            "experiments.bad.iterations: 1 is less than the minimum of 2",
        ),
        (
            bad({"k": 3, "rng": "foo"}),
            "experiments.bad.rng: 'foo' is not one of ['pcg64', 'legacy']",
        ),
        (
            bad({"k": 3, "sed": 1}),
            "experiments.bad: Additional properties are not allowed"
            " ('sed' was unexpected);"
            " allowed keys: iterations, k, matrix, published_values, rng, seed",
        ),
        (
            bad({"matrix": "absent.csv"}),
            "experiments.bad.matrix: file 'absent.csv' not found",
        ),
        (
            bad({"matrix": "wide.csv"}),
            "experiments.bad.matrix: 'wide.csv' has 2 rows of 3 values;"
            " a square matrix is required",
        ),
        (
            bad({"matrix": "words.csv"}),
            "experiments.bad.matrix: 'words.csv' row 2, column 1 is 'abc',"
            " not a number",
        ),
        (
            bad({"k": 4, "matrix": "config/published-matrix.csv"}),
            "experiments.bad.k: 4 disagrees with the 5 x 5 matrix",
        ),
        (
            bad({"k": 2}, colour="red"),
            "config: Additional properties are not allowed ('colour' was unexpected)",
        ),
        (
            bad({"k": 2}, featured_experiment="story"),
            "featured_experiment: 'story' is not an experiment",
        ),
        (
            bad({"k": 2}, narrative="post"),
            "narrative: this setting is now called featured_experiment",
        ),
        (
            bad({"k": 2, "printed": {}}),
            "experiments.bad.printed: this setting is now called"
            " experiments.bad.published_values",
        ),
        (
            {**TINY_CONFIG, "depth": {"seeds": 3}},
            "depth.seeds: this setting is now called depth.networks_per_setting",
        ),
        ({"experiments": {"a/b": {"k": 2}}}, "experiments: 'a/b' does not match"),
        (
            {"experiments": {"<script>alert(1)</script>": {"k": 2}}},
            "experiments: '<script>alert(1)</script>' does not match",
        ),
    ],
    ids=[
        "k0",
        "iterations1",
        "rng",
        "unknown-key",
        "missing-file",
        "non-square",
        "non-numeric",
        "k-disagrees",
        "unknown-top-level",
        "featured-experiment",
        "old-narrative",
        "old-printed",
        "old-depth-seeds",
        "unsafe-name",
        "script-name",
    ],
)
def test_bad_config_fails_before_any_job_with_a_clear_message(
    tmp_path, config, message
):
    prepare_workdir(tmp_path)
    (tmp_path / "wide.csv").write_text("1,2,3\n4,5,6\n")
    (tmp_path / "words.csv").write_text("1,2\nabc,4\n")
    result = snakemake(tmp_path, write_config(tmp_path, config), "--cores", "1")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"Invalid config: {message}" in output, output[-2000:]
    assert not (tmp_path / "results").exists()


def test_writeup_quotes_the_summaries_and_stays_offline(workdir):
    page = (workdir / "results" / "report.html").read_text()
    for experiment in EXPERIMENTS:
        assert f">{experiment}<" in page
    narrative = load_summary(workdir, "post")
    assert repr(narrative["spectral_radius"]) in page
    assert repr(narrative["stretching_factor"]) in page
    # Other experiments appear in the table of all of them, to six digits.
    rotating = load_summary(workdir, "rotating")
    assert number(rotating["stretching_factor"], 6) in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert "<link" not in page and "<script" not in page


def test_snakemakes_own_report_builds(workdir):
    report = workdir / "results" / "snakemake-report.html"
    result = snakemake(workdir, workdir / "config.yaml", "--report", str(report))
    assert result.returncode == 0, result.stderr[-3000:]
    page = report.read_text()
    assert "Part two" in page and "Circular law" in page
    # The captions quote the settings: the tiny config's depth width and layers.
    assert "6 layers of width 16" in page
    # One job draws each set of figures; every figure still gets its own caption.
    descriptions = [
        definition.description
        for registry in (FIGURE_REGISTRY, CIRCULAR_LAW_FIGURES, DEPTH_FIGURES)
        for definition in registry.values()
    ]
    for description in descriptions:
        assert page.count(description[:60]) >= 1, description
