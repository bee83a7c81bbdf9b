"""Experiments and their matrix files: each problem names the setting."""

import re

import pytest

from eigeninit.experiments import (
    FULL_CHECK_BYTES,
    ConfigError,
    matrix_file_size,
    read_matrix_csv,
)
from eigeninit.settings import check_config, resolve_experiments


def config_with(**settings) -> dict:
    experiment = {"iterations": 10, "seed": 0, "rng": "pcg64", **settings}
    return {"featured_experiment": "post", "experiments": {"post": experiment}}


def write(tmp_path, text: str):
    path = tmp_path / "matrix.csv"
    path.write_text(text)
    return path


def test_reads_a_square_matrix(tmp_path):
    matrix = read_matrix_csv(write(tmp_path, "1,2\n3,4.5\n\n"), "m")
    assert matrix.tolist() == [[1.0, 2.0], [3.0, 4.5]]


def test_reads_what_csv_writers_of_the_field_write(tmp_path):
    text = ' "1.5" , -2e-3\r\n+.5,\t7.\r\n'
    matrix = read_matrix_csv(write(tmp_path, text), "m")
    assert matrix.tolist() == [[1.5, -0.002], [0.5, 7.0]]


def test_a_large_file_is_checked_for_its_shape_and_read_in_full_by_its_job(tmp_path):
    """Planning reads the first row and counts the rest; the job reads every value."""
    k = 400
    rows = [",".join(["0.12345678901"] * k)] * k
    rows[-1] = rows[-1][:-1] + "x"
    path = write(tmp_path, "\n".join(rows) + "\n")
    assert path.stat().st_size > FULL_CHECK_BYTES
    assert matrix_file_size(path, "experiments.big.matrix") == k
    with pytest.raises(ConfigError, match=rf"row {k}, column {k} is '0.1234567890x'"):
        read_matrix_csv(path, "experiments.big.matrix")
    rows[-1] += ",1"
    write(tmp_path, "\n".join(rows))
    with pytest.raises(ConfigError, match=rf"{k} rows of {k} or {k + 1} values"):
        matrix_file_size(path, "experiments.big.matrix")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3\n4,5,6\n", r"2 rows of 3 values; a square matrix is required"),
        ("1,2\n3\n", r"2 rows of 1 or 2 values"),
        ("1,x\n3,4\n", r"row 1, column 2 is 'x', not a number"),
        ("", r"empty"),
        ("1,nan\n3,4\n", r"inf or nan"),
        ("1,-Infinity\n3,4\n", r"inf or nan"),
        ("1,1_000\n3,4\n", r"row 1, column 2 is '1_000', not a number"),
        ("1,\u0661\u0662\n3,4\n", r"row 1, column 2 is '\u0661\u0662', not a number"),
        ("1,0x1p3\n3,4\n", r"row 1, column 2 is '0x1p3', not a number"),
        ("1,2\n3,4,\n", r"row 2, column 3 is '', not a number"),
    ],
)
def test_bad_matrix_files_are_explained(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        read_matrix_csv(write(tmp_path, text), "experiments.x.matrix")


def test_missing_matrix_file_names_the_setting(tmp_path):
    with pytest.raises(
        ConfigError, match=r"experiments.post.matrix: file .* not found"
    ):
        resolve_experiments(config_with(matrix="absent.csv"), tmp_path)


def test_k_must_agree_with_the_matrix(tmp_path):
    write(tmp_path, "1,2\n3,4\n")
    with pytest.raises(
        ConfigError, match=r"experiments.post.k: 3 disagrees with the 2 x 2"
    ):
        resolve_experiments(config_with(k=3, matrix="matrix.csv"), tmp_path)


def test_k_is_taken_from_the_matrix(tmp_path):
    write(tmp_path, "1,2\n3,4\n")
    experiments = resolve_experiments(config_with(matrix="matrix.csv"), tmp_path)
    assert experiments["post"].k == 2


def test_k_or_matrix_is_required(tmp_path):
    with pytest.raises(ConfigError, match=r"experiments.post: give k"):
        resolve_experiments(config_with(), tmp_path)


def test_featured_experiment_must_name_an_experiment(tmp_path):
    config = config_with(k=2) | {"featured_experiment": "story"}
    with pytest.raises(
        ConfigError, match=r"featured_experiment: 'story' is not an experiment"
    ):
        resolve_experiments(config, tmp_path)


def test_published_moduli_must_match_k(tmp_path):
    with pytest.raises(
        ConfigError, match=r"published_values.moduli: 1 values for a 2 x 2"
    ):
        resolve_experiments(
            config_with(k=2, published_values={"moduli": [1.0]}), tmp_path
        )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"narrative": "post"}, "narrative: this setting is now called"),
        (
            {"experiments": {"a": {"printed": {}}}},
            "experiments.a.printed: this setting is now called"
            " experiments.a.published_values",
        ),
        ({"circular_law": {"seeds": 2}}, "now called circular_law.matrices_per_size"),
        ({"depth": {"weights": ["shared"]}}, "now called depth.weight_sharing"),
    ],
)
def test_old_setting_names_are_refused_naming_the_new_one(tmp_path, config, message):
    given = {"experiments": {"a": {"k": 2}}} | config
    with pytest.raises(ConfigError, match=re.escape(message)):
        check_config(given, tmp_path)
