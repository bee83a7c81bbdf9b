"""The benchmark on the tiny config: both ratios printed, and a minimal floor
that covers exactly the members the build measured."""

import json
import subprocess
import sys

import pytest
import xarray as xr

from conftest import PROJECT

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("benchmark")
    command = [sys.executable, str(PROJECT / "benchmarks" / "benchmark.py"), "--quick"]
    command += ["--keep", str(directory / "build"), "--json", str(directory / "b.json")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=directory)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, json.loads((directory / "b.json").read_text()), directory


def test_both_ratios_are_printed_from_the_same_runs(run):
    stdout, result, _ = run
    seconds = result["seconds"]
    for floor in ("floor", "minimal"):
        ratios = result["ratios"][floor]
        cold, bare = seconds["cold"][0]["cpu"], seconds[floor][0]["cpu"]
        assert ratios["cpu"]["ratios"] == [cold / bare]
        assert ratios["cpu"]["target"] == 1.25
        assert f"{ratios['cpu']['median']:.2f}" in stdout
    # The minimal floor does less than the workflow's own functions in one process.
    assert seconds["minimal"][0]["cpu"] < seconds["floor"][0]["cpu"]


def test_the_minimal_floor_covers_every_member_the_build_measured(run):
    _, result, directory = run
    counts, results = result["minimal_counts"], directory / "build" / "results"

    def members(folder, name):
        with xr.open_dataset(results / folder / f"{name}.nc") as dataset:
            return dataset.sizes["member"]

    assert counts["experiments"] == len(
        list(results.glob("experiments/*/summary.json"))
    )
    for k, count in counts["circular_law"].items():
        assert count == members("circular_law/sizes", f"k{k}")
    for run_name, count in counts["depth"].items():
        assert count == members("depth/runs", run_name)
    assert len(counts["depth"]) == len(list(results.glob("depth/runs/*.nc")))
    for scheme, count in counts["jacobian"].items():
        assert count == members("depth/jacobian", scheme)
    assert len(counts["jacobian"]) == len(list(results.glob("depth/jacobian/*.nc")))
    assert counts["figures"] == len(list(results.glob("**/figures/*.png"))) > 0
