"""Self-describing xarray datasets for each stage, and their storage.

Files are netCDF-4 that follow the CF conventions and hold only types every
netCDF reader knows, so xarray (with either netCDF backend), ``ncdump``,
netCDF4-python and readers in other languages open them alike:

- complex values are stored as two real variables, ``<name>_real`` and
  ``<name>_imag``; :func:`complex_values` rebuilds the complex array;
- every dimension has a numeric index coordinate; text labels (``run``,
  ``activation``) are auxiliary coordinates along it, which :func:`read`
  indexes so that ``dataset.sel(run="raw")`` works;
- categories and booleans are small integers with ``flag_values`` and
  ``flag_meanings``.

Every variable carries ``units`` and ``long_name``; every dataset carries the
settings it was computed from, ``Conventions`` and an undated ``history``, so
the same results give the same content.
"""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from eigeninit.atomic import replacing
from eigeninit.circular_law import SizeMeasurement
from eigeninit.depth import DepthRun
from eigeninit.jacobian import JacobianRun
from eigeninit.power import REPEATED_REAL, UNDETERMINED, VANISHED, Measurement
from eigeninit.spectrum import COMPLEX_PAIR, REAL, Spectrum

CONVENTIONS = "CF-1.11"
WRITE_ENGINE = "h5netcdf"
RUNS = ("raw", "rescaled")
# New structures go last, so the flag values of the others never change.
DOMINANT_STRUCTURES = (REAL, COMPLEX_PAIR, UNDETERMINED, REPEATED_REAL, VANISHED)
DIMENSIONLESS = "1"
COMPLEX_PARTS = {"real": "real part", "imag": "imaginary part"}
FLAG_DTYPE = np.int8


def _variable(dims, values, long_name: str, units: str = DIMENSIONLESS, **attrs):
    return xr.Variable(dims, values, {"long_name": long_name, "units": units, **attrs})


def _complex_parts(name: str, dims, values: np.ndarray, long_name: str) -> dict:
    """``<name>_real`` and ``<name>_imag``: complex values as two real variables."""
    comment = f"{name} = {name}_real + i {name}_imag"
    return {
        f"{name}_{part}": _variable(
            dims, getattr(values, part), f"{title} of {long_name}", comment=comment
        )
        for part, title in COMPLEX_PARTS.items()
    }


def complex_values(dataset: xr.Dataset, name: str) -> xr.DataArray:
    """The complex array stored as ``<name>_real`` and ``<name>_imag``, exactly."""
    real, imag = (dataset[f"{name}_{part}"] for part in COMPLEX_PARTS)
    values = np.empty(real.shape, dtype=np.complex128)
    values.real, values.imag = real.values, imag.values
    return xr.DataArray(values, coords=real.coords, dims=real.dims, name=name)


def _flag_word(label: str) -> str:
    """A label as one word of ``flag_meanings``, which separates words by spaces."""
    return label.replace(" ", "_")


def _flags(labels: Sequence[str]) -> dict:
    return {
        "flag_values": np.arange(len(labels), dtype=FLAG_DTYPE),
        "flag_meanings": " ".join(_flag_word(label) for label in labels),
    }


def _categorical(dims, labels: Sequence[str], categories: Sequence[str], long_name):
    """Each label as its position in ``categories``, described by flags."""
    codes = np.array([categories.index(label) for label in labels], dtype=FLAG_DTYPE)
    return _variable(dims, codes, long_name, **_flags(categories))


def category(variable: xr.DataArray, categories: Sequence[str]) -> str:
    """The label a scalar categorical value stands for, by its flag meaning."""
    meanings = variable.attrs["flag_meanings"].split()
    code = int(variable.values)
    word = meanings[list(variable.attrs["flag_values"]).index(code)]
    by_word = {_flag_word(label): label for label in categories}
    return by_word[word]


def dominant_structure(variable: xr.DataArray) -> str:
    """The structure decided from the iterates (one of ``DOMINANT_STRUCTURES``)."""
    return category(variable, DOMINANT_STRUCTURES)


