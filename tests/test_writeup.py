"""The HTML write-up: numbers quoted, prose adapting to the data, a safe and valid page.

Summaries are made by the summarize code itself from small matrices with known
spectra (tests/pages.py), so these tests do not depend on a previous pipeline
run and a renamed or missing summary key fails them.
"""

import base64
import json
import struct
import zlib
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from jinja2 import UndefinedError

from eigeninit import schemas
from eigeninit.figures import FIGURES
from eigeninit.number_format import exact, fixed, number, scientific, with_error
from eigeninit.paper import collect_numbers
from eigeninit.writeup import (
    anchor,
    embed_png,
    figure_geometry,
    figures_by_experiment,
    first_example,
    mathml,
    render,
)
from pages import (
    COMPLEX_PAIR,
    GROWING,
    PROVENANCE,
    REPORT_DIR,
    SHRINKING,
    SIGN_FLIP,
    TIED,
    assert_offline,
    glued,
    make_summary,
    numbers_per_block,
    parse_strictly,
    published_summary,
    words,
)

SIGN_FLIP_TEXT = "every entry alternates in sign"
NO_COMPLEX_EXAMPLE = "No configured experiment has a complex conjugate pair"
SETTLES = "the quotient stops moving"
DISAGREE = "The iterates and the spectrum disagree"


def render_page(
    summaries: list[dict], png: Path, featured: str | None = None, record=None
) -> str:
    by_name = {summary["experiment"]: summary for summary in summaries}
    figures = {name: dict.fromkeys(FIGURES, png) for name in by_name}
    return render(
        by_name,
        figures,
        featured=featured or summaries[0]["experiment"],
        provenance=PROVENANCE,
        template_dir=REPORT_DIR,
        record=record,
    )


@pytest.fixture(scope="module")
def default_summaries() -> list[dict]:
    """The default config's shape: real narrative with a sign flip, a complex
    pair, and the post's printed matrix with the post's numbers."""
    return [
        make_summary("post", SIGN_FLIP),
        make_summary("rotating", COMPLEX_PAIR, seed=2024),
        published_summary(),
    ]


@pytest.fixture(scope="module")
def page(default_summaries, png) -> str:
    """The default config's page: the post's matrix tells the story."""
    return render_page(default_summaries, png, featured="published")


def section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


def test_summaries_fit_the_schema(default_summaries) -> None:
    for summary in default_summaries:
        schemas.validate("experiment", summary)
    with pytest.raises(jsonschema.ValidationError):
        schemas.validate("experiment", default_summaries[0] | {"renamed_key": 1.0})


def test_every_number_shown_is_exported_for_the_paper(default_summaries, png) -> None:
    """Whatever number part one formats or prints is one that numbers.json carries."""
    shown = []

    render_page(default_summaries, png, record=lambda value, _: shown.append(value))
    experiments = {summary["experiment"]: summary for summary in default_summaries}
    exported = set(collect_numbers(experiments, {}).values())
    assert len(shown) > 100
    missing = sorted({value for value in shown if value not in exported})
    assert not missing, missing


def test_story_numbers_are_quoted(page, default_summaries) -> None:
    story = default_summaries[2]
    expected = [
        number(story["stretching_factor"], 6),
        exact(story["stretching_factor"]),
        exact(story["spectral_radius"]),
        number(story["matrix_mean"], 4),
        number(story["matrix_std"], 4),
        number(story["convergence_ratio"], 4),
        number(story["digits_per_step"], 2),
        number(story["rescaled_final_norm"], 3),
        number(story["settled_norm_scale"], 4),
        number(story["settled_norm_band"][0], 2),
        number(story["settled_norm_band"][1], 2),
        number(story["dominant_eigenvalue"][0], 6),
        fixed(story["final_log10_norm"], 1),
        f"step {story['steps_to_resolution']} ",
        *(number(modulus, 6) for modulus in story["eigenvalue_moduli"]),
        *(fixed(entry, 4) for row in story["matrix_preview"] for entry in row),
    ]
    for text in expected:
        assert str(text) in page, text
    assert f"{story['products']} products" in section(page, "growth")
    assert "the post's own 5 &times; 5 matrix" in section(page, "setup")
    rescaling = section(page, "rescaling")
    probability = story["published_settled_norm_probability"]
    assert f"{round(100 * probability)}% of start" in rescaling


