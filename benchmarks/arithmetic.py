"""The benchmark's arithmetic: ratios of paired measurements against targets."""

import statistics


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
