"""The config check: every refused input names its setting; every boundary builds.

Each documented minimum and maximum is accepted and the value just past it is
refused; values that JSON Schema accepts but the code cannot use (5.0 for an
integer, NaN, seeds out of a generator's range, memory beyond the stated
limits) are normalised or refused.
"""

import copy
import os
import re
import shutil

import numpy as np
import pytest

from eigeninit.draws import LEGACY_SEED_LIMIT
from eigeninit.experiments import MAX_MATRIX_SIZE, ConfigError
from eigeninit.settings import check_config, load_yaml
from workflow_runner import PROJECT, TINY_CONFIG

INT64_MAX = 2**63 - 1
MAX_ITERATION_VALUES = 2**24
MAX_KEPT_EIGENVALUES = 2**22


@pytest.fixture
def base_dir(tmp_path):
    """A working directory holding the files the tiny config names."""
    (tmp_path / "config").mkdir()
    shutil.copy(PROJECT / "config" / "published-matrix.csv", tmp_path / "config")
    return tmp_path


def with_setting(path: str, value) -> dict:
    """The tiny config with one dotted setting set (created if absent)."""
    config = copy.deepcopy(TINY_CONFIG)
    *parents, last = path.split(".")
    node = config
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return config


def setting_of(settings, path: str):
    node = settings.config
    for key in path.split("."):
        node = node[key]
    return node


# (setting, smallest allowed, largest allowed, just below, just above)
BOUNDARIES = [
    ("experiments.post.k", 1, MAX_MATRIX_SIZE, 0, MAX_MATRIX_SIZE + 1),
    ("experiments.post.iterations", 2, 1_000_000, 1, 1_000_001),
    ("experiments.post.seed", 0, INT64_MAX, -1, INT64_MAX + 1),
    ("convergence_tolerance", 1e-300, 0.1, 0.0, 0.1000001),
    ("circular_law.matrices_per_size", 2, 2**21, 1, 2**21 + 1),
    ("circular_law.seed", 0, INT64_MAX, -1, INT64_MAX + 1),
    ("depth.k", 2, 4096, 1, 4097),
    ("depth.layers", 1, 10_000, 0, 10_001),
    ("depth.networks_per_setting", 2, 1000, 1, 1001),
    ("depth.jacobian_networks", 2, 1000, 1, 1001),
    ("depth.seed", 0, INT64_MAX, -1, INT64_MAX + 1),
    ("depth.stable_within", 1.000001, 1e6, 1.0, 1.000001e6),
]


