"""CITATION.cff: valid for the format's own validator, and read the same way
by the code that writes the crate and the archive's metadata."""

import fcntl
import hashlib
import subprocess
import tempfile
import tomllib
import venv
from pathlib import Path

import pytest

from eigeninit.citation import SPDX_LICENSE_LIST, Author, read_citation

PROJECT = Path(__file__).resolve().parents[1]
CITATION_FILE = PROJECT / "CITATION.cff"
CFFCONVERT_LOCK = PROJECT / "tests" / "validators" / "cffconvert.txt"


def test_citation_matches_the_package_and_the_licence_file():
    citation = read_citation(CITATION_FILE)
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    assert citation.version == pyproject["project"]["version"]
    license_text = (PROJECT / "LICENSE").read_text()
    assert citation.license == "MIT"
    assert license_text.startswith("MIT License\n")
    holders = ", ".join(author.name for author in citation.authors)
    assert f"Copyright (c) 2026 {holders}\n" in license_text
    assert citation.license_url == SPDX_LICENSE_LIST + "MIT"


def write_cff(folder: Path, body: str) -> Path:
    path = folder / "CITATION.cff"
    path.write_text(
        'cff-version: 1.2.0\nmessage: "Cite it."\ntitle: "A title"\n' + body
    )
    return path


def test_persons_and_entities_become_schema_org_authors(tmp_path):
    path = write_cff(
        tmp_path,
        'version: "1.10"\nlicense: BSD-3-Clause\n'
        "repository-code: https://example.org/lab/code\nauthors:\n"
        "  - given-names: Ada\n    name-particle: de\n    family-names: Vries\n"
        "    orcid: https://orcid.org/0000-0002-1825-0097\n"
        "  - name: A lab\n    website: https://example.org/lab\n",
    )
    citation = read_citation(path)
    assert citation.authors == (
        Author("Ada de Vries", "Person", "https://orcid.org/0000-0002-1825-0097"),
        Author("A lab", "Organization", "https://example.org/lab"),
    )
    assert citation.version == "1.10"
    assert citation.license_url == SPDX_LICENSE_LIST + "BSD-3-Clause"
    assert citation.repository == "https://example.org/lab/code"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("version: 1.10\nlicense: MIT\nauthors: [{name: A}]\n", "quote the version"),
        (
            'version: "1"\nlicense: [MIT, Apache-2.0]\nauthors: [{name: A}]\n',
            "one SPDX identifier",
        ),
        ('version: "1"\nlicense: MIT\nauthors: [{email: a@b.c}]\n', "has no name"),
    ],
)
def test_ambiguous_metadata_is_refused(tmp_path, body, message):
    with pytest.raises(ValueError, match=message):
        read_citation(write_cff(tmp_path, body))


def cffconvert() -> Path:
    """cffconvert from its own lock, in a virtual environment kept in the temp
    folder under the lock's hash (it needs jsonschema < 4, the workflow 4)."""
    lock = CFFCONVERT_LOCK.read_bytes()
    home = Path(tempfile.gettempdir()) / (
        "eigeninit-cffconvert-" + hashlib.sha256(lock).hexdigest()[:16]
    )
    installed = home / "installed"  # written last: a half-built folder is redone
    with open(f"{home}.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # one build at a time
        if not installed.exists():
            venv.EnvBuilder(clear=True, with_pip=True).create(home)
            subprocess.run(
                [home / "bin" / "python", "-m", "pip", "install", "-q"]
                + ["-r", CFFCONVERT_LOCK],
                check=True,
                capture_output=True,
            )
            installed.touch()
    return home / "bin" / "cffconvert"


@pytest.mark.validators
def test_cffconvert_accepts_the_citation_file_and_refuses_a_broken_one(tmp_path):
    executable = cffconvert()
    valid = subprocess.run(
        [executable, "--validate", "--infile", CITATION_FILE],
        capture_output=True,
        text=True,
    )
    assert valid.returncode == 0, valid.stdout + valid.stderr
    broken = write_cff(tmp_path, "license: MIT\n")  # no authors
    refused = subprocess.run(
        [executable, "--validate", "--infile", broken], capture_output=True
    )
    assert refused.returncode != 0
