"""Initialization schemes against their definitions, and per-job seeding."""

import numpy as np
import pytest
from scipy import stats

from eigeninit.initializers import (
    LANCZOS_FROM_K,
    SCHEMES,
    job_seed_sequence,
    largest_singular_values,
    sample,
)

K = 64
N = 20  # 20 * 64 * 64 = 81920 entries per scheme


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_shape_and_dtype(scheme: str) -> None:
    matrices = sample(scheme, 3, 5, rng())
    assert matrices.shape == (3, 5, 5)
    assert matrices.dtype == np.float64


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_chunked_draws_equal_one_draw(scheme: str) -> None:
    """Drawing 2 then 3 matrices gives the same 5 matrices as one draw of 5."""
    generator = rng(7)
    chunked = np.concatenate(
        [sample(scheme, 2, 6, generator), sample(scheme, 3, 6, generator)]
    )
    np.testing.assert_allclose(
        chunked, sample(scheme, 5, 6, rng(7)), rtol=0, atol=1e-14
    )


@pytest.mark.parametrize("scheme", ["standard", "lecun", "kaiming"])
def test_gaussian_entries(scheme: str) -> None:
    """Entries are N(0, std^2): variance within 3% (its sampling sd is 0.5%) and
    a KS test against that normal passes at p > 1e-3."""
    std = SCHEMES[scheme].entry_std(K)
    entries = sample(scheme, N, K, rng(1)).ravel()
    assert entries.var() == pytest.approx(std**2, rel=0.03)
    assert abs(entries.mean()) < 5 * std / np.sqrt(entries.size)
    assert stats.kstest(entries, "norm", args=(0.0, std)).pvalue > 1e-3


def test_xavier_uniform_entries() -> None:
    """Entries are U(-sqrt(3/k), sqrt(3/k)): bounded, variance 1/k, KS p > 1e-3."""
    bound = np.sqrt(3.0 / K)
    entries = sample("xavier_uniform", N, K, rng(2)).ravel()
    assert np.abs(entries).max() <= bound
    assert entries.var() == pytest.approx(1.0 / K, rel=0.03)
    assert stats.kstest(entries, "uniform", args=(-bound, 2 * bound)).pvalue > 1e-3


def test_orthogonal_is_orthogonal() -> None:
    matrices = sample("orthogonal", 8, K, rng(3))
    gram = np.matmul(np.swapaxes(matrices, -1, -2), matrices)
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(K), gram.shape), atol=1e-12)
    np.testing.assert_allclose(np.abs(np.linalg.det(matrices)), 1.0, atol=1e-12)


def test_orthogonal_is_haar() -> None:
    """For Haar orthogonal W (k >= 2), E tr W = 0 and E (tr W)^2 = 1.

    Plain QR without the sign correction fails this: its diagonal is biased.
    The standard error of the mean trace is 1/sqrt(20000) = 0.007.
    """
    traces = np.trace(sample("orthogonal", 20000, 4, rng(4)), axis1=-2, axis2=-1)
    assert abs(traces.mean()) < 0.04
    assert (traces**2).mean() == pytest.approx(1.0, abs=0.05)


def test_eigen_has_unit_spectral_radius() -> None:
    radius = np.abs(np.linalg.eigvals(sample("eigen", 8, K, rng(5)))).max(axis=-1)
    np.testing.assert_allclose(radius, 1.0, atol=1e-12)


def test_spectral_has_unit_norm() -> None:
    sigma = np.linalg.svd(sample("spectral", 8, K, rng(6)), compute_uv=False)
    np.testing.assert_allclose(sigma[:, 0], 1.0, atol=1e-12)


@pytest.mark.parametrize(
    ("k", "n"),
    [
        (4, 20),
        (16, 20),
        (LANCZOS_FROM_K, 20),
        pytest.param(LANCZOS_FROM_K, 1000, marks=pytest.mark.slow),
        pytest.param(1024, 8, marks=pytest.mark.slow),
    ],
)
def test_largest_singular_values_are_the_full_svds_to_1e_12(k, n) -> None:
    """Lanczos (from LANCZOS_FROM_K on) must land on the largest singular value,
    not a neighbour at the crowded edge, for every matrix of an ensemble."""
    matrices = rng(7).standard_normal((n, k, k))
    full = np.linalg.svd(matrices, compute_uv=False)[:, 0]
    np.testing.assert_allclose(largest_singular_values(matrices), full, rtol=1e-12)


