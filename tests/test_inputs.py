"""Inputs as users give them: every legal one builds, every other is refused first.

Refused inputs stop Snakemake before any job with one line that names the
setting and no traceback; the README's --config and --configfile routes work;
the default profile is read; a config holding degenerate but legal
experiments builds the write-up, the paper exports and the archive.
"""

import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from workflow_runner import (
    PROJECT,
    TINY_CONFIG,
    planned_outputs,
    prepare_workdir,
    snakemake,
    write_config,
)

pytestmark = pytest.mark.workflow

LEGACY = {"k": 3, "rng": "legacy"}


def refused(tmp_path, config_text: str) -> str:
    """Snakemake's output on a config given as text; asserts it stopped first."""
    prepare_workdir(tmp_path)
    (tmp_path / "twice.yaml").write_text("post: {k: 3}\npost: {k: 4}\n")
    path = tmp_path / "given.yaml"
    path.write_text(config_text)
    result = snakemake(tmp_path, path, "--cores", "1")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert not (tmp_path / "results").exists()
    assert "Traceback" not in output, output[-3000:]
    return output


def with_bad(settings: dict) -> str:
    config = copy.deepcopy(TINY_CONFIG)
    config["experiments"]["bad"] = settings
    return json.dumps(config)  # JSON is YAML; keeps 2**64 and NaN spellable


