"""A verifiable, byte-reproducible tar.gz of a run's results.

Every file sits under one top folder beside ``MANIFEST.json``: the sha256 and
size of each file and the content hashes of each netCDF dataset
(:mod:`eigeninit.content_hash`, since HDF5 files are not byte-stable). Entries
are sorted, owned by 0:0, stamped with one mtime, in a gzip stream without a
date, so the same contents give the same bytes. Reading refuses members that
could escape on extraction before anything touches the disk.
"""

import gzip
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from eigeninit.atomic import replacing
from eigeninit.content_hash import dataset_content_hashes
from eigeninit.jsonio import canonical_json

MANIFEST = "MANIFEST.json"
CONFIG = "config.yaml"
INPUTS = "inputs"
CHUNK = 1 << 20


class ManifestError(ValueError):
    """An archive without a readable MANIFEST.json in a single top folder."""


class UnsafeArchiveError(ValueError):
    """An archive with members that must not be extracted; lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _entry(stream: IO[bytes], size: int) -> dict:
    return {"sha256": hashlib.file_digest(stream, "sha256").hexdigest(), "bytes": size}


def _name_problem(name: str) -> str | None:
    """Why a member name could land outside the archive's folder, or None."""
    path = PurePosixPath(name)
    if path.is_absolute():
        return "absolute path"
    if ".." in path.parts:
        return "'..' in path"
    if not path.parts or "\\" in name or path.as_posix() != name:
        return "not a normalized path"
    return None


def check_member_name(name: str) -> None:
    if problem := _name_problem(name):
        raise ValueError(f"archive member {name!r}: {problem}")


def build_manifest(
    root: str | Path, members: Sequence[str], extra: Mapping[str, bytes] | None = None
) -> dict:
    """Hashes of ``members`` (paths under ``root``) and ``extra`` (in memory),
    and the content hashes of every ``.nc`` member."""
    root, extra = Path(root), extra or {}
    names = [*members, *extra]
    for name in names:
        check_member_name(name)
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"named twice: {', '.join(duplicates)}")
    files = {name: _entry(io.BytesIO(data), len(data)) for name, data in extra.items()}
    for name in members:
        with open(root / name, "rb") as stream:
            files[name] = _entry(stream, (root / name).stat().st_size)
    datasets = [name for name in sorted(members) if name.endswith(".nc")]
    return {
        "files": dict(sorted(files.items())),
        "datasets": {name: dataset_content_hashes(root / name) for name in datasets},
    }


def write_archive(
    archive_path: str | Path,
    root: str | Path,
    members: Sequence[str],
    top_folder: str,
    mtime: int,
    extra: Mapping[str, bytes] | None = None,
) -> dict:
    """Write ``members`` (paths under ``root``, kept inside ``top_folder/``),
    ``extra`` and their MANIFEST.json, every entry stamped ``mtime`` (e.g. the
    commit time); return the manifest."""
    manifest = build_manifest(root, members, extra)
    contents = {name: Path(root) / name for name in members} | dict(extra or {})
    contents[MANIFEST] = canonical_json(manifest).encode()
    write_tar(archive_path, top_folder, contents, mtime)
    return manifest


