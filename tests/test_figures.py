"""Figures drawn from small real results: legible on a phone and a desktop,
panels that carry their message, legends off the data, and PDFs a journal
accepts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

import small_results
from conftest import PROJECT
from eigeninit.depth import WEIGHT_MODES
from eigeninit.figure_style import (
    DPI,
    FONT_POINTS,
    WIDTH_INCHES,
    FigureDefinition,
    figure_style,
    save,
    save_figures,
)
from eigeninit.figures import FIGURES, math_number
from eigeninit.initializers import SCHEMES
from eigeninit.number_format import linear_norm_exponent
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    DEPTH_FIGURES,
    JACOBIAN_FIGURES,
    depth_figure_names,
)
from eigeninit.summary import summarize

SCREEN_COLUMN_PX = {"phone": 360, "desktop": 720}
"""Widest the write-up shows a figure, in CSS px, at 390 px and at 1280 px."""
MIN_TEXT_PX = 10.0


REGISTRIES = {
    "experiment": FIGURES,
    "circular_law": CIRCULAR_LAW_FIGURES,
    "depth": DEPTH_FIGURES,
    "jacobian": JACOBIAN_FIGURES,
}


@pytest.fixture(scope="module")
def small_data() -> dict[str, dict]:
    """Small real results of each part, as its figures read them."""
    return {
        "experiment": small_results.experiment("post"),
        "circular_law": small_results.circular_law(),
        "depth": small_results.depth(),
        "jacobian": small_results.jacobian(),
    }


@pytest.fixture(scope="module")
def drawn(tmp_path_factory, small_data) -> dict[str, tuple]:
    """Every registered figure, drawn from small real results and saved once as
    PNG: ``{"part-name": (definition, figure, png path)}``."""
    folder = tmp_path_factory.mktemp("figures")
    result = {}
    for part, definitions in REGISTRIES.items():
        for name, definition in definitions.items():
            figure = definition(**small_data[part])
            png = folder / f"{part}-{name}.png"
            save(figure, {"png": png})
            result[f"{part}-{name}"] = (definition, figure, png)
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


def visible_texts(figure: Figure) -> list[tuple[Text, Bbox]]:
    """Every text drawn in the figure, with its box once laid out."""
    renderer = renderer_of(figure)
    unused = _unused_tick_labels(figure)
    texts = [
        (text, text.get_window_extent(renderer))
        for text in figure.findobj(Text)
        if text.get_visible() and text.get_text().strip() and id(text) not in unused
    ]
    return [(text, box) for text, box in texts if box.width > 0]


@pytest.fixture(scope="module")
def texts(drawn) -> dict[str, list[tuple[Text, Bbox]]]:
    """The visible texts of every drawn figure, laid out once."""
    return {key: visible_texts(figure) for key, (_, figure, _) in drawn.items()}


def test_registry_entries_describe_themselves():
    for definitions in REGISTRIES.values():
        for name, definition in definitions.items():
            assert definition.name == name
            sentence = definition.description
            # One sentence, as alt text and a report caption use it.
            assert sentence[0].isupper() and sentence.endswith(".")
            assert ". " not in sentence[:-1], sentence
    assert list(DEPTH_FIGURES) == depth_figure_names(list(WEIGHT_MODES))
    # scripts/plot_figures.py finds a figure by its name alone.
    names = [name for definitions in REGISTRIES.values() for name in definitions]
    assert len(names) == len(set(names))


def test_descriptions_read_as_plain_restructuredtext():
    """Snakemake's report reads each description as reStructuredText, where
    |x(n)| is an undefined substitution, and stores it with every character
    past ASCII escaped: every one reads back as written."""
    from docutils.core import publish_doctree
    from docutils.nodes import system_message

    for definitions in REGISTRIES.values():
        for definition in definitions.values():
            text = definition.description
            tree = publish_doctree(text, settings_overrides={"report_level": 5})
            assert not list(tree.findall(system_message)), text
            assert tree.astext() == text and text.isascii()


def test_text_is_legible_on_a_phone_and_a_desktop(drawn, texts):
    """Smallest text in CSS px, from the saved PNG's width and the font size,
    where the write-up shows the figure at most 360 px (phone) or 720 px wide."""
    for key, (_, _, png) in drawn.items():
        with Image.open(png) as image:
            png_width = image.width
        assert png_width == pytest.approx(WIDTH_INCHES * DPI, abs=1), key
        smallest = min(text.get_fontsize() for text, _ in texts[key])
        assert smallest == FONT_POINTS, key
        for screen, column_px in SCREEN_COLUMN_PX.items():
            height = smallest / 72 * min(png_width, column_px) / WIDTH_INCHES
            assert height >= MIN_TEXT_PX, (key, screen, height)


def test_text_stays_inside_the_figure_and_reads_as_typeset(drawn, texts):
    for key, (_, figure, _) in drawn.items():
        bounds = figure.bbox
        for text, box in texts[key]:
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
        _, figure, _ = drawn[f"depth-norms_{mode}"]
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
        # Verdicts belong to the table: a panel names its scheme.
        titles = [axes.get_title(loc="left") for axes in figure.axes]
        assert titles == [SCHEMES[scheme].name for scheme in small_results.SCHEMES]


def test_growth_axis_is_labelled_between_powers_of_ten(drawn):
    _, figure, _ = drawn["depth-growth"]
    renderer_of(figure)
    for axes in figure.axes:
        low, high = axes.get_xlim()
        ticks = [t for t in axes.get_xticks() if low <= t <= high]
        assert len(ticks) >= 3
        assert any(not np.isclose(np.log10(t), round(np.log10(t))) for t in ticks)
        assert axes.patches, "the keeps band is shaded"


def legends_of(figure: Figure) -> list:
    return figure.legends + [axes.legend_ for axes in figure.axes if axes.legend_]


def assert_legends_off_the_data(key: str, figure: Figure) -> None:
    """Every legend lies outside every panel, where the data are drawn."""
    renderer = renderer_of(figure)
    for legend in legends_of(figure):
        box = legend.get_window_extent(renderer)
        for axes in figure.axes:
            assert not box.overlaps(axes.bbox), (key, axes.get_title())


def test_legends_never_cover_data(drawn):
    for key, (_, figure, _) in drawn.items():
        assert_legends_off_the_data(key, figure)
    _, rescaled, _ = drawn["experiment-rescaled"]
    assert not legends_of(rescaled), "its titles and caption name every line"


def test_the_disk_law_is_dashed_on_top_of_the_measured_curves(drawn):
    _, figure, _ = drawn["circular_law-radial_cdf"]
    [axes] = figure.axes
    [law] = [line for line in axes.lines if line.get_label() == "disk: $r^2$"]
    curves = [line for line in axes.lines if line is not law]
    assert len(curves) == len(small_results.circular_law()["sizes"])
    np.testing.assert_allclose(law.get_ydata(), law.get_xdata() ** 2)
    assert law.get_linestyle() == "--"
    assert {curve.get_linestyle() for curve in curves} == {"-"}
    assert law.get_zorder() > max(curve.get_zorder() for curve in curves)
    assert to_rgb(law.get_color()) not in {to_rgb(c.get_color()) for c in curves}


def test_the_disk_draws_real_eigenvalues_apart_and_rasterizes_only_points(drawn):
    _, figure, _ = drawn["circular_law-disk"]
    [axes] = figure.axes
    largest = max(small_results.circular_law()["sizes"], key=lambda d: d.attrs["k"])
    imaginary = largest["eigenvalue_imag"].values
    complex_points, real_points = (c.get_offsets() for c in axes.collections)
    assert len(real_points) == (imaginary == 0).sum() > 0
    assert len(complex_points) + len(real_points) == imaginary.size
    assert (real_points[:, 1] == 0).all() and (complex_points[:, 1] != 0).all()
    assert all(points.get_rasterized() for points in axes.collections)
    assert not any(line.get_rasterized() for line in axes.lines)


def test_growth_shows_the_keeps_band_and_bands_with_theory_underneath(drawn):
    """The axis is linear in log growth within the keeps band, wide enough to
    see; a 95% band inside it and half as wide shows beyond its marker; theory
    bars lie under the markers and reach past them."""
    _, figure, _ = drawn["depth-growth"]
    renderer_of(figure)
    low, high = small_results.depth()["summary"]["keeps_band"]
    pixels_per_point = figure.dpi / 72
    checked = 0
    for axes in figure.axes:
        x = axes.transData.transform([(low, 0), (1, 0), (high, 0)])[:, 0]
        assert x[2] - x[1] == pytest.approx(x[1] - x[0], rel=1e-9)
        assert x[2] - x[0] >= 0.08 * axes.bbox.width
        theories = [line for line in axes.lines if line.get_label() == "theory"]
        for theory, (measured, _, (bands,)) in zip(
            theories, axes.containers, strict=True
        ):
            assert theory.get_marker() == "|"
            assert to_rgb(theory.get_color()) == (0, 0, 0)
            assert set(measured.get_ydata()) <= set(theory.get_ydata())
            assert theory.get_zorder() < measured.get_zorder()
            assert theory.get_markersize() >= 1.5 * measured.get_markersize()
            means, segments = measured.get_xdata(), bands.get_segments()
            for mean, ((lo, y), (hi, _)) in zip(means, segments, strict=True):
                if low <= mean <= high and np.log(hi / lo) >= np.log(high / low) / 2:
                    ends = axes.transData.transform([(lo, y), (hi, y)])[:, 0]
                    marker = measured.get_markersize() * pixels_per_point
                    assert ends[1] - ends[0] > marker, (axes.get_title(), lo, hi)
                    checked += 1
    assert checked >= 3


def test_size_axes_are_ticked_at_the_sizes_measured(drawn):
    sizes = sorted(
        int(dataset.attrs["k"]) for dataset in small_results.circular_law()["sizes"]
    )
    for name in ("edge", "real_count", "dominant_real"):
        _, figure, _ = drawn[f"circular_law-{name}"]
        axes = figure.axes[0]
        assert axes.get_xticks().tolist() == sizes
        assert [t.get_text() for t in axes.get_xticklabels()] == list(map(str, sizes))


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


def test_pngs_name_no_software_version(drawn):
    for key, (_, _, png) in drawn.items():
        assert b"tEXtSoftware" not in png.read_bytes(), key


@pytest.mark.slow
def test_every_set_saves_pdfs_with_truetype_fonts_and_no_dates(small_data, tmp_path):
    """Each set saved by one save_figures call, as the plot rules save it. Slow
    tier: matplotlib's PDF backend takes about half a second a figure."""
    for part, definitions in REGISTRIES.items():
        save_figures(definitions.values(), tmp_path / part, **small_data[part])
        for name in definitions:
            content = (tmp_path / part / f"{name}.pdf").read_bytes()
            key = f"{part}-{name}"
            assert b"/FontFile2" in content, key  # embedded TrueType (Type 42)
            assert b"/Type3" not in content and b"/Subtype /Type3" not in content, key
            assert b"CreationDate" not in content and b"Producer" not in content, key
            # Each font once, subset to every glyph the figure uses.
            fonts = re.findall(rb"/FontName /[A-Z]{6}\+([\w-]+)", content)
            assert len(fonts) == len(set(fonts)) == content.count(b"/FontFile2"), key
    # The disk's points are images; its axes and text stay vector (fonts above).
    assert b"/Subtype /Image" in (tmp_path / "circular_law" / "disk.pdf").read_bytes()


