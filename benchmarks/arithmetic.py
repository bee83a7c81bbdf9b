"""The benchmark's arithmetic: ratios of paired measurements, and power-law fits."""

import statistics

import numpy as np


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


def power_law(sizes, values) -> dict:
    """Least-squares fit of values = c * size^exponent on log-log axes."""
    sizes, values = np.asarray(sizes, float), np.asarray(values, float)
    if sizes.size < 2 or np.any(sizes <= 0) or np.any(values <= 0):
        raise ValueError("a power law needs at least two positive points")
    exponent, log_c = np.polyfit(np.log(sizes), np.log(values), 1)
    return {"exponent": float(exponent), "coefficient": float(np.exp(log_c))}
