"""Degenerate but legal matrices, each with a spectrum known exactly.

The zero matrix and a nilpotent one (every eigenvalue 0), the defective Jordan
block with 3 on the diagonal, an exact tie in modulus (3 and -3), a rotation by
a rational angle and the identity: iteration, classification, spectrum,
summary and figures each give a deliberate answer, never NaN or a crash.
"""

import json
import math

import numpy as np
import pytest

from eigeninit import power
from eigeninit.datasets import complex_values
from eigeninit.figure_style import save
from eigeninit.figures import FIGURES
from eigeninit.jsonio import canonical_json
from eigeninit.number_format import linear_norm_exponent
from eigeninit.spectrum import REAL
from eigeninit.summary import FLOAT64_RESOLUTION, summarize
from matrices import datasets_for, rotation_scaling

FULL_AGREEMENT = -np.log10(FLOAT64_RESOLUTION)
JORDAN = np.array([[3.0, 1.0], [0.0, 3.0]])
SHIFT = np.diag([1.0, 1.0], k=1)  # x -> (x2, x3, 0): A^3 = 0 exactly


def summary_of(matrix, iterations=60):
    matrix_ds, spectrum_ds, iterations_ds = datasets_for(matrix, iterations)
    summary = summarize(matrix_ds, spectrum_ds, iterations_ds, {})
    json.loads(canonical_json(summary))  # strict JSON: no NaN or inf anywhere
    return summary, (matrix_ds, spectrum_ds, iterations_ds)


def test_the_zero_matrix_vanishes_after_one_product():
    run = power.iterate(np.zeros((3, 3)), np.array([1.0, 2.0, 2.0]), 5)
    assert run.stretch.tolist() == [3.0, 0.0, 0.0, 0.0, 0.0]
    assert run.vanished
    assert np.isnan(run.quotient[[0, 2, 3, 4]]).all() and run.quotient[1] == 0
    assert run.log10_norm[0] == pytest.approx(np.log10(3.0))
    assert np.isneginf(run.log10_norm[1:]).all()


def test_a_nilpotent_matrix_vanishes_after_its_index():
    run = power.iterate(SHIFT, np.array([1.0, 1.0, 1.0]), 6)
    # x(1) = (1, 1, 0), x(2) = (1, 0, 0), x(3) = 0.
    np.testing.assert_allclose(run.norm, [np.sqrt(3), np.sqrt(2), 1, 0, 0, 0])


@pytest.mark.parametrize("matrix", [np.zeros((3, 3)), SHIFT], ids=["zero", "shift"])
def test_vanishing_runs_report_zero_growth(matrix):
    summary, _ = summary_of(matrix)
    assert summary["dominant"] == power.VANISHED
    assert summary["spectral_radius"] == 0.0
    assert summary["stretching_factor"] == 0.0
    assert summary["agreement_digits"] == FULL_AGREEMENT
    assert summary["dominant_agrees"]
    assert summary["last_quotient"] is None
    assert summary["final_log10_norm"] is None
    assert summary["convergence_ratio"] == 0.0
    # Nothing to divide by: the rescaled run repeats A.
    assert summary["rescaled_by"] == 1.0
    assert summary["rescaled_dominant"] == power.VANISHED


def test_the_defective_jordan_block_is_a_repeated_real_root():
    summary, (_, spectrum, _) = summary_of(JORDAN)
    assert summary["dominant"] == power.REPEATED_REAL
    assert summary["dominant_from_spectrum"] == REAL
    assert summary["dominant_agrees"]
    # The double root comes from sqrt(a^2 + 4b) with a^2 + 4b = 0 up to
    # rounding, so it is resolved to about sqrt(eps), not to eps.
    assert summary["stretching_factor"] == pytest.approx(3.0, rel=1e-6)
    assert "rotation_degrees" not in summary
    # The generalized eigenvector belongs to the dominant subspace: all of R^2.
    assert spectrum["dominant_basis"].shape == (2, 2)
    assert summary["final_alignment"] == pytest.approx(1.0, abs=1e-12)
    assert summary["convergence_ratio"] == 0.0


def test_an_exact_tie_in_modulus_gets_no_stretching_factor():
    summary, (_, spectrum, _) = summary_of(np.diag([3.0, -3.0, 1.0]))
    assert summary["dominant"] == power.UNDETERMINED
    assert summary["stretching_factor"] is None
    assert summary["agreement_digits"] is None
    # The last quotient keeps its own key: its true value alternates between
    # two levels, so it is reported but not called a stretching factor.
    assert summary["last_quotient"] > 0
    assert spectrum["dominant_basis"].shape == (3, 2)
    assert summary["convergence_ratio"] == pytest.approx(1 / 3, rel=1e-12)


def test_a_rotation_by_sixty_degrees():
    summary, _ = summary_of(rotation_scaling(1.0, np.pi / 3))
    assert summary["dominant"] == "complex pair"
    assert summary["rotation_degrees"] == pytest.approx(60.0, rel=1e-12)
    assert summary["stretching_factor"] == pytest.approx(1.0, rel=1e-12)
    # A rotation keeps every length: the quotient is 1 at every step.
    assert summary["quotient_spread"] == pytest.approx(0.0, abs=1e-12)


def test_the_identity_is_real_with_stretch_one():
    summary, (_, spectrum, _) = summary_of(np.eye(3))
    assert summary["dominant"] == REAL
    assert summary["stretching_factor"] == 1.0
    assert summary["agreement_digits"] == FULL_AGREEMENT
    assert spectrum["dominant_basis"].shape == (3, 3)
    assert summary["final_alignment"] == pytest.approx(1.0, abs=1e-12)


