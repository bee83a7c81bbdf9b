"""Verifying archives: tampering named, unsafe archives refused, reruns compared."""

import gzip
import io
import json
import subprocess
import sys
import tarfile
from typing import NamedTuple

import numpy as np
import pytest
import xarray as xr

from conftest import PROJECT
from eigeninit import datasets
from eigeninit.archive import (
    MANIFEST,
    read_manifest,
    verify_archive,
    write_archive,
    write_tar,
)
from eigeninit.jsonio import write_json
from verify_archive import main as verify_command

TOP = "eigeninit-abc1234"
COMMIT_TIME = 1_767_225_600


def sample_dataset(temperature: float = 280.0) -> xr.Dataset:
    return xr.Dataset(
        {
            "temperature": (
                ("station", "time"),
                np.full((2, 3), temperature),
                {"units": "K", "long_name": "air temperature"},
            ),
            "eigenvalue": ("time", np.array([1.0, 3.0, 0.5]), {"units": "1"}),
        },
        coords={"station": ("station", ["north", "south"], {"units": "1"})},
        attrs={"title": "sample"},
    )


@pytest.fixture
def archive(tmp_path):
    """An archive of a dataset, a summary and a write-up, plus config and input."""
    root = tmp_path / "work"
    datasets.write(sample_dataset(), root / "results" / "sample.nc")
    write_json({"mean": 280.0}, root / "results" / "summary.json")
    (root / "results" / "report.html").write_text("<p>report</p>\n")
    members = ["results/report.html", "results/sample.nc", "results/summary.json"]
    extra = {"config.yaml": b"seed: 7\n", "inputs/matrix.csv": b"1,0\n0,1\n"}
    path = tmp_path / f"{TOP}.tar.gz"
    write_archive(path, root, members, TOP, COMMIT_TIME, extra)
    return path


def archived_contents(path) -> dict[str, bytes]:
    """Every file of the archive by its name under the top folder."""
    with tarfile.open(path, "r:gz") as tar:
        return {
            member.name.removeprefix(f"{TOP}/"): tar.extractfile(member).read()
            for member in tar.getmembers()
        }


