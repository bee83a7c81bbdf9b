"""The archive's RO-Crate: its content, and what the RO-Crate validator says of it."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml

from crate_validation import context_cache, explained_checks, validate
from eigeninit.archive import MANIFEST, build_manifest
from eigeninit.citation import Author, Citation, read_citation
from eigeninit.crate import (
    METADATA_FILE,
    PROVENANCE_RUN_CRATE,
    README_FILE,
    UNKNOWN_FORMAT,
    WORKFLOW_RUN_CRATE,
    Step,
    crate_readme,
    encoding_format,
    ro_crate_metadata,
)
from eigeninit.jsonio import canonical_json

PROJECT = Path(__file__).parents[1]
REPOSITORY = "https://example.org/eigeninit"
AUTHORS = Author("The eigeninit authors", "Organization", url=REPOSITORY)
CREDITS = Citation(
    title="Weight initialization and eigenvectors, reproduced",
    version="1.0.0",
    authors=(AUTHORS,),
    license="MIT",
    repository=REPOSITORY,
)
"""Credits of a published version, with a code repository to name rules under."""
DESCRIPTION = "Repeated products of seeded random matrices and their spectra."
CRATE = {
    "credits": CREDITS,
    "description": DESCRIPTION,
    "date_published": "2026-01-01T00:00:00+00:00",
    "inputs": ["config.yaml", "inputs/config/published-matrix.csv"],
    "outputs": ["results/post/matrix.nc", "results/report.html"],
    "traces": ["provenance.json"],
}


def by_id(crate: dict) -> dict:
    return {entity["@id"]: entity for entity in crate["@graph"]}


def ids(references) -> list[str]:
    """The @ids of one reference or a list of them."""
    if isinstance(references, dict):
        references = [references]
    return [reference["@id"] for reference in references]


def test_crate_describes_the_workflow_run():
    crate = ro_crate_metadata(**CRATE)
    assert "https://w3id.org/ro/crate/1.1/context" in crate["@context"]
    entities = by_id(crate)
    root = entities["./"]
    assert WORKFLOW_RUN_CRATE in ids(root["conformsTo"])
    assert PROVENANCE_RUN_CRATE not in ids(root["conformsTo"]), "needs steps"
    assert root["mainEntity"] == {"@id": "Snakefile"}
    assert root["datePublished"] == CRATE["date_published"]
    workflow = entities["Snakefile"]
    assert {"File", "SoftwareSourceCode", "ComputationalWorkflow"} <= set(
        workflow["@type"]
    )
    assert entities[workflow["programmingLanguage"]["@id"]]["name"] == "Snakemake"
    run = entities["#run"]
    assert run["@type"] == "CreateAction"
    assert run["instrument"] == {"@id": "Snakefile"}
    assert ids(run["object"]) == CRATE["inputs"]
    assert ids(run["result"]) == CRATE["outputs"]
    assert "startTime" not in run and "endTime" not in run and "agent" not in run
    assert entities["provenance.json"]["about"] == {"@id": "#run"}
    for path in [*CRATE["inputs"], *CRATE["outputs"], *CRATE["traces"]]:
        assert entities[path]["@type"] == "File"
        assert entities[path]["encodingFormat"] == encoding_format(path)
        assert {"@id": path} in root["hasPart"]
    assert entities["ro-crate-metadata.json"]["about"] == {"@id": "./"}


def test_credits_name_license_authors_and_version():
    entities = by_id(ro_crate_metadata(**CRATE))
    root = entities["./"]
    assert root["name"] == CREDITS.title
    assert root["version"] == CREDITS.version
    license = entities[root["license"]["@id"]]
    assert root["license"]["@id"] == "https://spdx.org/licenses/MIT"
    assert license["identifier"] == "MIT"
    author = entities[root["author"]["@id"]]
    assert (author["@type"], author["name"]) == ("Organization", AUTHORS.name)
    assert root["publisher"] == root["author"], "one entity for the same agent"
    workflow = entities["Snakefile"]
    assert workflow["version"] == CREDITS.version
    assert workflow["url"] == CREDITS.repository
    assert workflow["creator"] == root["author"]


def test_workflow_files_are_its_parameters():
    entities = by_id(ro_crate_metadata(**CRATE))
    workflow = entities["Snakefile"]
    for direction, paths in (("input", CRATE["inputs"]), ("output", CRATE["outputs"])):
        parameters = [entities[key] for key in ids(workflow[direction])]
        assert [parameter["name"] for parameter in parameters] == paths
        for parameter, path in zip(parameters, paths, strict=True):
            assert parameter["workExample"] == {"@id": path}
            assert entities[path]["exampleOfWork"] == {"@id": parameter["@id"]}


def test_readme_source_and_manifest_are_described():
    source = ["Snakefile", "workflow/rules/archive.smk", "scripts/iterate.py"]
    entities = by_id(ro_crate_metadata(**CRATE, source=source, manifest=MANIFEST))
    for path in [README_FILE, MANIFEST]:
        assert entities[path]["about"] == {"@id": "./"}
    assert entities[README_FILE]["encodingFormat"] == "text/markdown"
    assert entities["workflow/rules/archive.smk"]["encodingFormat"] == "text/x-python"
    assert {"@id": "scripts/iterate.py"} in entities["./"]["hasPart"]
    assert [entity["@id"] for entity in ro_crate_metadata(**CRATE)["@graph"]].count(
        "Snakefile"
    ) == 1


def test_crate_with_steps_is_a_provenance_run_crate():
    steps = [
        Step("spectrum", ("results/post/matrix.nc",), ("results/post/spectrum.nc",)),
        Step("draw_matrix", ("/project/config/x.csv",), ("results/post/matrix.nc",)),
    ]
    outputs = [*CRATE["outputs"], "results/post/spectrum.nc"]
    entities = by_id(ro_crate_metadata(**CRATE | {"outputs": outputs}, steps=steps))
    assert PROVENANCE_RUN_CRATE in ids(entities["./"]["conformsTo"])
    workflow = entities["Snakefile"]
    assert "HowTo" in workflow["@type"]
    assert ids(workflow["step"]) == ["#step-draw_matrix", "#step-spectrum"]
    tool = entities["#step-spectrum"]["workExample"]["@id"]
    assert tool == f"{CREDITS.repository}#rule-spectrum"
    assert entities[tool]["version"] == CREDITS.version
    tools = [e for e in entities.values() if e["@type"] == "SoftwareApplication"]
    assert tools and all(tool["@id"].startswith("https://") for tool in tools)
    draw, spectrum = entities["#job-0"], entities["#job-1"]
    assert draw["instrument"] == {"@id": f"{CREDITS.repository}#rule-draw_matrix"}
    assert "object" not in draw, "files outside the crate are left out"
    assert ids(spectrum["result"]) == ["results/post/spectrum.nc"]
    control = entities["#control-1"]
    assert control["@type"] == "ControlAction"
    assert control["instrument"] == {"@id": "#step-spectrum"}
    assert control["object"] == {"@id": "#job-1"}


def references(value) -> set[str]:
    """Every @id a crate entity points to."""
    if isinstance(value, list):
        return set().union(*map(references, value))
    if isinstance(value, dict):
        found = {value["@id"]} if set(value) == {"@id"} else set()
        return found.union(*map(references, value.values()))
    return set()


def test_every_reference_inside_the_crate_resolves():
    steps = [Step("draw_matrix", ("config.yaml",), ("results/post/matrix.nc",))]
    crate = ro_crate_metadata(**CRATE, steps=steps, manifest=MANIFEST)
    local = {
        identifier
        for identifier in references(crate["@graph"])
        if not identifier.startswith("https://")
    }
    assert local and local <= set(by_id(crate))


def singleton_lists(value) -> list:
    """Lists of one item anywhere in ``value``, which RO-Crate 1.1 advises against."""
    if isinstance(value, list):
        found = [value] if len(value) == 1 else []
        return found + [item for entry in value for item in singleton_lists(entry)]
    if isinstance(value, dict):
        return [item for entry in value.values() for item in singleton_lists(entry)]
    return []


def test_single_values_are_not_wrapped_in_lists():
    steps = [Step("draw_matrix", ("config.yaml",), ("results/post/matrix.nc",))]
    crate = ro_crate_metadata(**CRATE, steps=steps)
    assert singleton_lists(crate["@graph"]) == []


def test_crate_is_deterministic():
    reordered = CRATE | {"outputs": list(reversed(CRATE["outputs"]))}
    assert canonical_json(ro_crate_metadata(**CRATE)) == canonical_json(
        ro_crate_metadata(**reordered)
    )


def strings(value) -> list[str]:
    """Every string anywhere in ``value``."""
    if isinstance(value, dict):
        return strings(list(value.values()))
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def test_the_only_time_in_the_crate_is_the_publication_date():
    """No time of building leaks in, which two builds in one second would hide."""
    steps = [Step("draw_matrix", ("config.yaml",), ("results/post/matrix.nc",))]
    crate = ro_crate_metadata(**CRATE, steps=steps, snakemake_version="9.0.0")
    times = {text for text in strings(crate) if re.search(r"\d\d:\d\d", text)}
    assert times == {CRATE["date_published"]}


def test_paths_are_percent_encoded_in_identifiers_and_references():
    matrix = "inputs/external/0123/my matrix.csv"
    steps = [Step("draw_matrix", (matrix,), ("results/post/matrix.nc",))]
    crate = ro_crate_metadata(
        **CRATE | {"inputs": ["config.yaml", matrix]}, steps=steps
    )
    entities = by_id(crate)
    encoded = "inputs/external/0123/my%20matrix.csv"
    assert entities[encoded]["name"] == "my matrix.csv"
    assert entities[entities[encoded]["exampleOfWork"]["@id"]]["name"] == matrix
    assert entities["#job-0"]["object"] == {"@id": encoded}
    assert matrix not in references(crate["@graph"])


def test_every_tracked_file_has_a_named_encoding_format():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    unnamed = [
        path
        for path in tracked
        if not path.startswith(".") and encoding_format(path) == UNKNOWN_FORMAT
    ]
    assert unnamed == []


# The validator, on a crate laid out as the archive lays it out


SOURCE = ["Snakefile", "workflow/rules/common.smk", "scripts/draw_matrix.py"]
STEPS = [
    Step(
        "draw_matrix",
        ("config/published-matrix.csv",),
        ("results/post/matrix.nc",),
    ),
    Step(
        "compute_spectrum", ("results/post/matrix.nc",), ("results/post/spectrum.nc",)
    ),
    Step(
        "summarize_experiment",
        (
            "results/post/iterations.nc",
            "results/post/matrix.nc",
            "results/post/spectrum.nc",
        ),
        ("results/post/summary.json",),
    ),
    Step(
        "plot_experiment",
        ("results/post/spectrum.nc",),
        (
            "results/post/figures/eigenvalues.pdf",
            "results/post/figures/eigenvalues.png",
        ),
    ),
    Step(
        "render_writeup",
        ("report/writeup/report.html.j2", "results/post/summary.json"),
        ("results/report.html",),
    ),
]


def write_results(root: Path) -> list[str]:
    """Small but real results: netCDF, JSON, a figure, HTML; their paths."""
    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((4, 4)) / 2
    post = root / "results" / "post"
    (post / "figures").mkdir(parents=True)
    xr.Dataset({"A": (("row", "column"), matrix)}).to_netcdf(
        post / "matrix.nc", engine="h5netcdf"
    )
    eigenvalues = np.linalg.eigvals(matrix)
    moduli = np.sort(np.abs(eigenvalues))
    xr.Dataset({"modulus": ("index", moduli)}).to_netcdf(
        post / "spectrum.nc", engine="h5netcdf"
    )
    (post / "summary.json").write_text(json.dumps({"spectral_radius": moduli[-1]}))
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(2, 2))
    axes.scatter(eigenvalues.real, eigenvalues.imag)
    for suffix in ("png", "pdf"):
        figure.savefig(post / "figures" / f"eigenvalues.{suffix}", metadata=None)
    pyplot.close(figure)
    (root / "results" / "report.html").write_text(
        "<!DOCTYPE html><title>Report</title><p>The spectral radius.</p>\n"
    )
    return sorted(
        path.relative_to(root).as_posix()
        for path in (root / "results").rglob("*")
        if path.is_file()
    )


def in_crate(step: Step) -> Step:
    """The job's configured inputs as the archive stores them, under inputs/."""

    def rename(path: str) -> str:
        return f"inputs/{path}" if path.startswith("config/") else path

    return Step(step.rule, tuple(map(rename, step.inputs)), step.outputs)