def line_labelled(figure, label: str):
    [line] = [
        line for axes in figure.axes for line in axes.lines if line.get_label() == label
    ]
    return line


def shows(line, series: np.ndarray) -> bool:
    """Whether ``line`` shows ``series``: the same values where they are finite
    and inside the axes' view, and nothing inside the view where they are not
    (-inf, NaN, or below a log axis's floor, which is drawn on that floor)."""
    low, high = sorted(line.axes.get_ylim())
    drawn = np.asarray(line.get_ydata(), dtype=float)
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(series) & (series >= low) & (series <= high)
        stray = (drawn[~inside] > low) & (drawn[~inside] < high)
    return np.array_equal(drawn[inside], series[inside]) and not stray.any()


@pytest.mark.slow
@pytest.mark.parametrize(
    "matrix",
    [np.zeros((3, 3)), SHIFT, JORDAN, np.diag([3.0, -3.0, 1.0]), np.eye(3)],
    ids=["zero", "shift", "jordan", "tie", "identity"],
)
@pytest.mark.filterwarnings("error")
def test_every_figure_draws_degenerate_runs(tmp_path, matrix):
    """Each figure saves without a warning and shows the run it is about, and
    the lines its caption names: the plane fit whenever the dominant eigenvalue
    is not real (nor vanished), the prediction whenever the ratio is positive."""
    summary, (_, spectrum, iterations) = summary_of(matrix, iterations=40)
    raw, rescaled = iterations.sel(run="raw"), iterations.sel(run="rescaled")
    lines = {
        "norm": (lambda f: line_labelled(f, "measured"), raw["log10_norm"]),
        "quotient": (
            lambda f: line_labelled(f, r"$\|x(n)\|\,/\,\|x(n-1)\|$"),
            raw["quotient"],
        ),
        "convergence": (
            lambda f: line_labelled(f, "sine of the angle to the subspace"),
            raw["misalignment"],
        ),
        "rescaled": (lambda f: f.axes[1].lines[0], rescaled["quotient"]),
    }
    labels = {name: set() for name in FIGURES}
    eigenvalues = np.sort_complex(complex_values(spectrum, "eigenvalue").values)
    for name, draw in FIGURES.items():
        figure = draw(iterations=iterations, spectrum=spectrum, summary=summary)
        save(figure, {"png": tmp_path / f"{name}.png"})
        if name == "eigenvalues":
            points = figure.axes[0].collections[0].get_offsets()
            plotted = np.sort_complex(points[:, 0] + 1j * points[:, 1])
            np.testing.assert_array_equal(plotted, eigenvalues)
        else:
            line_of, series = lines[name]
            assert shows(line_of(figure), series.values), name
        labels[name] = {line.get_label() for axes in figure.axes for line in axes.lines}
    plane_fit = summary["dominant"] not in (REAL, power.VANISHED)
    assert ("two-step plane fit" in labels["quotient"]) == plane_fit
    predicted = any(label.startswith("predicted") for label in labels["convergence"])
    assert predicted == (summary["convergence_ratio"] > 0)


@pytest.mark.filterwarnings("error")
def test_a_very_dominant_eigenvalue_draws_its_convergence(tmp_path):
    """A convergence ratio below 1e-3 is written with a power of ten, and its
    n-th power must not stack a second superscript on it."""
    summary, (_, spectrum, iterations) = summary_of(np.diag([2.0, 1e-4]), 20)
    assert summary["convergence_ratio"] == pytest.approx(5e-5)
    figure = FIGURES["convergence"](
        iterations=iterations, spectrum=spectrum, summary=summary
    )
    save(figure, {"png": tmp_path / "convergence.png"})  # typesets every label
    [predicted] = [
        line
        for line in figure.axes[0].lines
        if line.get_label().startswith("predicted")
    ]
    assert predicted.get_label() == r"predicted $\propto (5 \times 10^{-5})^{n}$"
    drawn = predicted.get_ydata()
    np.testing.assert_allclose(drawn[1:] / drawn[:-1], 5e-5, rtol=1e-9)


@pytest.mark.parametrize(
    ("iterations", "largest_log10"),
    [(151, (307, 308.25)), (160, (308.3, 330))],
    ids=["finite-near-1e308", "past-float64"],
)
def test_norms_near_and_past_the_float64_maximum_draw(
    tmp_path, iterations, largest_log10
):
    # 10^2.05 per step: the norms reach the float64 maximum near step 150.
    matrix = np.diag([10**2.05, 1.0])
    summary, (_, spectrum, runs) = summary_of(matrix, iterations)
    low, high = largest_log10
    assert low < runs.sel(run="raw")["log10_norm"].values[-1] < high
    for name, run in (("norm", "raw"), ("rescaled", "rescaled")):
        figure = FIGURES[name](iterations=runs, spectrum=spectrum, summary=summary)
        save(figure, {"png": tmp_path / f"{name}.png"})
        log10_norm = runs.sel(run=run)["log10_norm"].values
        exponent = linear_norm_exponent(log10_norm)
        # The linear panel shows every step, in the unit its label names.
        linear = figure.axes[0]
        np.testing.assert_allclose(
            linear.lines[0].get_ydata(), 10.0 ** (log10_norm - exponent), rtol=1e-12
        )
        assert (rf"10^{{{exponent}}}" in linear.get_ylabel()) == (exponent > 0)
        if name == "norm":
            assert exponent == math.floor(log10_norm[-1]) > 300
