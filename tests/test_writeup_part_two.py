"""Part two of the write-up: the circular law and signals through depth.

The summaries come from the real measuring and summary code at small sizes
(tests/small_results.py), so the page is tested on what the workflow writes.
"""

import math
import re
from html import unescape
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from markupsafe import escape

import small_results
from eigeninit.figures import FIGURES
from eigeninit.initializers import SCHEMES
from eigeninit.number_format import percent
from eigeninit.paper import NAMESPACES, collect_numbers
from eigeninit.part_two_figures import (
    CIRCULAR_LAW_FIGURES,
    JACOBIAN_FIGURES,
    depth_figure_names,
)
from eigeninit.part_two_summary import comparisons
from eigeninit.writeup import mathml, part_two_figure_list, prose_math, render
from pages import (
    PROVENANCE,
    REPORT_DIR,
    assert_offline,
    glued,
    make_summary,
    numbers_per_block,
    parse_strictly,
    words,
)

PART_TWO_TEMPLATES = sorted(REPORT_DIR.glob("part_two*.html.j2")) + sorted(
    (REPORT_DIR / "captions").glob("part_two_*.html.j2")
)


def make_part_two(
    png: Path, circular_law: dict, depth: dict, jacobian: dict | None = None
) -> dict:
    return {
        "circular_law": circular_law,
        "depth": depth,
        "comparisons": comparisons(circular_law, depth, jacobian),
        "references": small_results.references(
            (4, 8, 16, 32), 32, 20, small_results.SCHEMES
        ),
        "jacobian": jacobian,
        "figures": {
            "circular_law": dict.fromkeys(CIRCULAR_LAW_FIGURES, png),
            "depth": dict.fromkeys(depth_figure_names(depth["weight_sharing"]), png),
            "jacobian": dict.fromkeys(JACOBIAN_FIGURES if jacobian else (), png),
        },
    }


def render_page(part_two: dict | None, png: Path, record=None) -> str:
    return render(
        {"post": make_summary("post")},
        {"post": dict.fromkeys(FIGURES, png)},
        featured="post",
        provenance=PROVENANCE,
        template_dir=REPORT_DIR,
        part_two=part_two,
        record=record,
    )


def part_two_of(html: str) -> str:
    return html[html.index('<section id="part-two">') : html.index("</main>")]


