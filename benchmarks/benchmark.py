"""Speed and memory of the numerics, as ratios measured in one run.

Shared machines make absolute timings noisy, so every line compares two ways
of doing the same work, timed back to back (best of several repeats), with
BLAS pinned to one thread as the workflow's rules pin it.

    python benchmarks/benchmark.py
"""

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from eigeninit.depth import run_depth  # noqa: E402
from eigeninit.initializers import job_seed_sequence  # noqa: E402
from eigeninit.power import iterate  # noqa: E402


def best_time(function, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_bytes(function) -> int:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def rng(*key):
    return np.random.default_rng(job_seed_sequence(2020, "benchmark", *key))


def naive_products(matrix, start, steps):
    """The post's loop: multiply and take the norm, no renormalization."""
    vector, norms = start, []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            norms.append(np.linalg.norm(vector))
            vector = matrix @ vector
    return np.array(norms)


def iteration_overhead() -> None:
    k, steps = 1024, 200
    generator = rng("iterate")
    matrix, start = generator.standard_normal((k, k)), generator.standard_normal(k)
    ours = best_time(lambda: iterate(matrix, start, steps))
    naive = best_time(lambda: naive_products(matrix, start, steps))
    overflow = np.argmax(~np.isfinite(naive_products(matrix, start, steps)))
    print(
        f"renormalized iteration vs naive loop, k={k}, {steps} steps: "
        f"time ratio {ours / naive:.2f} "
        f"(naive norms overflow from step {overflow}; ours stay exact)"
    )


def depth_vectorization(k: int, layers: int, seeds: int) -> None:
    """Batching pays where Python overhead dominates (small k), not where flops do."""

    def batched():
        run_depth("lecun", ["linear", "relu"], "independent", k, layers, seeds, rng(k))

    def per_seed():
        for seed in range(seeds):
            run_depth(
                "lecun", ["linear", "relu"], "independent", k, layers, 1, rng(k, seed)
            )

    ratio = best_time(per_seed, 2) / best_time(batched, 2)
    print(
        f"depth, k={k}, {layers} layers, {seeds} seeds: "
        f"a loop per seed takes {ratio:.1f}x the batched time"
    )


def circular_law_batching() -> None:
    k, seeds = 256, 32
    matrices = rng("eig").standard_normal((seeds, k, k))
    batched = best_time(lambda: np.linalg.eigvals(matrices), 2)
    looped = best_time(lambda: [np.linalg.eigvals(matrix) for matrix in matrices], 2)
    print(
        f"eigvals of {seeds} matrices, k={k}: "
        f"loop / batched time ratio {looped / batched:.2f} "
        "(LAPACK does the work either way; batching saves only Python overhead)"
    )


def depth_chunk_memory() -> None:
    k, layers, seeds = 256, 5, 32

    def chunked():
        run_depth(
            "standard", ["linear"], "independent", k, layers, seeds, rng("mem"), chunk=4
        )

    def whole():
        run_depth(
            "standard",
            ["linear"],
            "independent",
            k,
            layers,
            seeds,
            rng("mem"),
            chunk=seeds,
        )

    ratio = peak_bytes(whole) / peak_bytes(chunked)
    print(
        f"depth peak memory, {seeds} seeds at k={k}: "
        f"one stack / chunks of 4 = {ratio:.1f}"
    )


if __name__ == "__main__":
    with threadpool_limits(limits=1):
        iteration_overhead()
        depth_vectorization(k=16, layers=50, seeds=256)
        depth_vectorization(k=256, layers=20, seeds=32)
        circular_law_batching()
        depth_chunk_memory()
