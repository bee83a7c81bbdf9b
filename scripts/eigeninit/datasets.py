"""Self-describing xarray datasets for each stage, and their storage.

Files are CF netCDF-4 holding only types every netCDF reader knows: complex
values as ``<name>_real`` and ``<name>_imag`` (:func:`complex_values` rebuilds
them); a numeric index coordinate for every dimension, text labels (``run``,
``activation``) beside it, which :func:`read` indexes for ``sel``; categories
and booleans as small integers with ``flag_values`` and ``flag_meanings``.
Every variable has ``units`` and ``long_name``; every dataset the settings it
was computed from, ``Conventions`` and an undated ``history``, so the same
results give the same content.
"""

from collections.abc import Sequence
from operator import attrgetter
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
RUNS = ("raw", "rescaled")
# New structures go last, so the flag values of the others never change.
DOMINANT_STRUCTURES = (REAL, COMPLEX_PAIR, UNDETERMINED, REPEATED_REAL, VANISHED)
FLAG_DTYPE = np.int8
PER_RUN, PER_ACTIVATION = "run_index", "activation_index"

STEP_VARIABLES = {
    "norm": ("run.norm", "norm |x(n)| (inf past the float64 range)"),
    "log10_norm": ("run.log10_norm", "log10 of the norm |x(n)|"),
    "quotient": ("run.quotient", "norm quotient |x(n)| / |x(n-1)|"),
    "alignment": ("alignment", "fraction of x(n) in the dominant invariant subspace"),
    "misalignment": (
        "misalignment",
        "sine of the angle between x(n) and the dominant invariant subspace",
    ),
    "stretching_estimate": ("stretching", "estimated stretch per step"),
    "parallel_residual": (
        "estimates.parallel_residual",
        "sine of the angle between x(n) and A x(n)",
    ),
    "plane_residual": (
        "estimates.plane_residual",
        "relative misfit of A^2 w = a A w + b w",
    ),
}
"""Iteration variables per run and step: the Measurement field, the long name."""

JACOBIAN_CHECKS = {
    "rank": (
        "rank",
        "count",
        "rank of the Jacobian (k unless some layer's ReLU units are off)",
    ),
    "log_det_gap": (
        "log_det_gap",
        "1",
        "sum of ln sigma minus ln|det J| from the layers' factors, a check "
        "of the numerics (NaN where the Jacobian is singular)",
    ),
    "jacobi_condition": (
        "condition",
        "1",
        "dgejsv's estimate of the condition of the final column-scaled "
        "factor, to two digits: sigma has relative error about k eps times it",
    ),
    "restratifications": (
        "restratifications",
        "count",
        "QR re-stratifications of the running product",
    ),
}
"""Per activation and network: the JacobianRun field, units and long name."""


def _variable(dims, values, long_name: str, units: str = "1", **attrs):
    return xr.Variable(dims, values, {"long_name": long_name, "units": units, **attrs})


def _stacked(items, field: str) -> np.ndarray:
    """``field`` (a dotted attribute path) of every item, stacked."""
    return np.stack(list(map(attrgetter(field), items)))


def _complex_parts(name: str, dims, values: np.ndarray, long_name: str) -> dict:
    comment = f"{name} = {name}_real + i {name}_imag"
    return {
        f"{name}_{part}": _variable(
            dims, getattr(values, part), f"{title} of {long_name}", comment=comment
        )
        for part, title in (("real", "real part"), ("imag", "imaginary part"))
    }


def complex_values(dataset: xr.Dataset, name: str) -> xr.DataArray:
    """The complex array stored as ``<name>_real`` and ``<name>_imag``, exactly."""
    real, imag = dataset[f"{name}_real"], dataset[f"{name}_imag"]
    values = real.values.astype(np.complex128)
    values.imag = imag.values
    return xr.DataArray(values, coords=real.coords, dims=real.dims, name=name)


def _flags(labels: Sequence[str]) -> dict:
    """CF flags; ``flag_meanings`` separates words by spaces."""
    return {
        "flag_values": np.arange(len(labels), dtype=FLAG_DTYPE),
        "flag_meanings": " ".join(label.replace(" ", "_") for label in labels),
    }


def _is_real(dims, values: np.ndarray, long_name: str) -> xr.Variable:
    flags = _flags([COMPLEX_PAIR, REAL])
    return _variable(dims, values.astype(FLAG_DTYPE), long_name, **flags)


def dominant_structure(variable: xr.DataArray) -> str:
    """The structure decided from the iterates (one of ``DOMINANT_STRUCTURES``)."""
    meanings = variable.attrs["flag_meanings"].split()
    code = list(variable.attrs["flag_values"]).index(int(variable.values))
    by_word = {label.replace(" ", "_"): label for label in DOMINANT_STRUCTURES}
    return by_word[meanings[code]]


def _index_coords(**sizes: int) -> dict:
    return {
        name: (name, np.arange(size), {"long_name": f"{name} index", "units": "1"})
        for name, size in sizes.items()
    }


