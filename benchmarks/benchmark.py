"""Speed and scale of the workflow, as ratios measured side by side in one run.

Shared machines make absolute timings noisy, so every figure compares two
things measured back to back, repeated, and quotes the median ratio:

* the cold workflow (``snakemake -c2``) against the floor, the same arithmetic
  and figures in one bare process (``benchmarks/floor.py``): CPU time against
  the floor's CPU time, and wall time against the floor's CPU time over 2;
* a no-op rerun against ``snakemake --version``;
* a one-parameter change: which jobs rerun (exactly the dependent ones?) and
  how long that takes;
* the numerical kernels: renormalized iteration against a bare loop, batched
  against per-network loops, chunked against whole-stack memory;
* scaling: time and peak memory of the spectra against k and against the
  number of matrices, with fitted exponents, drawn to a PNG.

    python benchmarks/benchmark.py            # default config, 3 repeats
    python benchmarks/benchmark.py --quick    # tiny config and sizes, 1 repeat

Writes ``results/benchmarks/benchmarks.json`` (and the scaling plot beside it;
a full run also updates ``docs/performance-scaling.png`` for the README).
"""

import argparse
import copy
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import yaml
from arithmetic import paired_ratio, power_law, with_target
from floor import merged_settings
from threadpoolctl import threadpool_info, threadpool_limits

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from eigeninit.depth import run_depth  # noqa: E402
from eigeninit.initializers import job_seed_sequence  # noqa: E402
from eigeninit.power import iterate  # noqa: E402

RESULTS = PROJECT / "results" / "benchmarks"
README_PLOT = PROJECT / "docs" / "performance-scaling.png"
CONFIG_INPUTS = ("config/published-matrix.csv",)
BUILD = ("all", "-c2", "--quiet", "progress")
"""The build every measurement runs: the default target on 2 cores, quietly."""
TARGETS = {"cold_cpu": 1.25, "cold_wall_2_cores": 1.25, "no_op_rerun": 1.5}


# ---- measuring processes ---------------------------------------------------


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


def snakemake(workdir: Path, config: Path, *args: str) -> list[str]:
    # Targets and options first: --configfile and --quiet take several values.
    return [
        sys.executable,
        "-m",
        "snakemake",
        *args,
        "--snakefile",
        str(PROJECT / "Snakefile"),
        "--directory",
        str(workdir),
        "--configfile",
        str(config),
    ]


def fresh_workdir(parent: Path, config: dict, name: str) -> tuple[Path, Path]:
    """A working directory with the files the config names and the config itself."""
    workdir = parent / name
    for relative in CONFIG_INPUTS:
        (workdir / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / relative, workdir / relative)
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return workdir, path


def planned_outputs(dry_run: str) -> set[str]:
    """The first output of every job a dry run lists."""
    return set(re.findall(r"^\s+output: ([^,\s]+)", dry_run, flags=re.M))


# ---- the workflow against the floor ------------------------------------------


def cold_runs(config: dict, repeats: int, scratch: Path) -> tuple[dict, Path, Path]:
    """Floor and cold workflow, alternating which goes first; the last workdir
    is kept for the rerun measurements."""
    floor, cold = [], []
    for repeat in range(repeats):
        workdir, config_path = fresh_workdir(scratch, config, f"cold{repeat}")
        floor_command = [
            sys.executable,
            str(PROJECT / "benchmarks" / "floor.py"),
            "--configfile",
            str(config_path),
        ]
        workflow_command = snakemake(workdir, config_path, *BUILD)
        pair = [(floor, floor_command), (cold, workflow_command)]
        for times, command in pair if repeat % 2 == 0 else pair[::-1]:
            times.append(timed(command, workdir))
    floor_cpu = [t["cpu"] for t in floor]
    ratios = {
        "cold_cpu": with_target(
            paired_ratio([t["cpu"] for t in cold], floor_cpu), TARGETS["cold_cpu"]
        ),
        "cold_wall_2_cores": with_target(
            paired_ratio([t["wall"] for t in cold], [c / 2 for c in floor_cpu]),
            TARGETS["cold_wall_2_cores"],
        ),
    }
    seconds = {
        "floor_cpu": floor_cpu,
        "floor_wall": [t["wall"] for t in floor],
        "cold_cpu": [t["cpu"] for t in cold],
        "cold_wall": [t["wall"] for t in cold],
    }
    return {"ratios": ratios, "seconds": seconds}, workdir, config_path


