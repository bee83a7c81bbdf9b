"""The HTML write-up: every experiment's summary and figures rendered into one page.

The page must be self-contained (figures as data URIs, CSS inline) and
deterministic (no timestamps), so that the same results always give the same
bytes. Numbers reach the page only through the filters below, so a template
never types one in; and since each numeric filter starts with float(), which
jinja2's StrictUndefined refuses, a missing number is an error rather than a blank.
"""

import base64
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from latex2mathml.converter import convert as latex_to_mathml
from markupsafe import Markup
from PIL import Image

from eigeninit.figures import FIGURES
from eigeninit.part_two_summary import EXPLODES, KEEPS, VANISHES
from eigeninit.spectrum import COMPLEX_PAIR

TEMPLATE_NAME = "writeup.html.j2"

MINUS_SIGN = "\u2212"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

MATHML = "http://www.w3.org/1998/Math/MathML"

COLUMN_FIGURE_MAX_INCHES = 4.5
"""Figures drawn at most this wide are column figures, wider ones full width."""


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


def percent(fraction: float) -> str:
    """A fraction as a whole percentage: 0.374 reads 37%."""
    return f"{100 * float(fraction):.0f}%"


def whole_digits(agreement: float) -> str:
    """Digits two numbers share, from ``agreement_digits``: only complete ones count."""
    return str(math.floor(agreement))


def complex_number(pair: list[float], digits: int = 5) -> Markup:
    """``a ± bi`` for a conjugate pair given as ``[real, imaginary]``."""
    real, imaginary = pair
    return Markup("{} ± {}i").format(
        number(real, digits), number(abs(imaginary), digits)
    )


def complex_pair_example(summaries: dict[str, dict], narrative: str) -> str | None:
    """The first experiment besides the narrative one whose dominant part is a pair."""
    for name, summary in summaries.items():
        if name != narrative and summary["dominant"] == COMPLEX_PAIR:
            return name
    return None


def published_example(summaries: dict[str, dict]) -> str | None:
    """The first experiment that carries numbers a publication printed."""
    for name, summary in summaries.items():
        if "published_moduli" in summary:
            return name
    return None


def mathml(tex: str) -> Markup:
    """Inline MathML for a LaTeX formula; browsers typeset it without scripts.

    In a template: ``{{ "\\lVert W^L x(0) \\rVert"|math }}``.
    """
    # HTML puts <math> in the MathML namespace by itself; the xmlns URL would
    # only look like an outside reference.
    markup = latex_to_mathml(tex, display="inline").replace(f' xmlns="{MATHML}"', "")
    return Markup(markup)


def figure_geometry(path: str | Path) -> dict:
    """Pixel size of a PNG figure and the width it was drawn for.

    ``layout`` is ``column`` for figures drawn for a paper's column and
    ``full`` for full-width ones, read from the PNG's size and resolution.
    """
    with Image.open(path) as image:
        width, height = image.size
        dpi = image.info.get("dpi", (72, 72))[0]
    inches = width / float(dpi)
    layout = "column" if inches <= COLUMN_FIGURE_MAX_INCHES else "full"
    return {"width": width, "height": height, "layout": layout}


def anchor(*parts: str) -> str:
    """An id for links within the page, made of letters, digits and hyphens."""
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "-", part).strip("-") for part in parts)


def figures_by_experiment(paths: Iterable[str | Path]) -> dict[str, dict[str, Path]]:
    """Index ``results/experiments/<name>/figures/<figure>.png`` by name and figure."""
    figures: dict[str, dict[str, Path]] = {}
    for path in map(Path, paths):
        figures.setdefault(path.parent.parent.name, {})[path.stem] = path
    return figures


# ---- Part two: the circular law and signals through depth ----

VERDICTS = (KEEPS, EXPLODES, VANISHES)
"""Verdicts of the depth summary, in the order the write-up groups them."""

IID_SCHEMES = frozenset({"standard", "lecun", "xavier_uniform", "kaiming"})
"""Schemes with iid entries, whose independent-weights theory is a mean-square one."""

EDGE_NORMALIZED = {
    "eigen": "spectral_radius_over_sqrt_k",
    "spectral": "sigma_max_over_sqrt_k",
}
"""Schemes dividing a Gaussian matrix by a spectral quantity, and which one."""

GAUSSIAN_SHORTFALL = {"linear": 1 / 2, "relu": 5 / 4}
"""c in the geometric-mean growth's shortfall exp(-c/k) below the root-mean-square
one, for Gaussian entries (see the derivations in :mod:`eigeninit.depth`)."""


