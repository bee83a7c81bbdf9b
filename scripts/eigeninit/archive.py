"""A deterministic, verifiable tar.gz of a run's results, to publish with a paper.

The archive holds every file under one top folder, plus ``MANIFEST.json``: the
sha256 and size of each file, and content hashes of each netCDF dataset. HDF5
files are not byte-stable between writes of the same data, so the content
hashes (over values, dtype, shape, dimensions and attributes) are what prove
that two runs produced the same data; the file hashes prove the archive is
intact. Building twice from the same inputs gives byte-identical archives.
"""

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import numpy as np
import xarray as xr

from eigeninit import datasets
from eigeninit.atomic import replacing

MANIFEST = "MANIFEST.json"
CONFIG = "config.yaml"
INPUTS = "inputs"
GLOBAL_ATTRS = "@attrs"
FILE_MODE = 0o644
COMPRESSLEVEL = 9
TAR_FORMAT = tarfile.PAX_FORMAT
CHUNK = 1 << 20


class UnsafeArchiveError(ValueError):
    """An archive with members that must not be extracted; lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class ManifestError(ValueError):
    """An archive without a readable MANIFEST.json in a single top folder."""


class RerunError(RuntimeError):
    """The workflow could not be rerun from the archive."""


def canonical_json(data) -> bytes:
    """Sorted keys, indent 2, trailing newline: one byte string per content."""
    text = json.dumps(data, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode()


# Content hashes of datasets


def content_hashes(dataset: xr.Dataset) -> dict[str, str]:
    """sha256 per variable and coordinate, and of the global attributes.

    Text is hashed as JSON of its values, so a ``<U`` array in memory and the
    object array read back from netCDF hash alike.
    """
    hashes = {
        str(name): _variable_hash(variable)
        for name, variable in dataset.variables.items()
    }
    hashes[GLOBAL_ATTRS] = _sha256(_compact_json(dataset.attrs).encode())
    return dict(sorted(hashes.items()))


def dataset_content_hashes(path: str | Path) -> dict[str, str]:
    return content_hashes(datasets.read(path))


def _variable_hash(variable: xr.Variable) -> str:
    values = np.asarray(variable.values)
    if values.dtype.kind in "OSU":
        dtype = "text"
        payload = _compact_json(values.tolist()).encode()
    else:
        little_endian = values.dtype.newbyteorder("<")
        dtype = little_endian.str
        payload = np.ascontiguousarray(values, dtype=little_endian).tobytes()
    header = {
        "attrs": variable.attrs,
        "dims": list(variable.dims),
        "dtype": dtype,
        "shape": list(values.shape),
    }
    digest = hashlib.sha256(_compact_json(header).encode() + b"\n")
    digest.update(payload)
    return digest.hexdigest()


def _compact_json(data) -> str:
    """Canonical JSON of attributes or text values, numpy types as plain Python."""
    return json.dumps(_plain(data), sort_keys=True, separators=(",", ":"))


def _plain(value):
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="surrogateescape")
    return value


# Building


def build_manifest(
    root: str | Path, members: Sequence[str], extra: Mapping[str, bytes] | None = None
) -> dict:
    """Hashes of ``members`` (paths under ``root``) and ``extra`` (in memory).

    Every ``.nc`` member also gets the content hashes of its dataset.
    """
    root = Path(root)
    extra = extra or {}
    names = [*members, *extra]
    for name in names:
        check_member_name(name)
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"named twice: {', '.join(duplicates)}")
    files = {}
    for name in members:
        with open(root / name, "rb") as stream:
            files[name] = _file_entry(*_sha256_stream(stream))
    for name, data in extra.items():
        files[name] = _file_entry(_sha256(data), len(data))
    return {
        "files": dict(sorted(files.items())),
        "datasets": {
            name: dataset_content_hashes(root / name)
            for name in sorted(members)
            if name.endswith(".nc")
        },
    }


def write_archive(
    archive_path: str | Path,
    root: str | Path,
    members: Sequence[str],
    top_folder: str,
    mtime: int,
    extra: Mapping[str, bytes] | None = None,
) -> dict:
    """Write ``members`` and ``extra`` with their MANIFEST.json; return the manifest.

    Members are paths relative to ``root`` and keep them inside the archive,
    under ``top_folder/``; ``mtime`` (e.g. the commit time) stamps every entry.
    """
    manifest = build_manifest(root, members, extra)
    contents = {name: Path(root) / name for name in members}
    contents |= dict(extra or {}) | {MANIFEST: canonical_json(manifest)}
    write_tar(archive_path, top_folder, contents, mtime)
    return manifest


def write_tar(
    archive_path: str | Path,
    top_folder: str,
    contents: Mapping[str, Path | bytes],
    mtime: int,
) -> None:
    """A byte-reproducible tar.gz of files only (directories are implied).

    Entries are sorted, owned by 0:0 with no user or group names, mode 0644,
    stamped ``mtime``, in PAX format; the gzip header has mtime 0 and no name.
    """
    check_member_name(top_folder)
    if "/" in top_folder:
        raise ValueError(f"top folder {top_folder!r} must be a single name")
    for name in contents:
        check_member_name(name)
    with replacing(archive_path) as partial, open(partial, "wb") as raw:
        with (
            gzip.GzipFile(
                fileobj=raw,
                mode="wb",
                mtime=0,
                filename="",
                compresslevel=COMPRESSLEVEL,
            ) as compressed,
            tarfile.open(fileobj=compressed, mode="w", format=TAR_FORMAT) as tar,
        ):
            for name in sorted(contents):
                source = contents[name]
                info = tarfile.TarInfo(f"{top_folder}/{name}")
                info.mtime = int(mtime)
                info.mode = FILE_MODE
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if isinstance(source, bytes):
                    info.size = len(source)
                    tar.addfile(info, io.BytesIO(source))
                else:
                    info.size = source.stat().st_size
                    with open(source, "rb") as stream:
                        tar.addfile(info, stream)


def check_member_name(name: str) -> None:
    """Refuse names that could land outside the archive's folder when extracted."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or "\\" in name:
        raise ValueError(f"archive member {name!r} must be a relative POSIX path")
    if ".." in path.parts or path.as_posix() != name:
        raise ValueError(f"archive member {name!r} must be normalized, without '..'")


