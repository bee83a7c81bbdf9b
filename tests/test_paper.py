"""Paper exports: macro names LaTeX accepts, and values that round-trip."""

import json
import re

import pytest
import yaml

import small_results
from eigeninit.paper import (
    collect_numbers,
    experiment_suffixes,
    latex_number,
    macro_name,
    numbers_tex,
)
from eigeninit.part_two_summary import comparisons
from eigeninit.schemas import quoted_numbers
from eigeninit.summary import summarize
from workflow_runner import PROJECT

NEWCOMMAND = re.compile(r"^\\newcommand\{\\([A-Za-z]+)\}\{(.+)\}$")


def parse_latex_number(text: str) -> float:
    scientific = re.fullmatch(r"\\ensuremath\{(.+)\\times 10\^\{(-?\d+)\}\}", text)
    if scientific:
        return float(scientific.group(1)) * 10 ** int(scientific.group(2))
    return float(re.fullmatch(r"(?:\\ensuremath\{)?(.+?)\}?", text).group(1))


def test_macro_names_are_letters_only():
    assert macro_name("post", "stretching_factor") == "PostStretchingFactor"
    assert macro_name("circular_law", "k", 1024) == "CircularLawKOneZeroTwoFour"
    assert macro_name("my-run_2", "x") == "MyRunTwoX"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.358932017451867, "3.3589"),
        (0.0625, "0.062500"),
        (15.4016, "15.402"),
        (100, "100"),
        (3.7642e-9, r"\ensuremath{3.7642\times 10^{-9}}"),
        (2.4e7, r"\ensuremath{2.4000\times 10^{7}}"),
        (99999.4, "99999"),
        (99999.5, r"\ensuremath{1.0000\times 10^{5}}"),
        (123456.0, r"\ensuremath{1.2346\times 10^{5}}"),
        (999999.0, r"\ensuremath{1.0000\times 10^{6}}"),
        (0.0, "0.0000"),
        (-0.019624981864606993, r"\ensuremath{-0.019625}"),
        (-7, r"\ensuremath{-7}"),
        (-3.7642e-9, r"\ensuremath{-3.7642\times 10^{-9}}"),
    ],
)
def test_rounding(value, text):
    assert latex_number(value) == text
    assert parse_latex_number(text) == pytest.approx(value, rel=1e-4)


def test_every_experiment_macro_is_among_those_the_config_check_knows():
    """The check refuses colliding names from the schema alone: it must know
    every macro an experiment's summary can give."""
    run = small_results.experiment("published")
    published = yaml.safe_load((PROJECT / "config" / "experiments.yaml").read_text())[
        "published"
    ]["published_values"]
    summary = summarize(run["matrix"], run["spectrum"], run["iterations"], published)
    given = {macro_name(*parts) for parts, _ in quoted_numbers("experiment", summary)}
    assert {"PublishedStretchingFactor", "SettledNormBandHigh"} <= given
    assert given <= experiment_suffixes()


def test_two_numbers_under_one_name_are_refused():
    summary = small_results.experiment("post")["summary"]
    with pytest.raises(ValueError, match=r"two numbers would be exported as \\PostK"):
        collect_numbers({"post": summary, "Post": summary}, {})


def test_non_finite_values_are_refused():
    with pytest.raises(ValueError):
        latex_number(float("inf"))


@pytest.mark.workflow
def test_exports_of_the_tiny_run_round_trip(workdir):
    paper = workdir / "results" / "paper"
    numbers = json.loads((paper / "numbers.json").read_text())
    lines = (paper / "numbers.tex").read_text().splitlines()
    macros = dict(
        NEWCOMMAND.match(line).groups() for line in lines if line.startswith("\\")
    )
    assert macros.keys() == numbers.keys()
    for name, value in numbers.items():
        assert parse_latex_number(macros[name]) == pytest.approx(
            value, rel=1e-4, abs=1e-12
        )
    summary = json.loads(
        (workdir / "results" / "experiments" / "post" / "summary.json").read_text()
    )
    assert numbers["PostStretchingFactor"] == summary["stretching_factor"]
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
    assert numbers["DepthGrowthLecunLinearIndependentTheory"] == entry["limit"]
    block = entry["finite_size"]
    assert numbers["DepthGrowthLecunLinearIndependentFiniteSize"] == block["theory"]
    assert numbers["DepthGrowthLecunLinearIndependentFiniteSizeSe"] == 0
    assert numbers["DepthGrowthLecunLinearIndependentZScore"] == block["z_score"]
    assert "DepthGrowthLecunTanhShared" in numbers
    assert "DepthGrowthLecunTanhSharedTheory" not in numbers
    assert "DepthGrowthLecunTanhSharedFiniteSize" not in numbers
    assert "DepthGrowthLecunTanhSharedZScore" not in numbers
    sigma = circular["sizes"]["4"]["sigma_max_over_sqrt_k"]
    assert (
        numbers["CircularLawKFourSigmaMaxOverSqrtKZScore"]
        == (sigma["finite_size"]["z_score"])
    )
    assert numbers["DepthK"] == 8 and numbers["CircularLawMatricesPerSize"] == 4
    assert numbers["ComparisonsCount"] == family["count"]
    assert numbers_tex(numbers).count("\\newcommand") == len(numbers)