class CommandResult(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def run_verify(capsys, *args) -> CommandResult:
    """scripts/verify_archive.py with ``args``, run in this process: its exit
    code and what it printed (test_a_clean_archive_passes runs it as a script)."""
    capsys.readouterr()
    returncode = verify_command([str(arg) for arg in args])
    printed = capsys.readouterr()
    return CommandResult(returncode, printed.out, printed.err)


def test_a_clean_archive_passes(archive):
    assert verify_archive(archive) == []
    result = subprocess.run(  # as users run it, from the project root
        [sys.executable, "scripts/verify_archive.py", str(archive)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "OK: 5 files and 1 datasets match MANIFEST.json\n"


ARCHIVED_FILES = [
    "config.yaml",
    "inputs/matrix.csv",
    "results/report.html",
    "results/sample.nc",
    "results/summary.json",
]


@pytest.mark.parametrize("name", ARCHIVED_FILES)
def test_a_flipped_byte_is_reported_with_the_file_name(archive, name):
    contents = archived_contents(archive)
    assert sorted(contents) == sorted([*ARCHIVED_FILES, MANIFEST])
    flipped = bytearray(contents[name])
    flipped[len(flipped) // 2] ^= 0xFF
    write_tar(archive, TOP, contents | {name: bytes(flipped)}, COMMIT_TIME)
    problems = verify_archive(archive)
    assert problems and problems[0].startswith(f"{name}: sha256 ")


def test_a_changed_dataset_value_is_reported_by_variable(archive, tmp_path, capsys):
    """Rewritten with one value changed, under the old manifest."""
    changed = sample_dataset()
    changed["temperature"].values[1, 2] = 281.0
    datasets.write(changed, tmp_path / "changed.nc")
    contents = archived_contents(archive)
    contents["results/sample.nc"] = (tmp_path / "changed.nc").read_bytes()
    write_tar(archive, TOP, contents, COMMIT_TIME)
    result = run_verify(capsys, archive)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1:] == [
        "results/sample.nc: variable temperature content differs from MANIFEST.json"
    ]
    assert result.stdout.startswith("results/sample.nc: sha256 ")


def test_missing_and_unexpected_files_are_reported(archive):
    contents = archived_contents(archive)
    del contents["results/summary.json"]
    contents["results/extra.txt"] = b"not in the manifest\n"
    write_tar(archive, TOP, contents, COMMIT_TIME)
    assert verify_archive(archive) == [
        "results/extra.txt: not listed in MANIFEST.json",
        "results/summary.json: listed in MANIFEST.json but missing",
    ]


def test_an_unreadable_manifest_is_reported(archive):
    write_tar(archive, TOP, archived_contents(archive) | {MANIFEST: b"{"}, COMMIT_TIME)
    [problem] = verify_archive(archive)
    assert problem.startswith("MANIFEST.json is not valid JSON")


def manifest_with(archive, change) -> dict:
    manifest = json.loads(archived_contents(archive)[MANIFEST])
    change(manifest)
    return manifest


MALFORMED_MANIFESTS = [
    (
        "files-list",
        lambda m: m.update(files=list(m["files"])),
        "MANIFEST.json: 'files' must map file names to entries",
    ),
    (
        "entry-list",
        lambda m: m["files"].update({"config.yaml": ["0" * 64, 9]}),
        "MANIFEST.json: files entry 'config.yaml' must hold exactly 'sha256' (text)"
        " and 'bytes' (an integer)",
    ),
    (
        "bytes-text",
        lambda m: m["files"]["config.yaml"].update(bytes="9"),
        "MANIFEST.json: files entry 'config.yaml' must hold exactly",
    ),
    (
        "datasets-list",
        lambda m: m.update(datasets=[]),
        "MANIFEST.json: 'datasets' must map dataset names to hashes",
    ),
    (
        "hashes-list",
        lambda m: m["datasets"].update({"results/sample.nc": ["abc"]}),
        "MANIFEST.json: datasets entry 'results/sample.nc' must map variable names",
    ),
    (
        "absent-dataset",
        lambda m: m["datasets"].update({"results/absent.nc": {"x": "0"}}),
        "results/absent.nc: listed under 'datasets' in MANIFEST.json but missing",
    ),
    (
        "unlisted-dataset",
        lambda m: m["datasets"].pop("results/sample.nc"),
        "results/sample.nc: dataset not listed under 'datasets' in MANIFEST.json",
    ),
    (
        "extra-key",
        lambda m: m.update(comment="hi"),
        "MANIFEST.json must hold exactly 'files' and 'datasets'",
    ),
]


@pytest.mark.parametrize(
    ("change", "reason"),
    [row[1:] for row in MALFORMED_MANIFESTS],
    ids=[row[0] for row in MALFORMED_MANIFESTS],
)
def test_a_manifest_that_does_not_describe_the_archive_is_rejected(
    archive, change, reason
):
    manifest = manifest_with(archive, change)
    contents = archived_contents(archive) | {MANIFEST: json.dumps(manifest).encode()}
    write_tar(archive, TOP, contents, COMMIT_TIME)
    [problem] = verify_archive(archive)
    assert problem.startswith(reason), problem


def test_the_command_rejects_a_wrongly_shaped_manifest_in_one_line(archive, capsys):
    manifest = manifest_with(archive, lambda m: m.update(files=list(m["files"])))
    contents = archived_contents(archive) | {MANIFEST: json.dumps(manifest).encode()}
    write_tar(archive, TOP, contents, COMMIT_TIME)
    result = run_verify(capsys, archive)
    assert result.returncode == 1
    assert result.stdout == "MANIFEST.json: 'files' must map file names to entries\n"
    assert result.stderr == ""


def test_a_file_that_is_no_archive_is_reported(tmp_path):
    path = tmp_path / "broken.tar.gz"
    path.write_bytes(b"not gzip at all")
    [problem] = verify_archive(path)
    assert "not a readable tar.gz" in problem


@pytest.mark.parametrize("cut", [1, 4, 8, 9, 50])
def test_an_archive_cut_short_is_refused(archive, cut, capsys):
    """gzip's trailer (CRC-32, then length) sits after tar's end marker."""
    archive.write_bytes(archive.read_bytes()[:-cut])
    result = run_verify(capsys, archive)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{archive}: not a readable tar.gz (")
    assert "cut short" in line or "invalid" in line or "incorrect" in line


@pytest.mark.parametrize(
    "tail", [b"\0", b"x" * 50, gzip.compress(b"more")], ids=["zero", "text", "gzip"]
)
def test_bytes_after_the_gzip_stream_are_refused(archive, tail, capsys):
    archive.write_bytes(archive.read_bytes() + tail)
    result = run_verify(capsys, archive)
    assert result.returncode == 1
    assert result.stdout == (
        f"{archive}: not a readable tar.gz (bytes follow the end of its gzip stream)\n"
    )


def test_bytes_after_a_stream_that_ends_in_a_long_run_are_refused_promptly(
    tmp_path, capsys
):
    """The end of the stream arrives while output is held back to a chunk at a
    time, with the extra byte still unread."""
    archive = tmp_path / "zeros.tar.gz"
    write_tar(archive, TOP, {MANIFEST: b"{}", "zeros": bytes(4 << 20)}, COMMIT_TIME)
    archive.write_bytes(archive.read_bytes() + b"\0")
    result = run_verify(capsys, archive)
    assert result.stdout == (
        f"{archive}: not a readable tar.gz (bytes follow the end of its gzip stream)\n"
    )


def test_an_archive_repacked_with_dot_slash_names_is_refused(archive, tmp_path, capsys):
    """tar -czf x -C dir . names every member ./..., which this archive never does."""
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(unpacked, filter="data")
    repacked = tmp_path / "repacked.tar.gz"
    subprocess.run(["tar", "-czf", repacked, "-C", unpacked, "."], check=True)
    result = run_verify(capsys, repacked)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(
        line.startswith("refused, not extracted: .")
        and line.endswith(f"not a normalized path such as {TOP}/<file>")
        for line in lines
    ), "\n".join(lines)


def test_a_malicious_archive_is_refused_without_extracting(
    archive, tmp_path, capsys, monkeypatch
):
    """Valid hashes do not help an archive whose members could escape."""
    target = tmp_path / "escaped.txt"
    with tarfile.open(archive, "r:gz") as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data))
        for name in (f"{TOP}/../../escaped.txt", str(target)):
            info = tarfile.TarInfo(name)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"evil"))
        link = tarfile.TarInfo(f"{TOP}/results/passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    monkeypatch.chdir(tmp_path)
    result = run_verify(capsys, archive, "--rerun")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"refused, not extracted: {TOP}/../../escaped.txt: '..' in path",
        f"refused, not extracted: {target}: absolute path",
        f"refused, not extracted: {TOP}/results/passwd: link",
    ]
    assert not target.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"{TOP}.tar.gz", "work"]


