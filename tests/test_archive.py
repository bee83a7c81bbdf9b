"""Building the archive: content hashes, manifest, byte-reproducible tar.gz."""

import io
import json
import os
import tarfile

import numpy as np
import pytest
import xarray as xr

from eigeninit import datasets
from eigeninit.archive import (
    MANIFEST,
    UnsafeArchiveError,
    build_manifest,
    find_top_folder,
    safe_members,
    write_archive,
)
from eigeninit.content_hash import (
    GLOBAL_ATTRS,
    content_hashes,
    dataset_content_hashes,
)
from eigeninit.jsonio import canonical_json, write_json

TOP = "eigeninit-abc1234"
COMMIT_TIME = 1_767_225_600


def sample_dataset() -> xr.Dataset:
    rng = np.random.default_rng(7)
    stations = ["north", "south", "éast"]
    return xr.Dataset(
        {
            "temperature": (
                ("station", "time"),
                rng.normal(size=(3, 4)),
                {"units": "K", "long_name": "air temperature"},
            ),
            "eigenvalue": (
                "time",
                rng.normal(size=4),
                {"units": "1", "long_name": "eigenvalue", "scale": np.float64(2.5)},
            ),
        },
        coords={
            "station": ("station", stations, {"long_name": "station", "units": "1"}),
            "time": ("time", np.arange(4), {"long_name": "time", "units": "s"}),
        },
        attrs={"title": "sample", "seed": 7, "tolerance": 1e-6},
    )


@pytest.fixture
def results(tmp_path):
    """A working directory with a dataset, a summary, a figure and a write-up."""
    root = tmp_path / "work"
    datasets.write(sample_dataset(), root / "results" / "sample.nc")
    write_json({"mean": 1.5}, root / "results" / "summary.json")
    figure = root / "results" / "figures" / "plot.png"
    figure.parent.mkdir(parents=True)
    figure.write_bytes(bytes(range(256)) * 4)
    (root / "results" / "report.html").write_text("<p>report</p>\n")
    return root


MEMBERS = [
    "results/report.html",
    "results/sample.nc",
    "results/summary.json",
    "results/figures/plot.png",
]
EXTRA = {"config.yaml": b"seed: 7\n", "inputs/config/matrix.csv": b"1,0\n0,1\n"}


def test_content_hashes_cover_variables_coordinates_and_global_attributes():
    hashes = content_hashes(sample_dataset())
    assert set(hashes) == {"temperature", "eigenvalue", "station", "time", GLOBAL_ATTRS}
    assert all(len(value) == 64 for value in hashes.values())


def test_content_hashes_survive_a_round_trip_through_netcdf(tmp_path):
    """In memory, written once, written twice: the same content, the same hashes."""
    dataset = sample_dataset()
    datasets.write(dataset, tmp_path / "first.nc")
    datasets.write(datasets.read(tmp_path / "first.nc"), tmp_path / "second.nc")
    assert dataset_content_hashes(tmp_path / "first.nc") == content_hashes(dataset)
    assert dataset_content_hashes(tmp_path / "second.nc") == content_hashes(dataset)


def changed_value(dataset):
    dataset["temperature"].values[1, 2] += 1e-12
    return dataset


def changed_attribute(dataset):
    dataset["temperature"].attrs["units"] = "degC"
    return dataset


def changed_dtype(dataset):
    return dataset.assign(temperature=dataset["temperature"].astype(np.float32))


def changed_dimension_names(dataset):
    temperature = dataset["temperature"]
    return dataset.assign(
        temperature=(("place", "when"), temperature.values, temperature.attrs)
    )


def changed_text(dataset):
    station = dataset["station"]
    return dataset.assign_coords(
        station=("station", ["north", "south", "east"], station.attrs)
    )


def changed_global_attribute(dataset):
    dataset.attrs["seed"] = 8
    return dataset