def write_tar(
    archive_path: str | Path,
    top_folder: str,
    contents: Mapping[str, Path | bytes],
    mtime: int,
) -> None:
    """The byte-reproducible tar.gz described above, of files only (directories
    are implied), each entry mode 0644."""
    if "/" in top_folder:
        raise ValueError(f"top folder {top_folder!r} must be a single name")
    for name in [top_folder, *contents]:
        check_member_name(name)
    with (
        replacing(archive_path) as partial,
        open(partial, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for name, source in sorted(contents.items()):
            info = tarfile.TarInfo(f"{top_folder}/{name}")
            info.mtime, info.mode, info.uid, info.gid = int(mtime), 0o644, 0, 0
            stream = (
                io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
            )
            with stream:
                info.size = stream.seek(0, io.SEEK_END)
                stream.seek(0)
                tar.addfile(info, stream)


def find_top_folder(tar: tarfile.TarFile) -> str:
    """The folder holding MANIFEST.json, which every member must be under."""
    folders = {
        path.parent.as_posix()
        for path in map(PurePosixPath, tar.getnames())
        if len(path.parts) == 2 and path.name == MANIFEST
    }
    if len(folders) != 1:
        raise ManifestError(f"expected one <top folder>/{MANIFEST}")
    return folders.pop()


def _unsafe_reason(member: tarfile.TarInfo, top_folder: str) -> str | None:
    problem = _name_problem(member.name.rstrip("/"))
    if problem == "not a normalized path":
        return f"{problem} such as {top_folder}/<file>"
    parts = PurePosixPath(member.name).parts
    reasons = {
        "link": member.issym() or member.islnk(),
        "device or special file": member.ischr() or member.isblk() or member.isfifo(),
        "unsupported member type": not (member.isfile() or member.isdir()),
        f"outside the top folder {top_folder}/": parts[0] != top_folder
        or (member.isfile() and len(parts) < 2),
    }
    return problem or next((reason for reason, holds in reasons.items() if holds), None)


def safe_members(tar: tarfile.TarFile, top_folder: str) -> list[tarfile.TarInfo]:
    """The archive's regular files, once no member could escape on extraction:
    UnsafeArchiveError names every absolute path, '..', link, device, name
    given twice and member outside ``top_folder/``."""
    problems, seen = [], set()
    for member in tar.getmembers():
        reason = "given twice" if member.name in seen else None
        reason = reason or _unsafe_reason(member, top_folder)
        seen.add(member.name)
        if reason:
            problems.append(f"{member.name}: {reason}")
    if problems:
        raise UnsafeArchiveError(problems)
    return [member for member in tar.getmembers() if member.isfile()]


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
    files = {m.name.removeprefix(f"{top}/"): m for m in safe_members(tar, top)}
    with tar.extractfile(files[MANIFEST]) as stream:
        try:
            manifest = json.load(stream)
        except ValueError as error:
            raise ManifestError(f"{MANIFEST} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict) or set(manifest) != {"files", "datasets"}:
        raise ManifestError(f"{MANIFEST} must hold exactly 'files' and 'datasets'")
    entries, datasets = manifest["files"], manifest["datasets"]
    if not isinstance(entries, dict):
        raise ManifestError(f"{MANIFEST}: 'files' must map file names to entries")
    for name, entry in entries.items():
        types = isinstance(entry, dict) and {k: type(v) for k, v in entry.items()}
        if types != {"sha256": str, "bytes": int}:
            raise ManifestError(
                f"{MANIFEST}: files entry {name!r} must hold exactly "
                "'sha256' (text) and 'bytes' (an integer)"
            )
    if not isinstance(datasets, dict):
        raise ManifestError(f"{MANIFEST}: 'datasets' must map dataset names to hashes")
    for name, hashes in datasets.items():
        if not isinstance(hashes, dict) or {type(h) for h in hashes.values()} - {str}:
            raise ManifestError(
                f"{MANIFEST}: datasets entry {name!r} must map variable names "
                "to content hashes"
            )
    return _OpenedArchive(tar, files, manifest)


def read_manifest(archive_path: str | Path) -> dict:
    """The manifest of a safe archive (raises UnsafeArchiveError, ManifestError)."""
    with tarfile.open(archive_path, "r:gz") as tar:
        return open_archive(tar).manifest


def gzip_problem(archive_path: str | Path) -> str | None:
    """Why the file is not exactly one whole gzip stream, or None.

    tar stops at its own end marker, so a stream cut short or followed by other
    bytes would pass unseen; this reads to the end, where zlib checks the
    stored CRC-32 and length.
    """
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    with open(archive_path, "rb") as stream:
        while (chunk := stream.read(CHUNK)) and not decompressor.eof:
            try:
                # At most CHUNK bytes out at a time; past the end, zlib would
                # keep the rest as unconsumed input forever.
                while chunk and not decompressor.eof:
                    decompressor.decompress(chunk, CHUNK)
                    chunk = decompressor.unconsumed_tail
            except zlib.error as error:
                return f"not a valid gzip stream: {error}"
    if chunk or decompressor.unused_data:
        return "bytes follow the end of its gzip stream"
    return None if decompressor.eof else "its gzip stream is cut short"


def verify_archive(archive_path: str | Path) -> list[str]:
    """Problems with the archive's file hashes and dataset contents, or none;
    unsafe archives and anything but one whole gzip stream are refused unread."""
    unreadable = f"{archive_path}: not a readable tar.gz"
    try:
        if problem := gzip_problem(archive_path):
            return [f"{unreadable} ({problem})"]
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
        return [f"{unreadable} ({error})"]


def _file_problems(archive: _OpenedArchive) -> list[str]:
    expected = archive.manifest["files"]
    problems = []
    for name in sorted(set(archive.files) - {MANIFEST}):
        if name not in expected:
            problems.append(f"{name}: not listed in {MANIFEST}")
            continue
        with archive.stream(name) as stream:
            found = _entry(stream, archive.files[name].size)
        if found != expected[name]:
            problems.append(
                f"{name}: sha256 {found['sha256']} ({found['bytes']} bytes), "
                f"{MANIFEST} says {expected[name]['sha256']} "
                f"({expected[name]['bytes']} bytes)"
            )
    missing = sorted(set(expected) - set(archive.files))
    return problems + [f"{name}: listed in {MANIFEST} but missing" for name in missing]


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
