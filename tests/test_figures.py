"""Figures drawn from small real results: legible on a phone and a desktop,
panels that carry their message, and PDFs a journal accepts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

import small_results
from eigeninit.depth import WEIGHT_MODES
from eigeninit.figure_style import (
    DPI,
    FONT_POINTS,
    LAYOUT_WIDTH_INCHES,
    MIN_TEXT_PX,
    SCREEN_COLUMN_PX,
    figure_style,
    save,
    save_figures,
    text_height_px,
)
from eigeninit.figures import FIGURES, math_number
from eigeninit.number_format import linear_norm_exponent
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    depth_figure_names,
)
from eigeninit.summary import summarize

REGISTRIES = {
    "experiment": FIGURES,
    "circular_law": CIRCULAR_LAW_FIGURES,
    "depth": DEPTH_FIGURES,
}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, tuple]:
    """Every registered figure, drawn from small real results and saved once:
    ``{"part-name": (definition, figure, png path, pdf path)}``."""
    folder = tmp_path_factory.mktemp("figures")
    data = {
        "experiment": small_results.experiment("post"),
        "circular_law": small_results.circular_law(),
        "depth": small_results.depth(),
    }
    result = {}
    for part, definitions in REGISTRIES.items():
        for name, definition in definitions.items():
            figure = definition(**data[part])
            paths = {
                suffix: folder / f"{part}-{name}.{suffix}" for suffix in ("png", "pdf")
            }
            save(figure, paths)
            result[f"{part}-{name}"] = (definition, figure, paths["png"], paths["pdf"])
    return result


def renderer_of(figure: Figure):
    """An Agg renderer of the figure, laid out as when it was saved."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def _unused_tick_labels(figure: Figure) -> set[int]:
    """Labels of ticks outside their axis's view, which matplotlib keeps but
    does not draw."""
    unused = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low <= tick.get_loc() <= high:
                    unused |= {id(tick.label1), id(tick.label2)}
    return unused


def visible_texts(figure: Figure) -> list[Text]:
    """Every text drawn in the figure."""
    renderer = renderer_of(figure)
    unused = _unused_tick_labels(figure)
    return [
        text
        for text in figure.findobj(Text)
        if text.get_visible()
        and text.get_text().strip()
        and id(text) not in unused
        and text.get_window_extent(renderer).width > 0
    ]


def test_registry_entries_describe_themselves():
    for definitions in REGISTRIES.values():
        for name, definition in definitions.items():
            assert definition.name == name
            assert definition.layout in LAYOUT_WIDTH_INCHES
            sentence = definition.description
            # One sentence, as alt text and a report caption use it.
            assert sentence[0].isupper() and sentence.endswith(".")
            assert ". " not in sentence[:-1], sentence
    assert list(DEPTH_FIGURES) == depth_figure_names(list(WEIGHT_MODES))


def test_text_is_legible_on_a_phone_and_a_desktop(drawn):
    """Smallest text in CSS px, from the saved PNG's width and the font size,
    where the write-up shows the figure at most 360 px (phone) or 720 px wide."""
    for key, (definition, figure, png, _) in drawn.items():
        with Image.open(png) as image:
            png_width = image.width
        assert png_width == pytest.approx(definition.width_inches * DPI, abs=1), key
        smallest = min(text.get_fontsize() for text in visible_texts(figure))
        assert smallest == FONT_POINTS[definition.layout], key
        for screen in SCREEN_COLUMN_PX:
            height = text_height_px(
                smallest, definition.width_inches, png_width, screen
            )
            assert height >= MIN_TEXT_PX, (key, screen, height)


@pytest.mark.parametrize("layout", list(LAYOUT_WIDTH_INCHES))
def test_font_sizes_meet_the_minimum_for_every_layout(layout):
    width = LAYOUT_WIDTH_INCHES[layout]
    for screen in SCREEN_COLUMN_PX:
        height = text_height_px(FONT_POINTS[layout], width, round(width * DPI), screen)
        assert height >= MIN_TEXT_PX, (layout, screen, height)


