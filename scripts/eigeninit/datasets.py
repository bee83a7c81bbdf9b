"""Self-describing xarray datasets for each stage, and their storage.

Every variable carries ``units`` and ``long_name``; every dataset carries the
settings it was computed from. Files are netCDF written by h5netcdf, which
stores complex eigenvalues natively.
"""

from pathlib import Path

import numpy as np
import xarray as xr

from eigeninit.atomic import replacing
from eigeninit.circular_law import SizeMeasurement
from eigeninit.depth import DepthRun
from eigeninit.power import Measurement
from eigeninit.spectrum import Spectrum

ENGINE = "h5netcdf"
RUNS = ("raw", "rescaled")
DIMENSIONLESS = "1"


def _variable(dims, values, long_name: str, units: str = DIMENSIONLESS):
    return xr.Variable(dims, values, {"long_name": long_name, "units": units})


def matrix_dataset(
    matrix: np.ndarray, inputs: dict[str, np.ndarray], params: dict
) -> xr.Dataset:
    """A and the input vectors x(0) of the raw and the rescaled run."""
    k = matrix.shape[0]
    return xr.Dataset(
        {
            "matrix": _variable(("row", "column"), matrix, "matrix A"),
            "input": _variable(
                ("run", "component"),
                np.stack([inputs[run] for run in RUNS]),
                "input vector x(0)",
            ),
        },
        coords=_index_coords(row=k, column=k, component=k) | _run_coord(),
        attrs=_attrs(params, title="Matrix and input vectors"),
    )


def spectrum_dataset(spectrum: Spectrum, params: dict) -> xr.Dataset:
    """Eigenvalues by ascending modulus, principal eigenvector, dominant subspace."""
    k, rank = spectrum.dominant_basis.shape
    return xr.Dataset(
        {
            "eigenvalue": _variable("eigen", spectrum.eigenvalues, "eigenvalue of A"),
            "modulus": _variable("eigen", spectrum.moduli, "eigenvalue modulus |l|"),
            "principal_eigenvector": _variable(
                "component",
                spectrum.principal_eigenvector,
                "unit eigenvector of the largest-modulus eigenvalue",
            ),
            "dominant_basis": _variable(
                ("component", "basis_vector"),
                spectrum.dominant_basis,
                "orthonormal basis of the dominant invariant subspace",
            ),
        },
        coords=_index_coords(eigen=k, component=k, basis_vector=rank),
        attrs=_attrs(
            params,
            title="Eigen-spectrum of A",
            spectral_radius=spectrum.spectral_radius,
            dominant=spectrum.dominant,
            convergence_ratio=spectrum.convergence_ratio,
        ),
    )


def iterations_dataset(
    measurements: dict[str, Measurement], scales: dict[str, float], params: dict
) -> xr.Dataset:
    """Norms, quotients, alignment and stretch estimates of both runs, per step."""

    def per_step(values, long_name: str):
        stacked = np.stack([values(measurements[run]) for run in RUNS])
        return _variable(("run", "step"), stacked, long_name)

    steps = measurements[RUNS[0]].run.log10_norm.size
    return xr.Dataset(
        {
            "norm": per_step(
                lambda m: m.run.norm, "norm |x(n)| (inf past the float64 range)"
            ),
            "log10_norm": per_step(
                lambda m: m.run.log10_norm, "log10 of the norm |x(n)|"
            ),
            "quotient": per_step(
                lambda m: m.run.quotient, "norm quotient |x(n)| / |x(n-1)|"
            ),
            "alignment": per_step(
                lambda m: m.alignment,
                "fraction of x(n) in the dominant invariant subspace",
            ),
            "misalignment": per_step(
                lambda m: m.misalignment,
                "sine of the angle between x(n) and the dominant invariant subspace",
            ),
            "stretching_estimate": per_step(
                lambda m: m.stretching, "estimated stretch per step"
            ),
            "parallel_residual": per_step(
                lambda m: m.estimates.parallel_residual,
                "sine of the angle between x(n) and A x(n)",
            ),
            "plane_residual": per_step(
                lambda m: m.estimates.plane_residual,
                "relative misfit of A^2 w = a A w + b w",
            ),
            "dominant": _variable(
                "run",
                np.array([measurements[run].dominant for run in RUNS], dtype=object),
                "dominant structure decided from the iterates",
            ),
            "scale": _variable(
                "run",
                np.array([scales[run] for run in RUNS]),
                "divisor applied to A before iterating",
            ),
        },
        coords=_index_coords(step=steps) | _run_coord(),
        attrs=_attrs(params, title="Repeated products x(n+1) = A x(n)"),
    )


