"""Numbers for a paper's text: one LaTeX macro per quoted number.

A paper that says ``\\PostStretchingFactor`` instead of typing 3.3589 updates
when the results change. Macro names are built from the summary keys in
CamelCase; LaTeX allows only letters in them, so digits are spelled out
(k = 1024 becomes ``KOneZeroTwoFour``).
"""

import re
from collections.abc import Iterable
from functools import cache

from eigeninit.experiments import MAX_MATRIX_SIZE, ConfigError
from eigeninit.schemas import quoted_names, quoted_numbers

DIGIT_NAMES = "Zero One Two Three Four Five Six Seven Eight Nine".split()

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
    """Refuse experiment names whose macros would be another number's: names
    that differ only in case, '-' or '_', a name whose macros meet another's
    (prefix + suffix = prefix' + suffix'), and macros beginning with a word of
    :data:`NAMESPACES`, as part two's do."""
    prefixes = {}
    for name in names:
        prefix = macro_name(name)
        for other, other_prefix in prefixes.items():
            if prefix == other_prefix:
                raise ConfigError(
                    f"experiments.{name}: its paper macros (\\{prefix}...) would be "
                    f"experiment {other}'s; names must differ in more than case, "
                    "'-' and '_'"
                )
            if _macros_meet(prefix, other_prefix):
                raise ConfigError(
                    f"experiments.{name}: one of its paper macros (\\{prefix}...)"
                    f" would also be one of experiment {other}'s (\\{other_prefix}"
                    "...); choose another name"
                )
        for word in NAMESPACES.values():
            if _macros_meet(prefix, word, part_two=True):
                raise ConfigError(
                    f"experiments.{name}: its paper macros (\\{prefix}...) would "
                    f"be among part two's, which begin with \\{word}; choose "
                    "another name"
                )
        prefixes[name] = prefix


def _macros_meet(prefix: str, other: str, part_two: bool = False) -> bool:
    """Whether prefix + s equals other + t for suffixes s and t (t is any text
    when ``other`` is a part-two namespace)."""
    if not (prefix.startswith(other) or other.startswith(prefix)):
        return False  # the many suffixes are looked at only when they could meet
    macros = {prefix + suffix for suffix in experiment_suffixes()}
    if part_two:
        return any(macro.startswith(other) for macro in macros)
    return not macros.isdisjoint(other + suffix for suffix in experiment_suffixes())


def collect_numbers(experiments: dict[str, dict], part_two: dict[str, dict]) -> dict:
    """Every number the summary schemas mark ``x-quoted``, unrounded, under its
    macro name (sorted): an experiment's begin with its name, part two's
    (``part_two`` maps a summary's name to it) with :data:`NAMESPACES`."""
    return dict(sorted((m, v) for m, v, _ in _named(experiments, part_two)))


def _named(experiments: dict, part_two: dict) -> list[tuple[str, object, str]]:
    """(macro, value, where it comes from) for every quoted number; two numbers
    under one name are an error, never an overwrite."""
    sources = [(name, name, "experiment", data) for name, data in experiments.items()]
    sources += [(name, NAMESPACES[name], name, data) for name, data in part_two.items()]
    named = [
        (macro_name(prefix, *parts), value, f"{name}: {'/'.join(map(str, parts))}")
        for name, prefix, schema, data in sources
        for parts, value in quoted_numbers(schema, data)
    ]
    seen = set()
    for macro, _, _ in named:
        if macro in seen:
            raise ValueError(f"two numbers would be exported as \\{macro}")
        seen.add(macro)
    return named


def exported(
    experiments: dict[str, dict],
    part_two: dict[str, dict],
    shown: Iterable[tuple[object, str | None]],
) -> tuple[dict, dict, dict]:
    """The quoted numbers the write-up shows (``shown``: the page's numbers and
    texts in page order, as :func:`eigeninit.writeup.render` records them; the
    first text counts), as ``{macro: unrounded value}``, ``{macro: LaTeX text}``
    and ``{macro: the summary key it comes from}``, sorted by macro."""
    texts_by_value: dict[float, str] = {}
    for value, text in shown:
        if text is not None and _is_number(value):
            texts_by_value.setdefault(float(value), text)
    kept = sorted(
        (macro, value, where)
        for macro, value, where in _named(experiments, part_two)
        if float(value) in texts_by_value
    )
    numbers = {macro: value for macro, value, _ in kept}
    texts = {macro: latex_text(texts_by_value[float(v)]) for macro, v, _ in kept}
    return numbers, texts, {macro: where for macro, _, where in kept}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_PLAIN = re.compile(r"-?[0-9.]+(e-?[0-9]+)?%?")


def latex_text(html: str) -> str:
    """A number as the page prints it (``−1.2 × 10<sup>−9</sup>``, ``37%``),
    as LaTeX: minus signs and powers of ten in math mode."""
    text = html.replace("\u2212", "-").replace("&#8239;", "").strip()
    power = re.fullmatch(r"(?:(.+?) × )?10<sup>(.+?)</sup>", text)
    if power:
        mantissa, exponent = power.groups()
        times = f"{mantissa}\\times " if mantissa else ""
        return f"\\ensuremath{{{times}10^{{{exponent}}}}}"
    if not _PLAIN.fullmatch(text):
        raise ValueError(f"not a number as the page prints one: {html!r}")
    text = text.replace("%", "\\%")
    return f"\\ensuremath{{{text}}}" if text.startswith("-") else text


def numbers_tex(texts: dict[str, str]) -> str:
    """A LaTeX file of \\newcommand lines, one per number, for \\input{numbers}."""
    lines = [
        "% Numbers the write-up quotes, as it prints them; generated, do not edit.",
        "% Unrounded values: numbers.json; what each one is: numbers.md.",
    ]
    lines += [f"\\newcommand{{\\{name}}}{{{text}}}" for name, text in texts.items()]
    return "\n".join(lines) + "\n"


def numbers_table(
    numbers: dict, texts: dict[str, str], meanings: dict[str, str]
) -> str:
    """numbers.md: each macro with what it is and its value as printed."""
    lines = [
        "# Numbers for a paper",
        "",
        "`\\input{numbers}` defines one macro per number the write-up quotes,"
        " printed as the write-up prints it; numbers.json has the unrounded values.",
        "",
        "| macro | as printed | unrounded | what it is |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `\\{name}` | `{texts[name]}` | {value!r} | {meanings.get(name, '')} |"
        for name, value in numbers.items()
    ]
    return "\n".join(lines) + "\n"
