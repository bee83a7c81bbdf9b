"""A verifiable archive of a run's results, to publish with a paper.

The archive holds every file under one top folder, plus ``MANIFEST.json``: the
sha256 and size of each file, and content hashes of each netCDF dataset (see
:mod:`eigeninit.content_hash`); the file hashes prove the archive is intact.
Building twice from the same inputs gives byte-identical archives.
"""

import hashlib
import json
import shutil
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from eigeninit.content_hash import dataset_content_hashes
from eigeninit.jsonio import canonical_json
from eigeninit.tarball import (
    UnsafeArchiveError,
    check_member_name,
    gzip_problem,
    safe_members,
    write_tar,
)

MANIFEST = "MANIFEST.json"
CONFIG = "config.yaml"
INPUTS = "inputs"
CHUNK = 1 << 20


class ManifestError(ValueError):
    """An archive without a readable MANIFEST.json in a single top folder."""


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
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        files[name] = _file_entry(digest, (root / name).stat().st_size)
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
    contents |= dict(extra or {}) | {MANIFEST: canonical_json(manifest).encode()}
    write_tar(archive_path, top_folder, contents, mtime)
    return manifest


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


def open_archive(tar: tarfile.TarFile) -> _OpenedArchive:
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
    _check_manifest_shape(manifest)
    return _OpenedArchive(tar, files, manifest)


def _check_manifest_shape(manifest: dict) -> None:
    """Every entry of the shape build_manifest writes, or a one-line ManifestError."""
    files, datasets = manifest["files"], manifest["datasets"]
    if not isinstance(files, dict):
        raise ManifestError(f"{MANIFEST}: 'files' must map file names to entries")
    for name, entry in files.items():
        if not (
            isinstance(entry, dict)
            and set(entry) == {"sha256", "bytes"}
            and isinstance(entry["sha256"], str)
            and isinstance(entry["bytes"], int)
            and not isinstance(entry["bytes"], bool)
        ):
            raise ManifestError(
                f"{MANIFEST}: files entry {name!r} must hold exactly "
                "'sha256' (text) and 'bytes' (an integer)"
            )
    if not isinstance(datasets, dict):
        raise ManifestError(f"{MANIFEST}: 'datasets' must map dataset names to hashes")
    for name, hashes in datasets.items():
        if not isinstance(hashes, dict) or not all(
            isinstance(value, str) for value in hashes.values()
        ):
            raise ManifestError(
                f"{MANIFEST}: datasets entry {name!r} must map variable names "
                "to content hashes"
            )


def read_manifest(archive_path: str | Path) -> dict:
    """The manifest of a safe archive (raises UnsafeArchiveError, ManifestError)."""
    with tarfile.open(archive_path, "r:gz") as tar:
        return open_archive(tar).manifest


# Verifying


def verify_archive(archive_path: str | Path) -> list[str]:
    """Problems with the archive, or none: file hashes and dataset contents.

    Unsafe archives are refused before anything is extracted, and so is any
    file that is not exactly one whole gzip stream.
    """
    try:
        problem = gzip_problem(archive_path)
        if problem:
            return [f"{archive_path}: not a readable tar.gz ({problem})"]
        with (
            tarfile.open(archive_path, "r:gz") as tar,
            tempfile.TemporaryDirectory() as scratch,
        ):
            archive = open_archive(tar)
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
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        found = _file_entry(digest, archive.files[name].size)
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
    listed = archive.manifest["datasets"]
    problems = [
        f"{name}: dataset not listed under 'datasets' in {MANIFEST}"
        for name in sorted(archive.files)
        if name.endswith(".nc") and name not in listed
    ]
    for name, expected in sorted(listed.items()):
        if name not in archive.files:
            problems.append(
                f"{name}: listed under 'datasets' in {MANIFEST} but missing"
            )
            continue
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


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_entry(sha256: str, size: int) -> dict:
    return {"sha256": sha256, "bytes": size}