def write(dataset: xr.Dataset, path: str | Path) -> None:
    """Write atomically: a failed write never leaves a partial file at ``path``."""
    with replacing(path) as partial:
        dataset.to_netcdf(partial, engine=ENGINE, invalid_netcdf=False)


def read(path: str | Path) -> xr.Dataset:
    """Load a dataset fully into memory and close the file."""
    with xr.open_dataset(path, engine=ENGINE) as dataset:
        return dataset.load()


def _index_coords(**sizes: int) -> dict:
    return {
        name: (name, np.arange(size), {"long_name": f"{name} index", "units": "1"})
        for name, size in sizes.items()
    }


def _run_coord() -> dict:
    long_name = "run: A as drawn (raw) or A divided by its spectral radius (rescaled)"
    return {"run": ("run", list(RUNS), {"long_name": long_name, "units": "1"})}


def _attrs(params: dict, **extra) -> dict:
    """netCDF attributes: the settings, with None spelled as an empty string."""
    merged = {**params, **extra}
    return {key: "" if value is None else value for key, value in merged.items()}


def circular_law_dataset(measurement: SizeMeasurement, params: dict) -> xr.Dataset:
    """Per-matrix spectral measurements of ``seeds`` standard k x k matrices."""
    seeds, k = measurement.eigenvalues.shape
    per_seed = "seed"
    return xr.Dataset(
        {
            "spectral_radius": _variable(
                per_seed, measurement.spectral_radius, "spectral radius rho(G)"
            ),
            "sigma_max": _variable(
                per_seed, measurement.sigma_max, "largest singular value of G"
            ),
            "real_eigenvalue_count": _variable(
                per_seed,
                measurement.real_eigenvalue_count,
                "number of real eigenvalues",
                units="count",
            ),
            "dominant_is_real": _variable(
                per_seed,
                measurement.dominant_is_real.astype(np.int8),
                "1 if the largest-modulus eigenvalue is real, 0 if a complex pair",
            ),
            "eigenvalue": _variable(
                ("seed", "eigen"), measurement.eigenvalues, "eigenvalue of G"
            ),
        },
        coords=_index_coords(seed=seeds, eigen=k),
        attrs=_attrs(params, title="Spectra of standard Gaussian matrices G"),
    )


def depth_dataset(runs: dict[str, DepthRun], params: dict) -> xr.Dataset:
    """log10 norms through the layers and growth per layer, per activation and seed."""
    activations = list(runs)
    log10_norms = np.stack([runs[activation].log10_norms for activation in activations])
    growth = np.stack([runs[activation].growth for activation in activations])
    _, seeds, layers_plus_input = log10_norms.shape
    return xr.Dataset(
        {
            "log10_norm": _variable(
                ("activation", "seed", "layer"),
                log10_norms,
                "log10 of the signal norm |x(l)|",
            ),
            "growth": _variable(
                ("activation", "seed"),
                growth,
                "growth per layer, exp(mean log(|x(l+1)| / |x(l)|))",
            ),
        },
        coords=_index_coords(seed=seeds, layer=layers_plus_input)
        | {
            "activation": (
                "activation",
                activations,
                {"long_name": "activation function f", "units": "1"},
            )
        },
        attrs=_attrs(params, title="Signal norms through depth"),
    )
