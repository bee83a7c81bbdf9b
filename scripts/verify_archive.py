"""Check an archive of results against its MANIFEST.json; optionally rerun it.

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
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description=f"Check every file of a results archive against its {MANIFEST}, "
        "and the content of every netCDF dataset. Unsafe archives (absolute "
        "paths, '..', links, devices) are refused without extracting anything.",
    )
    parser.add_argument("archive", type=Path, help="the .tar.gz to check")
    parser.add_argument(
        "--rerun",
        action="store_true",
        help="also rerun the workflow on the archived config.yaml and inputs/ in "
        "a temporary directory and compare the datasets' contents; prints "
        "'identical' or each differing variable with its largest difference",
    )
    parser.add_argument("--cores", type=int, default=2, help="cores for the rerun")
    parser.add_argument(
        "--project",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="checkout whose Snakefile reruns the archive",
    )
    args = parser.parse_args(argv)
    problems = verify_archive(args.archive)
    if problems:
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
    print("\n".join(differences) if differences else "identical")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
