"""What a cold build costs against two floors, as ratios of runs made side by side.

A cold ``snakemake -c2`` against ``floor.py`` (the workflow's own stage functions
and figures in one process: the orchestration overhead) and against
``minimal.py`` (the bare LAPACK and BLAS calls the results need: the total
overhead), in CPU time, and in wall time against the floor's CPU time over the
build's 2 cores; and a no-op rerun against ``snakemake --version``. Each ratio is
the median over the repeats. Prints the table and writes it, with every raw
time, the machine and the minimal floor's counts, to ``--json``.

    python benchmarks/benchmark.py [--quick]   # --quick: config/test.yaml
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from floor import merged_settings

PROJECT = Path(__file__).resolve().parents[1]
CORES = 2
BUILD = ("all", f"-c{CORES}", "--quiet", "progress")
TARGETS = {"cpu": 1.25, f"wall / (CPU / {CORES})": 1.25, "no-op rerun": 1.5}


def paired_ratio(numerators, denominators) -> dict:
    """Median of the ratios of measurements taken side by side, pair by pair.

    Each pair shares the machine's load at that moment, so the ratio of a pair
    is far steadier than either time; the median discards a disturbed pair.
    """
    numerators, denominators = list(numerators), list(denominators)
    if len(numerators) != len(denominators) or not numerators:
        raise ValueError("ratios need the same number (> 0) of both measurements")
    ratios = [n / d for n, d in zip(numerators, denominators, strict=True)]
    return {"median": statistics.median(ratios), "ratios": ratios}


def with_target(ratio: dict, target: float) -> dict:
    """The ratio with its target and whether it holds (median at most the target)."""
    return ratio | {"target": target, "holds": ratio["median"] <= target}


def timed(command: list[str], cwd: Path) -> dict:
    """Wall and CPU time (user + system, with every descendant) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "stdout": result.stdout}


def snakemake(workdir: Path, *args: str) -> list[str]:
    """Snakemake on this workflow in ``workdir``, with the config there."""
    # Targets and options first: --configfile takes several values.
    return [
        *(sys.executable, "-m", "snakemake", *args),
        *("--snakefile", str(PROJECT / "Snakefile"), "--directory", str(workdir)),
        *("--configfile", str(workdir / "config.yaml")),
    ]


def fresh_workdir(parent: Path, config: dict, name: str) -> Path:
    """A working directory with the config and the matrix files it names."""
    workdir = parent / name
    for experiment in config["experiments"].values():
        if experiment.get("matrix"):
            (workdir / experiment["matrix"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(PROJECT / experiment["matrix"], workdir / experiment["matrix"])
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return workdir


def measure(config: dict, repeats: int, scratch: Path) -> tuple[dict, dict, Path]:
    """Cold builds, floors and minimal floors, in turns whose order alternates;
    the minimal floor counts its references and figures in the latest build."""
    seconds = {run: [] for run in ("cold", "floor", "minimal")}
    counts, workdir = {}, None
    for repeat in range(repeats):
        new = fresh_workdir(scratch, config, f"cold{repeat}")
        runs = list(seconds) if repeat % 2 == 0 else ["floor", "minimal", "cold"]
        for run in runs:
            command = [sys.executable, str(PROJECT / "benchmarks" / f"{run}.py")]
            command += ["--configfile", str(new / "config.yaml")]
            if run == "cold":
                command, workdir = snakemake(new, *BUILD), new
            elif run == "minimal":
                command += ["--results", str(workdir / "results")]
            seconds[run].append(timed(command, new))
            stdout = seconds[run][-1].pop("stdout")
            counts = json.loads(stdout) if run == "minimal" else counts
    return seconds, counts, workdir


def ratios(seconds: dict, floor: str) -> dict:
    """The cold build's CPU time against the floor's, and its wall time against
    the floor's CPU time over the build's cores, each with its target."""
    cpu = [run["cpu"] for run in seconds[floor]]
    cold = seconds["cold"]
    measures = {
        "cpu": paired_ratio([run["cpu"] for run in cold], cpu),
        f"wall / (CPU / {CORES})": paired_ratio(
            [run["wall"] for run in cold], [c / CORES for c in cpu]
        ),
    }
    return {name: with_target(r, TARGETS[name]) for name, r in measures.items()}


def no_op_rerun(workdir: Path, repeats: int) -> dict:
    """A second ``snakemake`` with nothing to do, against ``snakemake --version``."""
    version = [sys.executable, "-m", "snakemake", "--version"]
    rerun = snakemake(workdir, *BUILD)
    pairs = [(timed(rerun, workdir), timed(version, workdir)) for _ in range(repeats)]
    return paired_ratio(*([pair[i]["wall"] for pair in pairs] for i in (0, 1)))


def machine() -> dict:
    model = re.search(r"^model name\s*: (.*)$", Path("/proc/cpuinfo").read_text(), re.M)
    return {
        "cpu": model[1] if model else platform.processor(),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "python": platform.python_version(),
        "date": datetime.date.today().isoformat(),
    }


def table(result: dict) -> str:
    rows = [("cold build against", "measure", "median", "target", "holds")]
    for floor, measures in result["ratios"].items():
        for name, ratio in measures.items():
            median, target = f"{ratio['median']:.2f}", f"<= {ratio['target']}"
            rows.append((floor, name, median, target, str(ratio["holds"])))
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    lines = ["  ".join(map(str.ljust, row, widths)) for row in rows]
    for run, times in result["seconds"].items():
        runs = ", ".join(f"{t['cpu']:.1f} CPU / {t['wall']:.1f} wall" for t in times)
        lines.append(f"{run}: {runs} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="config/test.yaml")
    parser.add_argument("--configfile", type=Path, help="overrides of the config")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each")
    parser.add_argument("--keep", type=Path, help="where to keep the last build")
    parser.add_argument("--json", type=Path, default=PROJECT / "results/benchmark.json")
    arguments = parser.parse_args()
    configfile = arguments.configfile or PROJECT / "config" / (
        "test.yaml" if arguments.quick else "config.yaml"
    )
    config = merged_settings(str(configfile)).config
    result = {"config": str(configfile), "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="eigeninit-benchmark-") as scratch:
        seconds, counts, workdir = measure(config, arguments.repeats, Path(scratch))
        rerun = no_op_rerun(workdir, max(3, arguments.repeats))
        if arguments.keep:
            shutil.copytree(workdir, arguments.keep, dirs_exist_ok=True)
    result["ratios"] = {floor: ratios(seconds, floor) for floor in ("floor", "minimal")}
    result["ratios"]["snakemake --version"] = {
        "no-op rerun": with_target(rerun, TARGETS["no-op rerun"])
    }
    result |= {"seconds": seconds, "minimal_counts": counts}
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(result, indent=1) + "\n")
    print(f"{result['machine']}, {result['config']}")
    print(table(result))
    print(f"written: {arguments.json}")


if __name__ == "__main__":
    main()
