"""Inputs named anywhere are archived under a normalised name the config uses."""

import hashlib
import tarfile

import yaml

from conftest import PROJECT
from eigeninit.archive import verify_archive
from eigeninit.bundle import assemble_archive
from eigeninit.citation import read_citation
from eigeninit.experiments import archived_name

TOP = "eigeninit-test"


def never_hashed() -> str:
    raise AssertionError("a file inside the working directory is not hashed")


def test_inputs_inside_the_working_directory_keep_their_normalised_path(tmp_path):
    for name in ("config/m.csv", "config/./m.csv", "results/../config/m.csv"):
        assert archived_name(name, tmp_path, never_hashed) == "config/m.csv"
    absolute = str(tmp_path / "config" / "m.csv")
    assert archived_name(absolute, tmp_path, never_hashed) == "config/m.csv"


def test_inputs_outside_it_are_named_by_their_content(tmp_path):
    digest = hashlib.sha256(b"1\n").hexdigest()
    for name in ("../elsewhere/m.csv", "/srv/data/m.csv"):
        stored = archived_name(name, tmp_path / "work", lambda: digest)
        assert stored == f"external/{digest[:16]}/m.csv"


def test_an_archive_holds_inputs_from_anywhere_and_its_config_finds_them(tmp_path):
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    (work / "results").mkdir(parents=True)
    (work / "config").mkdir()
    elsewhere.mkdir()
    (work / "results" / "report.html").write_text("<p>report</p>\n")
    (work / "config" / "inside.csv").write_text("1,0\n0,1\n")
    (elsewhere / "outside.csv").write_text("3,1\n0,3\n")
    absolute = str(elsewhere / "outside.csv")
    config = {
        "experiments": {
            "inside": {"matrix": "config/./inside.csv"},
            "relative": {"matrix": "../elsewhere/outside.csv"},
            "absolute": {"matrix": absolute},
        }
    }
    archive = tmp_path / "archive.tar.gz"
    assemble_archive(
        archive,
        root=work,
        results=["results/report.html"],
        inputs=["config/./inside.csv", "../elsewhere/outside.csv", absolute],
        source={"Snakefile": PROJECT / "Snakefile"},
        config=config,
        top_folder=TOP,
        mtime=1_767_225_600,
        workflow_dir=PROJECT,
        credits=read_citation(PROJECT / "CITATION.cff"),
    )
    assert verify_archive(archive) == []
    with tarfile.open(archive, "r:gz") as tar:
        names = {member.name.removeprefix(f"{TOP}/") for member in tar.getmembers()}
        archived_config = yaml.safe_load(tar.extractfile(f"{TOP}/config.yaml"))
    matrices = {
        name: settings["matrix"]
        for name, settings in archived_config["experiments"].items()
    }
    digest = hashlib.sha256(b"3,1\n0,3\n").hexdigest()[:16]
    assert matrices == {
        "inside": "config/inside.csv",
        "relative": f"external/{digest}/outside.csv",
        "absolute": f"external/{digest}/outside.csv",
    }
    assert {f"inputs/{path}" for path in matrices.values()} <= names