def no_op_rerun(workdir: Path, config_path: Path, repeats: int) -> dict:
    version = [sys.executable, "-m", "snakemake", "--version"]
    rerun = snakemake(workdir, config_path, *BUILD)
    reruns, versions = [], []
    for _ in range(max(3, repeats)):
        versions.append(timed(version, workdir)["wall"])
        reruns.append(timed(rerun, workdir)["wall"])
    ratio = with_target(paired_ratio(reruns, versions), TARGETS["no_op_rerun"])
    return {"ratio": ratio, "seconds": {"rerun": reruns, "version": versions}}


def one_parameter_change(workdir: Path, config: dict) -> dict:
    """Raise the featured experiment's iterations by 10: its iterations,
    summary, figures and the write-up must rerun, and nothing else."""
    name = config["featured_experiment"]
    changed = copy.deepcopy(config)
    changed["experiments"][name]["iterations"] += 10
    path = workdir / "changed.yaml"
    path.write_text(yaml.safe_dump(changed, sort_keys=False))
    folder = f"results/experiments/{name}"
    expected = {
        f"{folder}/iterations.nc",
        f"{folder}/summary.json",
        f"{folder}/figures",
        "results/report.html",
    }
    planned = planned_outputs(
        timed(snakemake(workdir, path, "-n", "all"), workdir)["stdout"]
    )
    run = timed(snakemake(workdir, path, *BUILD), workdir)
    return {
        "change": f"experiments.{name}.iterations + 10",
        "reran": sorted(planned),
        "exactly_the_dependent_jobs": planned == expected,
        "unexpected": sorted(planned - expected),
        "missing": sorted(expected - planned),
        "seconds": {"wall": run["wall"], "cpu": run["cpu"]},
    }


# ---- kernels (ratios, one thread) ---------------------------------------------


