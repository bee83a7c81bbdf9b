"""Every kind of dataset the workflow writes, read back by every reader.

The datasets are built on small data with the library functions, the way the
rules build them (each stage reads the previous stage's file), then opened
with xarray through each netCDF backend, with netCDF4-python and ``ncdump``,
and checked against the CF conventions by the IOOS compliance checker.
"""

import json
import shutil
import subprocess
from pathlib import Path

import netCDF4
import numpy as np
import pytest
import xarray as xr

from eigeninit import datasets, stages
from eigeninit.content_hash import content_hashes, dataset_content_hashes
from eigeninit.spectrum import COMPLEX_PAIR, analyze

# k = 4 with pcg64: seed 4 draws a real dominant eigenvalue, seed 8 a complex
# pair, so both spectra and both dominant categories are written.
EXPERIMENTS = {"post": 4, "rotating": 8}
ITERATIONS = 40
TOLERANCE = 1e-6
BACKENDS = ("netcdf4", "h5netcdf")
CF_CHECK = "cf:1.11"


class Writer:
    """Writes datasets with :func:`datasets.write` and remembers what it wrote."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths: dict[str, Path] = {}
        self.in_memory: dict[str, xr.Dataset] = {}

    def write(self, name: str, dataset: xr.Dataset) -> Path:
        path = self.folder / f"{name}.nc"
        datasets.write(dataset, path)
        self.paths[name], self.in_memory[name] = path, dataset
        return path


def write_experiment(writer: Writer, name: str, seed: int) -> None:
    """matrix, spectrum and iterations, as draw_matrix, compute_spectrum and
    iterate write them: each stage reads the file the previous one wrote."""
    settings = {"experiment": name, "k": 4, "seed": seed, "rng": "pcg64"}
    matrix_path = writer.write(
        f"{name}/matrix", stages.matrix(settings | {"matrix_file": ""})
    )
    matrix = datasets.read(matrix_path)
    spectrum_path = writer.write(f"{name}/spectrum", stages.spectrum(matrix))
    spectrum = datasets.read(spectrum_path)
    writer.write(
        f"{name}/iterations",
        stages.iterations(matrix, spectrum, ITERATIONS, TOLERANCE),
    )


def write_circular_law(writer: Writer, k: int) -> None:
    """One size's measurements, as measure_circular_law and its merge write them."""
    part = stages.circular_law_part(k, 1, range(6))
    writer.write(f"circular_law/k{k}", stages.merge([part]))


def write_depth(writer: Writer, scheme: str, weights: str) -> None:
    """One scheme and weight mode, every activation, as run_depth writes them."""
    settings = {"k": 8, "layers": 4, "seed": 1, "activations": ["linear", "relu"]}
    parts = stages.depth_parts(
        scheme, settings | {"weight_sharing": [weights]}, range(3)
    )
    writer.write(f"depth/{scheme}_{weights}", parts[weights])


def write_jacobian(writer: Writer, scheme: str) -> None:
    """One scheme's Jacobians, every activation, as measure_jacobian writes them."""
    settings = {"k": 8, "layers": 4, "seed": 1, "jacobian_networks": 3}
    settings["activations"] = ["linear", "relu", "tanh"]
    writer.write(f"depth/jacobian/{scheme}", stages.jacobian(scheme, settings))


def write_every_kind(folder: Path) -> Writer:
    writer = Writer(folder)
    for name, seed in EXPERIMENTS.items():
        write_experiment(writer, name, seed)
    for k in (4, 9):
        write_circular_law(writer, k)
    for scheme, weights in (("lecun", "independent"), ("orthogonal", "shared")):
        write_depth(writer, scheme, weights)
    write_jacobian(writer, "kaiming")
    return writer


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Writer:
    return write_every_kind(tmp_path_factory.mktemp("datasets"))


def test_both_backends_and_the_default_engine_read_the_same(written):
    """Identical values, types and attributes, and so identical content hashes."""
    for name, path in written.paths.items():
        opened = {}
        for engine in (*BACKENDS, None):
            with xr.open_dataset(path, engine=engine) as dataset:
                opened[engine] = dataset.load()
        for engine in BACKENDS:
            xr.testing.assert_identical(opened[engine], opened[None])
            assert content_hashes(opened[engine]) == content_hashes(opened[None]), name


def test_content_hashes_of_files_equal_those_of_the_datasets_written(written):
    for name, path in written.paths.items():
        assert dataset_content_hashes(path) == content_hashes(
            written.in_memory[name]
        ), name


def test_rebuilding_gives_identical_content(written, tmp_path):
    """No dates or other varying metadata: equal results, equal content hashes."""
    again = write_every_kind(tmp_path)
    assert again.paths.keys() == written.paths.keys()
    for name, path in written.paths.items():
        assert dataset_content_hashes(again.paths[name]) == dataset_content_hashes(path)


def test_netcdf4_python_reads_only_plain_types(written):
    """No compound or other user-defined types: numbers and text, with units."""
    for name, path in written.paths.items():
        with netCDF4.Dataset(path) as dataset:
            assert dataset.Conventions == datasets.CONVENTIONS, name
            assert dataset.history, name
            for variable in dataset.variables.values():
                assert variable.dtype is str or variable.dtype.kind in "fiu", (
                    name,
                    variable.name,
                    variable.dtype,
                )
                assert variable.units and variable.long_name, (name, variable.name)