def ten_to(log10_value: float | None, digits: int = 3) -> Markup:
    """10 to a power: a plain number when modest, ``10^x`` when huge or tiny.

    None (a signal that vanished exactly) reads as 0.
    """
    if log10_value is None:
        return Markup("0")
    if abs(float(log10_value)) < 3:
        return number(10.0 ** float(log10_value), digits)
    return Markup("10<sup>{}</sup>").format(fixed(log10_value, 1))


def growth_bounds(stable_within: float, layers: int) -> tuple[float, float]:
    """Growth per layer that keeps the norm within ``stable_within`` over ``layers``."""
    return float(stable_within) ** (-1 / layers), float(stable_within) ** (1 / layers)


def geometric_shortfall(activation: str, k: int) -> float | None:
    """Leading-order ratio of geometric-mean to root-mean-square growth, or None.

    For a fresh layer of iid Gaussian entries the squared norm ratio fluctuates
    by O(1/k) around its mean, so the mean of its logarithm sits lower:
    exp(-1/(2k)) for linear, exp(-5/(4k)) for relu; None for other activations.
    """
    if activation not in GAUSSIAN_SHORTFALL:
        return None
    return math.exp(-GAUSSIAN_SHORTFALL[activation] / k)


def decay_exponent(
    k_small: float, excess_small: float, k_large: float, excess_large: float
) -> float | None:
    """p in excess ~ k^p between two sizes; None unless both excesses are positive."""
    if excess_small <= 0 or excess_large <= 0 or k_small == k_large:
        return None
    return math.log(excess_large / excess_small) / math.log(k_large / k_small)


def verdict_groups(growth_per_layer: dict) -> dict[str, dict[str, dict[str, dict]]]:
    """Depth entries regrouped as groups[verdict][activation][scheme][weights].

    Verdicts come in :data:`VERDICTS` order and only when some entry has them;
    activations and schemes keep the summary's order. A scheme whose weight
    modes disagree appears under each verdict with the modes that have it.
    """
    activations = list(
        dict.fromkeys(
            a for by_activation in growth_per_layer.values() for a in by_activation
        )
    )
    groups: dict = {verdict: {} for verdict in VERDICTS}
    for activation in activations:
        for scheme, by_activation in growth_per_layer.items():
            for weights, entry in by_activation.get(activation, {}).items():
                groups.setdefault(entry["verdict"], {}).setdefault(
                    activation, {}
                ).setdefault(scheme, {})[weights] = entry
    return {verdict: group for verdict, group in groups.items() if group}


def log10_range(group: dict[str, dict[str, dict[str, dict]]]) -> tuple[float, float]:
    """Smallest and largest final log10 norm ratio in one verdict group."""
    values = [
        entry["log10_norm_ratio"]
        for by_scheme in group.values()
        for by_weights in by_scheme.values()
        for entry in by_weights.values()
        if entry["log10_norm_ratio"] is not None
    ]
    return (min(values), max(values)) if values else (-math.inf, -math.inf)


def theory_misses(growth_per_layer: dict) -> dict[str, list[dict]]:
    """Entries whose theory lies outside the measured band, by the reason why.

    ``depth``: shared weights, whose theory is a large-depth limit;
    ``finite_k``: eigen and spectral with independent weights, large-k limits
    that the edge excess of the circular law moves at finite k;
    ``geometric``: other independent weights, whose theory is the
    root-mean-square growth while the geometric mean is measured.
    Each item holds scheme, activation, weights and the entry.
    """
    misses: dict[str, list[dict]] = {"geometric": [], "finite_k": [], "depth": []}
    for scheme, by_activation in growth_per_layer.items():
        for activation, by_weights in by_activation.items():
            for weights, entry in by_weights.items():
                if entry["theory_in_band"] is not False:
                    continue
                if weights == "shared":
                    reason = "depth"
                elif scheme in EDGE_NORMALIZED:
                    reason = "finite_k"
                else:
                    reason = "geometric"
                misses[reason].append(
                    {
                        "scheme": scheme,
                        "activation": activation,
                        "weights": weights,
                        "entry": entry,
                    }
                )
    return misses