def best_time(function, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_traced_bytes(function) -> int:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def ensemble(*key) -> np.random.SeedSequence:
    return job_seed_sequence(2020, "benchmark", *key)


def naive_products(matrix, start, steps):
    """The post's loop: multiply and take the norm, no renormalization."""
    vector, norms = start, []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            norms.append(np.linalg.norm(vector))
            vector = matrix @ vector
    return np.array(norms)


def kernels(quick: bool) -> dict:
    k, steps = (256, 100) if quick else (1024, 200)
    generator = np.random.default_rng(ensemble("iterate"))
    matrix, start = generator.standard_normal((k, k)), generator.standard_normal(k)
    iteration = best_time(lambda: iterate(matrix, start, steps)) / best_time(
        lambda: naive_products(matrix, start, steps)
    )

    def depth_loop_ratio(k, layers, networks):
        def run(members):
            activations = ["linear", "relu"]
            run_depth(
                "lecun", activations, "independent", k, layers, ensemble(k), members
            )

        def per_network():
            for i in range(networks):
                run(range(i, i + 1))

        return best_time(per_network, 2) / best_time(lambda: run(range(networks)), 2)

    seeds, size = (8, 64) if quick else (32, 256)
    stack = np.random.default_rng(ensemble("eig")).standard_normal((seeds, size, size))
    eig_loop = best_time(lambda: [np.linalg.eigvals(m) for m in stack], 2) / best_time(
        lambda: np.linalg.eigvals(stack), 2
    )

    def depth_peak(networks_per_batch):
        from eigeninit import initializers

        saved = initializers.CHUNK_BYTES
        initializers.CHUNK_BYTES = networks_per_batch * 8 * 256 * 256
        try:
            return peak_traced_bytes(
                lambda: run_depth(
                    "standard",
                    ["linear"],
                    "independent",
                    256,
                    5,
                    ensemble("mem"),
                    range(32),
                )
            )
        finally:
            initializers.CHUNK_BYTES = saved

    return {
        "iteration_vs_naive_loop": {"k": k, "steps": steps, "time_ratio": iteration},
        "depth_per_network_loop_vs_batched_small_k": {
            "k": 16,
            "layers": 50,
            "networks": 64 if quick else 256,
            "time_ratio": depth_loop_ratio(16, 50, 64 if quick else 256),
        },
        "depth_per_network_loop_vs_batched_k256": {
            "k": 256,
            "layers": 5 if quick else 20,
            "networks": 8 if quick else 32,
            "time_ratio": depth_loop_ratio(256, 5 if quick else 20, 8 if quick else 32),
        },
        "eigvals_loop_vs_batched": {
            "k": size,
            "matrices": seeds,
            "time_ratio": eig_loop,
        },
        "depth_peak_memory_one_stack_vs_batches_of_4": {
            "k": 256,
            "networks": 32,
            "memory_ratio": depth_peak(32) / depth_peak(4),
        },
    }


# ---- scaling -------------------------------------------------------------------

SCALING_POINT = """
import sys, time, tracemalloc
import numpy as np
from threadpoolctl import threadpool_limits
sys.path.insert(0, {scripts!r})
from eigeninit.circular_law import measure_sizes
k, count = {k}, {count}
np.linalg.eigvals(np.eye(2))
with threadpool_limits(limits=1):
    tracemalloc.start()
    start = time.process_time()
    measure_sizes(k, np.random.SeedSequence(1), range(count), keep_eigenvalues=True)
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
print(seconds, peak / 2**20)
"""


def scaling_point(k: int, count: int) -> dict:
    """CPU seconds and peak memory allocated (MiB, traced by tracemalloc, which
    numpy reports its arrays to) while measuring ``count`` matrices of size k,
    in a fresh process."""
    code = SCALING_POINT.format(scripts=str(PROJECT / "scripts"), k=k, count=count)
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return {
        "k": k,
        "matrices": count,
        "cpu_seconds": float(output[0]),
        "peak_mib": float(output[1]),
    }


def scaling(quick: bool) -> dict:
    sizes = [32, 64, 128, 256] if quick else [256, 512, 1024, 2048, 4096]
    per_size = 2
    counts = [8, 16, 32] if quick else [64, 128, 256, 512, 1024]
    count_k = 32 if quick else 128
    by_k = [scaling_point(k, per_size) for k in sizes]
    by_count = [scaling_point(count_k, n) for n in counts]
    return {
        "spectra_vs_k": {
            "points": by_k,
            "time": power_law(sizes, [p["cpu_seconds"] for p in by_k]),
            "memory": power_law(sizes, [p["peak_mib"] for p in by_k]),
        },
        "spectra_vs_matrices": {
            "k": count_k,
            "points": by_count,
            "time": power_law(counts, [p["cpu_seconds"] for p in by_count]),
            "memory": power_law(counts, [p["peak_mib"] for p in by_count]),
        },
    }


def scaling_plot(result: dict, paths: list[Path]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    figure, panels = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    for panel, key, label in (
        (panels[0], "spectra_vs_k", "k (matrices per point: 2)"),
        (
            panels[1],
            "spectra_vs_matrices",
            f"matrices (k = {result['spectra_vs_matrices']['k']})",
        ),
    ):
        series = result[key]
        x = np.array(
            [p["k" if key == "spectra_vs_k" else "matrices"] for p in series["points"]]
        )
        for quantity, unit, color in (
            ("time", "cpu_seconds", "C0"),
            ("memory", "peak_mib", "C1"),
        ):
            y = [p[unit] for p in series["points"]]
            fit = series[quantity]
            name = "CPU s" if quantity == "time" else "peak MiB"
            panel.loglog(x, y, "o", color=color)
            panel.loglog(
                x,
                fit["coefficient"] * x ** fit["exponent"],
                "-",
                color=color,
                label=f"{name} ~ {label.split()[0]}^{fit['exponent']:.2f}",
            )
        # The measured sizes as plain numbers: log minor labels overlap here.
        panel.set_xticks(x, [str(value) for value in x])
        panel.xaxis.set_minor_locator(NullLocator())
        panel.set_xlabel(label)
        panel.legend()
    panels[0].set_title("spectra (eigvals + singular values) against k")
    panels[1].set_title("against the number of matrices")
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(figure)


# ---- report ----------------------------------------------------------------------


def blas() -> list[dict]:
    keys = ("internal_api", "version", "architecture", "threading_layer", "num_threads")
    return [
        {key: info.get(key) for key in keys}
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]


def blas_line(libraries: list[dict]) -> str:
    """The BLAS libraries loaded (numpy's and scipy's may differ), in one line."""
    names = sorted(
        {
            f"{lib['internal_api']} {lib['version']} ({lib['architecture']} kernel, "
            f"{lib['threading_layer']}, {lib['num_threads']} threads by default)"
            for lib in libraries
        }
    )
    return (
        f"BLAS: {'; '.join(names)}. The workflow's jobs (threads: 1), the floor "
        "and the kernels run it on one thread."
    )


def table(result: dict) -> str:
    rows = [("measure", "median ratio", "target", "holds")]
    for name, ratio in result["workflow"]["ratios"].items():
        rows.append(
            (
                name,
                f"{ratio['median']:.2f}",
                f"<= {ratio['target']}",
                str(ratio["holds"]),
            )
        )
    change = result["workflow"]["one_parameter_change"]
    rows.append(
        (
            f"rerun after {change['change']}",
            f"{change['seconds']['wall']:.1f} s wall",
            "dependent jobs only",
            str(change["exactly_the_dependent_jobs"]),
        )
    )
    for name, kernel in result["kernels"].items():
        value = kernel.get("time_ratio", kernel.get("memory_ratio"))
        rows.append((name, f"{value:.2f}", "", ""))
    for name, series in result["scaling"].items():
        for quantity in ("time", "memory"):
            rows.append(
                (
                    f"{name} {quantity} exponent",
                    f"{series[quantity]['exponent']:.2f}",
                    "",
                    "",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny config, small sizes, one repeat: checks the machinery",
    )
    parser.add_argument(
        "--configfile",
        type=Path,
        help="overrides of config/config.yaml (with --quick: config/test.yaml)",
    )
    parser.add_argument(
        "--repeats", type=int, help="pairs per ratio (default 3, 1 with --quick)"
    )
    arguments = parser.parse_args()
    repeats = arguments.repeats or (1 if arguments.quick else 3)
    config_file = arguments.configfile or PROJECT / "config" / (
        "test.yaml" if arguments.quick else "config.yaml"
    )
    config = merged_settings(str(config_file)).config
    result = {
        "config": str(
            config_file.relative_to(PROJECT)
            if config_file.is_relative_to(PROJECT)
            else config_file
        ),
        "quick": arguments.quick,
        "repeats": repeats,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "blas": blas(),
    }
    with tempfile.TemporaryDirectory(prefix="eigeninit-benchmark-") as scratch:
        cold, workdir, config_path = cold_runs(config, repeats, Path(scratch))
        cold["ratios"]["no_op_rerun"] = (
            rerun := no_op_rerun(workdir, config_path, repeats)
        )["ratio"]
        cold["seconds"] |= rerun["seconds"]
        cold["one_parameter_change"] = one_parameter_change(workdir, config)
    result["workflow"] = cold
    with threadpool_limits(limits=1):
        result["kernels"] = kernels(arguments.quick)
    result["scaling"] = scaling(arguments.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    plots = [RESULTS / "scaling.png"] + ([] if arguments.quick else [README_PLOT])
    scaling_plot(result["scaling"], plots)
    (RESULTS / "benchmarks.json").write_text(json.dumps(result, indent=1) + "\n")
    print(blas_line(result["blas"]))
    print(table(result))
    print(f"written: {RESULTS / 'benchmarks.json'}, {', '.join(map(str, plots))}")


if __name__ == "__main__":
    main()