def test_largest_singular_values_do_not_depend_on_the_batch() -> None:
    """A fixed start vector: the same matrix gives the same bits in any stack."""
    matrices = rng(8).standard_normal((3, LANCZOS_FROM_K, LANCZOS_FROM_K))
    alone = [largest_singular_values(m[np.newaxis])[0] for m in matrices]
    assert largest_singular_values(matrices).tolist() == alone


def test_unknown_scheme_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="'he'.*allowed:.*kaiming.*orthogonal"):
        sample("he", 1, 2, rng())


def test_entry_std() -> None:
    assert SCHEMES["standard"].entry_std(16) == 1.0
    assert SCHEMES["lecun"].entry_std(16) == pytest.approx(0.25)
    assert SCHEMES["xavier_uniform"].entry_std(16) == pytest.approx(0.25)
    assert SCHEMES["kaiming"].entry_std(16) == pytest.approx(np.sqrt(2 / 16))
    for scheme in ("orthogonal", "eigen", "spectral"):
        assert SCHEMES[scheme].entry_std(16) is None


def test_registry_is_consistent() -> None:
    """Names are the samplers' names; normalized schemes name their divisor;
    the schemes whose Jacobian is measured have a constant entry variance."""
    for name, facts in SCHEMES.items():
        assert facts.sampler.__name__ == name
        assert facts.family in {"iid", "orthogonal", "normalized"}
        assert (facts.divisor is not None) == (facts.family == "normalized")
        assert not facts.jacobian or facts.variance_times_k is not None
        assert facts.gaussian or facts.family == "iid"


def test_haar_entries_have_variance_one_over_k() -> None:
    """k Var(W_ij) over 40 Haar matrices at k = 32, to 4 standard errors (the
    iid schemes' gains are checked in test_scheme_facts)."""
    k = 32
    entries = sample("orthogonal", 40, k, rng(1)).ravel()
    standard_error = np.sqrt(((entries**2 - entries.var()) ** 2).mean() / entries.size)
    assert abs(SCHEMES["orthogonal"].variance_times_k - k * entries.var()) <= (
        4 * k * standard_error
    )


def draws(seed_sequence: np.random.SeedSequence) -> np.ndarray:
    return np.random.default_rng(seed_sequence).standard_normal(4)


def test_job_seed_sequence_same_key_same_draws() -> None:
    first = draws(job_seed_sequence(11, "depth", "lecun", "relu", "shared"))
    second = draws(job_seed_sequence(11, "depth", "lecun", "relu", "shared"))
    np.testing.assert_array_equal(first, second)


def test_job_seed_sequence_different_keys_differ() -> None:
    keys = [
        (11, "circular_law", 64),
        (11, "circular_law", 256),
        (12, "circular_law", 64),
        (11, "circular_law", "64"),
        (11, "circular_law64"),
        (11, "depth", "lecun", "relu", "shared"),
        (11, "depth", "lecun", "relu", "independent"),
    ]
    results = {tuple(draws(job_seed_sequence(*key))) for key in keys}
    assert len(results) == len(keys)


def test_job_seed_sequence_independent_of_call_order() -> None:
    alone = draws(job_seed_sequence(3, "circular_law", 16))
    draws(job_seed_sequence(3, "circular_law", 1024))
    after_another_job = draws(job_seed_sequence(3, "circular_law", 16))
    np.testing.assert_array_equal(alone, after_another_job)


PINNED_STATE = np.array([2208137108, 2176550556], dtype=np.uint32)


def test_job_seed_sequence_is_stable_across_processes() -> None:
    """Pinned entropy: a salted hash() would change between interpreter runs."""
    state = job_seed_sequence(2024, "circular_law", 1024).generate_state(2)
    np.testing.assert_array_equal(state, PINNED_STATE)
    assert (
        job_seed_sequence(2024, np.int64(5)).entropy
        == job_seed_sequence(2024, 5).entropy
    )


def test_job_seed_sequence_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        job_seed_sequence(-1, "x")
    with pytest.raises(TypeError):
        job_seed_sequence(1, 0.5)
