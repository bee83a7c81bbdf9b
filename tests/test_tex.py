"""The paper exports in a real TeX run: an example page that inputs numbers.tex
and includes two figure PDFs compiles, and its PDF shows the numbers."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import small_results
from eigeninit.figure_style import save
from eigeninit.figures import FIGURES
from eigeninit.paper import collect_numbers, latex_number, numbers_tex
from eigeninit.part_two_figures import DEPTH_FIGURES

pytestmark = pytest.mark.tex

EXAMPLE = Path(__file__).resolve().parent / "tex" / "example.tex"
MINUS = "\u2212"


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found; install Debian's {package} to run this test")
    return path


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> tuple[Path, dict]:
    """numbers.tex and the example's figure PDFs, from small real results."""
    folder = tmp_path_factory.mktemp("paper")
    post = small_results.experiment("post")
    depth = small_results.depth()
    numbers = collect_numbers(
        {"post": post["summary"]},
        small_results.circular_law()["summary"],
        depth["summary"],
    )
    (folder / "numbers.tex").write_text(numbers_tex(numbers))
    (folder / "figures" / "experiments").mkdir(parents=True)
    save(
        FIGURES["quotient"](**post),
        {"pdf": folder / "figures" / "experiments" / "post-quotient.pdf"},
    )
    save(
        DEPTH_FIGURES["growth"](**depth),
        {"pdf": folder / "figures" / "depth-growth.pdf"},
    )
    return folder, numbers


def as_typeset(text: str) -> str:
    """What pdftotext reads for a plain number macro: a minus sign, no markup."""
    return (
        re.fullmatch(r"(?:\\ensuremath\{)?(.*?)\}?", text).group(1).replace("-", MINUS)
    )


def test_example_page_compiles_and_shows_the_numbers(exports):
    pdflatex = tool("pdflatex", "texlive-latex-base")
    pdftotext = tool("pdftotext", "poppler-utils")
    folder, numbers = exports
    shutil.copy(EXAMPLE, folder / "example.tex")
    result = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "example.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Warning" not in (folder / "example.log").read_text(errors="replace")
    text = subprocess.run(
        [pdftotext, "-layout", "example.pdf", "-"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    quoted = set(re.findall(r"\\([A-Z][A-Za-z]+)", EXAMPLE.read_text())) & set(numbers)
    assert len(quoted) >= 10
    for name in quoted:
        assert as_typeset(latex_number(numbers[name])) in text, name
    # The example quotes a negative number, typeset with a minus, not a hyphen.
    assert numbers["PostMatrixMean"] < 0
    assert as_typeset(latex_number(numbers["PostMatrixMean"])).startswith(MINUS)
    # Both figures are in the page, drawn as vectors with their own text.
    assert "step" in text and "growth per layer" in text


def test_figure_pdfs_embed_truetype_fonts_only(exports):
    pdffonts = tool("pdffonts", "poppler-utils")
    folder, _ = exports
    for pdf in sorted((folder / "figures").rglob("*.pdf")):
        listing = subprocess.run(
            [pdffonts, str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert listing, f"{pdf.name} lists no fonts"
        for line in listing:
            assert "Type 3" not in line, line
            assert "TrueType" in line, line
            # Columns after the type: encoding, emb, sub, uni, object id.
            embedded = line.split()[-5]
            assert embedded == "yes", line
