"""Deterministic tar.gz writing, and reading that refuses members that could escape.

Entries are written sorted, owned by 0:0, with one mtime and a gzip header
without a date, so the same contents always give the same bytes.
"""

import gzip
import io
import tarfile
import zlib
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from eigeninit.atomic import replacing

FILE_MODE = 0o644
GZIP_WBITS = 16 + zlib.MAX_WBITS
"""zlib's window bits for a gzip header and trailer."""
READ_BYTES = 1 << 20
COMPRESSLEVEL = 9
TAR_FORMAT = tarfile.PAX_FORMAT


class UnsafeArchiveError(ValueError):
    """An archive with members that must not be extracted; lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


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


def gzip_problem(archive_path: str | Path) -> str | None:
    """Why the file is not exactly one whole gzip stream, or None.

    tar stops reading at its own end marker, so a stream cut short or followed
    by other bytes would pass unseen; this reads it to the end, where zlib
    checks the stored CRC-32 and length.
    """
    decompressor = zlib.decompressobj(wbits=GZIP_WBITS)
    with open(archive_path, "rb") as stream:
        while chunk := stream.read(READ_BYTES):
            if decompressor.eof:
                return "bytes follow the end of its gzip stream"
            try:
                while chunk:
                    decompressor.decompress(chunk, READ_BYTES)
                    chunk = decompressor.unconsumed_tail
            except zlib.error as error:
                return f"not a valid gzip stream: {error}"
            if decompressor.unused_data:
                return "bytes follow the end of its gzip stream"
    if not decompressor.eof:
        return "its gzip stream is cut short"
    return None


def _unsafe_reason(member: tarfile.TarInfo, top_folder: str) -> str | None:
    path = PurePosixPath(member.name)
    if not path.parts or path.as_posix() != member.name.rstrip("/"):
        return f"not a normalized path such as {top_folder}/<file>"
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