def _member_coords(members: range) -> dict:
    """``member``: each matrix's or network's number in its ensemble."""
    attrs = {"long_name": "member index (matrix or network)", "units": "1"}
    return {"member": ("member", np.arange(members.start, members.stop), attrs)}


def _labelled_coords(label: str, labels: Sequence[str], long_name: str) -> dict:
    """A numeric index coordinate whose flags name each position, and the text
    labels beside it as an auxiliary coordinate called ``label``."""
    dim = f"{label}_index"
    index = np.arange(len(labels), dtype=FLAG_DTYPE)
    attrs = {"long_name": f"{label} index", "units": "1"}
    return {
        dim: (dim, index, attrs | _flags(labels)),
        label: (dim, list(labels), {"long_name": long_name, "units": "1"}),
    }


RUN_COORDS = _labelled_coords(
    "run", RUNS, "run: A as drawn (raw) or A divided by its spectral radius (rescaled)"
)


def _index_labels(dataset: xr.Dataset) -> xr.Dataset:
    """Index every 1-D text coordinate that has no index yet (files keep none)."""
    for name, coord in dataset.coords.items():
        unindexed = name not in dataset.xindexes
        if unindexed and coord.ndim == 1 and coord.dtype.kind in "OSU":
            dataset = dataset.set_xindex(name)
    return dataset


def _dataset(variables, coords, params: dict, title: str, written_by: str):
    """The dataset, its text coordinates indexed; global attributes are CF's own,
    then the settings (which may be another dataset's), with None spelled ""."""
    described = {
        "Conventions": CONVENTIONS,
        "title": title,
        "history": f"written by eigeninit.datasets.{written_by}",
    }
    attrs = described | {key: params[key] for key in params if key not in described}
    attrs = {key: "" if value is None else value for key, value in attrs.items()}
    return _index_labels(xr.Dataset(variables, coords=coords, attrs=attrs))


def matrix_dataset(
    matrix: np.ndarray, inputs: dict[str, np.ndarray], params: dict
) -> xr.Dataset:
    """A and the input vectors x(0) of the raw and the rescaled run."""
    k = matrix.shape[0]
    stacked = np.stack([inputs[run] for run in RUNS])
    variables = {
        "matrix": _variable(("row", "column"), matrix, "matrix A"),
        "input": _variable((PER_RUN, "component"), stacked, "input vector x(0)"),
    }
    coords = _index_coords(row=k, column=k, component=k) | RUN_COORDS
    title = "Matrix and input vectors"
    return _dataset(variables, coords, params, title, "matrix_dataset")


def spectrum_dataset(spectrum: Spectrum, params: dict) -> xr.Dataset:
    """Eigenvalues by ascending modulus, principal eigenvector, dominant subspace."""
    s, (k, rank) = spectrum, spectrum.dominant_basis.shape
    principal = "unit eigenvector of the largest-modulus eigenvalue"
    basis = "orthonormal basis of the dominant invariant subspace"
    variables = {
        **_complex_parts("eigenvalue", "eigen", s.eigenvalues, "eigenvalue of A"),
        "modulus": _variable("eigen", s.moduli, "eigenvalue modulus |l|"),
        **_complex_parts(
            "principal_eigenvector", "component", s.principal_eigenvector, principal
        ),
        "dominant_basis": _variable(
            ("component", "basis_vector"), s.dominant_basis, basis
        ),
    }
    coords = _index_coords(eigen=k, component=k, basis_vector=rank)
    # condition_number is "" where no single simple real eigenvalue dominates.
    facts = ("spectral_radius", "dominant", "convergence_ratio", "condition_number")
    attrs = params | {fact: getattr(s, fact) for fact in facts}
    return _dataset(variables, coords, attrs, "Eigen-spectrum of A", "spectrum_dataset")


def iterations_dataset(
    measurements: dict[str, Measurement], scales: dict[str, float], params: dict
) -> xr.Dataset:
    """Norms, quotients, alignment and stretch estimates of both runs, per step."""
    runs = [measurements[run] for run in RUNS]
    variables = {
        name: _variable((PER_RUN, "step"), _stacked(runs, field), long_name)
        for name, (field, long_name) in STEP_VARIABLES.items()
    }
    codes = np.array([DOMINANT_STRUCTURES.index(m.dominant) for m in runs], FLAG_DTYPE)
    dominant = "dominant structure decided from the iterates"
    flags = _flags(DOMINANT_STRUCTURES)
    variables["dominant"] = _variable(PER_RUN, codes, dominant, **flags)
    scale = "divisor applied to A before iterating"
    variables["scale"] = _variable(PER_RUN, [scales[run] for run in RUNS], scale)
    coords = _index_coords(step=runs[0].run.log10_norm.size) | RUN_COORDS
    title = "Repeated products x(n+1) = A x(n)"
    return _dataset(variables, coords, params, title, "iterations_dataset")


