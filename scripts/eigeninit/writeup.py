"""The HTML write-up: every experiment's summary and figures in one
self-contained (figures as data URIs, CSS inline), deterministic page. Numbers
reach it only through :mod:`eigeninit.number_format`'s filters, formulas as
LaTeX typeset to MathML (the ``math`` filter).
"""

import base64
import copy
import re
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined
from latex2mathml.converter import convert as latex_to_mathml
from markupsafe import Markup
from PIL import Image

from eigeninit import number_format
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    JACOBIAN_FIGURES,
)
from eigeninit.power import REPEATED_REAL, UNDETERMINED, VANISHED
from eigeninit.spectrum import COMPLEX_PAIR, REAL

MATHML = "http://www.w3.org/1998/Math/MathML"


def embed_png(path: str | Path) -> str:
    """The PNG file as a ``data:`` URI, so the page needs no other file."""
    data = Path(path).read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError(f"{path} is not a PNG file")
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


KINDS = {
    "real": REAL,
    "pair": COMPLEX_PAIR,
    "repeated": REPEATED_REAL,
    "vanished": VANISHED,
    "undetermined": UNDETERMINED,
}
"""The dominant-eigenvalue labels, for templates to compare with by short name."""

DOMINANT_PHRASES = {
    REAL: "single real eigenvalue",
    COMPLEX_PAIR: "complex conjugate pair",
    REPEATED_REAL: "repeated real eigenvalue short of eigenvectors",
    VANISHED: "matrix that sends the vector to zero",
}
"""Each label in a reader's words."""


def first_example(summaries: dict[str, dict], featured, test) -> str | None:
    """The first experiment besides ``featured`` (if any) with ``test(summary)``."""
    return next(
        (name for name, s in summaries.items() if name != featured and test(s)), None
    )


# TeX sets a thin space around ln, exp and log beside a letter or digit
# (2 ln ln k); MathML's <mi>ln</mi> gets none, so the spaces are written out.
_SPACE_BEFORE_FUNCTION = re.compile(r"(?<=[A-Za-z0-9}])\\(ln|exp|log)\b")
_SPACE_AFTER_FUNCTION = re.compile(
    r"\\(ln|exp|log)\b(?=\s*(?:[A-Za-z0-9]|\\(?!bigl|Bigl|left|lVert|lvert|,)))"
)


def mathml(tex: str) -> Markup:
    """Inline MathML for a LaTeX formula; browsers typeset it without scripts."""
    tex = _SPACE_BEFORE_FUNCTION.sub(r"\\,\\\1", tex)
    tex = _SPACE_AFTER_FUNCTION.sub(r"\\\1\\,", tex)
    # HTML puts <math> in the MathML namespace by itself; the xmlns URL would
    # only look like an outside reference.
    markup = latex_to_mathml(tex, display="inline").replace(f' xmlns="{MATHML}"', "")
    return Markup(markup)


_INLINE_MATH = re.compile(r"\$([^$]+)\$")


def prose_math(text: str) -> Markup:
    """Text whose formulas stand between dollar signs, the formulas as MathML
    and the rest escaped: how the registry's scheme descriptions are written."""
    return Markup("").join(
        mathml(piece) if index % 2 else Markup.escape(piece)
        for index, piece in enumerate(_INLINE_MATH.split(text))
    )


def part_two_figure_list(present: Iterable[str]) -> dict[str, dict]:
    """Part two's figures in page order (the circular law's, then those
    ``present`` of depth and the Jacobian), each with its ``number`` ("2.1"
    onwards) and registry ``description`` (the image's alt text)."""
    definitions = CIRCULAR_LAW_FIGURES | {
        name: definition
        for name, definition in (DEPTH_FIGURES | JACOBIAN_FIGURES).items()
        if name in present
    }
    return {
        name: {"number": f"2.{index}", "description": definition.description}
        for index, (name, definition) in enumerate(definitions.items(), start=1)
    }


def with_verdicts(part_two: dict) -> dict:
    """Part two's summaries with each scored theory block's family verdict
    (``disagrees``, from the comparisons summary's Holm rule) set on it."""
    part_two = copy.deepcopy(part_two)
    for test in part_two["comparisons"]["tests"]:
        if test["part"] == "circular_law":
            size = part_two["circular_law"]["sizes"][str(test["k"])]
            block = size[test["quantity"]]["finite_size"]
        elif test["part"] == "depth":
            by_activation = part_two["depth"]["growth_per_layer"][test["scheme"]]
            block = by_activation[test["activation"]][test["weights"]]["finite_size"]
        else:
            settings = part_two["jacobian"]["settings"][test["scheme"]]
            block = settings[test["activation"]][test["quantity"]]
        block["disagrees"] = test["disagrees"]
    return part_two


def figure_geometry(path: str | Path) -> dict:
    """Pixel size of a PNG figure, for its ``<img>`` tag."""
    with Image.open(path) as image:
        return dict(zip(("width", "height"), image.size, strict=True))