@pytest.fixture(scope="module")
def crate_dir(tmp_path_factory) -> Path:
    """A crate folder as the archive writes it, from the project's own sources."""
    root = tmp_path_factory.mktemp("crate") / "eigeninit-abc1234"
    outputs = write_results(root)
    (root / "inputs" / "config").mkdir(parents=True)
    np.savetxt(
        root / "inputs" / "config" / "published-matrix.csv",
        np.eye(3),
        delimiter=",",
    )
    (root / "config.yaml").write_text(
        yaml.safe_dump({"experiments": {"post": {"k": 4, "seed": 0}}})
    )
    (root / "provenance.json").write_text(json.dumps({"rerun_command": "x"}))
    for path in SOURCE:
        (root / "source" / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / path, root / "source" / path)
    source = [f"source/{path}" for path in SOURCE]
    arguments = {
        "credits": read_citation(PROJECT / "CITATION.cff"),
        "description": DESCRIPTION,
        "workflow": "source/Snakefile",
        "traces": ["provenance.json"],
        "manifest": MANIFEST,
    }
    (root / README_FILE).write_text(crate_readme(**arguments))
    crate = ro_crate_metadata(
        **arguments,
        date_published="2026-01-01T00:00:00+00:00",
        inputs=["config.yaml", "inputs/config/published-matrix.csv"],
        outputs=outputs,
        source=source,
        steps=[in_crate(step) for step in STEPS],
        snakemake_version="9.0.0",
    )
    (root / METADATA_FILE).write_text(canonical_json(crate))
    members = sorted(
        path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()
    )
    (root / MANIFEST).write_text(canonical_json(build_manifest(root, members)))
    return root