def test_complex_pair_numbers_are_quoted(page, default_summaries) -> None:
    pair = default_summaries[1]
    quoted = section(page, "complex-pair")
    assert pair["rotation_degrees"] == pytest.approx(161.9323075)
    for text in (
        number(pair["stretching_factor"], 6),
        number(pair["rotation_degrees"], 4),
        number(pair["norm_swing_period"], 3),
    ):
        assert str(text) in quoted, text


def test_the_posts_numbers_are_set_beside_ours(page, default_summaries) -> None:
    published = default_summaries[2]
    quoted = section(page, "published")
    for text in (
        *(number(value, 10) for value in published["published_moduli"]),
        *(scientific(value, 1) for value in published["moduli_difference"]),
        number(published["published_mean"], 5),
        number(published["published_std"], 5),
        scientific(published["mean_abs_difference"], 1),
        scientific(published["std_abs_difference"], 1),
        "about 2.60",
        number(published["stretching_factor"], 6),
        "equal to 2 decimals",
        "about 0.8",
        number(published["rescaled_final_norm"], 3),
        "set by the start vector",
    ):
        assert str(text) in quoted, text
    assert "not the post's matrix" not in quoted
    # The post's 2.60 is the rounded limit of its matrix's quotient.
    assert published["stretching_factor"] == pytest.approx(2.60359042, abs=1e-8)
    assert published["published_stretching_factor"] == 2.60


def test_a_seeded_story_points_to_the_posts_matrix(default_summaries, png) -> None:
    page = render_page(default_summaries, png, featured="post")
    stretching = section(page, "stretching")
    assert "The post reads about 2.60" in stretching
    assert str(number(default_summaries[2]["stretching_factor"], 6)) in stretching
    assert "the post's own" not in page


def test_story_on_the_posts_matrix_quotes_the_post_directly(page) -> None:
    stretching = section(page, "stretching")
    assert "The post reads about 2.60\noff its plot." in stretching
    assert "its printed matrix (experiment" not in stretching
    assert "<strong>post</strong> draws" in section(page, "complex-pair")


def test_moduli_beyond_tolerance_are_called_out(png) -> None:
    shifted = make_summary(
        "far", SIGN_FLIP, published={"moduli": [0.1, 0.2, 0.3, 0.4, 0.5]}
    )
    assert not shifted["moduli_within_tolerance"]
    page = render_page([shifted], png)
    assert "this is not the post's matrix" in section(page, "published")


def test_no_printed_numbers_means_no_comparison(png) -> None:
    page = render_page([make_summary("post")], png)
    assert '<section id="published">' not in page
    assert 'href="#published"' not in page


def test_experiments_table_has_a_row_per_experiment(page, default_summaries) -> None:
    table = section(page, "experiments")
    for summary in default_summaries:
        assert f">{summary['experiment']}</a></th>" in table


def test_config_strings_are_escaped(png) -> None:
    hostile = "<script>alert(1)</script>"
    summaries = [
        make_summary(hostile, matrix_file='"><img src=x onerror=alert(1)>'),
        make_summary("other", COMPLEX_PAIR),
    ]
    page = render_page(summaries, png)
    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_page_makes_no_network_requests(page) -> None:
    assert_offline(page)
    assert "@import" not in page and "url(" not in page


def test_page_is_valid_html5(page) -> None:
    tree = parse_strictly(page)
    assert page.startswith("<!DOCTYPE html>")
    assert tree.get("lang") == "en"
    metas = tree.findall("head/meta")
    assert any(meta.get("charset") == "utf-8" for meta in metas)
    assert any(meta.get("name") == "viewport" for meta in metas)
    images = tree.findall(".//img")
    # Five figures of the story, two of the complex pair, and the appendix's
    # five for each experiment besides the story's.
    assert len(images) == 5 + 2 + 2 * 5
    for image in images:
        assert image.get("alt")
        assert image.get("src").startswith("data:image/png;base64,")
    wrappers = tree.findall(".//div[@class='table-scroll']") + tree.findall(
        ".//div[@class='table-fit']"
    )
    assert len(wrappers) == len(tree.findall(".//table")) == 4
    assert all(len(wrapper.findall("table")) == 1 for wrapper in wrappers)
    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert len(ids) == len(set(ids))