def unique_explanations(explanations: dict) -> list[dict]:
    """Each distinct derivation once, with every setting it explains, in order.

    ``explanations[scheme][activation][weights]`` is a sentence; settings
    sharing a sentence (lecun and xavier_uniform, say) are listed together as
    ``{"text": ..., "settings": [{"scheme", "activation", "weights"}, ...]}``.
    """
    by_text: dict[str, list[dict]] = {}
    for scheme, by_activation in explanations.items():
        for activation, by_weights in by_activation.items():
            for weights, text in by_weights.items():
                by_text.setdefault(text, []).append(
                    {"scheme": scheme, "activation": activation, "weights": weights}
                )
    return [{"text": text, "settings": settings} for text, settings in by_text.items()]


_MATH_TEXT = (
    (re.compile(r"sqrt\((\w+)\)"), "\u221a\\1"),
    (re.compile(r"sqrt\("), "\u221a("),
    (re.compile(r"\brho\("), "\u03c1("),
    (re.compile(r"\bsigma_max\b"), "\u03c3max"),
    (re.compile(r"->"), "\u2192"),
    (re.compile(r"\^2\b"), "\u00b2"),
    (re.compile(r"(?<=[\s(])-(?=[\d\s])"), MINUS_SIGN),
)


def math_text(text: str) -> str:
    """ASCII formulas of the derivation sentences with a few typographic symbols.

    sqrt(k) becomes \u221ak, rho and sigma_max Greek letters, -> an arrow, ^2 a
    superscript two, and a hyphen standing for minus a minus sign; hyphens
    inside words stay.
    """
    for pattern, replacement in _MATH_TEXT:
        text = pattern.sub(replacement, text)
    return text


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


def environment(
    template_dir: Path, record: Callable[[object], None] | None = None
) -> Environment:
    """Jinja environment: escaping on (names come from the config), strict undefined.

    ``record``, when given, is called with every value a numeric filter
    formats and every number a template prints as it is, so a test can check
    where each number on the page comes from.
    """
    filters = {
        "number": number,
        "exact": exact,
        "fixed": fixed,
        "whole_digits": whole_digits,
        "complex_number": complex_number,
        "log10": math.log10,
        "ten_to": ten_to,
        "scientific": scientific,
        "percent": percent,
    }
    finalize = None
    if record is not None:
        filters = {name: _recording(f, record) for name, f in filters.items()}
        finalize = _recording_finalize(record)
    env = Environment(
        loader=FileSystemLoader(template_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters.update(
        filters,
        embed_png=embed_png,
        figure_geometry=figure_geometry,
        math=mathml,
        math_text=math_text,
        anchor=anchor,
    )
    env.globals.update(
        growth_bounds=growth_bounds,
        geometric_shortfall=geometric_shortfall,
        decay_exponent=decay_exponent,
        verdict_groups=verdict_groups,
        log10_range=log10_range,
        theory_misses=theory_misses,
        unique_explanations=unique_explanations,
        iid_schemes=IID_SCHEMES,
        edge_normalized=EDGE_NORMALIZED,
    )
    return env


def _recording(format_value: Callable, record: Callable[[object], None]) -> Callable:
    def recorded(value, *args, **kwargs):
        record(value)
        return format_value(value, *args, **kwargs)

    return recorded


def _recording_finalize(record: Callable[[object], None]) -> Callable:
    def finalize(value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            record(value)
        return value

    return finalize


def render(
    summaries: dict[str, dict],
    figures: dict[str, dict[str, Path]],
    narrative: str,
    provenance: dict,
    template_dir: Path,
    stylesheet: Path,
    part_two: dict | None = None,
    record: Callable[[object], None] | None = None,
) -> str:
    """The write-up as one HTML document.

    ``summaries`` maps experiment names (in config order) to their summary.json
    contents, ``figures[experiment][figure]`` to PNG paths; ``narrative`` names
    the experiment that tells the story. ``provenance`` holds ``config_hash``,
    ``git`` (``commit``, ``dirty``) and ``versions`` (package to version).
    ``part_two`` feeds the later circular-law and depth section; None leaves
    it out. ``record`` is passed to :func:`environment`.
    """
    _check_inputs(summaries, figures, narrative)
    template = environment(Path(template_dir), record).get_template(TEMPLATE_NAME)
    return template.render(
        summaries=summaries,
        figures=figures,
        story=summaries[narrative],
        complex_example=complex_pair_example(summaries, narrative),
        published_name=published_example(summaries),
        provenance=provenance,
        stylesheet=_stylesheet(Path(stylesheet)),
        part_two=part_two,
    )
