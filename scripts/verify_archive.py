"""Check every file of a results archive against its MANIFEST.json, and the
content of every netCDF dataset; unsafe archives (absolute paths, '..', links,
devices) are refused without extracting anything.

python scripts/verify_archive.py results/archive/eigeninit-results.tar.gz
python scripts/verify_archive.py ARCHIVE --rerun --cores 4
"""

import argparse
import sys
from pathlib import Path

from eigeninit.archive import MANIFEST, read_manifest, verify_archive
from eigeninit.rerun import RerunError, rerun_and_compare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("archive", type=Path, help="the .tar.gz to check")
    parser.add_argument(
        "--rerun",
        action="store_true",
        help="also rerun the workflow on the archived config.yaml and inputs/ in "
        "a temporary directory and compare the datasets' contents; prints "
        "'identical' or each differing variable with its largest difference",
    )
    parser.add_argument("--cores", type=int, default=2, help="for the rerun (2)")
    parser.add_argument(
        "--project",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="checkout whose Snakefile reruns the archive (this one)",
    )
    args = parser.parse_args(argv)
    if problems := verify_archive(args.archive):
        print("\n".join(problems))
        return 1
    manifest = read_manifest(args.archive)
    files, datasets = len(manifest["files"]), len(manifest["datasets"])
    print(f"OK: {files} files and {datasets} datasets match {MANIFEST}")
    if not args.rerun:
        return 0
    try:
        differences = rerun_and_compare(args.archive, args.project, args.cores)
    except RerunError as error:
        print(f"rerun failed: {error}")
        return 1
    print("\n".join(differences) or "identical")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