@pytest.mark.parametrize(
    "change, changed",
    [
        (changed_value, "temperature"),
        (changed_attribute, "temperature"),
        (changed_dtype, "temperature"),
        (changed_dimension_names, "temperature"),
        (changed_text, "station"),
        (changed_global_attribute, GLOBAL_ATTRS),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_change_alters_exactly_the_hash_of_what_changed(change, changed):
    before = content_hashes(sample_dataset())
    after = content_hashes(change(sample_dataset()))
    assert {name for name in before if before[name] != after[name]} == {changed}


def test_manifest_lists_every_file_and_the_content_of_every_dataset(results):
    manifest = build_manifest(results, MEMBERS, EXTRA)
    assert sorted(manifest["files"]) == sorted([*MEMBERS, *EXTRA])
    assert manifest["files"]["config.yaml"]["bytes"] == len(EXTRA["config.yaml"])
    png = manifest["files"]["results/figures/plot.png"]
    assert png["bytes"] == 1024 and len(png["sha256"]) == 64
    assert manifest["datasets"] == {
        "results/sample.nc": content_hashes(sample_dataset())
    }


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../outside.txt", "results/../../x", "./results/a", ""]
)
def test_manifest_rejects_names_that_could_leave_the_archive(results, name):
    with pytest.raises(ValueError, match="archive member"):
        build_manifest(results, [name])


def test_manifest_rejects_a_name_given_twice(results):
    with pytest.raises(ValueError, match="named twice: results/report.html"):
        build_manifest(results, MEMBERS, {"results/report.html": b"<p>other</p>"})


def test_archive_is_byte_identical_when_built_twice(results, tmp_path):
    first, second = tmp_path / "first.tar.gz", tmp_path / "second.tar.gz"
    write_archive(first, results, MEMBERS, TOP, COMMIT_TIME, EXTRA)
    for member in MEMBERS:  # file system times and order must not leak in
        os.utime(results / member, (0, 0))
    write_archive(second, results, list(reversed(MEMBERS)), TOP, COMMIT_TIME, EXTRA)
    assert first.read_bytes() == second.read_bytes()


def test_archive_entries_are_normalized(results, tmp_path):
    path = tmp_path / "archive.tar.gz"
    manifest = write_archive(path, results, MEMBERS, TOP, COMMIT_TIME, EXTRA)
    header = path.read_bytes()[:10]
    assert header[3] & 0x08 == 0, "no file name in the gzip header"
    assert header[4:8] == b"\0\0\0\0", "gzip mtime 0"
    with tarfile.open(path, "r:gz") as tar:
        members = tar.getmembers()
        names = [member.name for member in members]
        assert names == sorted(f"{TOP}/{name}" for name in [*MEMBERS, *EXTRA, MANIFEST])
        for member in members:
            assert member.isfile()
            assert (member.uid, member.gid) == (0, 0)
            assert member.uname == member.gname == ""
            assert (member.mode, member.mtime) == (0o644, COMMIT_TIME)
        stored = tar.extractfile(f"{TOP}/{MANIFEST}").read()
    assert stored == canonical_json(manifest).encode()
    assert stored.endswith(b"}\n") and json.loads(stored) == manifest


def test_archive_refuses_unsafe_member_names(results, tmp_path):
    with pytest.raises(ValueError, match="'..'"):
        write_archive(
            tmp_path / "a.tar.gz", results, ["results/../../etc"], TOP, COMMIT_TIME
        )
    assert not (tmp_path / "a.tar.gz").exists()


def tar_with(*members: tarfile.TarInfo) -> tarfile.TarFile:
    """An in-memory tar with a manifest and the given hand-made members."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        manifest = tarfile.TarInfo(f"{TOP}/{MANIFEST}")
        tar.addfile(manifest, io.BytesIO())
        for member in members:
            tar.addfile(member, io.BytesIO(b"\0" * member.size))
    buffer.seek(0)
    return tarfile.open(fileobj=buffer, mode="r")


def hand_made(name: str, kind=tarfile.REGTYPE, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    info.size = 3 if kind == tarfile.REGTYPE else 0
    return info


@pytest.mark.parametrize(
    "unsafe, reason",
    [
        (hand_made("/etc/cron.d/evil"), "absolute path"),
        (hand_made(f"{TOP}/../../evil"), "'..' in path"),
        (hand_made(f"{TOP}/link", tarfile.SYMTYPE, "/etc/passwd"), "link"),
        (hand_made(f"{TOP}/hard", tarfile.LNKTYPE, f"{TOP}/{MANIFEST}"), "link"),
        (hand_made(f"{TOP}/tty", tarfile.CHRTYPE), "device"),
        (hand_made(f"{TOP}/disk", tarfile.BLKTYPE), "device"),
        (hand_made(f"{TOP}/pipe", tarfile.FIFOTYPE), "device"),
        (hand_made("elsewhere/file"), "outside the top folder"),
        (hand_made(f"{TOP}/{MANIFEST}"), "given twice"),
    ],
    ids=lambda value: value.name if isinstance(value, tarfile.TarInfo) else value,
)
def test_safe_members_refuses_what_could_escape(unsafe, reason):
    tar = tar_with(hand_made(f"{TOP}/results/fine.txt"), unsafe)
    with pytest.raises(UnsafeArchiveError, match=reason) as refused:
        safe_members(tar, find_top_folder(tar))
    [problem] = refused.value.problems
    assert problem.startswith(f"{unsafe.name}: ")


def test_safe_members_returns_the_files_and_skips_directories():
    folder = hand_made(f"{TOP}/results", tarfile.DIRTYPE)
    tar = tar_with(folder, hand_made(f"{TOP}/results/a.txt"))
    names = [info.name for info in safe_members(tar, find_top_folder(tar))]
    assert names == [f"{TOP}/{MANIFEST}", f"{TOP}/results/a.txt"]