# Reading safely


def safe_members(tar: tarfile.TarFile, top_folder: str) -> list[tarfile.TarInfo]:
    """The archive's regular files, once no member could escape on extraction.

    Raises UnsafeArchiveError for absolute paths, '..' components, links,
    devices, names given twice and anything outside ``top_folder/``.
    Directories are accepted and skipped: they carry nothing.
    """
    problems = []
    seen = set()
    for member in tar.getmembers():
        reason = _unsafe_reason(member, top_folder)
        if member.name in seen:
            reason = "given twice"
        seen.add(member.name)
        if reason:
            problems.append(f"{member.name}: {reason}")
    if problems:
        raise UnsafeArchiveError(problems)
    return [member for member in tar.getmembers() if member.isfile()]


def _unsafe_reason(member: tarfile.TarInfo, top_folder: str) -> str | None:
    path = PurePosixPath(member.name)
    if path.is_absolute():
        return "absolute path"
    if ".." in path.parts:
        return "'..' in path"
    if member.issym() or member.islnk():
        return "link"
    if member.ischr() or member.isblk() or member.isfifo():
        return "device or special file"
    if not (member.isfile() or member.isdir()):
        return "unsupported member type"
    if path.parts[0] != top_folder or (member.isfile() and len(path.parts) < 2):
        return f"outside the top folder {top_folder}/"
    return None


