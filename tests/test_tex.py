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
from eigeninit.paper import exported, numbers_tex
from eigeninit.part_two_figures import CIRCULAR_LAW_FIGURES, DEPTH_FIGURES
from eigeninit.part_two_summary import comparisons
from eigeninit.writeup import render
from pages import PROVENANCE, REPORT_DIR

pytestmark = pytest.mark.tex

EXAMPLE = Path(__file__).resolve().parent / "tex" / "example.tex"
MINUS = "\u2212"


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found; install Debian's {package} to run this test")
    return path


@pytest.fixture(scope="module")
def exports(tmp_path_factory, png) -> tuple[Path, dict]:
    """numbers.tex as the workflow writes it (from a page rendered on small real
    results) and the example's figure PDFs."""
    folder = tmp_path_factory.mktemp("paper")
    post = small_results.experiment("post")
    depth = small_results.depth()
    circular_law = small_results.circular_law()["summary"]
    part_two = {
        "circular_law": circular_law,
        "depth": depth["summary"],
        "comparisons": comparisons(circular_law, depth["summary"]),
        "references": small_results.references(
            (4, 8, 16, 32), 32, 20, small_results.SCHEMES
        ),
    }
    shown = []
    render(
        {"post": post["summary"]},
        {"post": dict.fromkeys(FIGURES, png)},
        featured="post",
        provenance=PROVENANCE,
        template_dir=REPORT_DIR,
        part_two=part_two
        | {
            "jacobian": None,
            "figures": {
                "circular_law": dict.fromkeys(CIRCULAR_LAW_FIGURES, png),
                "depth": dict.fromkeys(DEPTH_FIGURES, png),
            },
        },
        record=lambda value, text: shown.append((value, text)),
    )
    numbers, texts, _ = exported({"post": post["summary"]}, part_two, shown)
    (folder / "numbers.tex").write_text(numbers_tex(texts))
    (folder / "figures" / "experiments").mkdir(parents=True)
    save(
        FIGURES["quotient"](**post),
        {"pdf": folder / "figures" / "experiments" / "post-quotient.pdf"},
    )
    save(
        DEPTH_FIGURES["growth"](**depth),
        {"pdf": folder / "figures" / "depth-growth.pdf"},
    )
    return folder, texts


def as_typeset(latex: str) -> str:
    """What pdftotext reads for a number macro: minus signs, no markup."""
    text = re.sub(r"\\ensuremath\{(.*)\}", r"\1", latex)
    text = text.replace("\\times ", "\u00d7").replace("\\%", "%").replace("-", MINUS)
    return re.sub(r"\^\{(.*?)\}", r"\1", text)


def test_example_page_compiles_and_shows_the_numbers(exports):
    pdflatex = tool("pdflatex", "texlive-latex-base")
    pdftotext = tool("pdftotext", "poppler-utils")
    folder, texts = exports
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
    macros = set(re.findall(r"\\([A-Z][A-Za-z]+)", EXAMPLE.read_text()))
    assert macros <= set(texts), sorted(macros - set(texts))
    assert len(macros) >= 10
    typeset = " ".join(text.split())
    for name in macros:
        assert as_typeset(texts[name]) in typeset, (name, texts[name])
    # The example quotes a negative number, typeset with a minus, not a hyphen.
    assert as_typeset(texts["PostMatrixMean"]).startswith(MINUS)
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