@pytest.fixture(scope="module")
def http_cache(tmp_path_factory) -> Path:
    return context_cache(tmp_path_factory.mktemp("http-cache") / "contexts")


# rdflib's JSON-LD parser, inside the validator, uses its own deprecated API.
quiet_rdflib = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)


@pytest.mark.validators
@quiet_rdflib
@pytest.mark.parametrize(
    "profile", ["workflow-run-crate-0.5", "provenance-run-crate-0.5"]
)
def test_validator_finds_no_required_failure(crate_dir, http_cache, profile):
    issues = validate(crate_dir, profile, "REQUIRED", http_cache)
    assert [str(issue) for issue in issues] == []


@pytest.mark.validators
@quiet_rdflib
def test_validator_reads_the_contexts_and_catches_a_missing_license(
    crate_dir, http_cache, tmp_path
):
    """The same crate without its license fails: the checks really ran offline."""
    unlicensed = shutil.copytree(crate_dir, tmp_path / crate_dir.name)
    metadata = json.loads((unlicensed / METADATA_FILE).read_text())
    del by_id(metadata)["./"]["license"]
    (unlicensed / METADATA_FILE).write_text(canonical_json(metadata))
    issues = validate(unlicensed, "workflow-run-crate-0.5", "REQUIRED", http_cache)
    assert issues and all(issue.entity == "./" for issue in issues)
    assert all("license" in issue.message for issue in issues)


@pytest.mark.validators
@quiet_rdflib
@pytest.mark.parametrize(
    "profile", ["workflow-run-crate-0.5", "provenance-run-crate-0.5"]
)
def test_validator_recommendations_are_met_or_explained(crate_dir, http_cache, profile):
    issues = validate(crate_dir, profile, "RECOMMENDED", http_cache)
    unexplained = [
        str(issue) for issue in issues if issue.check not in explained_checks()
    ]
    assert unexplained == []
    assert all(issue.severity == "RECOMMENDED" for issue in issues)


@pytest.mark.validators
def test_rocrate_package_reads_the_crate(crate_dir):
    rocrate = pytest.importorskip("rocrate.rocrate")
    crate = rocrate.ROCrate(crate_dir)
    assert crate.mainEntity.id == "source/Snakefile"
    assert crate.name == read_citation(PROJECT / "CITATION.cff").title
    files = {entity.id for entity in crate.data_entities}
    expected = {
        path.relative_to(crate_dir).as_posix()
        for path in crate_dir.rglob("*")
        if path.is_file() and path.name != METADATA_FILE
    }
    assert files == expected