def test_every_figure_opens_at_full_size(page) -> None:
    """Each image sits in a link to its own frame, and the frame links back."""
    tree = parse_strictly(page)
    figures = tree.findall(".//figure")
    assert figures
    for figure in figures:
        frame = figure.find("div[@class='zoom']")
        opener = frame.find("a[@class='zoom-open']")
        closer = frame.find("a[@class='zoom-close']")
        assert opener.get("href") == "#" + frame.get("id")
        assert opener.find("img") is not None
        assert closer.get("href") == "#" + figure.get("id")


def test_every_experiment_has_its_figures_in_the_appendix(page, default_summaries):
    tree = parse_strictly(page)
    for summary in default_summaries[:2]:
        details = tree.find(f".//details[@id='appendix-{summary['experiment']}']")
        assert len(details.findall(".//img")) == len(FIGURES)
    story = tree.find(".//details[@id='appendix-published']")
    assert not story.findall(".//img")  # the story's own figures are not repeated


def test_math_is_mathml_not_ascii(page) -> None:
    tree = parse_strictly(page)
    formulas = tree.findall(".//{http://www.w3.org/1998/Math/MathML}math") or [
        element for element in tree.iter() if element.tag == "math"
    ]
    assert len(formulas) > 20
    part_one = page[: page.index("<footer>")]
    text = "".join(parse_strictly(part_one).itertext())
    for ascii_math in ("sqrt(", "->", "^n", "A^2", "|x(n)|", "x(n-1)"):
        assert ascii_math not in text, ascii_math


def test_mathml_helper() -> None:
    formula = str(mathml(r"\sqrt{-b}"))
    assert formula.startswith("<math") and "<msqrt>" in formula
    assert 'display="inline"' in formula


def test_figure_geometry_reads_the_drawn_width(tmp_path) -> None:
    def png_with_dpi(path: Path, width: int, dpi: int) -> Path:
        rows = b"".join(b"\x00" + b"\xff" * width for _ in range(2))
        pixels_per_metre = round(dpi / 0.0254)

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return (
                struct.pack(">I", len(data))
                + body
                + struct.pack(">I", zlib.crc32(body))
            )

        path.write_bytes(
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, 2, 8, 0, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", pixels_per_metre, pixels_per_metre, 1))
            + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b"")
        )
        return path

    column = figure_geometry(png_with_dpi(tmp_path / "c.png", 510, 150))
    assert column == {"width": 510, "height": 2}


def test_anchor() -> None:
    assert anchor("Figure A1.2") == "Figure-A1-2"
    assert anchor("appendix", "my run") == "appendix-my-run"


def test_sign_flip_is_told_only_when_the_dominant_eigenvalue_is_negative(
    png,
) -> None:
    assert SIGN_FLIP_TEXT in render_page([make_summary("neg", SIGN_FLIP)], png)
    assert SIGN_FLIP_TEXT not in render_page([make_summary("pos", GROWING)], png)
    assert "negative: hence the sign flip" in render_page(
        [make_summary("neg", SIGN_FLIP)], png
    )


def test_complex_pair_section_names_the_first_other_complex_experiment(png) -> None:
    summaries = [
        make_summary("post"),
        make_summary("first", COMPLEX_PAIR),
        make_summary("second", COMPLEX_PAIR),
    ]
    quoted = section(render_page(summaries, png), "complex-pair")
    assert "<strong>first</strong>" in quoted
    assert "second" not in quoted


def test_complex_pair_section_falls_back_without_one(png) -> None:
    page = render_page([make_summary("post"), make_summary("other")], png)
    assert NO_COMPLEX_EXAMPLE in section(page, "complex-pair")
    assert len(parse_strictly(page).findall(".//img")) == 5 + 5


def test_complex_narrative_says_the_quotient_does_not_settle(png) -> None:
    page = render_page([make_summary("spin", COMPLEX_PAIR)], png)
    stretching = section(page, "stretching")
    assert "never settles" in stretching
    assert SETTLES not in stretching
    assert NO_COMPLEX_EXAMPLE not in page
    assert "<strong>spin</strong>" in section(page, "complex-pair")


def test_undetermined_narrative_says_the_quotient_has_not_settled(png) -> None:
    summary = make_summary("tied", TIED)
    assert summary["dominant"] == "undetermined"
    page = render_page([summary], png)
    stretching = section(page, "stretching")
    assert "has not settled" in stretching
    assert "support no stretching factor" in stretching
    assert SETTLES not in stretching
    assert DISAGREE in page
    # The tie (2 and -2) spans the dominant space, so the misalignment shrinks
    # with the next modulus (1 / 2) while no stretch estimate settles.
    assert summary["convergence_ratio"] == pytest.approx(0.5, rel=1e-9)
    assert "no single model fits the iterates" in section(page, "alignment")