def test_text_stays_inside_the_figure_and_reads_as_typeset(drawn):
    for key, (_, figure, _, _) in drawn.items():
        bounds = figure.bbox
        renderer = renderer_of(figure)
        for text in visible_texts(figure):
            box = text.get_window_extent(renderer)
            assert box.x0 >= bounds.x0 - 1 and box.x1 <= bounds.x1 + 1, (key, text)
            assert box.y0 >= bounds.y0 - 1 and box.y1 <= bounds.y1 + 1, (key, text)
            content = text.get_text()
            # Float noise such as 0.9999999999999999 never reaches a label.
            assert not re.search(r"\d{7}", content), (key, content)
            assert "|l|" not in content and "sqrt(" not in content, (key, content)
        for axes in figure.axes:
            for axis in (axes.xaxis, axes.yaxis):
                assert axis.get_offset_text().get_text() == "", key


def test_every_depth_panel_has_its_own_scale(drawn):
    """The standard scheme's explosion does not flatten the others: each panel's
    height is set by its own lines (and the keeps band), not by the largest."""
    for mode in WEIGHT_MODES:
        _, figure, _, _ = drawn[f"depth-norms_{mode}"]
        assert len(figure.axes) == len(small_results.SCHEMES)
        for axes in figure.axes:
            values = np.concatenate(
                [line.get_ydata() for line in axes.lines]
                + [
                    path.vertices[:, 1]
                    for band in axes.collections
                    for path in band.get_paths()
                ]
            )
            values = values[np.isfinite(values)]
            spread = max(values.max(), 1) - min(values.min(), -1)
            low, high = axes.get_ylim()
            assert high - low <= 1.2 * spread, (mode, axes.get_title())
            assert axes.patches, "the keeps band is shaded"
        titles = [axes.get_title(loc="left") for axes in figure.axes]
        assert all(": keeps with " in title for title in titles)


def test_growth_axis_is_labelled_between_powers_of_ten(drawn):
    _, figure, _, _ = drawn["depth-growth"]
    renderer_of(figure)
    for axes in figure.axes:
        low, high = axes.get_xlim()
        ticks = [t for t in axes.get_xticks() if low <= t <= high]
        assert len(ticks) >= 3
        assert any(not np.isclose(np.log10(t), round(np.log10(t))) for t in ticks)
        assert axes.patches, "the keeps band is shaded"


def test_size_axes_are_ticked_at_the_sizes_measured(drawn):
    sizes = sorted(
        int(dataset.attrs["k"]) for dataset in small_results.circular_law()["sizes"]
    )
    for name in ("edge", "real_count", "dominant_real"):
        _, figure, _, _ = drawn[f"circular_law-{name}"]
        axes = figure.axes[0]
        assert axes.get_xticks().tolist() == sizes
        assert [t.get_text() for t in axes.get_xticklabels()] == [
            f"${k}$" for k in sizes
        ]