def boundary_config(setting: str, value) -> dict:
    config = with_setting(setting, value)
    if setting == "experiments.post.k" and value == MAX_MATRIX_SIZE:
        # The memory limit on iterations x k applies at the largest k.
        config["experiments"]["post"]["iterations"] = MAX_ITERATION_VALUES // value
    if setting == "experiments.post.iterations" and value == 1_000_000:
        config["experiments"]["post"]["k"] = MAX_ITERATION_VALUES // value
    if setting == "depth.jacobian_networks":
        # At most networks_per_setting (4 in the tiny config).
        config["depth"]["networks_per_setting"] = 1000
    if setting == "circular_law.matrices_per_size" and value == 2**21:
        # The memory limit on matrices x k allows this many only at k = 2.
        config["circular_law"]["sizes"] = [MAX_KEPT_EIGENVALUES // value]
    return config


@pytest.mark.parametrize(
    ("setting", "low", "high", "below", "above"),
    BOUNDARIES,
    ids=[row[0] for row in BOUNDARIES],
)
def test_each_documented_boundary_is_accepted_and_the_next_value_refused(
    base_dir, setting, low, high, below, above
):
    for value in (low, high):
        settings = check_config(boundary_config(setting, value), base_dir)
        assert setting_of(settings, setting) == value
    for value in (below, above):
        with pytest.raises(ConfigError, match=f"^{re.escape(setting)}: "):
            check_config(boundary_config(setting, value), base_dir)


def test_matrices_per_size_is_one_count_per_size_within_memory(base_dir):
    sizes = {"sizes": [16, 4096], "seed": 1}
    largest = MAX_KEPT_EIGENVALUES // 4096
    accepted = check_config(
        with_setting("circular_law", sizes | {"matrices_per_size": [4000, largest]}),
        base_dir,
    )
    assert accepted.config["circular_law"]["matrices_per_size"] == [4000, largest]
    refusals = {
        (2, 8, 8): "lists 3 counts for 2 sizes",
        (4000, largest + 1): f"at most {largest} matrices for k = 4096",
        largest + 1: f"at most {largest} matrices for k = 4096",
    }
    for counts, reason in refusals.items():
        config = with_setting(
            "circular_law",
            sizes
            | {
                "matrices_per_size": list(counts)
                if isinstance(counts, tuple)
                else counts
            },
        )
        with pytest.raises(
            ConfigError, match=rf"^circular_law\.matrices_per_size: .*{reason}"
        ):
            check_config(config, base_dir)


@pytest.mark.parametrize("size", [2, 4096])
def test_circular_law_sizes_boundaries(base_dir, size):
    settings = check_config(with_setting("circular_law.sizes", [size]), base_dir)
    assert settings.config["circular_law"]["sizes"] == [size]
    for refused in (size - 1 if size == 2 else size + 1,):
        with pytest.raises(ConfigError, match=r"^circular_law\.sizes\.0: "):
            check_config(with_setting("circular_law.sizes", [refused]), base_dir)


@pytest.mark.parametrize(
    ("setting", "given", "expected"),
    [
        ("experiments.post.k", 5.0, 5),
        ("experiments.post.seed", 2020.0, 2020),
        ("experiments.post.iterations", 40.0, 40),
        ("circular_law.sizes", [4.0, 16.0], [4, 16]),
        ("circular_law.matrices_per_size", 8.0, 8),
        ("circular_law.matrices_per_size", [8.0, 4.0], [8, 4]),
        ("depth.layers", 6.0, 6),
    ],
)
def test_integer_valued_floats_become_integers(base_dir, setting, given, expected):
    value = setting_of(check_config(with_setting(setting, given), base_dir), setting)
    assert value == expected
    assert all(type(v) is int for v in np.atleast_1d(value).tolist())


def test_legacy_seeds_stop_below_two_to_the_32(base_dir):
    def legacy(seed):
        config = with_setting("experiments.post.seed", seed)
        config["experiments"]["post"]["rng"] = "legacy"
        return config

    limit = LEGACY_SEED_LIMIT - 1
    assert check_config(legacy(limit), base_dir).experiments["post"].seed == limit
    np.random.RandomState(limit)  # the largest seed is one RandomState takes
    with pytest.raises(ConfigError, match=r"^experiments\.post\.seed: .*legacy"):
        check_config(legacy(LEGACY_SEED_LIMIT), base_dir)


def test_memory_limit_on_iterations_times_k(base_dir):
    k = 64
    config = with_setting("experiments.post.k", k)
    config["experiments"]["post"]["iterations"] = MAX_ITERATION_VALUES // k
    check_config(config, base_dir)
    config["experiments"]["post"]["iterations"] += 1
    with pytest.raises(
        ConfigError, match=r"^experiments\.post\.iterations: .* at most 262144 "
    ):
        check_config(config, base_dir)


def external_matrix(tmp_path_factory):
    path = tmp_path_factory.mktemp("elsewhere") / "jordan.csv"
    path.write_text("3,1\n0,3\n")
    return path


def test_matrix_files_outside_the_working_directory_are_read(
    base_dir, tmp_path_factory
):
    outside = external_matrix(tmp_path_factory)
    for given in (str(outside), os.path.relpath(outside, base_dir)):
        config = with_setting("experiments.post.matrix", given)
        del config["experiments"]["post"]["k"]
        assert check_config(config, base_dir).experiments["post"].k == 2


REFUSED = [
    (
        "nan",
        with_setting("convergence_tolerance", float("nan")),
        "convergence_tolerance: nan is not a finite number",
    ),
    (
        "inf-mean",
        with_setting("experiments.published.published_values.mean", float("inf")),
        "experiments.published.published_values.mean: inf is not a finite number",
    ),
    (
        "fraction",
        with_setting("experiments.post.k", 4.5),
        "experiments.post.k: 4.5 is not of type 'integer'",
    ),
    (
        "bool-k",
        with_setting("experiments.post.k", True),
        "experiments.post.k: True is not of type 'integer'",
    ),
    (
        "word-k",
        with_setting("experiments.post.k", "four"),
        "experiments.post.k: 'four' is not of type 'integer'",
    ),
    (
        "seed-2^64",
        with_setting("experiments.post.seed", 2**64),
        "experiments.post.seed: 18446744073709551616 is greater than the maximum",
    ),
    (
        "iterations-1e9",
        with_setting("experiments.post.iterations", 10**9),
        "experiments.post.iterations: 1000000000 is greater than the maximum of"
        " 1000000",
    ),
    (
        "no-experiments",
        with_setting("experiments", {}),
        "experiments: {} should be non-empty",
    ),
    (
        "empty-sizes",
        with_setting("circular_law.sizes", []),
        "circular_law.sizes: [] should be non-empty",
    ),
    (
        "repeated-size",
        with_setting("circular_law.sizes", [4, 4]),
        "circular_law.sizes: [4, 4] has non-unique elements",
    ),
    (
        "unknown-scheme",
        with_setting("depth.schemes", ["he"]),
        "depth.schemes.0: 'he' is not one of",
    ),
    (
        "missing-k",
        with_setting("experiments.bad", {"seed": 1}),
        "experiments.bad: give k (an integer >= 1) or a matrix file",
    ),
    (
        "missing-file",
        with_setting("experiments.bad", {"matrix": "absent.csv"}),
        "experiments.bad.matrix: file 'absent.csv' not found",
    ),
    (
        "directory",
        with_setting("experiments.bad", {"matrix": "config"}),
        "experiments.bad.matrix: 'config' is a folder; give a CSV file",
    ),
    (
        "empty-path",
        with_setting("experiments.bad", {"matrix": ""}),
        "experiments.bad.matrix: '' should be non-empty",
    ),
    (
        "featured",
        with_setting("featured_experiment", "story"),
        "featured_experiment: 'story' is not an experiment",
    ),
    (
        "moduli-count",
        with_setting("experiments.post.published_values", {"moduli": [1.0]}),
        "experiments.post.published_values.moduli: 1 values for a 4 x 4 matrix",
    ),
    (
        "negative-modulus",
        with_setting("experiments.post.published_values", {"moduli": [-1.0]}),
        "experiments.post.published_values.moduli.0: -1.0 is less than the"
        " minimum of 0",
    ),
    (
        "old-name",
        with_setting("depth.weights", ["shared"]),
        "depth.weights: this setting is now called depth.weight_sharing",
    ),
    (
        "braces",
        with_setting("experiments.bad", {"matrix": "data dir/a{b}.csv"}),
        "experiments.bad.matrix: 'data dir/a{b}.csv' holds a brace",
    ),
    (
        "boolean-key",
        with_setting("experiments", {True: {"k": 3}}),
        "experiments: the key True is read as a boolean, not a name",
    ),
    (
        "number-key",
        with_setting("experiments", {"post": {"k": 3}, 123: {"k": 3}}),
        "experiments: the key 123 is read as a number, not a name",
    ),
    (
        "name-with-newline",
        with_setting("experiments.post\n", {"k": 3}),
        "experiments: 'post\\n' does not match",
    ),
    (
        "published-value-with-newline",
        with_setting(
            "experiments.published.published_values.stretching_factor", "2.60\n"
        ),
        "experiments.published.published_values.stretching_factor: '2.60\\n' does"
        " not match",
    ),
    (
        "same-macros",
        with_setting("experiments.Post", {"k": 3}),
        "experiments.Post: its paper macros (\\Post...) would be experiment post's",
    ),
    (
        "part-two-macros",
        with_setting("experiments.depth", {"k": 3}),
        "experiments.depth: its paper macros (\\Depth...) would be among part two's",
    ),
    (
        "meeting-macros",
        with_setting("experiments.post-printed", {"k": 3}),
        "experiments.post-printed: one of its paper macros (\\PostPrinted...)"
        " would also be one of experiment post's",
    ),
]


@pytest.mark.parametrize(
    ("config", "message"),
    [row[1:] for row in REFUSED],
    ids=[row[0] for row in REFUSED],
)
def test_refused_inputs_name_the_setting_in_one_line(base_dir, config, message):
    with pytest.raises(ConfigError) as refused:
        check_config(config, base_dir)
    assert str(refused.value).startswith(message), str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2\n3,4,5\n", "has 2 rows of 2 or 3 values"),
        ("1,2\n3,1e400\n", "holds inf or nan"),
        ("\xff\xfe,1\n", "cannot be read"),
    ],
    ids=["ragged", "overflowing-entry", "not-text"],
)
def test_matrix_contents_are_checked(base_dir, text, message):
    (base_dir / "bad.csv").write_bytes(text.encode("latin-1"))
    config = with_setting("experiments.bad", {"matrix": "bad.csv"})
    with pytest.raises(ConfigError, match=rf"^experiments\.bad\.matrix: .*{message}"):
        check_config(config, base_dir)