def anchor(*parts: str) -> str:
    """An id for links within the page, made of letters, digits and hyphens."""
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "-", part).strip("-") for part in parts)


def figures_by_experiment(paths: Iterable[str | Path]) -> dict[str, dict[str, Path]]:
    """Index ``results/experiments/<name>/figures/<figure>.png`` by name and figure."""
    figures: dict[str, dict[str, Path]] = {}
    for path in map(Path, paths):
        figures.setdefault(path.parent.parent.name, {})[path.stem] = path
    return figures


NUMBER_FILTERS = (
    "number exact fixed whole_digits complex_number ten_to scientific percent "
    "with_error"
).split()
"""The formats of :mod:`eigeninit.number_format` that templates use as filters."""

Record = Callable[[object, str], None]
"""Called with each number the page shows and its text there."""


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory, so a process that renders many pages
    compiles each template once; Jinja checks every entry against its source."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = {recording: _CompiledTemplates() for recording in (False, True)}
"""One cache per configuration: recording compiles a finalize step in."""


def environment(template_dir: Path, record: Record | None = None) -> Environment:
    """Jinja environment: escaping on (names come from the config), strict
    undefined. ``record``, if given, sees every number a numeric filter formats
    or a template prints as it is, with its text on the page."""
    filters = {name: getattr(number_format, name) for name in NUMBER_FILTERS}
    finalize = None
    if record is not None:
        filters = {name: partial(_recorded, f, record) for name, f in filters.items()}

        def finalize(value):
            if isinstance(value, int | float) and not isinstance(value, bool):
                record(value, str(value))
            return value

    env = Environment(
        loader=FileSystemLoader(template_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        bytecode_cache=_COMPILED[record is not None],
    )
    env.filters.update(
        filters,
        embed_png=embed_png,
        figure_geometry=figure_geometry,
        math=mathml,
        prose_math=prose_math,
        anchor=anchor,
    )
    return env


def _recorded(format_value: Callable, record: Record, value, *args, **kwargs):
    shown = format_value(value, *args, **kwargs)
    for part, text in _shown_parts(value, args, str(shown)):
        record(part, text)
    return shown


def _shown_parts(value, args: tuple, text: str) -> list[tuple[object, str]]:
    """Each number in a filter's output with its own text: a value and its
    error apart, a complex pair's real part (its imaginary part shows as a
    magnitude), every item of a list."""
    if isinstance(value, list | tuple):
        first = text.split("±")[0].strip()
        return [(value[0], first)] + [(item, None) for item in value[1:]]
    if "±" in text and args:
        plain = text.replace("&#8239;", "")
        shown_value, shown_error = (part.strip() for part in plain.split("±"))
        return [(value, shown_value), (args[0], shown_error)]
    return [(value, text)]


def render(
    summaries: dict[str, dict],
    figures: dict[str, dict[str, Path]],
    featured: str,
    provenance: dict,
    template_dir: Path,
    part_two: dict | None = None,
    record: Record | None = None,
) -> str:
    """The write-up as one HTML document. ``summaries`` maps experiment names
    (in config order) to their summary.json, ``figures[experiment][figure]`` to
    PNG paths; ``featured`` names the experiment that tells the story;
    ``provenance`` holds ``config_hash``, ``git`` (``commit``, ``dirty``) and
    ``versions`` (package to version); ``template_dir`` holds the templates and
    style.css; ``part_two`` feeds part two (None leaves it out); ``record`` is
    passed to :func:`environment`."""
    # What is missing fails here, named, before any template runs.
    if featured not in summaries:
        raise ValueError(
            f"featured experiment {featured!r} has no summary; "
            f"have {', '.join(summaries) or 'none'}"
        )
    for name in summaries:
        if missing := sorted(set(FIGURES) - set(figures.get(name, {}))):
            raise ValueError(f"experiment {name!r} lacks figures: {', '.join(missing)}")
    css = Path(template_dir, "style.css").read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError("style.css contains '</', which would end the <style> element")
    template = environment(Path(template_dir), record).get_template("writeup.html.j2")
    return template.render(
        summaries=summaries,
        figures=figures,
        story=summaries[featured],
        complex_example=first_example(
            summaries, featured, lambda s: s["dominant"] == COMPLEX_PAIR
        ),
        seeded_example=first_example(
            summaries,
            featured,
            lambda s: s["dominant"] == REAL and not s["matrix_file"],
        ),
        posts=summaries.get(
            first_example(summaries, None, lambda s: "published_moduli" in s)
        ),
        kinds=KINDS,
        dominant_phrases=DOMINANT_PHRASES,
        figure_names=list(FIGURES),
        figure_descriptions={name: f.description for name, f in FIGURES.items()},
        provenance=provenance,
        stylesheet=Markup(css),
        part_two=part_two and with_verdicts(part_two),
        part_two_figures=part_two
        and part_two_figure_list(
            [*part_two["figures"]["depth"], *part_two["figures"].get("jacobian", ())]
        ),
    )