def circular_law_dataset(measurement: SizeMeasurement, params: dict) -> xr.Dataset:
    """Per-matrix spectral measurements of standard k x k matrices, by matrix index."""
    m, per = measurement, "member"
    real = "whether the largest-modulus eigenvalue is real"
    variables = {
        "spectral_radius": _variable(per, m.spectral_radius, "spectral radius rho(G)"),
        "sigma_max": _variable(per, m.sigma_max, "largest singular value of G"),
        "real_eigenvalue_count": _variable(
            per, m.real_eigenvalue_count, "number of real eigenvalues", "count"
        ),
        "dominant_is_real": _is_real(per, m.dominant_is_real, real),
        **_complex_parts(
            "eigenvalue", (per, "eigen"), m.eigenvalues, "eigenvalue of G"
        ),
    }
    coords = _member_coords(m.matrices) | _index_coords(eigen=m.k)
    title = "Spectra of standard Gaussian matrices G"
    return _dataset(variables, coords, params, title, "circular_law_dataset")


def _ensemble_coords(runs: dict, networks: range, **sizes: int) -> dict:
    activations = _labelled_coords("activation", list(runs), "activation function f")
    return _member_coords(networks) | _index_coords(**sizes) | activations


def depth_dataset(
    runs: dict[str, DepthRun], params: dict, networks: range
) -> xr.Dataset:
    """log10 norms through the layers and growth per layer, per activation and
    network (``networks``: their indices, the ``member`` coordinate)."""
    per_network = (PER_ACTIVATION, "member")
    norms = _stacked(runs.values(), "log10_norms")
    growth = _stacked(runs.values(), "growth")
    norm = "log10 of the signal norm |x(l)|"
    about_growth = "growth per layer, exp(mean log(|x(l+1)| / |x(l)|))"
    variables = {
        "log10_norm": _variable((*per_network, "layer"), norms, norm),
        "growth": _variable(per_network, growth, about_growth),
    }
    if (shared := next(iter(runs.values())).shared) is not None:
        radius = "spectral radius rho(W) of the shared W"
        real = "whether the shared W's largest-modulus eigenvalue is real"
        second = "largest modulus of the shared W below rho, over rho"
        variables |= {
            "spectral_radius": _variable("member", shared.spectral_radius, radius),
            "dominant_is_real": _is_real("member", shared.dominant_is_real, real),
            "second_ratio": _variable("member", shared.second_ratio, second),
        }
    coords = _ensemble_coords(runs, networks, layer=norms.shape[-1])
    title = "Signal norms through depth"
    return _dataset(variables, coords, params, title, "depth_dataset")


def jacobian_dataset(
    runs: dict[str, JacobianRun], params: dict, networks: range
) -> xr.Dataset:
    """Singular values of each network's input-output Jacobian, per activation,
    with the numbers that check them (see :mod:`eigeninit.jacobian`)."""
    per_network = (PER_ACTIVATION, "member")
    sigma = _stacked(runs.values(), "sigma")
    norms = _stacked(runs.values(), "log10_norms")
    about_sigma = (
        "singular value of the input-output Jacobian dx(L)/dx(0), "
        "descending; exactly 0 in the null space of a singular Jacobian"
    )
    variables = {
        "sigma": _variable((*per_network, "singular_value"), sigma, about_sigma)
    }
    for name, (field, units, long_name) in JACOBIAN_CHECKS.items():
        values = _stacked(runs.values(), field)
        variables[name] = _variable(per_network, values, long_name, units=units)
    ratio = "log10 |x(L)| / |x(0)| of the forward pass"
    norm_ratio = norms[..., -1] - norms[..., 0]
    variables["log10_norm_ratio"] = _variable(per_network, norm_ratio, ratio)
    coords = _ensemble_coords(runs, networks, singular_value=sigma.shape[-1])
    title = "Singular values of the input-output Jacobian"
    return _dataset(variables, coords, params, title, "jacobian_dataset")


def merge_members(parts: list[xr.Dataset]) -> xr.Dataset:
    """One ensemble's dataset from its parts (jobs of members), which must agree on
    their settings and hold members 0 to n - 1 exactly once; records ``members``."""
    settings = parts[0].attrs
    if any(part.attrs != settings for part in parts[1:]):
        raise ValueError("parts of one ensemble were computed with different settings")
    merged = xr.concat(parts, dim="member", data_vars="minimal", coords="minimal")
    merged = merged.sortby("member")
    members = merged["member"].values
    if not np.array_equal(members, np.arange(members.size)):
        raise ValueError(
            f"parts do not hold members 0 to {members.size - 1} exactly once"
        )
    merged.attrs = {**settings, "members": members.size}
    return merged


def write(dataset: xr.Dataset, path: str | Path) -> None:
    """Write atomically with h5netcdf, refusing complex variables: the compound
    type some writers use for them is unreadable to most netCDF readers."""
    names = [str(n) for n, v in dataset.variables.items() if v.dtype.kind == "c"]
    if names:
        raise TypeError(
            f"complex variables {', '.join(names)}: store real and "
            "imaginary parts as two real variables"
        )
    with replacing(path) as partial:
        dataset.to_netcdf(partial, engine="h5netcdf")


def read(path: str | Path) -> xr.Dataset:
    """The dataset in memory, file closed, labels indexed; any engine reads it."""
    with xr.open_dataset(path) as dataset:
        return _index_labels(dataset.load())