def test_oversized_matrix_files_are_refused(base_dir):
    size = MAX_MATRIX_SIZE + 1
    row = ",".join(["0"] * size)
    (base_dir / "huge.csv").write_text("\n".join([row] * size))
    config = with_setting("experiments.bad", {"matrix": "huge.csv"})
    with pytest.raises(
        ConfigError, match=r"^experiments\.bad\.matrix: .* up to 4097 rows"
    ):
        check_config(config, base_dir)


def test_names_whose_macros_stay_apart_are_accepted(base_dir):
    config = copy.deepcopy(TINY_CONFIG)
    names = ("circular-k4", "circular", "run1", "run12", "post-k", "Published2")
    config["experiments"] |= dict.fromkeys(names, {"k": 2})
    assert set(names) <= set(check_config(config, base_dir).experiments)


def test_jacobian_networks_are_at_most_the_depth_networks(base_dir):
    # Left out: 8, or all networks when there are fewer (the tiny config's 4).
    assert (
        setting_of(check_config(TINY_CONFIG, base_dir), "depth.jacobian_networks") == 4
    )
    config = with_setting("depth.networks_per_setting", 32)
    assert setting_of(check_config(config, base_dir), "depth.jacobian_networks") == 8
    config["depth"]["jacobian_networks"] = 32
    assert setting_of(check_config(config, base_dir), "depth.jacobian_networks") == 32
    config["depth"]["jacobian_networks"] = 33
    with pytest.raises(
        ConfigError, match=r"^depth.jacobian_networks: 33 networks, .* allowed 2 to 32"
    ):
        check_config(config, base_dir)


