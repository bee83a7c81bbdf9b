"""Summaries of Monte Carlo samples: means and shares with 95% intervals, and
Holm's correction for a family of tests. scipy.stats, most of a second to
import, is imported only where needed (the figures need only mean_ci95)."""

import numpy as np
from scipy.special import stdtrit  # Student t quantiles, as scipy.stats.t.ppf


def finite_or_none(value) -> float | None:
    """A float for JSON, or None where the value is NaN or infinite."""
    return float(value) if np.isfinite(value) else None


def mean_ci95(samples: np.ndarray, axis: int = -1) -> tuple[np.ndarray, ...]:
    """``(mean, lo, hi)`` along ``axis``: the mean and its Student-t 95% interval
    (samples are few); NaN bounds for one sample; non-finite samples propagate."""
    values = np.asarray(samples, dtype=np.float64)
    n = values.shape[axis]
    if n == 0:
        raise ValueError("mean_ci95 needs at least one sample")
    mean = values.mean(axis=axis)
    if n == 1:
        return mean, np.full_like(mean, np.nan), np.full_like(mean, np.nan)
    t = stdtrit(n - 1, 0.975)
    with np.errstate(invalid="ignore"):
        half_width = t * values.std(axis=axis, ddof=1) / np.sqrt(n)
    return mean, mean - half_width, mean + half_width


def summarize_samples(samples: np.ndarray) -> dict[str, float | list[float]]:
    """``{"mean", "se", "ci95": [lo, hi]}`` of all samples as plain floats (NaN
    but the mean for a single sample)."""
    values = np.ravel(samples)
    mean, lo, hi = mean_ci95(values)
    se = values.std(ddof=1) / np.sqrt(values.size) if values.size > 1 else np.nan
    return {"mean": float(mean), "se": float(se), "ci95": [float(lo), float(hi)]}


def proportion_ci95(successes: int, trials: int) -> dict[str, float | list[float]]:
    """Share of successes with the Wilson score 95% interval, which keeps its
    coverage near 0 and 1 and for few trials (scipy refuses no trials)."""
    from scipy import stats as scipy_stats

    interval = scipy_stats.binomtest(successes, trials).proportion_ci(
        confidence_level=0.95, method="wilson"
    )
    return {
        "mean": successes / trials,
        "ci95": [float(interval.low), float(interval.high)],
    }


def holm_adjusted(pvalues: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values: a test is rejected at family-wise
    level alpha when its adjusted p-value is at most alpha, whatever the
    dependence between the tests (Holm 1979)."""
    p = np.asarray(pvalues, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(p.size)
    adjusted[order] = np.maximum.accumulate((p.size - np.arange(p.size)) * p[order])
    return np.minimum(adjusted, 1.0)


def chance_exceedances(tests: int, level: float = 0.05) -> dict[str, float | list]:
    """How many of ``tests`` true hypotheses chance alone puts below ``level``:
    Binomial(tests, level), its mean, sd and central 95% range."""
    from scipy import stats as scipy_stats

    count = scipy_stats.binom(tests, level)
    return {
        "mean": float(count.mean()),
        "sd": float(count.std()),
        "range95": [int(count.ppf(0.025)), int(count.ppf(0.975))],
    }
