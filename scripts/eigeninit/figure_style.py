"""How every figure looks and is saved: sizes, fonts, style, the registry.

Every figure is a paper's column wide (3.4 in), its font the smallest that
stays 10 CSS px high where the write-up shows the figure (at most 360 CSS px
wide on a phone, 720 on a desktop; tests/test_figures.py checks). Style
applies only inside :func:`figure_style` and figures are built without pyplot,
so importing this module changes no matplotlib state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_INCHES = 3.4
FONT_POINTS = 8.0
DPI = 150


TEXT_SIZES = (
    "font.size axes.titlesize axes.labelsize xtick.labelsize ytick.labelsize "
    "legend.fontsize legend.title_fontsize figure.titlesize figure.labelsize"
).split()

STYLE = {
    # DejaVu ships with matplotlib: the same glyphs, hence the same bytes,
    # on every machine.
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    # One size for all text, the smallest that stays legible.
    **dict.fromkeys(TEXT_SIZES, FONT_POINTS),
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlelocation": "left",
    # Tick labels never move a shared offset or power into a corner
    # ("1e51"); figures choose their units instead.
    "axes.formatter.useoffset": False,
    "axes.formatter.limits": (-6, 6),
    "legend.frameon": False,
    "legend.handlelength": 1.8,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    # TrueType (Type 42) fonts, which journals accept; matplotlib's default,
    # Type 3, they reject. Its PDF backend sizes font subsets by ps.fonttype:
    # at Type 3's 256 glyphs it embeds each font twice.
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}


def figure_style() -> AbstractContextManager:
    """The project's matplotlib settings for figures, for a ``with`` block."""
    import matplotlib as mpl

    return mpl.rc_context(STYLE)


# No dates or versions in the files, so the same data gives the same bytes.
STABLE_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def save(figure: Figure, paths: dict[str, str]) -> None:
    """Save in each format (``{"png": path}``) at its size, with stable metadata,
    every format with the layout the first one computed."""
    with figure_style():  # only its save-time settings matter here
        for file_format, path in paths.items():
            figure.savefig(
                path, format=file_format, metadata=STABLE_METADATA[file_format]
            )
            figure.set_layout_engine("none")


@dataclass(frozen=True)
class FigureDefinition:
    """A figure's stable name, how it is drawn, and one sentence on what it shows
    (alt text and Snakemake's report caption). ``definition(**data)`` returns
    the figure, drawn by ``draw(figure, **data)`` on an empty one."""

    name: str
    draw: Callable[..., None]
    description: str

    def __call__(self, **data) -> Figure:
        from matplotlib.figure import Figure

        with figure_style():
            size = (WIDTH_INCHES, 0.75 * WIDTH_INCHES)
            figure = Figure(figsize=size, layout="constrained")
            self.draw(figure, **data)
        return figure


def registry(*definitions: FigureDefinition) -> dict[str, FigureDefinition]:
    """Definitions by name, in the given order."""
    return {definition.name: definition for definition in definitions}


def save_figures(
    definitions: Iterable[FigureDefinition], folder: str | Path, **data
) -> None:
    """Draw each figure from the same data; save it in ``folder`` as PNG and PDF."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    for definition in definitions:
        files = {
            suffix: Path(folder, f"{definition.name}.{suffix}")
            for suffix in STABLE_METADATA
        }
        save(definition(**data), files)
