"""Part two of the write-up: the circular law and signals through depth.

The part-two data are built here, in the shape the summarize rules write them,
so these tests need no pipeline run and never read results/.
"""

import math
import re
from html import unescape
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from eigeninit.circular_law import (
    asymptotic_real_eigenvalues,
    expected_real_eigenvalues,
)
from eigeninit.depth import WEIGHT_MODES
from eigeninit.figures import FIGURES
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES, depth_figure_names
from eigeninit.part_two_summary import verdict
from eigeninit.scheme_facts import limit_explanation, limit_growth
from eigeninit.stats import proportion_ci95
from eigeninit.writeup import (
    decay_exponent,
    fixed,
    geometric_shortfall,
    growth_bounds,
    log10_range,
    math_text,
    number,
    render,
    ten_to,
    theory_misses,
    unique_explanations,
    verdict_groups,
)
from pages import PROVENANCE, REPORT_DIR, assert_offline, make_summary, parse_strictly

SCHEMES = ("standard", "lecun", "xavier_uniform", "kaiming", "orthogonal", "eigen")
SCHEMES += ("spectral",)
ACTIVATIONS = ("linear", "relu", "tanh")
SATURATION = "saturation, not a well-scaled layer"
CAVEATS = "Where a theory value falls outside its measured band"

# Numbers the lead checks in the rendered page (from a real run, k = 1024 and 256).
EDGE_1024 = {
    "spectral_radius_over_sqrt_k": (
        1.0223134479525342,
        [1.0194543426129248, 1.0251725532921436],
    ),
    "sigma_max_over_sqrt_k": (
        1.9948056058127586,
        [1.992513595563293, 1.997097616062224],
    ),
}
MEASURED = {
    ("kaiming", "relu", "independent"): (
        0.9942350164431975,
        [0.9903596478520745, 0.9981103850343204],
    ),
    ("lecun", "linear", "independent"): (
        0.999681425215653,
        [0.9974267956472541, 1.0019360547840517],
    ),
    ("lecun", "relu", "independent"): (
        0.7051047020902462,
        [0.7026279353413983, 0.7075814688390941],
    ),
}
DOMINANT_REAL = {5: 17, 16: 17, 64: 11, 256: 3, 1024: 2}
TANH_GROWTH = {"standard": 0.9995963880753315, "kaiming": 0.988517910122658}


def band(mean: float, half_width: float) -> dict:
    return {"mean": mean, "ci95": [mean - half_width, mean + half_width]}


def make_circular_law(sizes=(5, 16, 64, 256, 1024), seeds: int = 32) -> dict:
    """A circular-law summary.json with edge numbers that approach their limits."""
    entries = {}
    for k in sizes:
        root = math.sqrt(k)
        entry = {
            "k": k,
            "spectral_radius_over_sqrt_k": band(1 + 0.7 / root, 0.12 / root),
            "sigma_max_over_sqrt_k": band(2 - 4.6 / k ** (2 / 3), 0.15 / root),
            "real_eigenvalue_count": band(expected_real_eigenvalues(k) - 0.04, 0.3),
            "expected_real_eigenvalues": expected_real_eigenvalues(k),
            "asymptotic_real_eigenvalues": asymptotic_real_eigenvalues(k),
            "disk_ks_statistic": 0.31 / root,
            "disk_ks_pvalue": 1.7e-4,
            "dominant_real_fraction": proportion_ci95(DOMINANT_REAL.get(k, 9), seeds),
        }
        if k == 1024:
            for key, (mean, ci95) in EDGE_1024.items():
                entry[key] = {"mean": mean, "ci95": ci95}
        entries[str(k)] = entry
    return {
        "sizes": entries,
        "seeds": seeds,
        "seed": 2020,
        "largest_size": max(sizes),
        "theory": {"spectral_radius_over_sqrt_k": 1.0, "sigma_max_over_sqrt_k": 2.0},
    }


def depth_entry(
    mean: float, ci95: list[float], theory: float | None, layers: int, stable: float
) -> dict:
    return {
        "mean": mean,
        "ci95": ci95,
        "theory": theory,
        "theory_in_band": None if theory is None else ci95[0] <= theory <= ci95[1],
        "log10_norm_ratio": layers * math.log10(mean),
        "verdict": verdict(mean, layers, stable),
    }


