"""Shared pieces of the write-up tests: a summary factory and strict parsing."""

import math
from pathlib import Path

import html5lib
import numpy as np

REPORT_DIR = Path(__file__).resolve().parents[1] / "report" / "writeup"
PROVENANCE = {
    "config_hash": "0123abcd" * 8,
    "git": {"commit": "f" * 40, "dirty": True},
    "versions": {"python": "3.11.7", "numpy": "2.4.6", "h5py": None},
}


def make_summary(name: str, dominant: str = "real", **overrides) -> dict:
    """A summary.json as the summarize rule writes it, with distinctive numbers."""
    complex_pair = dominant == "complex pair"
    dominant_eigenvalue = [-1.5234101, 0.4969766] if complex_pair else [2.7182818, 0.0]
    radius = math.hypot(*dominant_eigenvalue)
    runner_up = radius if complex_pair else 1.3579246
    moduli = [0.1234567, 0.7654321, 0.7654321, runner_up, radius]
    summary = {
        "experiment": name,
        "k": 5,
        "iterations": 100,
        "seed": 2020,
        "rng": "pcg64",
        "matrix_file": None,
        "matrix_corner": np.linspace(-1.91827, 2.13579, 25).reshape(5, 5).tolist(),
        "matrix_mean": -0.0731955,
        "matrix_std": 1.0467213,
        "last_quotient": radius * (1.3 if complex_pair else 1.0),
        "quotient_spread": 1.1824 if complex_pair else 2.2e-16,
        "dominant": dominant,
        "dominant_from_spectrum": "complex pair" if complex_pair else "real",
        "dominant_agrees": True,
        "dominant_eigenvalue": dominant_eigenvalue,
        "sign_flips": False,
        "stretching_factor": radius * (1 + 3e-15),
        "spectral_radius": radius,
        "eigenvalues": [[m, 0.0] for m in moduli],
        "eigenvalue_moduli": moduli,
        "agreement_digits": 14.52,
        "convergence_ratio": 0.4975311,
        "final_alignment": 0.99999987,
        "final_log10_norm": 43.21,
        "rescaled_stretching_factor": 1.0000000000000007,
        "rescaled_dominant": dominant,
        "rescaled_final_norm": 0.6180339,
        "rescaled_last_quotient": 0.9999999999999993,
        "convergence_tolerance": 1e-6,
    }
    if complex_pair:
        summary["rotation_degrees"] = 161.9323075
    if dominant == "undetermined":
        # What summarize writes: no stretching factor the iterates do not support.
        summary |= {"stretching_factor": None, "agreement_digits": None}
    summary.update(overrides)
    return summary


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