def _index_coords(**sizes: int) -> dict:
    return {
        name: (name, np.arange(size), {"long_name": f"{name} index", "units": "1"})
        for name, size in sizes.items()
    }


def _member_coords(members: range) -> dict:
    """The ``member`` coordinate: each matrix's or network's number in its ensemble."""
    return {
        "member": (
            "member",
            np.arange(members.start, members.stop),
            {"long_name": "member index (matrix or network)", "units": "1"},
        )
    }


def merge_members(parts: list[xr.Dataset]) -> xr.Dataset:
    """One ensemble's dataset from the datasets of its parts (jobs of members).

    The parts must agree on their settings and together hold members
    0, 1, ..., n - 1 exactly once; the merged dataset records ``members = n``.
    """
    settings = [part.attrs for part in parts]
    if any(attrs != settings[0] for attrs in settings[1:]):
        raise ValueError("parts of one ensemble were computed with different settings")
    merged = xr.concat(parts, dim="member", data_vars="minimal", coords="minimal")
    merged = merged.sortby("member")
    members = merged["member"].values
    if not np.array_equal(members, np.arange(members.size)):
        raise ValueError(
            f"parts do not hold members 0 to {members.size - 1} exactly once"
        )
    merged.attrs = {**settings[0], "members": members.size}
    return merged


def label_dimension(label: str) -> str:
    """The numeric dimension along which the text coordinate ``label`` runs."""
    return f"{label}_index"


def _labelled_coords(label: str, labels: Sequence[str], long_name: str) -> dict:
    """A numeric index coordinate whose flags name each position, and the text
    labels beside it as an auxiliary coordinate called ``label``."""
    dim = label_dimension(label)
    return {
        dim: (
            dim,
            np.arange(len(labels), dtype=FLAG_DTYPE),
            {"long_name": f"{label} index", "units": "1"} | _flags(labels),
        ),
        label: (dim, list(labels), {"long_name": long_name, "units": "1"}),
    }


def _dataset(variables: dict, coords: dict, attrs: dict) -> xr.Dataset:
    """The dataset, with its text coordinates indexed for ``sel`` by label."""
    return _index_labels(xr.Dataset(variables, coords=coords, attrs=attrs))


def _index_labels(dataset: xr.Dataset) -> xr.Dataset:
    """Index every 1-D text coordinate that has no index yet (files keep none)."""
    for name, coord in dataset.coords.items():
        unindexed = name not in dataset.xindexes
        if unindexed and coord.ndim == 1 and coord.dtype.kind in "OSU":
            dataset = dataset.set_xindex(name)
    return dataset


def _attrs(params: dict, title: str, written_by: str, **extra) -> dict:
    """Global attributes: CF's own, then the settings, with None spelled as "".

    The settings may come from another dataset's attributes; its CF
    attributes are replaced by this dataset's.
    """
    described = {
        "Conventions": CONVENTIONS,
        "title": title,
        # Undated, unlike most history lines, so equal results hash equally.
        "history": f"written by eigeninit.datasets.{written_by}",
    }
    settings = {key: value for key, value in params.items() if key not in described}
    merged = described | settings | extra
    return {key: "" if value is None else value for key, value in merged.items()}


def matrix_dataset(
    matrix: np.ndarray, inputs: dict[str, np.ndarray], params: dict
) -> xr.Dataset:
    """A and the input vectors x(0) of the raw and the rescaled run."""
    k = matrix.shape[0]
    return _dataset(
        {
            "matrix": _variable(("row", "column"), matrix, "matrix A"),
            "input": _variable(
                (label_dimension("run"), "component"),
                np.stack([inputs[run] for run in RUNS]),
                "input vector x(0)",
            ),
        },
        _index_coords(row=k, column=k, component=k) | _run_coords(),
        _attrs(params, "Matrix and input vectors", "matrix_dataset"),
    )


