"""The HTML write-up: every experiment's summary and figures rendered into one page.

The page must be self-contained (figures as data URIs, CSS inline) and
deterministic (no timestamps), so that the same results always give the same
bytes. Numbers reach the page only through the filters below, so a template
never types one in; and since each numeric filter starts with float(), which
jinja2's StrictUndefined refuses, a missing number is an error rather than a blank.
"""

import base64
import math
import sys
from collections.abc import Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from eigeninit.figures import FIGURES
from eigeninit.spectrum import COMPLEX_PAIR

TEMPLATE_NAME = "writeup.html.j2"

MINUS_SIGN = "\u2212"

FLOAT64_DIGITS = -math.log10(sys.float_info.epsilon)
"""Decimal digits float64 resolves; ``agreement_digits`` is capped near this."""

PRINTED_TOLERANCE = 1e-6
"""Largest difference from a published number that still counts as a match."""

MATRIX_PREVIEW_SIZE = 8
"""Rows, columns and moduli shown in full; larger matrices show this corner."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def embed_png(path: str | Path) -> str:
    """The PNG file as a ``data:`` URI, so the page needs no other file."""
    data = Path(path).read_bytes()
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _with_minus_sign(text: str) -> str:
    """Typographic minus instead of the hyphen Python prints."""
    return text.replace("-", MINUS_SIGN)


def scientific(value: float, digits: int = 3) -> Markup:
    """``m × 10^e`` with ``digits`` significant digits, the exponent superscripted."""
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return Markup("{} × 10<sup>{}</sup>").format(
        _with_minus_sign(mantissa), _with_minus_sign(str(int(exponent)))
    )


def number(value: float, digits: int = 6) -> Markup:
    """``digits`` significant digits (trailing zeros kept, so columns show precision).

    Switches to scientific notation when tiny or huge; always returns markup,
    so a template can use it wherever a number goes.
    """
    text = f"{float(value):#.{digits}g}"
    if "e" in text:
        return scientific(value, digits)
    return Markup(_with_minus_sign(text.rstrip(".")))


def exact(value: float) -> str:
    """The shortest decimal that reads back as the same float64: every digit we have."""
    return _with_minus_sign(repr(float(value)))


def fixed(value: float, decimals: int) -> str:
    """A fixed number of decimals, for columns that should line up."""
    return _with_minus_sign(f"{float(value):.{decimals}f}")


def whole_digits(agreement: float) -> int:
    """Digits two numbers share, from ``agreement_digits``: only complete ones count."""
    return math.floor(agreement)


def complex_number(pair: list[float], digits: int = 5) -> Markup:
    """``a ± bi`` for a conjugate pair given as ``[real, imaginary]``."""
    real, imaginary = pair
    return Markup("{} ± {}i").format(
        number(real, digits), number(abs(imaginary), digits)
    )


def steps_to_resolution(convergence_ratio: float) -> int | None:
    """Steps until ratio^n falls below float64's resolution; None if it never does.

    Power iteration's misalignment shrinks by the ratio per step, so this is
    about when the run has converged as far as float64 can show.
    """
    if convergence_ratio <= 0:
        return 0
    if convergence_ratio >= 1:
        return None
    return math.ceil(math.log(sys.float_info.epsilon) / math.log(convergence_ratio))


def norm_swing(rotation_degrees: float) -> tuple[float, float]:
    """How far each step's turn is from a half turn, and the norm's period in steps.

    x and -x have the same length, so the length of a vector turning in a
    plane repeats every half turn; sampled once per step, the pattern advances
    by the turn's distance to the nearest multiple of 180 degrees.
    """
    remainder = rotation_degrees % 180.0
    offset = min(remainder, 180.0 - remainder)
    return offset, 180.0 / offset


def complex_pair_example(summaries: dict[str, dict], narrative: str) -> str | None:
    """The first experiment besides the narrative one whose dominant part is a pair."""
    for name, summary in summaries.items():
        if name != narrative and summary["dominant"] == COMPLEX_PAIR:
            return name
    return None


def figures_by_experiment(paths: Iterable[str | Path]) -> dict[str, dict[str, Path]]:
    """Index paths ``results/<experiment>/figures/<figure>.png`` by name and figure."""
    figures: dict[str, dict[str, Path]] = {}
    for path in map(Path, paths):
        figures.setdefault(path.parent.parent.name, {})[path.stem] = path
    return figures


def _check_inputs(
    summaries: dict[str, dict], figures: dict[str, dict[str, Path]], narrative: str
) -> None:
    """Fail with a message naming what is missing, before any template runs."""
    if narrative not in summaries:
        raise ValueError(
            f"narrative experiment {narrative!r} has no summary; "
            f"have {', '.join(summaries) or 'none'}"
        )
    for name in summaries:
        missing = sorted(set(FIGURES) - set(figures.get(name, {})))
        if missing:
            raise ValueError(f"experiment {name!r} lacks figures: {', '.join(missing)}")


def _stylesheet(path: Path) -> Markup:
    """The CSS to inline; it must not be able to close its own <style> element."""
    css = path.read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError(f"{path} contains '</', which would end the <style> element")
    return Markup(css)


def environment(template_dir: Path) -> Environment:
    """Jinja environment: escaping on (names come from the config), strict undefined."""
    env = Environment(
        loader=FileSystemLoader(template_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        embed_png=embed_png,
        number=number,
        exact=exact,
        fixed=fixed,
        whole_digits=whole_digits,
        complex_number=complex_number,
        log10=math.log10,
    )
    env.globals.update(
        steps_to_resolution=steps_to_resolution,
        norm_swing=norm_swing,
        float64_digits=FLOAT64_DIGITS,
        printed_tolerance=PRINTED_TOLERANCE,
        preview_size=MATRIX_PREVIEW_SIZE,
    )
    return env


def render(
    summaries: dict[str, dict],
    figures: dict[str, dict[str, Path]],
    narrative: str,
    provenance: dict,
    template_dir: Path,
    stylesheet: Path,
    part_two: dict | None = None,
) -> str:
    """The write-up as one HTML document.

    ``summaries`` maps experiment names (in config order) to their summary.json
    contents, ``figures[experiment][figure]`` to PNG paths; ``narrative`` names
    the experiment that tells the story. ``provenance`` holds ``config_hash``,
    ``git`` (``commit``, ``dirty``) and ``versions`` (package to version).
    ``part_two`` feeds the later circular-law and depth section; None leaves
    it out.
    """
    _check_inputs(summaries, figures, narrative)
    template = environment(Path(template_dir)).get_template(TEMPLATE_NAME)
    return template.render(
        summaries=summaries,
        figures=figures,
        story=summaries[narrative],
        complex_example=complex_pair_example(summaries, narrative),
        provenance=provenance,
        stylesheet=_stylesheet(Path(stylesheet)),
        part_two=part_two,
    )
