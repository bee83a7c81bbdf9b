"""Numbers for a paper's text: one LaTeX macro per quoted number.

A paper that says ``\\PostStretchingFactor`` instead of typing 3.3589 updates
when the results change. Macro names are built from the summary keys in
CamelCase; LaTeX allows only letters in them, so digits are spelled out
(k = 1024 becomes ``KOneZeroTwoFour``).
"""

import math
import re
from collections.abc import Iterable
from functools import cache

from eigeninit.experiments import MAX_MATRIX_SIZE, ConfigError
from eigeninit.schemas import quoted_names, quoted_numbers

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

NAMESPACES = {
    "circular_law": "CircularLaw",
    "depth": "Depth",
    "comparisons": "Comparisons",
    "references": "Reference",
    "jacobian": "Jacobian",
}
"""The word part two's macros begin with, per summary."""


def macro_name(*parts: str | int) -> str:
    """Letters-only CamelCase: ("post", "stretching_factor") -> PostStretchingFactor."""
    words = []
    for part in parts:
        for word in re.split(r"[^A-Za-z0-9]+", str(part)):
            spelled = re.sub(r"\d", lambda digit: DIGIT_NAMES[int(digit.group())], word)
            words.append(spelled[:1].upper() + spelled[1:])
    return "".join(words)


@cache
def experiment_suffixes() -> frozenset[str]:
    """What follows an experiment's name in each of its macros."""
    return frozenset(
        macro_name(*parts) for parts in quoted_names("experiment", MAX_MATRIX_SIZE)
    )


def check_experiment_names(names: Iterable[str]) -> None:
    """Refuse experiment names whose macros would be another number's.

    Names become macro prefixes in CamelCase, so ``post`` and ``Post`` (or
    ``my_run`` and ``my-run``) would share every macro, a name may extend
    another's so that their macros meet (prefix + suffix = prefix' + suffix'),
    and part two's macros begin with the words of :data:`NAMESPACES`.
    """
    prefixes = {}
    for name in names:
        prefix = macro_name(name)
        if prefix in prefixes:
            raise ConfigError(
                f"experiments.{name}: its paper macros (\\{prefix}...) would be "
                f"experiment {prefixes[prefix]}'s; names must differ in more than "
                "case, '-' and '_'"
            )
        for word in NAMESPACES.values():
            if _macros_meet(prefix, word, part_two=True):
                raise ConfigError(
                    f"experiments.{name}: its paper macros (\\{prefix}...) would "
                    f"be among part two's, which begin with \\{word}; choose "
                    "another name"
                )
        for other_prefix, other in prefixes.items():
            if _macros_meet(prefix, other_prefix):
                raise ConfigError(
                    f"experiments.{name}: one of its paper macros (\\{prefix}...)"
                    f" would also be one of experiment {other}'s (\\{other_prefix}"
                    "...); choose another name"
                )
        prefixes[prefix] = name


def _macros_meet(prefix: str, other: str, part_two: bool = False) -> bool:
    """Whether prefix + s equals other + t for suffixes s and t (t is any text
    when ``other`` is a part-two namespace)."""
    shorter, longer = sorted((prefix, other), key=len)
    if not longer.startswith(shorter):
        return False
    rest = longer[len(shorter) :]
    suffixes = experiment_suffixes()  # built only for names that could meet
    if part_two:
        # Longer than the namespace word: all its macros begin with that word.
        return shorter == other or any(s.startswith(rest) for s in suffixes)
    return any(s.startswith(rest) and s[len(rest) :] in suffixes for s in suffixes)


def experiment_numbers(experiments: dict[str, dict]) -> dict:
    """Every quoted number of part one's experiments under its macro name."""
    return _unique(
        (macro_name(name, *parts), value)
        for name, summary in experiments.items()
        for parts, value in quoted_numbers("experiment", summary)
    )


def collect_numbers(experiments: dict[str, dict], part_two: dict[str, dict]) -> dict:
    """Every quotable number, unrounded, under its macro name (sorted).

    Quoted numbers are those the summary schemas mark ``x-quoted``
    (:func:`eigeninit.schemas.quoted_numbers`); an experiment's macros
    begin with its name, part two's (``part_two`` maps a summary's name to
    it) with :data:`NAMESPACES`. Two numbers under one name are an error,
    never an overwrite.
    """
    part_two_numbers = (
        (macro_name(NAMESPACES[summary], *parts), value)
        for summary, data in part_two.items()
        for parts, value in quoted_numbers(summary, data)
    )
    numbers = _unique([*experiment_numbers(experiments).items(), *part_two_numbers])
    return dict(sorted(numbers.items()))


def _unique(named: Iterable[tuple[str, float | int]]) -> dict:
    numbers = {}
    for macro, value in named:
        if macro in numbers:
            raise ValueError(f"two numbers would be exported as \\{macro}")
        numbers[macro] = value
    return numbers


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
    else:
        # The notation follows the rounded value: 99999.5 rounds to 1.0000e+05.
        text = f"{value:#.{SIGNIFICANT_DIGITS}g}"
        if value != 0 and (abs(value) < 1e-3 or "e" in text):
            mantissa, exponent = f"{value:.{SIGNIFICANT_DIGITS - 1}e}".split("e")
            return f"\\ensuremath{{{mantissa}\\times 10^{{{int(exponent)}}}}}"
        text = text.rstrip(".")
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
