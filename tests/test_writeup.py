"""The HTML write-up: numbers quoted, prose adapting to the data, a safe and valid page.

Summaries are built here rather than read from results/, so these tests do not
depend on a previous pipeline run.
"""

import base64
import math
from pathlib import Path

import numpy as np
import pytest
from jinja2 import UndefinedError

from eigeninit.figures import FIGURES
from eigeninit.writeup import (
    complex_pair_example,
    embed_png,
    exact,
    figures_by_experiment,
    fixed,
    norm_swing,
    number,
    render,
    scientific,
    steps_to_resolution,
)
from pages import PROVENANCE, REPORT_DIR, assert_offline, make_summary, parse_strictly

SIGN_FLIP = "flips sign each step"
NO_COMPLEX_EXAMPLE = "None of the configured experiments has a complex conjugate pair"
SETTLES = "the quotient stops moving"
DISAGREE = "The iterates and the spectrum disagree"


def with_printed(summary: dict, moduli_offset: float = 3.7e-9) -> dict:
    """Add the comparison keys for numbers a publication printed."""
    printed = [m - moduli_offset for m in summary["eigenvalue_moduli"]]
    return summary | {
        "matrix_file": "config/published-matrix.csv",
        "printed_moduli": printed,
        "moduli_difference": [moduli_offset] * len(printed),
        "moduli_max_abs_difference": moduli_offset,
        "printed_mean": summary["matrix_mean"] + 2.6e-10,
        "mean_abs_difference": 2.6e-10,
        "printed_std": summary["matrix_std"] - 1.3e-9,
        "std_abs_difference": 1.3e-9,
    }


def render_page(summaries: list[dict], png: Path, narrative: str | None = None) -> str:
    by_name = {summary["experiment"]: summary for summary in summaries}
    figures = {name: dict.fromkeys(FIGURES, png) for name in by_name}
    return render(
        by_name,
        figures,
        narrative=narrative or summaries[0]["experiment"],
        provenance=PROVENANCE,
        template_dir=REPORT_DIR,
        stylesheet=REPORT_DIR / "style.css",
    )


@pytest.fixture(scope="module")
def default_summaries() -> list[dict]:
    """The default config's shape: real narrative, a complex pair, a printed matrix."""
    return [
        make_summary("post", sign_flips=True, dominant_eigenvalue=[-2.7182818, 0.0]),
        make_summary("rotating", dominant="complex pair", seed=2024),
        with_printed(make_summary("published")),
    ]


@pytest.fixture(scope="module")
def page(default_summaries, png) -> str:
    return render_page(default_summaries, png)


def section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


def test_narrative_numbers_are_quoted(page, default_summaries) -> None:
    story = default_summaries[0]
    expected = [
        number(story["stretching_factor"], 6),
        exact(story["stretching_factor"]),
        exact(story["spectral_radius"]),
        number(story["matrix_mean"], 4),
        number(story["matrix_std"], 4),
        number(story["convergence_ratio"], 4),
        number(story["rescaled_final_norm"], 4),
        exact(story["rescaled_last_quotient"]),
        number(story["dominant_eigenvalue"][0], 6),
        fixed(story["final_log10_norm"], 1),
        str(math.floor(story["agreement_digits"])),
        *(number(modulus, 6) for modulus in story["eigenvalue_moduli"]),
        *(fixed(entry, 4) for row in story["matrix_corner"] for entry in row),
    ]
    for text in expected:
        assert str(text) in page, text


def test_complex_pair_numbers_are_quoted(page, default_summaries) -> None:
    pair = default_summaries[1]
    offset, period = norm_swing(pair["rotation_degrees"])
    quoted = section(page, "complex-pair")
    for text in (
        exact(pair["stretching_factor"]),
        exact(pair["spectral_radius"]),
        number(pair["rotation_degrees"], 4),
        number(1 + pair["quotient_spread"], 3),
        number(offset, 3),
        number(period, 3),
        number(pair["rescaled_final_norm"], 4),
    ):
        assert str(text) in quoted, text


