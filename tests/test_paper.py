"""Paper exports: macro names LaTeX accepts, and values that round-trip."""

import json
import re

import pytest
import yaml

import small_results
from eigeninit.paper import (
    collect_numbers,
    experiment_suffixes,
    exported,
    latex_text,
    macro_name,
    numbers_table,
    numbers_tex,
)
from eigeninit.part_two_summary import comparisons
from eigeninit.schemas import quoted_numbers
from eigeninit.summary import summarize
from workflow_runner import PROJECT

NEWCOMMAND = re.compile(r"^\\newcommand\{\\([A-Za-z]+)\}\{(.+)\}$")


def test_macro_names_are_letters_only():
    assert macro_name("post", "stretching_factor") == "PostStretchingFactor"
    assert macro_name("circular_law", "k", 1024) == "CircularLawKOneZeroTwoFour"
    assert macro_name("my-run_2", "x") == "MyRunTwoX"


@pytest.mark.parametrize(
    ("shown", "latex"),
    [
        ("2.60359", "2.60359"),
        ("2.60", "2.60"),
        ("\u22120.0196", r"\ensuremath{-0.0196}"),
        ("3.8 × 10<sup>\u22129</sup>", r"\ensuremath{3.8\times 10^{-9}}"),
        ("10<sup>60.2</sup>", r"\ensuremath{10^{60.2}}"),
        ("37%", r"37\%"),
        ("15", "15"),
    ],
)
def test_numbers_are_exported_as_the_page_prints_them(shown, latex):
    assert latex_text(shown) == latex


def test_anything_but_a_number_is_refused():
    with pytest.raises(ValueError, match="not a number"):
        latex_text("none")


def test_only_shown_quoted_numbers_are_exported_with_their_first_text():
    summary = small_results.experiment("post")["summary"]
    radius = summary["spectral_radius"]
    shown = [(radius, "3.36"), (radius, "3.358932"), (0.123456789, "0.12"), (7, None)]
    numbers, texts, sources = exported({"post": summary}, {}, shown)
    assert numbers["PostSpectralRadius"] == radius
    assert texts["PostSpectralRadius"] == "3.36"
    assert sources["PostSpectralRadius"] == "post: spectral_radius"
    assert 0.123456789 not in numbers.values()  # shown, but no summary quotes it
    assert "PostConvergenceRatio" not in numbers  # quoted, but not shown
    table = numbers_table(numbers, texts, sources)
    assert "| `\\PostSpectralRadius` | `3.36` |" in table


def test_every_experiment_macro_is_among_those_the_config_check_knows():
    """The check refuses colliding names from the schema alone: it must know
    every macro an experiment's summary can give."""
    run = small_results.experiment("published")
    published = yaml.safe_load((PROJECT / "config" / "experiments.yaml").read_text())[
        "published"
    ]["published_values"]
    summary = summarize(run["matrix"], run["spectrum"], run["iterations"], published)
    given = {macro_name(*parts) for parts, _ in quoted_numbers("experiment", summary)}
    assert {"PrintedStretchingFactor", "SettledNormBandHigh"} <= given
    assert given <= experiment_suffixes()


def test_two_numbers_under_one_name_are_refused():
    summary = small_results.experiment("post")["summary"]
    with pytest.raises(ValueError, match=r"two numbers would be exported as \\PostK"):
        collect_numbers({"post": summary, "Post": summary}, {})


@pytest.mark.workflow
def test_exports_of_the_tiny_run_say_what_the_page_says(workdir):
    """Every macro is a number the page shows, printed as the page prints it;
    numbers.json has the same names, unrounded; numbers.md describes each."""
    results = workdir / "results"
    paper = results / "paper"
    numbers = json.loads((paper / "numbers.json").read_text())
    lines = (paper / "numbers.tex").read_text().splitlines()
    macros = dict(
        NEWCOMMAND.match(line).groups() for line in lines if line.startswith("\\")
    )
    assert macros.keys() == numbers.keys() and len(numbers) > 100
    shown = json.loads((results / "report_numbers.json").read_text())
    page_texts = {
        float(v): t for v, t in reversed(shown) if t is not None and v is not None
    }
    page = (results / "report.html").read_text()
    for name, value in numbers.items():
        assert latex_text(page_texts[float(value)]) == macros[name], name
        assert page_texts[float(value)] in page, name
    table = (paper / "numbers.md").read_text()
    assert all(f"`\\{name}`" in table for name in numbers)
    summary = json.loads(
        (results / "experiments" / "post" / "summary.json").read_text()
    )
    assert numbers["PostSpectralRadius"] == summary["spectral_radius"]
    assert "DepthGrowthLecunLinearIndependentTheory" in numbers
    figures = sorted(
        path.relative_to(paper / "figures").as_posix()
        for path in (paper / "figures").rglob("*.pdf")
    )
    assert "experiments/post-norm.pdf" in figures and "depth-growth.pdf" in figures
    assert all(
        (paper / "figures" / name).read_bytes().startswith(b"%PDF") for name in figures
    )


def test_part_two_numbers_follow_the_summary_schemas():
    """Names as the README documents them; a setting without theory has no
    theory macro; a z-score only beside a finite-size value."""
    circular = small_results.circular_law(sizes=(4,), seeds=4)["summary"]
    depth = small_results.depth(
        k=8, layers=3, schemes=("lecun",), activations=("linear", "tanh")
    )["summary"]
    family = comparisons(circular, depth)
    numbers = collect_numbers(
        {}, {"circular_law": circular, "depth": depth, "comparisons": family}
    )
    entry = depth["growth_per_layer"]["lecun"]["linear"]["independent"]
    assert numbers["DepthGrowthLecunLinearIndependent"] == entry["mean"]
    assert numbers["DepthGrowthLecunLinearIndependentLow"] == entry["ci95"][0]
    assert numbers["DepthGrowthLecunLinearIndependentLimit"] == entry["limit"]
    block = entry["finite_size"]
    assert numbers["DepthGrowthLecunLinearIndependentTheory"] == block["theory"]
    assert numbers["DepthGrowthLecunLinearIndependentTheorySe"] == 0
    assert numbers["DepthGrowthLecunLinearIndependentZScore"] == block["z_score"]
    assert "DepthGrowthLecunTanhShared" in numbers
    assert "DepthGrowthLecunTanhSharedLimit" not in numbers
    assert "DepthGrowthLecunTanhSharedTheory" not in numbers
    assert "DepthGrowthLecunTanhSharedZScore" not in numbers
    sigma = circular["sizes"]["4"]["sigma_max_over_sqrt_k"]
    assert (
        numbers["CircularLawKFourSigmaMaxOverSqrtKZScore"]
        == (sigma["finite_size"]["z_score"])
    )
    assert numbers["DepthK"] == 8 and numbers["CircularLawMatricesPerSize"] == 4
    assert numbers["ComparisonsCount"] == family["count"]
    assert numbers_tex(dict.fromkeys(numbers, "1")).count("\\newcommand") == len(
        numbers
    )