def test_norms_near_the_float64_limit_are_drawn_in_units_of_a_power_of_ten(tmp_path):
    """|x(n)| up to 10^308.2 (and past the float64 range, stored as inf) breaks a
    plain linear axis; the norm figure draws it in units of 10^308 and says so."""
    data = small_results.experiment("post")
    iterations = data["iterations"].copy(deep=True)
    steps = iterations["step"].values
    log10_norm = np.append(np.linspace(0, 308.2, steps.size - 1), 308.6)
    with np.errstate(over="ignore"):
        norm = 10.0**log10_norm
    assert np.isinf(norm[-1]) and np.isfinite(norm[-2]) and norm[-2] > 1e308
    iterations["log10_norm"].loc[{"run": "raw"}] = log10_norm
    iterations["norm"].loc[{"run": "raw"}] = norm

    # The failure this guards against: a plain linear axis cannot hold the data.
    with figure_style(), np.errstate(all="ignore"), pytest.raises(ValueError):
        plain = Figure()
        plain.subplots().plot(steps[:-1], norm[:-1])
        plain.savefig(tmp_path / "plain.png")

    summary = summarize(
        data["matrix"], data["spectrum"], iterations, published_values={}
    )
    # The caption's flag, from the summary, is the figure's unit.
    assert linear_norm_exponent(summary["max_log10_norm"]) == 308
    figure = FIGURES["norm"](**data | {"iterations": iterations, "summary": summary})
    save(figure, {"png": tmp_path / "norm.png"})
    linear = figure.axes[0]
    assert "10^{308}" in linear.get_ylabel()
    assert linear.get_ylim()[1] == pytest.approx(10**0.6, rel=0.1)
    assert linear_norm_exponent(np.array([0.0, 3.9])) == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.9999999999999999, "1"),
        (3.358932017451867, "3.359"),
        (-0.52616, "-0.5262"),
        (2.4e-9, r"2.4 \times 10^{-9}"),
    ],
)
def test_numbers_in_labels_are_rounded(value, text):
    assert math_number(value) == text
    assert float(text.replace(r" \times 10^{", "e").rstrip("}")) == pytest.approx(
        value, rel=5e-4
    )


def test_pdfs_embed_truetype_fonts_and_no_dates(drawn):
    for key, (_, _, png, pdf) in drawn.items():
        content = pdf.read_bytes()
        assert b"/FontFile2" in content, key  # embedded TrueType (Type 42)
        assert b"/Type3" not in content and b"/Subtype /Type3" not in content, key
        assert b"CreationDate" not in content and b"Producer" not in content, key
        assert b"tEXtSoftware" not in png.read_bytes(), key


def run_in_fresh_python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a new interpreter that imports the project's modules, so
    what it imports starts from nothing."""
    scripts = str(Path(__file__).resolve().parents[1] / "scripts")
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": scripts},
    )


def test_importing_the_figure_modules_changes_no_matplotlib_state():
    # Reading rcParams["backend"] would itself pick a backend (and import
    # pyplot), so the settings are compared without it; an unimported pyplot
    # shows that no backend was chosen.
    code = (
        "import sys, matplotlib as mpl\n"
        "def settings():\n"
        "    return {k: mpl.rcParams[k] for k in mpl.rcParams if k != 'backend'}\n"
        "before = settings()\n"
        "import eigeninit.figures, eigeninit.part_two_figures\n"
        "assert settings() == before\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    result = run_in_fresh_python(code)
    assert result.returncode == 0, result.stderr


def test_one_call_saves_every_figure_of_a_set(tmp_path):
    save_figures(
        CIRCULAR_LAW_FIGURES.values(), tmp_path / "set", **small_results.circular_law()
    )
    saved = sorted(path.name for path in (tmp_path / "set").iterdir())
    assert saved == sorted(
        f"{name}.{suffix}" for name in CIRCULAR_LAW_FIGURES for suffix in ("png", "pdf")
    )
    for name in CIRCULAR_LAW_FIGURES:
        with Image.open(tmp_path / "set" / f"{name}.png") as image:
            assert image.width == round(
                LAYOUT_WIDTH_INCHES[CIRCULAR_LAW_FIGURES[name].layout] * DPI
            )


def test_what_the_snakefile_imports_loads_no_plotting_or_analysis_library():
    """Snakemake imports these whenever it parses the workflow (also for a
    no-op run); matplotlib, scipy and xarray would add seconds to each parse."""
    code = (
        "import sys\n"
        "import eigeninit.settings, eigeninit.figures, eigeninit.part_two_figures\n"
        "import eigeninit.initializers, eigeninit.jobs, eigeninit.provenance\n"
        "import eigeninit.jacobian\n"
        "heavy = ('matplotlib', 'scipy', 'xarray', 'pandas')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = run_in_fresh_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_drawing_leaves_global_settings_as_they_were(drawn):
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    FIGURES["quotient"](**small_results.experiment("post"))
    assert dict(mpl.rcParams) == before
