"""How every figure looks and is saved: sizes, fonts, the style context, the registry.

Sizes follow the column a figure sits in. A paper's single column is about
3.4 in wide, its full text width about 7 in. The write-up shows a figure as an
``<img>`` with ``max-width: 100%``: one PNG pixel is one CSS pixel until the
text column (at most about 720 CSS px on a desktop, about 360 px on a 390 px
phone) is narrower, then the image shrinks to it. A letter of ``p`` points on a
figure ``w`` inches wide, shown ``d`` CSS px wide, is ``p / 72 * d / w`` px
high. Hence, with :data:`DPI` = 150:

- column (3.4 in, PNG 510 px): desktop shows it at 510 px, 150 px per inch,
  so 8 pt is 16.7 px; a phone at 360 px, 105.9 px per inch, so 8 pt is 11.8 px.
- full (7 in, PNG 1050 px): desktop shows it at 720 px, 102.9 px per inch; a
  phone at 360 px, 51.4 px per inch, where 10 px needs 14 pt. Full-width
  figures therefore use 14 pt (10.0 px on a phone, 20.0 px on a desktop).

Style is applied in :func:`figure_style`, never at import, and figures are
built as :class:`matplotlib.figure.Figure` objects without pyplot, so no
backend is chosen and no global state changes for other modules: saving a
PNG uses Agg, a PDF matplotlib's PDF backend. matplotlib itself is imported
only to draw: the workflow reads the registries when it parses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Layout = Literal["column", "full"]

LAYOUT_WIDTH_INCHES: dict[Layout, float] = {"column": 3.4, "full": 7.0}
FONT_POINTS: dict[Layout, float] = {"column": 8.0, "full": 14.0}
DPI = 150

SCREEN_COLUMN_PX = {"phone": 360, "desktop": 720}
"""Widest the write-up shows a figure, in CSS px, at 390 px and at 1280 px."""

MIN_TEXT_PX = 10.0


def text_height_px(
    font_points: float, width_inches: float, png_width_px: int, screen: str
) -> float:
    """Height in CSS px of ``font_points`` text in a PNG shown on ``screen``."""
    shown_px = min(png_width_px, SCREEN_COLUMN_PX[screen])
    return font_points / 72 * shown_px / width_inches


def _style(layout: Layout) -> dict:
    size = FONT_POINTS[layout]
    return {
        # DejaVu ships with matplotlib: the same glyphs, hence the same bytes,
        # on every machine.
        "font.family": "DejaVu Sans",
        "mathtext.fontset": "dejavusans",
        # One size for all text, the smallest that stays legible (see above).
        **{
            key: size
            for key in (
                "font.size",
                "axes.titlesize",
                "axes.labelsize",
                "xtick.labelsize",
                "ytick.labelsize",
                "legend.fontsize",
                "legend.title_fontsize",
                "figure.titlesize",
                "figure.labelsize",
            )
        },
        "lines.linewidth": 1.2 * size / 8,
        "lines.markersize": 4 * size / 8,
        "axes.linewidth": 0.6 * size / 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        # Tick labels never move a shared offset or power into a corner
        # ("1e51"); figures choose their units instead.
        "axes.formatter.useoffset": False,
        "axes.formatter.limits": (-6, 6),
        "axes.formatter.use_mathtext": True,
        "legend.frameon": False,
        "legend.handlelength": 1.8,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        # TrueType (Type 42) fonts in PDF and PostScript, which journals accept;
        # matplotlib's default, Type 3, they reject.
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        # Fixed ids in SVG output, so the same data gives the same bytes.
        "svg.hashsalt": "eigeninit",
    }


@contextmanager
def figure_style(layout: Layout = "column") -> Iterator[None]:
    """The project's matplotlib settings for figures of ``layout`` width."""
    import matplotlib as mpl

    with mpl.rc_context(_style(layout)):
        yield


# No dates or versions in the files, so the same data gives the same bytes.
STABLE_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "svg": {"Date": None, "Creator": None},
}


def save(figure: Figure, paths: dict[str, str]) -> None:
    """Save in each format (``{"png": path, "pdf": path}``) with stable metadata.

    The figure keeps its drawn size (no tight bounding box), so its text has
    the size :mod:`eigeninit.figure_style` computes for it.
    """
    with figure_style():  # only its save-time settings matter here
        for file_format, path in paths.items():
            figure.savefig(
                path, format=file_format, metadata=STABLE_METADATA[file_format]
            )


@dataclass(frozen=True)
class FigureDefinition:
    """One figure: stable name, what it shows in one sentence, how it is drawn.

    ``description`` serves as the image's alt text and as Snakemake's report
    caption. ``draw(figure, **data)`` adds the axes to an empty figure of the
    layout's width and may set its height. Calling the definition with the
    data returns the drawn figure, for :func:`save`.
    """

    name: str
    draw: Callable[..., None]
    description: str
    layout: Layout = "column"

    @property
    def width_inches(self) -> float:
        return LAYOUT_WIDTH_INCHES[self.layout]

    def __call__(self, **data) -> Figure:
        from matplotlib.figure import Figure

        with figure_style(self.layout):
            width = self.width_inches
            figure = Figure(figsize=(width, 0.75 * width), layout="constrained")
            self.draw(figure, **data)
        return figure


def registry(*definitions: FigureDefinition) -> dict[str, FigureDefinition]:
    """Definitions by name, in the given order."""
    return {definition.name: definition for definition in definitions}


def save_figures(
    definitions: Iterable[FigureDefinition], folder: str | Path, **data
) -> None:
    """Draw each figure from the same data and save it as ``<name>.png`` and
    ``<name>.pdf`` in ``folder``: one job draws a whole set, so Python and
    matplotlib start once for all of them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for definition in definitions:
        save(
            definition(**data),
            {
                suffix: folder / f"{definition.name}.{suffix}"
                for suffix in ("png", "pdf")
            },
        )