def spectrum_dataset(spectrum: Spectrum, params: dict) -> xr.Dataset:
    """Eigenvalues by ascending modulus, principal eigenvector, dominant subspace."""
    k, rank = spectrum.dominant_basis.shape
    return _dataset(
        {
            **_complex_parts(
                "eigenvalue", "eigen", spectrum.eigenvalues, "eigenvalue of A"
            ),
            "modulus": _variable("eigen", spectrum.moduli, "eigenvalue modulus |l|"),
            **_complex_parts(
                "principal_eigenvector",
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
        _index_coords(eigen=k, component=k, basis_vector=rank),
        _attrs(
            params,
            "Eigen-spectrum of A",
            "spectrum_dataset",
            spectral_radius=spectrum.spectral_radius,
            dominant=spectrum.dominant,
            convergence_ratio=spectrum.convergence_ratio,
            # "" where no single simple real eigenvalue dominates.
            condition_number=spectrum.condition_number,
        ),
    )


def iterations_dataset(
    measurements: dict[str, Measurement], scales: dict[str, float], params: dict
) -> xr.Dataset:
    """Norms, quotients, alignment and stretch estimates of both runs, per step."""
    per_run = label_dimension("run")

    def per_step(values, long_name: str):
        stacked = np.stack([values(measurements[run]) for run in RUNS])
        return _variable((per_run, "step"), stacked, long_name)

    steps = measurements[RUNS[0]].run.log10_norm.size
    return _dataset(
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
            "dominant": _categorical(
                per_run,
                [measurements[run].dominant for run in RUNS],
                DOMINANT_STRUCTURES,
                "dominant structure decided from the iterates",
            ),
            "scale": _variable(
                per_run,
                np.array([scales[run] for run in RUNS]),
                "divisor applied to A before iterating",
            ),
        },
        _index_coords(step=steps) | _run_coords(),
        _attrs(params, "Repeated products x(n+1) = A x(n)", "iterations_dataset"),
    )


def _run_coords() -> dict:
    return _labelled_coords(
        "run",
        RUNS,
        "run: A as drawn (raw) or A divided by its spectral radius (rescaled)",
    )


def circular_law_dataset(measurement: SizeMeasurement, params: dict) -> xr.Dataset:
    """Per-matrix spectral measurements of standard k x k matrices, by matrix index."""
    k = measurement.k
    per_member = "member"
    return _dataset(
        {
            "spectral_radius": _variable(
                per_member, measurement.spectral_radius, "spectral radius rho(G)"
            ),
            "sigma_max": _variable(
                per_member, measurement.sigma_max, "largest singular value of G"
            ),
            "real_eigenvalue_count": _variable(
                per_member,
                measurement.real_eigenvalue_count,
                "number of real eigenvalues",
                units="count",
            ),
            "dominant_is_real": _variable(
                per_member,
                measurement.dominant_is_real.astype(FLAG_DTYPE),
                "whether the largest-modulus eigenvalue is real",
                **_flags([COMPLEX_PAIR, REAL]),
            ),
            **_complex_parts(
                "eigenvalue",
                ("member", "eigen"),
                measurement.eigenvalues,
                "eigenvalue of G",
            ),
        },
        _member_coords(measurement.matrices) | _index_coords(eigen=k),
        _attrs(
            params,
            "Spectra of standard Gaussian matrices G",
            "circular_law_dataset",
        ),
    )


def depth_dataset(
    runs: dict[str, DepthRun], params: dict, networks: range
) -> xr.Dataset:
    """log10 norms through the layers and growth per layer, per activation and network.

    ``networks`` are the network indices of the runs (the ``member`` coordinate).
    """
    activations = list(runs)
    per_activation = label_dimension("activation")
    log10_norms = np.stack([runs[activation].log10_norms for activation in activations])
    growth = np.stack([runs[activation].growth for activation in activations])
    layers_plus_input = log10_norms.shape[-1]
    variables = {
        "log10_norm": _variable(
            (per_activation, "member", "layer"),
            log10_norms,
            "log10 of the signal norm |x(l)|",
        ),
        "growth": _variable(
            (per_activation, "member"),
            growth,
            "growth per layer, exp(mean log(|x(l+1)| / |x(l)|))",
        ),
    }
    shared = runs[activations[0]].shared
    if shared is not None:
        variables |= {
            "spectral_radius": _variable(
                "member",
                shared.spectral_radius,
                "spectral radius rho(W) of the shared W",
            ),
            "dominant_is_real": _variable(
                "member",
                shared.dominant_is_real.astype(FLAG_DTYPE),
                "whether the shared W's largest-modulus eigenvalue is real",
                **_flags([COMPLEX_PAIR, REAL]),
            ),
            "second_ratio": _variable(
                "member",
                shared.second_ratio,
                "largest modulus of the shared W below rho, over rho",
            ),
        }
    return _dataset(
        variables,
        _member_coords(networks)
        | _index_coords(layer=layers_plus_input)
        | _labelled_coords("activation", activations, "activation function f"),
        _attrs(params, "Signal norms through depth", "depth_dataset"),
    )


def jacobian_dataset(
    runs: dict[str, JacobianRun], params: dict, networks: range
) -> xr.Dataset:
    """Singular values of each network's input-output Jacobian, per activation,
    with the numbers that check them (see :mod:`eigeninit.jacobian`)."""
    activations = list(runs)
    per_network = (label_dimension("activation"), "member")

    def stacked(field: str) -> np.ndarray:
        return np.stack(
            [getattr(runs[activation], field) for activation in activations]
        )

    norms = stacked("log10_norms")
    k = runs[activations[0]].sigma.shape[-1]
    return _dataset(
        {
            "sigma": _variable(
                (*per_network, "singular_value"),
                stacked("sigma"),
                "singular value of the input-output Jacobian dx(L)/dx(0), "
                "descending; exactly 0 in the null space of a singular Jacobian",
            ),
            "rank": _variable(
                per_network,
                stacked("rank"),
                "rank of the Jacobian (k unless some layer's ReLU units are off)",
                units="count",
            ),
            "log_det_gap": _variable(
                per_network,
                stacked("log_det_gap"),
                "sum of ln sigma minus ln|det J| from the layers' factors, a check "
                "of the numerics (NaN where the Jacobian is singular)",
            ),
            "jacobi_condition": _variable(
                per_network,
                stacked("condition"),
                "dgejsv's estimate of the condition of the final column-scaled "
                "factor: sigma has relative error about k eps times it",
            ),
            "restratifications": _variable(
                per_network,
                stacked("restratifications"),
                "QR re-stratifications of the running product",
                units="count",
            ),
            "log10_norm_ratio": _variable(
                per_network,
                norms[..., -1] - norms[..., 0],
                "log10 |x(L)| / |x(0)| of the forward pass",
            ),
        },
        _member_coords(networks)
        | _index_coords(singular_value=k)
        | _labelled_coords("activation", activations, "activation function f"),
        _attrs(
            params, "Singular values of the input-output Jacobian", "jacobian_dataset"
        ),
    )


def write(dataset: xr.Dataset, path: str | Path) -> None:
    """Write atomically: a failed write never leaves a partial file at ``path``.

    Complex variables are refused: netCDF has no complex type, and the
    compound type some writers use for it is unreadable to most readers.
    """
    complex_names = [
        str(name)
        for name, variable in dataset.variables.items()
        if variable.dtype.kind == "c"
    ]
    if complex_names:
        raise TypeError(
            f"complex variables {', '.join(complex_names)}: store real and "
            "imaginary parts as two real variables"
        )
    with replacing(path) as partial:
        dataset.to_netcdf(partial, engine=WRITE_ENGINE)


def read(path: str | Path) -> xr.Dataset:
    """Load a dataset fully into memory, close the file and index its labels.

    xarray's default engine reads it: the files need no particular backend.
    """
    with xr.open_dataset(path) as dataset:
        return _index_labels(dataset.load())


def merge_part_files(parts: dict[str, list[str]], log) -> None:
    """Write each output dataset merged from its part files (see merge_members)."""
    for output, paths in parts.items():
        write(merge_members([read(path) for path in paths]), output)
        log.info("%s from %d parts", output, len(paths))