FAKE_SNAKEFILE = """
rule data:
    input:
        config["matrix"],
    output:
        "results/data.nc",
    run:
        import numpy as np
        import xarray as xr

        scale = config["scale"]
        values = np.loadtxt(input[0], delimiter=",") * scale
        xr.Dataset(
            {
                "values": ("row", values),
                "ones": ("item", np.ones(3 * scale)),
                "label": ("row", ["a", "b", "c"]),
            }
        ).to_netcdf(output[0], engine="h5netcdf")
"""


@pytest.mark.workflow
def test_rerun_reports_each_differing_variable(tmp_path, capsys):
    """A one-rule workflow reruns with scale 2 an archive made with scale 1."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "Snakefile").write_text(FAKE_SNAKEFILE)
    root = tmp_path / "work"
    archived = xr.Dataset(
        {
            "values": ("row", [1.0, 2.0, 3.0]),
            "ones": ("item", np.ones(3)),
            "label": ("row", ["a", "b", "c"]),
        }
    )
    datasets.write(archived, root / "results" / "data.nc")
    extra = {
        "config.yaml": b"matrix: config/m.csv\nscale: 2\n",
        "inputs/config/m.csv": b"1\n2\n3\n",
    }
    path = tmp_path / "fake.tar.gz"
    write_archive(path, root, ["results/data.nc"], "fake-0", COMMIT_TIME, extra)
    result = run_verify(capsys, path, "--rerun", "--cores", 1, "--project", project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "OK: 3 files and 1 datasets match MANIFEST.json",
        "results/data.nc: ones: shape differs: (3,) archived, (6,) rerun",
        "results/data.nc: values: largest absolute difference 3",
    ]


@pytest.mark.workflow
def test_rerun_of_the_tiny_workflow_is_identical(workdir, capsys):
    """The workflow's own archive of a full run, rerun from scratch: the same data."""
    (path,) = (workdir / "results" / "archive").glob("*.tar.gz")
    manifest = read_manifest(path)
    assert len(manifest["datasets"]) >= 10
    result = run_verify(capsys, path, "--rerun")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"OK: {len(manifest['files'])} files and {len(manifest['datasets'])} "
        "datasets match MANIFEST.json",
        "identical",
    ]