def test_runs_without_a_stretching_factor_say_none(png) -> None:
    tied = make_summary("tied", TIED)
    assert tied["stretching_factor"] is None
    page = render_page([make_summary("post"), tied], png)
    table = section(page, "experiments")
    row = table[table.index(">tied<") :].split("</tr>")[0]
    assert row.count("<td>none</td>") == 2  # no stretching factor, no agreement
    assert str(number(tied["spectral_radius"], 6)) in row
    parse_strictly(page)


@pytest.mark.parametrize(
    ("matrix", "dominant", "told"),
    [
        (np.zeros((3, 3)), "vanished", "becomes exactly zero"),
        (np.diag([1.0, 1.0], k=1), "vanished", "becomes exactly zero"),
        (np.array([[3.0, 1.0], [0.0, 3.0]]), "repeated real", "finds a double"),
    ],
    ids=["zero", "nilpotent", "jordan"],
)
def test_degenerate_narratives_are_told_as_such(png, matrix, dominant, told) -> None:
    summary = make_summary("degenerate", matrix)
    assert summary["dominant"] == dominant and summary["dominant_agrees"]
    page = render_page([summary], png)
    assert told in section(page, "stretching")
    assert ("no eigenvalue wins" in section(page, "alignment")) == (
        dominant == "vanished"
    )
    assert DISAGREE not in page
    parse_strictly(page)


def test_agreeing_iterates_and_spectrum_raise_no_warning(png) -> None:
    assert DISAGREE not in render_page([make_summary("agree")], png)


def test_shrinking_matrix_is_told_as_a_collapse(png) -> None:
    page = render_page([make_summary("small", SHRINKING)], png)
    assert "The collapse" in page and "The explosion" not in page


def test_footer_gives_provenance(page) -> None:
    footer = page[page.index("<footer>") :]
    assert PROVENANCE["config_hash"] in footer
    assert PROVENANCE["git"]["commit"] + "</code> (modified)" in footer
    assert "Python 3.11.7" in footer and "numpy 2.4.6" in footer
    assert "h5py not installed" in footer


def test_missing_number_is_an_error(png) -> None:
    summary = make_summary("post")
    del summary["convergence_ratio"]
    with pytest.raises(UndefinedError):
        render_page([summary], png)


def test_unknown_narrative_is_an_error(png) -> None:
    with pytest.raises(ValueError, match="featured"):
        render_page([make_summary("post")], png, featured="missing")


def test_missing_figure_is_an_error(png) -> None:
    with pytest.raises(ValueError, match="rescaled"):
        render(
            {"post": make_summary("post")},
            {"post": {name: png for name in FIGURES if name != "rescaled"}},
            featured="post",
            provenance=PROVENANCE,
            template_dir=REPORT_DIR,
        )


def test_every_figure_has_a_caption() -> None:
    for name in FIGURES:
        assert (REPORT_DIR / "captions" / f"{name}.html.j2").is_file(), name


def test_embed_png_is_a_data_uri_of_the_file(png, tmp_path) -> None:
    uri = embed_png(png)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png.read_bytes()
    not_png = tmp_path / "figure.png"
    not_png.write_text("text")
    with pytest.raises(ValueError, match="not a PNG"):
        embed_png(not_png)


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (3.358932017451868, 6, "3.35893"),
        (-0.1411964, 4, "\u22120.1412"),
        (1.0, 6, "1.00000"),
        (3.7641927e-09, 2, "3.8 × 10<sup>\u22129</sup>"),
        (123456789.0, 3, "1.23 × 10<sup>8</sup>"),
    ],
)
def test_number_formats(value, digits, text) -> None:
    assert str(number(value, digits)) == text


def test_scientific_and_exact_formats() -> None:
    assert str(scientific(1e-6, 1)) == "1 × 10<sup>\u22126</sup>"
    assert exact(-3.358932017451867) == "\u22123.358932017451867"
    assert float(exact(1.0000000000000004)) == 1.0000000000000004


def test_first_example_skips_the_featured_experiment() -> None:
    summaries = {
        "spin": make_summary("spin", COMPLEX_PAIR),
        "post": make_summary("post"),
    }
    is_pair = lambda summary: summary["dominant"] == "complex pair"  # noqa: E731
    assert first_example(summaries, "spin", is_pair) is None
    assert first_example(summaries, "post", is_pair) == "spin"