REFUSED = [
    ("seed-2^64", with_bad({"k": 3, "seed": 2**64}), "experiments.bad.seed: "),
    (
        "legacy-seed-2^32",
        with_bad(LEGACY | {"seed": 2**32}),
        "experiments.bad.seed: 4294967296 is too large for rng legacy",
    ),
    (
        "iterations-1e9",
        with_bad({"k": 3, "iterations": 10**9}),
        "experiments.bad.iterations: 1000000000 is greater than the maximum",
    ),
    (
        "memory",
        with_bad({"k": 4096, "iterations": 5000}),
        "experiments.bad.iterations: 5000 iterations of a 4096 x 4096 matrix",
    ),
    (
        "nan",
        "experiments: {post: {k: 3}}\nconvergence_tolerance: .nan\n",
        "convergence_tolerance: nan is not a finite number",
    ),
    (
        "duplicate-experiment",
        "experiments: twice.yaml\n",
        "twice.yaml: post: appears twice (line 2)",
    ),
    ("fraction", with_bad({"k": 2.5}), "experiments.bad.k: 2.5 is not of type"),
    (
        "boolean-key",
        "experiments:\n  post: {k: 3}\n  yes: {k: 3}\n",
        "experiments: the key True is read as a boolean, not a name",
    ),
    (
        "number-key",
        "experiments:\n  post: {k: 3}\n  123: {k: 3}\n",
        "experiments: the key 123 is read as a number, not a name",
    ),
    (
        "name-with-newline",
        json.dumps(TINY_CONFIG | {"experiments": {"post\n": {"k": 3}}}),
        "experiments: 'post\\n' does not match",
    ),
    (
        "block-scalar-value",
        "featured_experiment: p\nexperiments:\n  p:\n    k: 3\n    published_values:"
        "\n      stretching_factor: |\n        2.60\n",
        "experiments.p.published_values.stretching_factor: '2.60\\n' does not match",
    ),
    (
        "colliding-macros",
        with_bad({"k": 3}).replace('"bad"', '"Post"'),
        "experiments.Post: its paper macros",
    ),
    (
        "braces",
        with_bad({"matrix": "data dir/a{b}.csv"}),
        "experiments.bad.matrix: 'data dir/a{b}.csv' holds a brace",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"),
    [row[1:] for row in REFUSED],
    ids=[row[0] for row in REFUSED],
)
def test_refused_before_any_job_in_one_line(tmp_path, text, message):
    output = refused(tmp_path, text)
    lines = [line for line in output.splitlines() if "Invalid config:" in line]
    assert len(lines) == 1 and message in lines[0], output[-2000:]


def test_the_readmes_config_routes_name_an_experiments_file_and_set_nested_values(
    tmp_path,
):
    config = prepare_workdir(tmp_path)
    (tmp_path / "mine.yaml").write_text("post: {k: 3, iterations: 200, seed: 7.0}\n")
    targets = ["results/experiments/post/iterations.nc"]
    targets.append("results/circular_law/sizes/k4.nc")
    result = snakemake(
        tmp_path,
        config,
        "--cores",
        "1",
        *targets,
        "--config",
        "experiments=mine.yaml",
        "circular_law={seed: 7}",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with xr.open_dataset(tmp_path / targets[0], engine="h5netcdf") as iterations:
        assert iterations.sizes["step"] == 200
        assert iterations.attrs["seed"] == 7
    with xr.open_dataset(tmp_path / targets[1], engine="h5netcdf") as size:
        assert size.attrs["seed"] == 7


def test_a_configfiles_experiments_replace_the_defaults(tmp_path):
    (tmp_path / "config").mkdir()
    shutil.copy(PROJECT / "config" / "config.yaml", tmp_path / "config")
    mine = write_config(
        tmp_path,
        {"featured_experiment": "only", "experiments": {"only": {"k": 3}}},
        "mine.yaml",
    )
    result = snakemake(tmp_path, mine, "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    planned = planned_outputs(result.stdout)
    assert "results/experiments/only/summary.json" in planned
    assert not any(path.startswith("results/experiments/post") for path in planned)
    # Settings outside experiments still merge: part two keeps the defaults' sizes.
    assert any(path.startswith("results/circular_law/parts/k1024/") for path in planned)


def test_the_default_profile_is_read(tmp_path):
    config = prepare_workdir(tmp_path)
    result = snakemake(tmp_path, config, "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    profile = PROJECT / "profiles" / "default"
    assert f"Using workflow specific profile {profile} " in result.stderr


# Degenerate but legal experiments, through the whole workflow.

MATRICES = {
    "zero": np.zeros((3, 3)),
    "nilpotent": np.diag([1.0, 1.0], k=1),
    "jordan": np.array([[3.0, 1.0], [0.0, 3.0]]),
    "tie": np.diag([3.0, -3.0, 1.0]),
    "rotation": np.array([[0.5, -np.sqrt(3) / 2], [np.sqrt(3) / 2, 0.5]]),
    "identity": np.eye(3),
    # A second modulus 5e-5 of the first: the ratio is written with 10^-5.
    "dominant": np.diag([2.0, 1e-4]),
    # A stretch of 2.5e5, which numbers.tex writes with a power of ten.
    "large": np.diag([2.5e5, 1.0]),
}
GIVEN_AS = {
    "zero": "{root}/zero.csv",  # absolute, outside the working directory
    "nilpotent": "../nilpotent.csv",
    "jordan": "matrices/./jordan.csv",  # not normalised
    "large": "{work}/matrices/large.csv",  # absolute, inside it
}


@pytest.fixture(scope="module")
def degenerate_run(tmp_path_factory):
    """Every degenerate experiment, read from inside and outside the working
    directory, plus one at the schema's minimums; part two at its minimums."""
    root = tmp_path_factory.mktemp("degenerate")
    work = root / "work"
    (work / "matrices").mkdir(parents=True)
    experiments = {}
    for name, matrix in MATRICES.items():
        folder = root if name in ("zero", "nilpotent") else work / "matrices"
        np.savetxt(folder / f"{name}.csv", matrix, delimiter=",")
        given = GIVEN_AS.get(name, "matrices/{name}.csv")
        experiments[name] = {
            "matrix": given.format(root=root, work=work, name=name),
            "iterations": 30,
        }
    experiments["shortest"] = {
        "k": 1,
        "iterations": 2,
        "rng": "legacy",
        "seed": 2**32 - 1,
    }
    config = {
        "featured_experiment": "identity",
        "experiments": experiments,
        "circular_law": {"sizes": [2], "matrices_per_size": 2, "seed": 0},
        "depth": {
            "k": 2,
            "layers": 1,
            "networks_per_setting": 2,
            "seed": 0,
            "schemes": ["lecun"],
            "activations": ["linear"],
            "weight_sharing": ["shared"],
        },
    }
    path = write_config(work, config)
    result = snakemake(work, path, "--cores", "2", "all", "paper", "archive")
    assert result.returncode == 0, result.stderr[-4000:]
    return work


def summary(work, name) -> dict:
    return json.loads(
        (work / "results" / "experiments" / name / "summary.json").read_text()
    )


def test_degenerate_experiments_get_deliberate_summaries(degenerate_run):
    decided = {name: summary(degenerate_run, name)["dominant"] for name in MATRICES}
    assert decided == {
        "zero": "vanished",
        "nilpotent": "vanished",
        "jordan": "repeated real",
        "tie": "undetermined",
        "rotation": "complex pair",
        "identity": "real",
        "dominant": "real",
        "large": "real",
    }
    assert summary(degenerate_run, "zero")["stretching_factor"] == 0.0
    assert summary(degenerate_run, "jordan")["stretching_factor"] == pytest.approx(3.0)
    assert summary(degenerate_run, "tie")["stretching_factor"] is None
    assert summary(degenerate_run, "rotation")["rotation_degrees"] == pytest.approx(60)
    assert summary(degenerate_run, "identity")["stretching_factor"] == 1.0
    assert summary(degenerate_run, "shortest")["iterations"] == 2
    for name in (*MATRICES, "shortest"):
        assert "matrix" not in summary(degenerate_run, name)


def test_the_writeup_says_none_where_no_number_is_supported(degenerate_run):
    page = (degenerate_run / "results" / "report.html").read_text()
    row = page[page.index(">tie<") :].split("</tr>")[0]
    assert row.count("<td>none</td>") == 2  # no stretching factor, no agreement


def test_paper_exports_leave_out_unsupported_numbers(degenerate_run):
    numbers = json.loads(
        (degenerate_run / "results" / "paper" / "numbers.json").read_text()
    )
    assert "TieStretchingFactor" not in numbers
    assert "TieLastQuotient" in numbers
    assert numbers["JordanStretchingFactor"] == pytest.approx(3.0)


def test_paper_exports_write_large_values_with_a_power_of_ten(degenerate_run):
    paper = degenerate_run / "results" / "paper"
    numbers = json.loads((paper / "numbers.json").read_text())
    assert numbers["LargeStretchingFactor"] == pytest.approx(2.5e5)
    assert numbers["DominantConvergenceRatio"] == pytest.approx(5e-5)
    tex = (paper / "numbers.tex").read_text()
    # As the page prints them: six significant digits, or a power of ten.
    assert "\\newcommand{\\LargeStretchingFactor}{250000}" in tex
    [ratio] = [
        line for line in tex.splitlines() if "{\\DominantConvergenceRatio}" in line
    ]
    assert ratio.startswith("\\newcommand{\\DominantConvergenceRatio}{\\ensuremath{5.0")
    assert ratio.endswith("\\times 10^{-5}}}")
    # No number in Python's e-notation (the header's words may hold "e-").
    assert re.search(r"\d[eE][+-]?\d", tex) is None


def test_datasets_name_matrix_files_as_the_archive_does(degenerate_run):
    """No local path reaches a dataset: files outside the working directory are
    named by their content, those inside by their normalised path."""
    experiments = degenerate_run / "results" / "experiments"
    recorded = {
        name: xr.open_dataset(experiments / name / "matrix.nc").attrs["matrix_file"]
        for name in ("zero", "nilpotent", "jordan", "large", "tie")
    }
    digest = hashlib.sha256((degenerate_run.parent / "zero.csv").read_bytes())
    assert recorded == {
        "zero": f"external/{digest.hexdigest()[:16]}/zero.csv",
        "nilpotent": recorded["nilpotent"],
        "jordan": "matrices/jordan.csv",
        "large": "matrices/large.csv",
        "tie": "matrices/tie.csv",
    }
    assert recorded["nilpotent"].startswith("external/")
    assert recorded["nilpotent"].endswith("/nilpotent.csv")


def test_the_archive_verifies_and_reruns_identically(degenerate_run):
    """Inputs from outside, by absolute and by non-normalised paths: the rerun
    from the archive's own config and inputs gives the same datasets."""
    (archive,) = (degenerate_run / "results" / "archive").glob("*.tar.gz")
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "scripts" / "verify_archive.py"),
            str(archive),
            "--rerun",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ")
    assert result.stdout.splitlines()[-1] == "identical"
