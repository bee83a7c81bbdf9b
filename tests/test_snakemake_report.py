"""The tiny config's build: Snakemake's own report renders every caption as
clean reStructuredText, and every figure keeps its legends off the data."""

from pathlib import Path

import pytest
from test_figures import REGISTRIES, assert_legends_off_the_data

from eigeninit.datasets import read
from eigeninit.jsonio import read_json
from workflow_runner import TINY_CONFIG, snakemake

pytestmark = pytest.mark.workflow


def test_snakemakes_report_renders_every_caption_without_errors(workdir, tmp_path):
    report = tmp_path / "report.html"
    result = snakemake(workdir, workdir / "config.yaml", "--report", str(report))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    # docutils prints its complaints and also writes them into the page.
    for text in (output, report.read_text()):
        assert "ERROR/" not in text and "WARNING/" not in text
        assert "Undefined substitution" not in text


def load(name: str, paths: Path | list[Path]):
    """As the plot rules read their inputs."""
    if name == "summary":
        return read_json(paths)
    return read(paths) if isinstance(paths, Path) else [read(path) for path in paths]


def figure_inputs(results: Path) -> dict[str, dict]:
    """The files each set of figures is drawn from."""
    inputs = {
        "circular_law": {"sizes": sorted(results.glob("circular_law/sizes/*.nc"))},
        "depth": {"runs": sorted(results.glob("depth/runs/*.nc"))},
        "jacobian": {"runs": sorted(results.glob("depth/jacobian/*.nc"))},
    }
    for part, folder in (("circular_law", ""), ("depth", ""), ("jacobian", "depth/")):
        inputs[part]["summary"] = results / folder / part / "summary.json"
    for experiment in TINY_CONFIG["experiments"]:
        folder = results / "experiments" / experiment
        inputs[experiment] = {"summary": folder / "summary.json"} | {
            name: folder / f"{name}.nc" for name in ("matrix", "spectrum", "iterations")
        }
    return inputs


def test_the_tiny_builds_figures_keep_legends_off_the_data(workdir):
    for part, files in figure_inputs(workdir / "results").items():
        data = {name: load(name, paths) for name, paths in files.items()}
        for name, definition in REGISTRIES.get(part, REGISTRIES["experiment"]).items():
            assert_legends_off_the_data(f"{part}-{name}", definition(**data))