def run_in_fresh_python(
    code: str, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run ``code`` in a new interpreter that imports the project's modules, so
    what it imports starts from nothing."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=os.environ | {"PYTHONPATH": str(PROJECT / "scripts")},
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


def draw_values(figure: Figure, values: list[float], **_) -> None:
    """A bare line: without tick labels the stand-ins save in milliseconds."""
    axes = figure.subplots()
    axes.plot(values)
    axes.set_axis_off()


def test_one_call_saves_every_figure_of_a_set(tmp_path):
    """Two quick stand-ins; the slow tier saves the real sets."""
    definitions = [
        FigureDefinition("rise", draw_values, "A rising line."),
        FigureDefinition("fall", draw_values, "A falling line."),
    ]
    save_figures(definitions, tmp_path / "set", values=[1.0, 3.0, 2.0])
    files = sorted(path.name for path in (tmp_path / "set").iterdir())
    assert files == ["fall.pdf", "fall.png", "rise.pdf", "rise.png"]
    for definition in definitions:
        with Image.open(tmp_path / "set" / f"{definition.name}.png") as image:
            assert image.width == round(WIDTH_INCHES * DPI)


def test_parsing_the_workflow_loads_no_plotting_or_analysis_library():
    """Snakemake parses the Snakefile for every command, also a no-op run;
    matplotlib, scipy or xarray imported at parse time would add seconds to each.
    Measured in a fresh interpreter, against what Snakemake itself loads."""
    code = (
        "import sys\n"
        "from snakemake.cli import main\n"
        "heavy = ('matplotlib', 'scipy', 'xarray', 'pandas')\n"
        "def loaded():\n"
        "    return {m for m in sys.modules if m.split('.')[0] in heavy}\n"
        "before = loaded()\n"
        "try:\n"
        "    main(['--list-rules'])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print(sorted(loaded() - before))\n"
    )
    result = run_in_fresh_python(code, cwd=PROJECT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    *rules, newly_loaded = result.stdout.split("\n")[:-1]
    assert "all" in rules, "the rules are listed once the workflow is parsed"
    assert newly_loaded == "[]"


def test_measuring_jobs_load_no_plotting_analysis_or_schema_library():
    """Every job pays its imports; the measuring stages need numpy and xarray
    only (scipy's Lanczos from k = 256 on). Run in a fresh interpreter."""
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from eigeninit import stages\n"
        "from eigeninit.datasets import write\n"
        "from eigeninit.runlog import logged\n"
        "stages.circular_law_part(16, 1, range(2))\n"
        "stages.depth_parts('spectral', {'k': 16, 'layers': 2, 'seed': 1,\n"
        "    'activations': ['tanh'], 'weight_sharing': ['independent']}, range(2))\n"
        "stages.matrix({'experiment': 'e', 'k': 3, 'seed': 1, 'rng': 'pcg64',\n"
        "    'matrix_file': ''})\n"
        "heavy = ('matplotlib', 'scipy', 'jsonschema', 'yaml')\n"
        "print(sorted({m for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    result = run_in_fresh_python(code)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_drawing_leaves_global_settings_as_they_were(drawn):
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    FIGURES["quotient"](**small_results.experiment("post"))
    assert dict(mpl.rcParams) == before