def test_defaults_are_filled_in(base_dir):
    settings = check_config({"experiments": {"one": {"k": 3}}}, base_dir)
    assert settings.config["depth"]["k"] == 256
    assert settings.experiments["one"].iterations == 100
    assert settings.experiments["one"].rng == "pcg64"
    assert settings.config["featured_experiment"] == "one"


# Loading


def test_duplicate_keys_are_refused_with_their_line(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("experiments:\n  a: {k: 2}\n  a: {k: 3}\n")
    with pytest.raises(ConfigError, match=r"twice.yaml: a: appears twice \(line 3\)"):
        load_yaml(path)


def test_invalid_yaml_is_one_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("experiments: [\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: not valid YAML") as refused:
        load_yaml(path)
    assert "\n" not in str(refused.value)


def test_text_is_typed_where_the_schema_asks_for_numbers(base_dir):
    """Snakemake hands a nested --config value (depth={k: 128}) over as text."""
    config = copy.deepcopy(TINY_CONFIG)
    config["depth"] |= {"k": "128", "stable_within": "1.5e1", "schemes": ["lecun"]}
    config["circular_law"]["sizes"] = ["4", "16.0"]
    settings = check_config(config, base_dir)
    assert settings.config["depth"]["k"] == 128
    assert settings.config["depth"]["stable_within"] == 15.0
    assert settings.config["circular_law"]["sizes"] == [4, 16]
    assert settings.config["depth"]["schemes"] == ["lecun"]


def test_experiments_come_from_the_file_the_config_names(base_dir):
    (base_dir / "mine.yaml").write_text("only:\n  k: 3\n  iterations: '7'\n")
    config = copy.deepcopy(TINY_CONFIG) | {
        "experiments": "mine.yaml",
        "featured_experiment": None,
    }
    settings = check_config(config, base_dir)
    assert settings.config["experiments"] == {
        "only": {
            "k": 3,
            "iterations": 7,
            "seed": 2020,
            "rng": "pcg64",
            "published_values": {},
        }
    }
    assert settings.config["featured_experiment"] == "only"


def test_an_experiments_file_with_a_key_twice_is_refused(base_dir):
    (base_dir / "twice.yaml").write_text("a: {k: 2}\na: {k: 3}\n")
    config = copy.deepcopy(TINY_CONFIG) | {"experiments": "twice.yaml"}
    with pytest.raises(ConfigError, match=r"^twice.yaml: a: appears twice \(line 2\)"):
        check_config(config, base_dir)


def test_a_missing_experiments_file_is_one_line(base_dir):
    config = copy.deepcopy(TINY_CONFIG) | {"experiments": "absent.yaml"}
    with pytest.raises(ConfigError, match=r"^absent.yaml: cannot be read"):
        check_config(config, base_dir)