def make_depth(
    schemes=SCHEMES,
    activations=ACTIVATIONS,
    weights=WEIGHT_MODES,
    k: int = 256,
    layers: int = 50,
    stable_within: float = 2.0,
    measured: dict | None = None,
) -> dict:
    """A depth summary.json: limits from eigeninit.scheme_facts, measurements near."""
    measured = MEASURED | (measured or {})
    growth: dict = {}
    explanations: dict = {}
    for scheme in schemes:
        for activation in activations:
            for mode in weights:
                theory = limit_growth(scheme, activation, mode, k)
                if (scheme, activation, mode) in measured:
                    mean, ci95 = measured[scheme, activation, mode]
                else:
                    if activation == "tanh":
                        mean = TANH_GROWTH.get(scheme, 0.955)
                    elif theory is None:
                        mean = limit_growth(scheme, activation, "independent", k)
                    else:
                        mean = theory * (0.996 if mode == "independent" else 1.012)
                    ci95 = band(mean, 0.002 * mean)["ci95"]
                growth.setdefault(scheme, {}).setdefault(activation, {})[mode] = (
                    depth_entry(mean, ci95, theory, layers, stable_within)
                )
                text = limit_explanation(scheme, activation, mode)
                if text is not None:
                    explanations.setdefault(scheme, {}).setdefault(activation, {})[
                        mode
                    ] = text
    return {
        "k": k,
        "layers": layers,
        "seeds": 32,
        "seed": 2020,
        "stable_within": stable_within,
        "growth_per_layer": growth,
        "explanations": explanations,
    }


def make_part_two(png: Path, circular_law=None, depth=None) -> dict:
    circular_law = circular_law or make_circular_law()
    depth = depth or make_depth()
    modes = list(next(iter(next(iter(depth["growth_per_layer"].values())).values())))
    return {
        "circular_law": circular_law,
        "depth": depth,
        "figures": {
            "circular_law": dict.fromkeys(CIRCULAR_LAW_FIGURES, png),
            "depth": dict.fromkeys(depth_figure_names(modes), png),
        },
    }


def render_page(part_two: dict | None, png: Path) -> str:
    return render(
        {"post": make_summary("post")},
        {"post": dict.fromkeys(FIGURES, png)},
        narrative="post",
        provenance=PROVENANCE,
        template_dir=REPORT_DIR,
        stylesheet=REPORT_DIR / "style.css",
        part_two=part_two,
    )


def part_two_of(html: str) -> str:
    return html[html.index('<section id="part-two">') : html.index("</main>")]


def conclusion_of(html: str) -> str:
    start = html.index('<p class="conclusion">')
    return html[start : html.index("</p>", start)]