def test_printed_comparison_is_quoted(page, default_summaries) -> None:
    published = default_summaries[2]
    quoted = section(page, "published")
    for text in (
        *(number(value, 10) for value in published["printed_moduli"]),
        *(number(value, 2) for value in published["moduli_difference"]),
        number(published["moduli_max_abs_difference"], 2),
        number(published["printed_mean"], 10),
        number(published["printed_std"], 10),
        number(published["mean_abs_difference"], 2),
        number(published["std_abs_difference"], 2),
    ):
        assert str(text) in quoted, text
    assert "within the tolerance" in quoted


def test_printed_difference_beyond_tolerance_is_called_out(png) -> None:
    page = render_page([with_printed(make_summary("far"), moduli_offset=2e-4)], png)
    assert "outside the tolerance" in section(page, "published")


def test_no_printed_numbers_means_nothing_to_compare(png) -> None:
    page = render_page([make_summary("post")], png)
    assert "nothing to\ncompare" in section(page, "published")


def test_experiments_table_has_a_row_per_experiment(page, default_summaries) -> None:
    table = section(page, "experiments")
    for summary in default_summaries:
        assert f'<th scope="row">{summary["experiment"]}</th>' in table
        assert str(number(summary["stretching_factor"], 8)) in table
        assert fixed(summary["agreement_digits"], 1) in table