def test_published_example_is_the_first_with_printed_numbers() -> None:
    summaries = {"post": make_summary("post"), "published": published_summary()}
    has_print = lambda summary: "published_moduli" in summary  # noqa: E731
    assert first_example(summaries, None, has_print) == "published"
    assert first_example({"post": summaries["post"]}, None, has_print) is None


def test_figures_by_experiment() -> None:
    paths = ["results/a/figures/norm.png", "results/b/figures/rescaled.png"]
    assert figures_by_experiment(paths) == {
        "a": {"norm": Path(paths[0])},
        "b": {"rescaled": Path(paths[1])},
    }


@pytest.mark.workflow
def test_workflow_page_shows_only_numbers_the_paper_export_carries(workdir) -> None:
    """Part one rendered from the tiny run's summaries and figures formats no
    number that the run's numbers.json lacks, and compares with the post."""
    results = workdir / "results"
    summaries = {
        path.parent.name: json.loads(path.read_text())
        for path in sorted((results / "experiments").glob("*/summary.json"))
    }
    for summary in summaries.values():
        schemas.validate("experiment", summary)
    shown = []
    page = render(
        summaries,
        figures_by_experiment((results / "experiments").glob("*/figures/*.png")),
        featured="post",
        provenance=PROVENANCE,
        template_dir=REPORT_DIR,
        record=lambda value, text: shown.append((value, text)),
    )
    numbers = json.loads((results / "paper" / "numbers.json").read_text())
    exported = set(numbers.values())
    assert shown and not sorted({v for v, t in shown if t is not None} - exported)
    # The tiny config carries the post's printed and text numbers.
    published = section(page, "published")
    assert "about 2.60" in published and "set by the start vector" in published


@pytest.mark.workflow
def test_workflow_page_tells_part_two_after_part_one_with_every_figure(
    workdir,
) -> None:
    """The rule always renders part two: the tiny run's page lists it in the
    contents, after the experiments, and embeds every figure the run drew."""
    results = workdir / "results"
    page = (results / "report.html").read_text()
    assert '<a href="#part-two">Part two' in page
    assert page.index('<section id="experiments">') < page.index(
        '<section id="part-two">'
    )
    figures = [
        *(results / "experiments").glob("*/figures/*.png"),
        *(results / "circular_law" / "figures").glob("*.png"),
        *(results / "depth" / "figures").glob("*.png"),
    ]
    assert len(figures) > len(FIGURES)
    for path in figures:
        assert embed_png(path) in page, path


def test_function_names_get_tex_spacing() -> None:
    """2 ln ln k, not 2lnlnk; none before a parenthesis or a delimiter."""
    spaced = str(mathml(r"2\ln\ln k"))
    assert spaced.count("<mspace") == 3
    assert "<mspace" not in str(mathml(r"\ln(k)")) + str(mathml(r"\ln\lVert x\rVert"))


PART_ONE_WORDS = 1300
MAX_NUMBERS_PER_PARAGRAPH = 10


def test_part_one_keeps_its_reading_budget(page) -> None:
    part_one = page[page.index("<main>") : page.index("</main>")]
    assert 600 < words(part_one) <= PART_ONE_WORDS
    crowded = [
        b for n, b in numbers_per_block(part_one) if n > MAX_NUMBERS_PER_PARAGRAPH
    ]
    assert not crowded, crowded
    assert glued(part_one) == []


def test_the_budget_counts_prose_only() -> None:
    html = (
        "<p>One two <math>x</math> three.</p><table><tr><td>1 2 3</td></tr></table>"
        "<details><p>hidden words</p></details><li>1, 2.5 and Figure 3.</li>"
    )
    assert words(html) == 4 + 5
    assert [n for n, _ in numbers_per_block(html)] == [0, 2]


def test_words_run_together_across_template_lines_are_found() -> None:
    html = "<p>up to k = 16with more</p><p>2.7follow (0.97)(Figure 2) 64th zero(Fig</p>"
    assert len(glued(html)) == 4
    assert glued("<p>up to k = 16 with more, <code>h5py</code> 2nd</p>") == []


def test_an_error_at_rounding_level_is_no_error() -> None:
    """An exact 1 measured as 1 + 2e-16 must not print eighteen decimals."""
    assert str(with_error(1.0000000000000002, 6.4e-17)) == "1.00000"
    assert "±" in str(with_error(0.9984, 0.0012))
