"""Content hashes of netCDF datasets: what proves two runs produced the same data.

HDF5 files are not byte-stable between writes of the same data, so datasets are
compared by a sha256 per variable (over values, dtype, shape, dimensions and
attributes) and one of the global attributes.
"""

import hashlib
from pathlib import Path

import numpy as np
import xarray as xr

from eigeninit import datasets
from eigeninit.jsonio import canonical_json

GLOBAL_ATTRS = "@attrs"
"""Key of the global attributes' hash beside the variables' names."""


def _json_bytes(data) -> bytes:
    return canonical_json(data, compact=True).encode()


def _variable_hash(variable: xr.Variable) -> str:
    """Text is hashed as JSON of its values, so a ``<U`` array in memory and the
    object array read back from netCDF hash alike."""
    values = np.asarray(variable.values)
    if values.dtype.kind in "OSU":
        dtype, payload = "text", _json_bytes(values.tolist())
    else:
        little_endian = values.dtype.newbyteorder("<")
        dtype = little_endian.str
        payload = np.ascontiguousarray(values, dtype=little_endian).tobytes()
    header = {"attrs": variable.attrs, "dims": list(variable.dims), "dtype": dtype}
    digest = hashlib.sha256(_json_bytes(header | {"shape": list(values.shape)}) + b"\n")
    digest.update(payload)
    return digest.hexdigest()


def content_hashes(dataset: xr.Dataset) -> dict[str, str]:
    """sha256 per variable and coordinate, and of the global attributes."""
    hashes = {str(name): _variable_hash(var) for name, var in dataset.variables.items()}
    hashes[GLOBAL_ATTRS] = hashlib.sha256(_json_bytes(dataset.attrs)).hexdigest()
    return dict(sorted(hashes.items()))


def dataset_content_hashes(path: str | Path) -> dict[str, str]:
    return content_hashes(datasets.read(path))
