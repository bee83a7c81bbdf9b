"""Heavy work split into jobs: bounded sizes, and the same data however it is split."""

import copy

import numpy as np
import pytest
import xarray as xr

from eigeninit.circular_law import measure_sizes
from eigeninit.content_hash import content_hashes
from eigeninit.datasets import (
    circular_law_dataset,
    depth_dataset,
    merge_members,
)
from eigeninit.depth import run_depth
from eigeninit.initializers import member_generator
from eigeninit.jobs import lapack_seconds, member_ranges, parse_range_label, range_label
from workflow_runner import TINY_CONFIG, prepare_workdir, snakemake

ENSEMBLE = np.random.SeedSequence(31)


@pytest.mark.parametrize(
    ("count", "seconds"), [(1, 100.0), (32, 0.01), (32, 1.1), (1000, 0.3), (7, 9.9)]
)
def test_member_ranges_cover_every_member_once_in_bounded_near_equal_jobs(
    count: int, seconds: float
) -> None:
    ranges = member_ranges(count, seconds, target=10.0)
    assert [i for members in ranges for i in members] == list(range(count))
    sizes = [len(members) for members in ranges]
    assert max(sizes) - min(sizes) <= 1
    # Jobs of at most 10 s (unless one member alone exceeds it), and no more
    # jobs than that needs: one member fewer per job would take another job.
    assert max(sizes) * seconds <= 10.0 or max(sizes) == 1
    per_job = max(1, int(10.0 // seconds))
    assert len(ranges) == -(-count // per_job)


def test_fixed_ranges_and_labels_round_trip() -> None:
    ranges = member_ranges(10, per_job=4)
    assert ranges == [range(0, 4), range(4, 8), range(8, 10)]
    assert [parse_range_label(range_label(r)) for r in ranges] == ranges
    with pytest.raises(ValueError, match="at least 1"):
        member_ranges(10, per_job=0)


def test_eigvals_cost_is_cubic_outside_the_measurements() -> None:
    def eigvals_seconds(k):
        return lapack_seconds("eigvals", k)

    assert eigvals_seconds(8192) == pytest.approx(8 * eigvals_seconds(4096))
    assert eigvals_seconds(128) == pytest.approx(eigvals_seconds(256) / 8)
    assert eigvals_seconds(256) < eigvals_seconds(512) < eigvals_seconds(1024)


def test_member_generator_is_the_spawned_child() -> None:
    children = np.random.SeedSequence(5).spawn(4)
    for index, child in enumerate(children):
        np.testing.assert_array_equal(
            member_generator(np.random.SeedSequence(5), index).standard_normal(3),
            np.random.default_rng(child).standard_normal(3),
        )


def assert_same_content(merged: xr.Dataset, whole: xr.Dataset) -> None:
    assert merged.attrs == whole.attrs
    assert content_hashes(merged) == content_hashes(whole)


def circular_law_part(members: range) -> xr.Dataset:
    measurement = measure_sizes(6, ENSEMBLE, members)
    return circular_law_dataset(measurement, {"k": 6, "seed": 31})


def test_circular_law_parts_merge_into_the_one_job_dataset() -> None:
    whole = merge_members([circular_law_part(range(11))])
    parts = [circular_law_part(members) for members in member_ranges(11, per_job=3)]
    assert_same_content(merge_members(parts[::-1]), whole)
    assert whole.attrs["members"] == 11
    np.testing.assert_array_equal(whole["member"], np.arange(11))


def depth_part(members: range) -> xr.Dataset:
    runs = run_depth(
        "eigen", ["linear", "tanh"], "independent", 5, 4, ENSEMBLE, members
    )
    return depth_dataset(runs, {"scheme": "eigen", "k": 5}, members)


def test_depth_parts_merge_into_the_one_job_dataset() -> None:
    whole = merge_members([depth_part(range(9))])
    parts = [depth_part(members) for members in member_ranges(9, 1.0, target=4.0)]
    assert len(parts) == 3
    assert_same_content(merge_members(parts), whole)


def test_merge_refuses_gaps_overlaps_and_mixed_settings() -> None:
    with pytest.raises(ValueError, match="exactly once"):
        merge_members([circular_law_part(range(3)), circular_law_part(range(4, 6))])
    with pytest.raises(ValueError, match="exactly once"):
        merge_members([circular_law_part(range(3)), circular_law_part(range(2, 5))])
    other = circular_law_part(range(3, 5))
    other.attrs["seed"] = 32
    with pytest.raises(ValueError, match="different settings"):
        merge_members([circular_law_part(range(3)), other])


@pytest.mark.workflow
def test_workflow_datasets_do_not_depend_on_job_sizes(tmp_path, workdir) -> None:
    """The tiny config with one matrix or network per job gives the datasets
    the default job sizes give (one job per size and setting there)."""
    config = copy.deepcopy(TINY_CONFIG)
    config["circular_law"]["matrices_per_job"] = 1
    config["depth"]["networks_per_job"] = 1
    merged = [
        *(
            f"results/circular_law/sizes/k{k}.nc"
            for k in config["circular_law"]["sizes"]
        ),
        *(
            f"results/depth/runs/{scheme}_{sharing}.nc"
            for scheme in config["depth"]["schemes"]
            for sharing in config["depth"]["weight_sharing"]
        ),
    ]
    result = snakemake(tmp_path, prepare_workdir(tmp_path, config), "-c2", *merged)
    assert result.returncode == 0, result.stderr[-3000:]
    parts = list((tmp_path / "results").rglob("parts/*/*.nc"))
    assert len(parts) == config["circular_law"]["matrices_per_size"] * len(
        config["circular_law"]["sizes"]
    ) + config["depth"]["networks_per_setting"] * len(merged[2:])
    for path in merged:
        with (
            xr.open_dataset(tmp_path / path, engine="h5netcdf") as split,
            xr.open_dataset(workdir / path, engine="h5netcdf") as one_job,
        ):
            assert_same_content(split, one_job)
