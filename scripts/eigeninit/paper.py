"""Numbers for a paper's text: one LaTeX macro per quoted number.

A paper that says ``\\PostStretchingFactor`` instead of typing 3.3589 updates
when the results change. Macro names are built from the summary keys in
CamelCase; LaTeX allows only letters in them, so digits are spelled out
(k = 1024 becomes ``KOneZeroTwoFour``).
"""

import math
import re
from collections.abc import Iterator

from eigeninit.summary_schema import quoted_keys

DIGIT_NAMES = (
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
)
SIGNIFICANT_DIGITS = 5

EXPERIMENT_KEYS = quoted_keys()
"""Per-experiment summary keys a paper may quote, from the summary schema."""
CIRCULAR_LAW_KEYS = (
    "spectral_radius_over_sqrt_k",
    "sigma_max_over_sqrt_k",
    "real_eigenvalue_count",
    "dominant_real_fraction",
)


def macro_name(*parts: str | int) -> str:
    """Letters-only CamelCase: ("post", "stretching_factor") -> PostStretchingFactor."""
    words = []
    for part in parts:
        for word in re.split(r"[^A-Za-z0-9]+", str(part)):
            spelled = re.sub(r"\d", lambda digit: DIGIT_NAMES[int(digit.group())], word)
            words.append(spelled[:1].upper() + spelled[1:])
    return "".join(words)


def experiment_numbers(experiments: dict[str, dict]) -> dict:
    """Every quoted number of part one's experiments under its macro name."""
    numbers = {}
    for name, summary in experiments.items():
        for key in EXPERIMENT_KEYS:
            # None: a number the data do not support gets no macro at all.
            if summary.get(key) is not None:
                numbers.update(_flattened(macro_name(name, key), summary[key]))
    return numbers


def collect_numbers(
    experiments: dict[str, dict], circular_law: dict, depth: dict
) -> dict:
    """Every quotable number, unrounded, under its macro name (sorted)."""
    numbers = experiment_numbers(experiments)
    for entry in circular_law["sizes"].values():
        k = entry["k"]
        for key in CIRCULAR_LAW_KEYS:
            base = macro_name("circular", "k", k, key)
            numbers.update(
                _with_band(base, entry[key]) | _finite_size(base, entry[key])
            )
        numbers[macro_name("circular", "k", k, "expected_real_eigenvalues")] = entry[
            "expected_real_eigenvalues"
        ]
    for scheme, activations in depth["growth_per_layer"].items():
        for activation, modes in activations.items():
            for weights, entry in modes.items():
                base = macro_name("growth", scheme, activation, weights)
                numbers.update(_with_band(base, entry))
                if entry["theory"] is not None:
                    numbers[f"{base}Theory"] = entry["theory"]
                numbers.update(_finite_size(base, entry))
    for key in ("k", "layers", "seeds"):
        numbers[macro_name("depth", key)] = depth[key]
    numbers[macro_name("circular", "seeds")] = circular_law["seeds"]
    return dict(sorted(numbers.items()))


def _finite_size(base: str, measured: dict) -> dict:
    """The finite-size theory beside a measurement and its z-score, if any."""
    block = measured.get("finite_size") or {}
    if block.get("theory") is None:
        return {}
    return {f"{base}FiniteSize": block["theory"], f"{base}ZScore": block["z_score"]}


def _flattened(base: str, value) -> Iterator[tuple[str, float | int]]:
    """A number under ``base``; a list's items numbered from one (``...Two``),
    a matrix's by row and column (``...RowOneColumnTwo``)."""
    if not isinstance(value, list):
        yield base, value
    elif value and isinstance(value[0], list):
        for row, items in enumerate(value, start=1):
            for column, item in enumerate(items, start=1):
                yield base + macro_name("row", row, "column", column), item
    else:
        for index, item in enumerate(value, start=1):
            yield base + macro_name(index), item


def _with_band(base: str, measured: dict) -> dict:
    low, high = measured["ci95"]
    return {base: measured["mean"], f"{base}Low": low, f"{base}High": high}


def latex_number(value: float | int) -> str:
    """Integers as they are; others to 5 significant digits, powers of ten in math.

    Negative numbers are typeset in math mode, so their sign is a minus, not
    the text hyphen a bare "-" gives.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if isinstance(value, int):
        text = str(value)
    elif value != 0 and not 1e-3 <= abs(value) < 1e6:
        mantissa, exponent = f"{value:.{SIGNIFICANT_DIGITS - 1}e}".split("e")
        return f"\\ensuremath{{{mantissa}\\times 10^{{{int(exponent)}}}}}"
    else:
        text = f"{value:#.{SIGNIFICANT_DIGITS}g}".rstrip(".")
    return f"\\ensuremath{{{text}}}" if value < 0 else text


def numbers_tex(numbers: dict) -> str:
    """A LaTeX file of \\newcommand lines, one per number, for \\input{numbers}."""
    lines = [
        "% Numbers quoted by the write-up, generated by the workflow; do not edit.",
        "% Unrounded values: numbers.json beside this file.",
    ]
    lines += [
        f"\\newcommand{{\\{name}}}{{{latex_number(value)}}}"
        for name, value in numbers.items()
    ]
    return "\n".join(lines) + "\n"