def text_of(html: str) -> str:
    """Markup-free text with formulas left out and whitespace collapsed."""
    html = re.sub(r"<math.*?</math>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


@pytest.fixture(scope="module")
def circular_law() -> dict:
    return small_results.circular_law()["summary"]


@pytest.fixture(scope="module")
def depth() -> dict:
    return small_results.depth()["summary"]


@pytest.fixture(scope="module")
def part_two(png, circular_law, depth) -> dict:
    return make_part_two(png, circular_law, depth, small_results.jacobian()["summary"])


@pytest.fixture(scope="module")
def recorded_page(part_two, png) -> tuple[str, list]:
    recorded: list = []
    return render_page(part_two, png, lambda v, _: recorded.append(v)), recorded


@pytest.fixture(scope="module")
def page(recorded_page) -> str:
    return recorded_page[0]


def test_section_is_absent_without_part_two(png) -> None:
    html = render_page(None, png)
    assert 'id="part-two"' not in html
    assert "part two" not in html.lower()


def test_section_and_contents_entry_with_part_two(page) -> None:
    assert '<a href="#part-two">Part two' in page
    assert page.index('<section id="experiments">') < page.index(
        '<section id="part-two">'
    )


def test_every_number_part_two_shows_is_in_numbers_json(png, part_two) -> None:
    """Each number a filter formats or a template prints in part two is a number
    the paper export carries, so the page and numbers.json cannot disagree."""
    without: list = []
    render_page(None, png, lambda value, _: without.append(value))
    with_part_two: list = []
    render_page(part_two, png, lambda value, _: with_part_two.append(value))
    shown = list(with_part_two)
    for value in without:  # part one's numbers, shown on both pages
        shown.remove(value)
    summaries = NAMESPACES
    exported = set(
        collect_numbers({}, {name: part_two[name] for name in summaries}).values()
    )
    assert shown, "part two showed no numbers"
    # None is a signal that vanished to exactly 0, which the page shows as 0.
    missing = sorted(
        {value for value in shown if value is not None and value not in exported},
        key=str,
    )
    assert not missing, f"shown but not exported: {missing}"


def _template_code(path: Path) -> list[str]:
    """The expressions and statements of a template, string literals blanked."""
    text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
    code = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text, flags=re.S)
    return [re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', '""', c) for c in code]


@pytest.mark.parametrize("path", PART_TWO_TEMPLATES, ids=lambda p: p.name)
def test_templates_hold_no_arithmetic_or_counters(path) -> None:
    for code in _template_code(path):
        assert "namespace(" not in code, code
        assert not re.search(r"\|\s*(sum|round|int|float|abs|max|min)\b", code), code
        assert not re.search(r"[*/%+]|\s-\s|\*\*", code.strip("{}%")), code


def test_template_check_catches_arithmetic(tmp_path) -> None:
    """The check above is not vacuous: it flags a product and a counter."""
    for source in (
        "{{ (a * b)|number }}",
        "{% set n = namespace(x=0) %}",
        "{{ rows|sum }}",
    ):
        path = tmp_path / "t.html.j2"
        path.write_text(source, encoding="utf-8")
        with pytest.raises(AssertionError):
            test_templates_hold_no_arithmetic_or_counters(path)


def test_math_is_mathml_not_ascii(page) -> None:
    section = part_two_of(page)
    assert section.count("<math") > 50
    prose = text_of(section)
    for ascii_math in ("sqrt(", "sqrt{", "\\", "^2", "->", "rho(", "sigma_max", "$"):
        assert ascii_math not in prose, ascii_math
    parse_strictly(page)


def test_code_names_are_not_in_sentences(page, depth) -> None:
    prose = text_of(part_two_of(page))
    for code_name in ("xavier_uniform", "growth_per_layer", "finite_size", "_"):
        assert code_name not in prose, code_name
    for scheme in depth["schemes"].values():
        assert scheme["name"] in prose


def _with_disagreement(part_two: dict, index: int) -> dict:
    """Part two with the family's verdict on comparison ``index`` turned over,
    so the dagger tests see one disagreement whatever the small runs give."""
    tests = [dict(test) for test in part_two["comparisons"]["tests"]]
    tests[index]["disagrees"] = not tests[index]["disagrees"]
    return dict(part_two, comparisons=dict(part_two["comparisons"], tests=tests))


def _rows(html: str, table_class: str) -> list[list[str]]:
    """Each table of that class as its body rows' markup."""
    section = part_two_of(html)
    tables = section.split(f'class="{table_class}"')[1:]
    return [
        table[: table.index("</tbody>")].split("<tbody>")[1].split("<tr>")[1:]
        for table in tables
    ]


def _daggers(rows: list[str]) -> list[int]:
    return [row.count("&dagger;") for row in rows]


def test_edge_table_sets_theory_and_dagger_beside_every_size(
    png, part_two, circular_law
) -> None:
    tests = part_two["comparisons"]["tests"]
    index = next(
        i
        for i, test in enumerate(tests)
        if test["part"] == "circular_law"
        and test["quantity"] == "sigma_max_over_sqrt_k"
    )
    flipped = _with_disagreement(part_two, index)
    (rows, _), (flipped_rows, _) = (
        _rows(render_page(page_two, png), "numbers compact stack")[:2]
        for page_two in (part_two, flipped)
    )
    sizes = list(circular_law["sizes"].values())
    assert len(rows) == len(sizes)
    for row, entry in zip(rows, sizes, strict=True):
        assert f'<th scope="row" data-label="k">{entry["k"]}</th>' in row
        theory = entry["sigma_max_over_sqrt_k"]["finite_size"]["theory"]
        assert f"{theory:.3f}"[:4] in text_of(row)
    changed = [
        i
        for i, (a, b) in enumerate(zip(rows, flipped_rows, strict=True))
        if a.count("&dagger;") != b.count("&dagger;")
    ]
    assert [sizes[i]["k"] for i in changed] == [tests[index]["k"]]


def test_depth_tables_one_per_weight_mode_with_dagger_where_theory_disagrees(
    png, part_two, depth
) -> None:
    tests = part_two["comparisons"]["tests"]
    index = next(i for i, test in enumerate(tests) if test["part"] == "depth")
    tables = _rows(render_page(part_two, png), "numbers compact stack depth-table")
    flipped = _rows(
        render_page(_with_disagreement(part_two, index), png),
        "numbers compact stack depth-table",
    )
    assert len(tables) == len(depth["weight_sharing"])
    for weights, rows, flipped_rows in zip(
        depth["weight_sharing"], tables, flipped, strict=True
    ):
        entries = [
            entry[weights]
            for by_activation in depth["growth_per_layer"].values()
            for entry in by_activation.values()
            if weights in entry
        ]
        assert len(rows) == len(entries)
        for row, entry in zip(rows, entries, strict=True):
            assert f'class="text verdict-{entry["verdict"]}"' in row
        expected = [0] * len(rows)
        if weights == tests[index]["weights"]:
            row = [
                (scheme, activation)
                for scheme, by_activation in depth["growth_per_layer"].items()
                for activation, entry in by_activation.items()
                if weights in entry
            ].index((tests[index]["scheme"], tests[index]["activation"]))
            expected[row] = 1
        assert [
            b - a for a, b in zip(_daggers(rows), _daggers(flipped_rows), strict=True)
        ] == [(-1 if tests[index]["disagrees"] else 1) * e for e in expected]


def test_conclusion_follows_the_verdict_groups(page, depth) -> None:
    section = part_two_of(page)
    verdicts = section[section.index('<ul class="verdicts">') :]
    verdicts = verdicts[: verdicts.index("</ul>")]
    items = verdicts.split("<li>")[1:]
    groups = depth["verdict_groups"]["independent"]
    assert len(items) == len(groups)
    for item, group in zip(items, groups, strict=True):
        text = text_of(item)
        assert text.startswith(
            {"keeps": "Keep", "explodes": "Explode", "vanishes": "Vanish"}[
                group["verdict"]
            ]
        )
        for by_activation in group["activations"]:
            for scheme in by_activation["schemes"]:
                assert depth["schemes"][scheme]["name"] in text


def test_comparison_counts_are_quoted(page, part_two) -> None:
    prose = text_of(part_two_of(page))
    family = part_two["comparisons"]
    assert (
        f"Of {family['count']} comparisons with theory, {family['below_level']} fall"
        in prose
    )
    plural = "" if family["disagreements"] == 1 else "s"
    assert f"finds {family['disagreements']} disagreement{plural}." in prose


def test_kaiming_lecun_ratio_is_the_gain_ratio(page, depth) -> None:
    ratio = depth["kaiming_over_lecun"]["gain_ratio"]
    assert ratio == pytest.approx(math.sqrt(2), rel=1e-15)
    assert f"Kaiming's gain is {ratio:#.4g} times LeCun's" in text_of(page)


def test_subset_config_renders_without_shared_weights_or_tanh(png) -> None:
    depth = small_results.depth(
        k=8,
        layers=4,
        schemes=("lecun", "orthogonal"),
        activations=("linear",),
        weight_modes=("independent",),
    )["summary"]
    circular_law = small_results.circular_law()["summary"]
    html = render_page(make_part_two(png, circular_law, depth), png)
    section = part_two_of(html)
    assert "shared weights" not in text_of(section)
    assert "tanh" not in text_of(section)
    assert "Kaiming's gain" not in section
    assert section.count("<figure") == len(CIRCULAR_LAW_FIGURES) + 2


def test_figures_are_numbered_in_page_order(page, depth) -> None:
    figures = part_two_figure_list(
        [*depth_figure_names(depth["weight_sharing"]), *JACOBIAN_FIGURES]
    )
    section = part_two_of(page)
    shown = re.findall(r'<span class="figure-label">Figure (2\.\d+)\.</span>', section)
    assert shown == [figure["number"] for figure in figures.values()]
    for figure in figures.values():
        assert f'alt="{escape(figure["description"])}"' in section
    assert shown == [f"2.{n}" for n in range(1, len(shown) + 1)]


def test_page_is_valid_html5_without_network_references(page) -> None:
    parse_strictly(page)
    assert_offline(page)


def test_missing_number_is_an_error(png, part_two) -> None:
    broken = dict(part_two)
    depth = dict(part_two["depth"])
    del depth["keeps_band"]
    broken["depth"] = depth
    with pytest.raises(UndefinedError):
        render_page(broken, png)


def test_config_strings_are_escaped(png, part_two) -> None:
    depth = dict(part_two["depth"])
    schemes = {key: dict(value) for key, value in depth["schemes"].items()}
    schemes["lecun"]["name"] = "<b>LeCun</b>"
    depth["schemes"] = schemes
    html = render_page(dict(part_two, depth=depth), png)
    assert "&lt;b&gt;LeCun&lt;/b&gt;" in html and "<b>LeCun</b>" not in html


def test_every_part_two_figure_has_a_caption() -> None:
    names = [
        *CIRCULAR_LAW_FIGURES,
        *depth_figure_names(["independent", "shared"]),
        *JACOBIAN_FIGURES,
    ]
    for name in names:
        assert (REPORT_DIR / "captions" / f"part_two_{name}.html.j2").is_file()


def test_mathml_is_inline_math_without_namespace_url() -> None:
    markup = str(mathml(r"\sqrt{k}"))
    assert markup.startswith('<math display="inline">')
    assert "<msqrt>" in markup and "http" not in markup


def test_prose_math_typesets_formulas_and_escapes_the_rest() -> None:
    markup = str(prose_math(r"entries $N(0, 1/k)$ & <more>"))
    assert markup.startswith("entries <math")
    assert markup.endswith(" &amp; &lt;more&gt;")
    assert markup.count("<math") == 1


def test_every_scheme_description_typesets() -> None:
    """Each registry description's formulas parse as LaTeX and leave no dollar."""

    for scheme in SCHEMES:
        markup = str(prose_math(SCHEMES[scheme].description))
        assert "$" not in markup and "\\" not in markup


def test_percent() -> None:
    assert percent(0.0374, 2) == "3.7%"
    assert percent(0.374) == "37%"
    assert percent(-0.5, 2) == "\u221250%"


def test_figure_numbers_follow_the_weight_modes() -> None:
    one_mode = part_two_figure_list(depth_figure_names(["shared"]))
    assert list(one_mode) == [*CIRCULAR_LAW_FIGURES, "norms_shared", "growth"]
    assert one_mode["growth"]["number"] == f"2.{len(CIRCULAR_LAW_FIGURES) + 2}"


def test_jacobian_table_sets_each_setting_beside_its_forward_verdict(
    page, part_two
) -> None:
    section = part_two_of(page)
    jacobian = part_two["jacobian"]
    table = section[section.index('<h3 id="jacobian">') :]
    table = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = table.split("<tr>")[1:]
    settings = [
        setting
        for by_activation in jacobian["settings"].values()
        for setting in by_activation.values()
    ]
    assert len(rows) == len(settings) == 9
    for row, setting in zip(rows, settings, strict=True):
        shape = setting["isometry"]["shape"].replace("_", " ")
        assert shape.replace("ill conditioned", "ill-conditioned") in text_of(row)
        assert setting["forward"]["verdict"] in text_of(row)
        if setting["isometry"]["spread_decades"] is None:
            assert "&infin;" in row
        else:
            assert f"{setting['isometry']['spread_decades']:.2f}" in text_of(row)


def test_shared_weights_alone_render_without_finite_size_theory(png) -> None:
    """With one matrix reused there is no finite-size theory to quote."""
    depth = small_results.depth(
        k=8, layers=4, schemes=("lecun", "kaiming"), weight_modes=("shared",)
    )["summary"]
    circular_law = small_results.circular_law()["summary"]
    section = part_two_of(render_page(make_part_two(png, circular_law, depth), png))
    assert "as exact theory says" not in section
    assert "shared weights" in text_of(section)


PART_TWO_WORDS = 1600


def test_part_two_keeps_its_reading_budget(page) -> None:
    section = part_two_of(page)
    assert 800 < words(section) <= PART_TWO_WORDS
    crowded = [b for n, b in numbers_per_block(section) if n > 10]
    assert not crowded, crowded
    assert glued(section) == []