def test_config_strings_are_escaped(png) -> None:
    hostile = "<script>alert(1)</script>"
    summaries = [
        make_summary(hostile, matrix_file='"><img src=x onerror=alert(1)>'),
        make_summary("other", dominant="complex pair"),
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
    assert len(images) == 7  # five figures of the story, two of the complex pair
    for image in images:
        assert image.get("alt")
        assert image.get("src").startswith("data:image/png;base64,")
    wrappers = tree.findall(".//div[@class='table-scroll']")
    assert len(wrappers) == len(tree.findall(".//table")) == 4
    assert all(len(wrapper.findall("table")) == 1 for wrapper in wrappers)


def test_sign_flip_is_told_only_when_the_dominant_eigenvalue_is_negative(
    png,
) -> None:
    negative = make_summary("neg", sign_flips=True, dominant_eigenvalue=[-2.5, 0.0])
    assert SIGN_FLIP in render_page([negative], png)
    assert SIGN_FLIP not in render_page([make_summary("pos")], png)


def test_complex_pair_section_names_the_first_other_complex_experiment(png) -> None:
    summaries = [
        make_summary("post"),
        make_summary("first", dominant="complex pair"),
        make_summary("second", dominant="complex pair"),
    ]
    quoted = section(render_page(summaries, png), "complex-pair")
    assert "<strong>first</strong>" in quoted
    assert "second" not in quoted


def test_complex_pair_section_falls_back_without_one(png) -> None:
    page = render_page([make_summary("post"), make_summary("other")], png)
    assert NO_COMPLEX_EXAMPLE in section(page, "complex-pair")
    assert len(parse_strictly(page).findall(".//img")) == 5


def test_complex_narrative_says_the_quotient_does_not_settle(png) -> None:
    page = render_page([make_summary("spin", dominant="complex pair")], png)
    stretching = section(page, "stretching")
    assert "never settles" in stretching
    assert SETTLES not in stretching
    assert NO_COMPLEX_EXAMPLE not in page
    assert "<strong>spin</strong>" in section(page, "complex-pair")


def test_undetermined_narrative_says_the_quotient_has_not_settled(png) -> None:
    summary = make_summary(
        "tied",
        dominant="undetermined",
        dominant_agrees=False,
        rescaled_dominant="undetermined",
        quotient_spread=3.1e-3,
    )
    page = render_page([summary], png)
    stretching = section(page, "stretching")
    assert "has not settled" in stretching
    assert "no stretching factor" in stretching
    assert str(number(summary["quotient_spread"], 2)) in stretching
    assert SETTLES not in stretching
    assert DISAGREE in page


def test_runs_without_a_stretching_factor_get_a_dash_and_a_footnote(png) -> None:
    tied = make_summary("tied", dominant="undetermined", dominant_agrees=False)
    page = render_page([make_summary("post"), tied], png)
    table = section(page, "experiments")
    row = table[table.index(">tied<") :].split("</tr>")[0]
    assert "&ndash;" in row and 'href="#no-stretching-factor"' in row
    assert 'id="no-stretching-factor"' in table and "tied" in table
    assert str(number(tied["spectral_radius"], 8)) in row
    parse_strictly(page)


def test_pages_without_unsupported_numbers_have_no_footnote(page) -> None:
    assert "no-stretching-factor" not in page


@pytest.mark.parametrize(
    ("dominant", "told"),
    [
        ("vanished", "becomes exactly zero"),
        ("repeated real", "finds a double"),
    ],
)
def test_degenerate_narratives_are_told_as_such(png, dominant, told) -> None:
    overrides = {"dominant": dominant, "dominant_agrees": True}
    if dominant == "vanished":
        overrides |= {
            "spectral_radius": 0.0,
            "stretching_factor": 0.0,
            "last_quotient": None,
            "final_log10_norm": None,
            "convergence_ratio": 0.0,
        }
    page = render_page([make_summary("degenerate", **overrides)], png)
    assert told in section(page, "stretching")
    parse_strictly(page)


def test_disagreement_between_iterates_and_spectrum_is_reported(png) -> None:
    agreeing = make_summary("agree")
    disagreeing = make_summary(
        "disagree", dominant_from_spectrum="complex pair", dominant_agrees=False
    )
    assert DISAGREE not in render_page([agreeing], png)
    assert DISAGREE in render_page([disagreeing], png)


def test_shrinking_matrix_is_told_as_a_collapse(png) -> None:
    summary = make_summary(
        "small", spectral_radius=0.5, stretching_factor=0.5, final_log10_norm=-29.8
    )
    page = render_page([summary], png)
    assert "The collapse" in page and "The explosion" not in page


def test_part_two_renders_nothing_when_absent(page) -> None:
    assert "part two" not in page.lower()


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
    with pytest.raises(ValueError, match="narrative"):
        render_page([make_summary("post")], png, narrative="missing")


def test_missing_figure_is_an_error(png) -> None:
    with pytest.raises(ValueError, match="rescaled"):
        render(
            {"post": make_summary("post")},
            {"post": {name: png for name in FIGURES if name != "rescaled"}},
            narrative="post",
            provenance=PROVENANCE,
            template_dir=REPORT_DIR,
            stylesheet=REPORT_DIR / "style.css",
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


def test_norm_swing_of_a_near_half_turn() -> None:
    offset, period = norm_swing(161.9323075)
    assert offset == pytest.approx(18.0676925)
    assert period == pytest.approx(180 / 18.0676925)
    assert norm_swing(90.0) == (90.0, 2.0)


def test_steps_to_resolution() -> None:
    eps = np.finfo(np.float64).eps
    steps = steps_to_resolution(0.5)
    assert 0.5**steps <= eps < 0.5 ** (steps - 1)
    assert steps_to_resolution(0.0) == 0
    assert steps_to_resolution(1.0) is None


def test_complex_pair_example_skips_the_narrative() -> None:
    summaries = {
        "spin": make_summary("spin", dominant="complex pair"),
        "post": make_summary("post"),
    }
    assert complex_pair_example(summaries, "spin") is None
    assert complex_pair_example(summaries, "post") == "spin"


def test_figures_by_experiment() -> None:
    paths = ["results/a/figures/norm.png", "results/b/figures/rescaled.png"]
    assert figures_by_experiment(paths) == {
        "a": {"norm": Path(paths[0])},
        "b": {"rescaled": Path(paths[1])},
    }
