"""Shared pieces of the write-up tests: summaries made by the real summarize code
from small matrices with known spectra, and strict parsing of the page."""

import math
import re
from html import unescape
from pathlib import Path

import html5lib
import numpy as np
import yaml

from eigeninit.experiments import read_matrix_csv
from eigeninit.summary import summarize
from matrices import block_diagonal, datasets_for, rotation_scaling, similar

PROJECT = Path(__file__).resolve().parents[1]
REPORT_DIR = PROJECT / "report" / "writeup"
PROVENANCE = {
    "config_hash": "0123abcd" * 8,
    "git": {"commit": "f" * 40, "dirty": True},
    "versions": {"python": "3.11.7", "numpy": "2.4.6", "h5py": None},
}

GROWING = similar(np.diag([2.7182818, -1.3579246, 0.7654321, 0.5, 0.1234567]))
"""Real dominant eigenvalue e, runner-up at half of it: converges in 100 steps."""
SIGN_FLIP = similar(np.diag([-2.7182818, 1.3579246, 0.7654321, 0.5, 0.1234567]))
"""Negative dominant eigenvalue: x(n) flips sign every step."""
COMPLEX_PAIR = similar(
    block_diagonal(
        rotation_scaling(1.6, math.radians(161.9323075)), np.diag([0.7, -0.45, 0.1])
    )
)
"""Dominant pair 1.6 exp(+-161.93 deg i): the quotient never settles."""
SHRINKING = similar(np.diag([0.5, -0.3, 0.2, 0.1, 0.05]))
"""Spectral radius below one: the norm collapses."""
TIED = similar(np.diag([2.0, -2.0, 1.0, 0.5, 0.25]))
"""Two real eigenvalues of equal modulus: the iterates fit neither model."""

PUBLISHED_MATRIX_FILE = "config/published-matrix.csv"
POSTS_TEXT_NUMBERS = {"stretching_factor": "2.60", "rescaled_final_norm": "0.8"}
"""What the post's text reads off its plots: the quotient's limit, the settled norm."""


def published_values() -> dict:
    """The post's printed numbers as the default config carries them, and its text's."""
    experiments = yaml.safe_load((PROJECT / "config" / "experiments.yaml").read_text())
    return experiments["published"]["published_values"] | POSTS_TEXT_NUMBERS


def make_summary(
    name: str,
    matrix: np.ndarray = GROWING,
    iterations: int = 100,
    published: dict | None = None,
    matrix_file: str = "",
    seed: int = 2020,
) -> dict:
    """summary.json as the summarize rule writes it, from the rules' own code.

    The matrix goes through the same steps as in the workflow (inputs drawn,
    spectrum, iterations, datasets, summary), only in memory.
    """
    params = {
        "experiment": name,
        "seed": seed,
        "rng": "pcg64",
        "matrix_file": matrix_file,
    }
    matrix = np.asarray(matrix, dtype=np.float64)
    return summarize(*datasets_for(matrix, iterations, params), published or {})


def published_summary(name: str = "published") -> dict:
    """The experiment that reads the post's printed matrix, with the post's numbers."""
    return make_summary(
        name,
        read_matrix_csv(PROJECT / PUBLISHED_MATRIX_FILE, "matrix"),
        published=published_values(),
        matrix_file=PUBLISHED_MATRIX_FILE,
    )


def parse_strictly(html: str):
    """Parse as HTML5, raising on the first parse error."""
    parser = html5lib.HTMLParser(
        strict=True,
        tree=html5lib.getTreeBuilder("etree"),
        namespaceHTMLElements=False,
    )
    return parser.parse(html)


def assert_offline(page: str) -> None:
    """No attribute or text of the page points outside it."""
    for element in parse_strictly(page).iter():
        for attribute in ("src", "href"):
            value = element.get(attribute, "")
            assert not value.startswith(("http:", "https:", "//")), value
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "<script" not in page


PROSE_SKIPPED = re.compile(
    r"<(table|figure|details|nav|caption|figcaption|style)\b.*?</\1>", flags=re.S
)
NUMBER = re.compile(r"(?<![\w.])[\u2212-]?\d[\d.,]*")
FIGURE_REFERENCE = re.compile(r"Figures? [A\d][\d.]*( to \d+)?")


def prose(html: str) -> list[str]:
    """The text of each paragraph, list item and heading a reader reads through:
    tables, figures with their captions, collapsed sections and the contents
    left out, each formula counted as one word."""
    html = PROSE_SKIPPED.sub(" ", html)
    html = re.sub(r"<math.*?</math>", " x ", html, flags=re.S)
    blocks = re.findall(r"<(p|li|h[1-6])\b[^>]*>(.*?)</\1>", html, flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", b)).split()) for _, b in blocks]


GLUED = re.compile(r"\d(?!(?:st|nd|rd|th)\b)[a-z]{2,}|\)\(|\w\((?=Fig)")


def glued(html: str) -> list[str]:
    """Words run together across template lines ("16with", "2.7follow",
    ")(Figure"): the text with tags dropped, tables, figures and formulas aside."""
    html = re.sub(r"<(table|figure|style|code|math)\b.*?</\1>", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return [text[max(0, m.start() - 30) : m.end() + 10] for m in GLUED.finditer(text)]


def words(html: str) -> int:
    return sum(len(block.split()) for block in prose(html))


def numbers_per_block(html: str) -> list[tuple[int, str]]:
    """How many numbers each block quotes (figure references aside)."""
    return [
        (len(NUMBER.findall(FIGURE_REFERENCE.sub("", block))), block)
        for block in prose(html)
    ]
