"""The workflow used as a Snakemake module by another workflow in another folder."""

import subprocess
import sys

import pytest

from workflow_runner import SNAKEFILE, planned_outputs, prepare_workdir

pytestmark = pytest.mark.workflow

HOST_SNAKEFILE = f"""
configfile: "config.yaml"


module eigeninit:
    snakefile:
        "{SNAKEFILE}"
    config:
        config


use rule * from eigeninit
"""


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """A host workflow that imports every rule of this one, with the tiny config."""
    directory = tmp_path_factory.mktemp("host")
    prepare_workdir(directory)
    (directory / "Snakefile").write_text(HOST_SNAKEFILE)
    return directory


def run(host, *args):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=host,
        capture_output=True,
        text=True,
    )


def test_the_host_plans_every_output(host):
    result = run(host, "--dry-run", "all", "paper", "archive")
    assert result.returncode == 0, result.stderr[-3000:]
    planned = planned_outputs(result.stdout)
    assert "results/report.html" in planned
    assert "results/experiments/published/matrix.nc" in planned
    assert "results/archive/eigeninit-results.tar.gz" in planned


def test_the_host_runs_an_experiment(host):
    target = "results/experiments/post/summary.json"
    result = run(host, "--cores", "2", target)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (host / target).stat().st_size > 0