def find_top_folder(tar: tarfile.TarFile) -> str:
    """The folder holding MANIFEST.json, which every member must be under."""
    paths = (PurePosixPath(member.name) for member in tar.getmembers())
    folders = {
        path.parent.as_posix()
        for path in paths
        if len(path.parts) == 2 and path.name == MANIFEST
    }
    if len(folders) != 1:
        raise ManifestError(f"expected one <top folder>/{MANIFEST}")
    return folders.pop()


@dataclass
class _OpenedArchive:
    """A checked archive: its files by name under the top folder, its manifest."""

    tar: tarfile.TarFile
    files: dict[str, tarfile.TarInfo]
    manifest: dict

    def stream(self, name: str) -> IO[bytes]:
        return self.tar.extractfile(self.files[name])

    def extract(self, name: str, path: Path) -> Path:
        """Copy one member's bytes to ``path``; never tar's own extraction."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.stream(name) as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        return path


def _open_archive(tar: tarfile.TarFile) -> _OpenedArchive:
    """Check every member, then read the manifest; nothing touches the disk."""
    top = find_top_folder(tar)
    files = {
        member.name.removeprefix(f"{top}/"): member for member in safe_members(tar, top)
    }
    with tar.extractfile(files[MANIFEST]) as stream:
        try:
            manifest = json.load(stream)
        except ValueError as error:
            raise ManifestError(f"{MANIFEST} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict) or set(manifest) != {"files", "datasets"}:
        raise ManifestError(f"{MANIFEST} must hold exactly 'files' and 'datasets'")
    return _OpenedArchive(tar, files, manifest)


def read_manifest(archive_path: str | Path) -> dict:
    """The manifest of a safe archive (raises UnsafeArchiveError, ManifestError)."""
    with tarfile.open(archive_path, "r:gz") as tar:
        return _open_archive(tar).manifest


# Verifying


def verify_archive(archive_path: str | Path) -> list[str]:
    """Problems with the archive, or none: file hashes and dataset contents.

    Unsafe archives are refused before anything is extracted.
    """
    try:
        with (
            tarfile.open(archive_path, "r:gz") as tar,
            tempfile.TemporaryDirectory() as scratch,
        ):
            archive = _open_archive(tar)
            return _file_problems(archive) + _dataset_problems(archive, Path(scratch))
    except UnsafeArchiveError as error:
        return [f"refused, not extracted: {problem}" for problem in error.problems]
    except ManifestError as error:
        return [str(error)]
    except (tarfile.TarError, OSError, EOFError) as error:
        return [f"{archive_path}: not a readable tar.gz ({error})"]


def _file_problems(archive: _OpenedArchive) -> list[str]:
    expected = archive.manifest["files"]
    problems = []
    for name in sorted(archive.files):
        if name == MANIFEST:
            continue
        if name not in expected:
            problems.append(f"{name}: not listed in {MANIFEST}")
            continue
        with archive.stream(name) as stream:
            found = _file_entry(*_sha256_stream(stream))
        if found != expected[name]:
            problems.append(
                f"{name}: sha256 {found['sha256']} ({found['bytes']} bytes), "
                f"{MANIFEST} says {expected[name]['sha256']} "
                f"({expected[name]['bytes']} bytes)"
            )
    problems += [
        f"{name}: listed in {MANIFEST} but missing"
        for name in sorted(expected)
        if name not in archive.files
    ]
    return problems


def _dataset_problems(archive: _OpenedArchive, scratch: Path) -> list[str]:
    problems = []
    for name, expected in sorted(archive.manifest["datasets"].items()):
        if name not in archive.files:
            continue  # already reported as a missing file
        try:
            found = dataset_content_hashes(archive.extract(name, scratch / name))
        except (OSError, ValueError) as error:
            problems.append(f"{name}: cannot be read as a dataset ({error})")
            continue
        for variable in sorted(set(expected) | set(found)):
            if variable not in found:
                problems.append(f"{name}: variable {variable} missing")
            elif variable not in expected:
                problems.append(f"{name}: variable {variable} not in {MANIFEST}")
            elif found[variable] != expected[variable]:
                problems.append(
                    f"{name}: variable {variable} content differs from {MANIFEST}"
                )
    return problems


# Rerunning


@dataclass(frozen=True)
class Difference:
    """A variable of a rerun dataset that differs from the archived one."""

    dataset: str
    variable: str
    detail: str

    def __str__(self) -> str:
        return f"{self.dataset}: {self.variable}: {self.detail}"


def rerun_and_compare(
    archive_path: str | Path, project_dir: str | Path, cores: int = 2
) -> list[Difference]:
    """Rerun the workflow on the archived config and inputs; compare the datasets.

    The archived ``config.yaml`` and the files under ``inputs/`` (kept at the
    paths the config names) go to a fresh directory, where Snakemake rebuilds
    exactly the datasets the manifest lists. Empty means identical content.
    """
    with (
        tarfile.open(archive_path, "r:gz") as tar,
        tempfile.TemporaryDirectory() as scratch,
    ):
        archive = _open_archive(tar)
        if CONFIG not in archive.files:
            raise RerunError(f"the archive has no {CONFIG} to rerun")
        rerun_dir = Path(scratch, "rerun")
        archived_dir = Path(scratch, "archived")
        archive.extract(CONFIG, rerun_dir / CONFIG)
        for name in archive.files:
            if name.startswith(f"{INPUTS}/"):
                archive.extract(name, rerun_dir / name.removeprefix(f"{INPUTS}/"))
        expected = archive.manifest["datasets"]
        if not expected:  # no targets would make Snakemake run everything
            return []
        _run_snakemake(Path(project_dir), rerun_dir, sorted(expected), cores)
        differences = []
        for name in sorted(expected):
            found = dataset_content_hashes(rerun_dir / name)
            differing = sorted(
                variable
                for variable in set(expected[name]) | set(found)
                if expected[name].get(variable) != found.get(variable)
            )
            if differing:
                archived = datasets.read(archive.extract(name, archived_dir / name))
                rerun = datasets.read(rerun_dir / name)
                differences += [
                    Difference(name, variable, _describe(archived, rerun, variable))
                    for variable in differing
                ]
        return differences


def _run_snakemake(
    project_dir: Path, directory: Path, targets: list[str], cores: int
) -> None:
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(project_dir / "Snakefile"),
        "--directory",
        str(directory),
        "--configfile",
        str(directory / CONFIG),
        "--cores",
        str(cores),
        *targets,
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=directory)
    if result.returncode != 0:
        raise RerunError(f"snakemake failed:\n{result.stderr[-3000:]}")


def _describe(archived: xr.Dataset, rerun: xr.Dataset, variable: str) -> str:
    """How one variable differs: its largest absolute difference, if comparable."""
    if variable == GLOBAL_ATTRS:
        return "global attributes differ"
    if variable not in rerun.variables:
        return "missing from the rerun"
    if variable not in archived.variables:
        return "not in the archive"
    old, new = archived.variables[variable], rerun.variables[variable]
    if old.shape != new.shape:
        return f"shape differs: {old.shape} archived, {new.shape} rerun"
    if old.dims != new.dims:
        return f"dimensions differ: {old.dims} archived, {new.dims} rerun"
    kinds = old.dtype.kind + new.dtype.kind
    if any(kind not in "biufc" for kind in kinds):
        changed = int(np.sum(old.values != new.values))
        return f"{changed} values differ" if changed else "attributes or type differ"
    number = complex if "c" in kinds else float
    old_values = np.asarray(old.values, dtype=number)
    new_values = np.asarray(new.values, dtype=number)
    same = (old_values == new_values) | (np.isnan(old_values) & np.isnan(new_values))
    if same.all():
        return "attributes or type differ"
    largest = np.max(np.abs(old_values[~same] - new_values[~same]))
    return f"largest absolute difference {largest:.3g}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_stream(stream: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _file_entry(sha256: str, size: int) -> dict:
    return {"sha256": sha256, "bytes": size}
