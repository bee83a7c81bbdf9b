"""Same config, same data: across runs, core counts and job orders."""

import json
import tarfile

import pytest

from crate_validation import PROFILES, context_cache, explained_checks, validate
from eigeninit.archive import read_manifest, verify_archive
from eigeninit.content_hash import dataset_content_hashes
from eigeninit.provenance import RERUN_COMMAND
from workflow_runner import prepare_workdir, snakemake

pytestmark = pytest.mark.workflow

DETERMINISTIC_FILES = {"report.html", "summary.json"}
"""Besides datasets and figures: files that must be byte-identical across runs."""


@pytest.fixture(scope="module")
def serial_rerun(tmp_path_factory, workdir):
    """The workflow again in a fresh directory: one core instead of four, targets in
    reverse order."""
    directory = tmp_path_factory.mktemp("serial")
    config = prepare_workdir(directory)
    targets = sorted(
        path.relative_to(workdir).as_posix()
        for path in (workdir / "results").rglob("*")
        if (path.suffix in {".nc", ".png", ".pdf"} or path.name in DETERMINISTIC_FILES)
        and "paper" not in path.parts
        and "screenshots" not in path.parts
    )
    result = snakemake(directory, config, "--cores", "1", *reversed(targets))
    assert result.returncode == 0, result.stderr[-3000:]
    return directory, targets


def test_datasets_have_identical_content_hashes(workdir, serial_rerun):
    directory, targets = serial_rerun
    datasets = [target for target in targets if target.endswith(".nc")]
    assert len(datasets) >= 10
    for target in datasets:
        assert dataset_content_hashes(directory / target) == dataset_content_hashes(
            workdir / target
        ), target


def test_figures_summaries_and_writeup_are_byte_identical(workdir, serial_rerun):
    directory, targets = serial_rerun
    files = [target for target in targets if not target.endswith(".nc")]
    assert "results/report.html" in files
    assert len(files) >= 20
    for target in files:
        assert (directory / target).read_bytes() == (workdir / target).read_bytes(), (
            target
        )


def archive_of(workdir):
    (path,) = (workdir / "results" / "archive").glob("*.tar.gz")
    return path


def test_the_archive_verifies_and_holds_what_it_promises(workdir):
    path = archive_of(workdir)
    assert verify_archive(path) == []
    files = read_manifest(path)["files"]
    assert {"config.yaml", "provenance.json", "ro-crate-metadata.json"} <= files.keys()
    assert "inputs/config/published-matrix.csv" in files
    assert "source/Snakefile" in files
    assert "results/report.html" in files
    assert "results/paper/numbers.tex" in files
    assert all(
        ".." not in name.split("/") and not name.startswith("/") for name in files
    )


def test_rebuilding_the_archive_gives_the_same_bytes(workdir):
    path = archive_of(workdir)
    config = workdir / "config.yaml"
    builds = []
    for _ in range(2):
        result = snakemake(
            workdir, config, "--cores", "1", "--forcerun", "build_archive", "archive"
        )
        assert result.returncode == 0, result.stderr[-3000:]
        builds.append(path.read_bytes())
    assert builds[0] == builds[1]


def test_provenance_and_crate(workdir):
    path = archive_of(workdir)
    with tarfile.open(path) as tar:
        top = tar.getnames()[0].split("/")[0]
        provenance = json.load(tar.extractfile(f"{top}/provenance.json"))
        crate = json.load(tar.extractfile(f"{top}/ro-crate-metadata.json"))
    assert provenance["rerun_command"] == RERUN_COMMAND
    assert provenance["versions"]["numpy"]
    assert provenance["blas"] and all(
        "num_threads" in pool for pool in provenance["blas"]
    )
    graph = {entity["@id"]: entity for entity in crate["@graph"]}
    profiles = {profile["@id"] for profile in graph["./"]["conformsTo"]}
    assert "https://w3id.org/ro/wfrun/provenance/0.5" in profiles
    rules = {
        entity.get("name")
        for entity in crate["@graph"]
        if entity.get("@type") == "SoftwareApplication"
    }
    assert {"draw_matrix", "iterate", "render_writeup"} <= rules


@pytest.mark.validators
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("profile", PROFILES)
def test_the_archived_crate_passes_the_validator(workdir, tmp_path, profile):
    """The real archive's crate, not only the crate the unit tests lay out."""
    with tarfile.open(archive_of(workdir)) as tar:
        top = tar.getnames()[0].split("/")[0]
        tar.extractall(tmp_path, filter="data")
    cache = context_cache(tmp_path / "contexts")
    assert validate(tmp_path / top, profile, "REQUIRED", cache) == []
    recommended = validate(tmp_path / top, profile, "RECOMMENDED", cache)
    assert {issue.check for issue in recommended} <= explained_checks()