def text_of(html: str) -> str:
    """Markup-free text with whitespace collapsed, for phrases that span lines."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


@pytest.fixture(scope="module")
def default_part_two(png) -> dict:
    return make_part_two(png)


@pytest.fixture(scope="module")
def page(default_part_two, png) -> str:
    return render_page(default_part_two, png)


def test_section_is_absent_without_part_two(png) -> None:
    html = render_page(None, png)
    assert 'id="part-two"' not in html
    assert "part two" not in html.lower()


def test_section_and_contents_entry_with_part_two(page) -> None:
    assert '<a href="#part-two">Part two' in page
    assert page.index('<section id="experiments">') < page.index(
        '<section id="part-two">'
    )


def test_edge_numbers_at_the_largest_size_are_quoted(page, default_part_two) -> None:
    section = part_two_of(page)
    largest = default_part_two["circular_law"]["sizes"]["1024"]
    for key in EDGE_1024:
        entry = largest[key]
        for value in (entry["mean"], *entry["ci95"]):
            assert str(number(value, 5)) in section, (key, value)
    prose = text_of(section)
    assert "1.0223 (95% band 1.0195 to 1.0252)" in prose
    assert "1.9948 (95% band 1.9925 to 1.9971)" in prose


def test_every_size_is_quoted(page, default_part_two) -> None:
    section = part_two_of(page)
    for entry in default_part_two["circular_law"]["sizes"].values():
        for key in ("spectral_radius_over_sqrt_k", "sigma_max_over_sqrt_k"):
            assert str(number(entry[key]["mean"], 5)) in section
        assert str(number(entry["disk_ks_statistic"], 3)) in section
        assert str(number(entry["expected_real_eigenvalues"], 4)) in section
        assert str(number(entry["asymptotic_real_eigenvalues"], 4)) in section
        assert str(number(entry["real_eigenvalue_count"]["mean"], 4)) in section
        assert str(number(entry["dominant_real_fraction"]["mean"], 3)) in section


def test_dominant_real_share_is_quoted_at_both_ends(page) -> None:
    prose = text_of(part_two_of(page))
    assert "real for 17 of the 32 matrices, a share of 0.531" in prose
    assert "real for 2, a share of 0.0625" in prose
    assert "the size of part one's matrix" in prose


def test_p_values_are_not_quoted_but_explained(page, default_part_two) -> None:
    section = part_two_of(page)
    pvalue = default_part_two["circular_law"]["sizes"]["5"]["disk_ks_pvalue"]
    assert (
        str(number(pvalue, 2)) not in section and str(number(pvalue, 3)) not in section
    )
    assert "repel each other" in text_of(section)


def test_edge_excess_rate_is_reported(page, default_part_two) -> None:
    sizes = default_part_two["circular_law"]["sizes"]
    before = sizes["256"]["spectral_radius_over_sqrt_k"]["mean"] - 1
    after = sizes["1024"]["spectral_radius_over_sqrt_k"]["mean"] - 1
    rate = decay_exponent(256, before, 1024, after)
    prose = text_of(part_two_of(page))
    assert f"k{fixed(rate, 2)}" in prose
    assert str(number(before, 3)) in prose and str(number(after, 3)) in prose


def test_acceptance_growths_are_quoted(page) -> None:
    section = part_two_of(page)
    for mean, ci95 in MEASURED.values():
        assert str(number(mean, 5)) in section
        assert f"{number(ci95[0], 4)} to {number(ci95[1], 4)}" in section
    assert str(number(1 / math.sqrt(2), 5)) in section  # lecun relu's theory


def test_table_has_a_row_per_setting(page, default_part_two) -> None:
    tree = parse_strictly(page)
    table = tree.find(".//table[@class='numbers compact depth-table']")
    rows = table.findall("tbody/tr")
    growth = default_part_two["depth"]["growth_per_layer"]
    assert len(rows) == sum(
        len(by_weights)
        for by_scheme in growth.values()
        for by_weights in by_scheme.values()
    )
    verdicts = [row.findall("td")[-1].text for row in rows]
    assert verdicts == [
        entry["verdict"]
        for by_scheme in growth.values()
        for by_weights in by_scheme.values()
        for entry in by_weights.values()
    ]


def test_derivations_are_shown(page, default_part_two) -> None:
    prose = text_of(part_two_of(page))
    for explanation in unique_explanations(default_part_two["depth"]["explanations"]):
        assert math_text(explanation["text"]) in prose


def test_conclusion_groups_follow_the_verdicts(page) -> None:
    conclusion = text_of(conclusion_of(page))
    keeping = conclusion[conclusion.index("Keeping") : conclusion.index("Exploding")]
    exploding = conclusion[
        conclusion.index("Exploding") : conclusion.index("Vanishing")
    ]
    vanishing = conclusion[conclusion.index("Vanishing") :]
    assert "kaiming (independent 0.99424" in keeping
    assert "lecun (independent 0.99968" in keeping
    assert "lecun (independent 0.70510" in vanishing
    assert "standard (independent" in exploding


def test_conclusion_follows_changed_data(png) -> None:
    flipped = make_depth(
        measured={("lecun", "relu", "independent"): (0.999, [0.997, 1.001])}
    )
    html = render_page(make_part_two(png, depth=flipped), png)
    conclusion = text_of(conclusion_of(html))
    keeping = conclusion[conclusion.index("Keeping") : conclusion.index("Exploding")]
    assert "with relu, lecun (independent 0.99900" in keeping


def test_conclusion_without_any_keeper(png) -> None:
    depth = make_depth(schemes=("standard",), activations=("linear",))
    conclusion = text_of(
        conclusion_of(render_page(make_part_two(png, depth=depth), png))
    )
    assert "Keeping" not in conclusion and "Vanishing" not in conclusion
    assert "Exploding" in conclusion


def test_saturation_remark_only_with_standard_tanh(page, png) -> None:
    assert SATURATION in text_of(page)
    assert "16.0" in text_of(page)  # sqrt(k) at k = 256
    without_tanh = make_depth(activations=("linear", "relu"))
    html = render_page(make_part_two(png, depth=without_tanh), png)
    assert SATURATION not in text_of(html)
    without_standard = make_depth(schemes=("lecun", "kaiming"))
    html = render_page(make_part_two(png, depth=without_standard), png)
    assert SATURATION not in text_of(html)


def test_subset_config_renders_without_shared_weights(png) -> None:
    depth = make_depth(
        schemes=("lecun", "kaiming"),
        activations=("relu",),
        weights=("independent",),
        k=128,
        layers=20,
    )
    circular_law = make_circular_law(sizes=(8, 32))
    part_two = make_part_two(png, circular_law=circular_law, depth=depth)
    assert "norms_shared" not in part_two["figures"]["depth"]
    html = render_page(part_two, png)
    section = part_two_of(html)
    prose = text_of(section)
    assert "shared" not in prose
    assert "Large-depth limits" not in prose
    assert SATURATION not in prose
    assert "Figure 6." in section  # part one showed five figures
    tree = parse_strictly(html)
    assert len(tree.findall(".//img")) == 5 + len(CIRCULAR_LAW_FIGURES) + 2
    assert "with relu, kaiming (0.99424)" in text_of(conclusion_of(html))
    assert "At k = 32 it is real for 9" in prose


def test_single_size_needs_no_rate(png) -> None:
    part_two = make_part_two(png, circular_law=make_circular_law(sizes=(64,)))
    prose = text_of(part_two_of(render_page(part_two, png)))
    assert "shrinks slowly" not in prose
    assert "it is real for" not in prose
    assert "real for 11 of the 32 matrices" in prose


def test_caveats_only_where_theory_misses_the_band(page, png) -> None:
    prose = text_of(part_two_of(page))
    assert CAVEATS in prose
    assert "Large-depth limits" in prose and "Large-k limits" in prose
    assert "Root-mean-square against geometric mean" in prose
    inside = make_depth(activations=("tanh",))
    html = render_page(make_part_two(png, depth=inside), png)
    assert CAVEATS not in text_of(html)


def test_geometric_mean_caveat_quotes_the_corrected_theory(page) -> None:
    estimate = 1.0 * geometric_shortfall("relu", 256)  # kaiming relu's theory is 1
    prose = text_of(part_two_of(page))
    assert f"{number(estimate, 5)} for kaiming · relu" in prose


def test_finite_k_caveat_needs_the_depth_width_among_the_sizes(png) -> None:
    part_two = make_part_two(png, circular_law=make_circular_law(sizes=(16, 64)))
    prose = text_of(part_two_of(render_page(part_two, png)))
    assert "does not include k = 256" in prose


def test_config_strings_are_escaped(png) -> None:
    hostile = "<script>alert(1)</script>"
    depth = make_depth(schemes=("lecun",), activations=("linear",))
    growth = depth["growth_per_layer"]
    growth[hostile] = growth["lecun"]
    depth["explanations"]["lecun"]["linear"]["independent"] = hostile
    html = render_page(make_part_two(png, depth=depth), png)
    assert hostile not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_page_is_valid_html5_without_network_references(page) -> None:
    tree = parse_strictly(page)
    images = tree.findall(".//img")
    assert len(images) == 5 + len(CIRCULAR_LAW_FIGURES) + len(WEIGHT_MODES) + 1
    for image in images:
        assert image.get("alt")
        assert image.get("src").startswith("data:image/png;base64,")
    wrappers = [
        div
        for div in tree.iter("div")
        if "table-scroll" in (div.get("class") or "").split()
    ]
    assert len(wrappers) == len(tree.findall(".//table"))
    assert_offline(page)
    assert "url(" not in page
    ids = [element.get("id") for element in tree.iter() if element.get("id")]
    assert len(ids) == len(set(ids))


def test_figures_continue_part_one_numbering(page) -> None:
    labels = re.findall(r"Figure (\d+)\.</span>", part_two_of(page))
    assert labels == [str(n) for n in range(6, 6 + len(labels))]


def test_missing_number_is_an_error(png) -> None:
    circular_law = make_circular_law()
    del circular_law["sizes"]["1024"]["disk_ks_statistic"]
    with pytest.raises(UndefinedError):
        render_page(make_part_two(png, circular_law=circular_law), png)


def test_every_part_two_figure_has_a_caption() -> None:
    for name in [*CIRCULAR_LAW_FIGURES, *depth_figure_names(list(WEIGHT_MODES))]:
        assert (REPORT_DIR / "captions" / f"part_two_{name}.html.j2").is_file(), name


def test_ten_to() -> None:
    assert str(ten_to(60.16972544577328)) == "10<sup>60.2</sup>"
    assert str(ten_to(-7.587)) == "10<sup>\u22127.6</sup>"
    assert str(ten_to(-0.6)) == "0.251"
    assert str(ten_to(None)) == "0"


def test_growth_bounds() -> None:
    low, high = growth_bounds(2.0, 50)
    assert low**50 == pytest.approx(0.5) and high**50 == pytest.approx(2.0)
    for growth in (low * 0.999, high * 1.001):
        assert verdict(growth, 50, 2.0) != "keeps"
    assert verdict(low * 1.001, 50, 2.0) == verdict(high * 0.999, 50, 2.0) == "keeps"


def test_geometric_shortfall() -> None:
    assert geometric_shortfall("linear", 256) == pytest.approx(math.exp(-1 / 512))
    assert geometric_shortfall("relu", 256) == pytest.approx(math.exp(-5 / 1024))
    assert geometric_shortfall("tanh", 256) is None


def test_decay_exponent() -> None:
    assert decay_exponent(16, 0.5, 64, 0.25) == pytest.approx(-0.5)
    assert decay_exponent(16, -0.1, 64, 0.25) is None
    assert decay_exponent(16, 0.1, 16, 0.1) is None


def test_verdict_groups_and_ranges() -> None:
    growth = make_depth(schemes=("standard", "lecun"), activations=("linear", "relu"))[
        "growth_per_layer"
    ]
    groups = verdict_groups(growth)
    assert list(groups) == ["keeps", "explodes", "vanishes"]
    assert list(groups["keeps"]) == ["linear"]
    assert list(groups["keeps"]["linear"]) == ["lecun"]
    assert list(groups["explodes"]) == ["linear", "relu"]
    lowest, highest = log10_range(groups["explodes"])
    ratios = [
        growth["standard"][activation][mode]["log10_norm_ratio"]
        for activation in ("linear", "relu")
        for mode in WEIGHT_MODES
    ]
    assert (lowest, highest) == (min(ratios), max(ratios))


def test_verdict_groups_split_disagreeing_weight_modes() -> None:
    growth = make_depth(
        schemes=("eigen",),
        activations=("linear",),
        measured={
            ("eigen", "linear", "independent"): (0.96, [0.958, 0.962]),
            ("eigen", "linear", "shared"): (1.001, [0.99, 1.01]),
        },
    )["growth_per_layer"]
    groups = verdict_groups(growth)
    assert list(groups["keeps"]["linear"]["eigen"]) == ["shared"]
    assert list(groups["vanishes"]["linear"]["eigen"]) == ["independent"]


def test_theory_misses_by_reason() -> None:
    growth = make_depth()["growth_per_layer"]
    misses = theory_misses(growth)
    reasons = {
        reason: {
            (item["scheme"], item["activation"], item["weights"]) for item in items
        }
        for reason, items in misses.items()
    }
    assert ("kaiming", "linear", "independent") in reasons["geometric"]
    assert ("eigen", "relu", "independent") in reasons["finite_k"]
    assert ("lecun", "linear", "shared") in reasons["depth"]
    every = set().union(*reasons.values())
    assert all(growth[s][a][w]["theory_in_band"] is False for s, a, w in every)


def test_unique_explanations_merge_identical_sentences() -> None:
    explanations = make_depth(schemes=("lecun", "xavier_uniform"))["explanations"]
    merged = unique_explanations(explanations)
    first = merged[0]
    assert [item["scheme"] for item in first["settings"]] == ["lecun", "xavier_uniform"]
    assert len({item["text"] for item in merged}) == len(merged)


def test_math_text() -> None:
    assert math_text("s = sqrt(k)") == "s = \u221ak"
    assert math_text("sqrt(k/2) -> 1") == "\u221a(k/2) \u2192 1"
    assert math_text("|x|^2, 1 - O(1/k), exp(-1/(2k))") == (
        "|x|\u00b2, 1 \u2212 O(1/k), exp(\u22121/(2k))"
    )
    assert math_text("zero-mean, rho(W), sigma_max(G)") == (
        "zero-mean, \u03c1(W), \u03c3max(G)"
    )