def test_complex_values_rebuild_the_spectrum_exactly(written):
    for name in EXPERIMENTS:
        matrix = datasets.read(written.paths[f"{name}/matrix"])
        stored = datasets.read(written.paths[f"{name}/spectrum"])
        spectrum = analyze(matrix["matrix"].values)
        eigenvalues = datasets.complex_values(stored, "eigenvalue")
        np.testing.assert_array_equal(eigenvalues.values, spectrum.eigenvalues)
        assert eigenvalues.dims == ("eigen",)
        np.testing.assert_array_equal(
            datasets.complex_values(stored, "principal_eigenvector").values,
            spectrum.principal_eigenvector,
        )
        # Against the definition: A v = l v for the principal pair, read back.
        principal = datasets.complex_values(stored, "principal_eigenvector").values
        np.testing.assert_allclose(
            matrix["matrix"].values @ principal,
            eigenvalues.values[-1] * principal,
            atol=1e-12,
        )


def test_labels_select_and_categories_decode(written):
    """sel by run and activation label; dominant decodes to the spectrum's verdict."""
    for name in EXPERIMENTS:
        spectrum = datasets.read(written.paths[f"{name}/spectrum"])
        iterations = datasets.read(written.paths[f"{name}/iterations"])
        for run in datasets.RUNS:
            dominant = iterations.sel(run=run)["dominant"]
            assert datasets.dominant_structure(dominant) == spectrum.attrs["dominant"]
    assert spectrum.attrs["dominant"] == COMPLEX_PAIR
    circular = datasets.read(written.paths["circular_law/k9"])
    eigenvalues = datasets.complex_values(circular, "eigenvalue").values
    dominant = eigenvalues[
        np.arange(eigenvalues.shape[0]), np.abs(eigenvalues).argmax(1)
    ]
    np.testing.assert_array_equal(
        circular["dominant_is_real"].values.astype(bool), dominant.imag == 0
    )
    depth = datasets.read(written.paths["depth/lecun_independent"])
    assert depth["activation"].values.tolist() == ["linear", "relu"]
    assert depth["growth"].sel(activation="relu").dims == ("member",)
    assert depth["activation_index"].attrs["flag_meanings"] == "linear relu"


def test_write_refuses_complex_variables(tmp_path):
    dataset = xr.Dataset({"z": ("i", np.array([1 + 2j, 3j]))})
    with pytest.raises(TypeError, match="z: store real and imaginary parts"):
        datasets.write(dataset, tmp_path / "z.nc")
    assert not (tmp_path / "z.nc").exists()


def ncdump_values(path: Path, name: str) -> np.ndarray:
    """A numeric variable's values as ncdump prints them at full precision."""
    result = subprocess.run(
        ["ncdump", "-p", "9,17", "-v", name, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    data = result.stdout.split("\ndata:\n", 1)[1]
    text = data.split(f" {name} =", 1)[1].split(";", 1)[0]
    spelled = {"_": "nan", "NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}
    words = text.replace(",", " ").split()
    return np.array([float(spelled.get(word, word)) for word in words])


@pytest.mark.validators
@pytest.mark.skipif(shutil.which("ncdump") is None, reason="ncdump is not installed")
def test_ncdump_reads_every_value(written):
    """ncdump (netCDF-C) prints every numeric variable as xarray reads it."""
    for name, path in written.paths.items():
        header = subprocess.run(
            ["ncdump", "-h", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert f':Conventions = "{datasets.CONVENTIONS}"' in header, name
        dataset = datasets.read(path)
        for variable_name, variable in dataset.variables.items():
            if variable.dtype.kind in "fiu":
                np.testing.assert_array_equal(
                    ncdump_values(path, str(variable_name)),
                    variable.values.ravel(),
                    err_msg=f"{name}: {variable_name}",
                )


def cf_corrections(path: Path, report_path: Path) -> list[str]:
    """What the IOOS compliance checker's CF suite asks to correct in ``path``,
    at its strictest: every failed check at every priority, and every check
    that raised instead of finishing."""
    runner = pytest.importorskip(
        "compliance_checker.runner",
        reason="the IOOS compliance checker (requirements-dev.txt) is not installed",
    )
    runner.CheckSuite.load_all_available_checkers()
    passed, raised = runner.ComplianceChecker.run_checker(
        str(path),
        [CF_CHECK],
        verbose=0,
        criteria="strict",
        output_filename=str(report_path),
        output_format="json",
    )
    report = json.loads(report_path.read_text())[CF_CHECK]
    corrections = [
        f"{check['name']}: {message}"
        for priority in ("high_priorities", "medium_priorities", "low_priorities")
        for check in report[priority]
        for message in check["msgs"]
    ]
    if raised:
        corrections.append("a check raised an exception (see the captured output)")
    if not passed or report["scored_points"] != report["possible_points"]:
        corrections.append(
            f"scored {report['scored_points']} of {report['possible_points']} points"
        )
    return corrections


@pytest.mark.validators
def test_cf_checker_finds_nothing_to_correct(written, tmp_path):
    for name, path in written.paths.items():
        assert cf_corrections(path, tmp_path / "report.json") == [], name


@pytest.mark.validators
@pytest.mark.workflow
def test_every_dataset_of_the_workflow_passes_the_cf_checker(workdir, tmp_path):
    """The tiny run's own files: each backend reads them alike, the checker
    finds nothing to correct."""
    paths = sorted((workdir / "results").rglob("*.nc"))
    assert paths
    for path in paths:
        with (
            xr.open_dataset(path, engine="netcdf4") as netcdf4_read,
            xr.open_dataset(path, engine="h5netcdf") as h5netcdf_read,
        ):
            xr.testing.assert_identical(netcdf4_read.load(), h5netcdf_read.load())
        assert cf_corrections(path, tmp_path / "report.json") == [], path
