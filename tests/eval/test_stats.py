"""Bootstrap intervals: seeded, NaN-skipping, and about as wide as the textbook says."""

from __future__ import annotations

import json
import math
import random

import pytest

from casesummary.eval.stats import Estimate, bootstrap_ci, mean, paired_bootstrap_ci


def test_constant_values_have_a_zero_width_interval() -> None:
    estimate = bootstrap_ci([0.7] * 12)
    assert [estimate.mean, estimate.low, estimate.high] == pytest.approx([0.7, 0.7, 0.7])
    assert estimate.n == 12


def test_nan_values_are_skipped_not_counted() -> None:
    estimate = bootstrap_ci([1.0, math.nan, 3.0, math.inf])
    assert estimate.n == 2
    assert estimate.mean == pytest.approx(2.0)
    assert 1.0 <= estimate.low <= estimate.mean <= estimate.high <= 3.0


def test_no_values_give_nan_and_n_zero() -> None:
    estimate = bootstrap_ci([math.nan])
    assert estimate.n == 0
    assert all(math.isnan(v) for v in (estimate.mean, estimate.low, estimate.high))
    assert estimate.format() == "n/a"
    assert math.isnan(mean([]))


def test_same_seed_same_interval_other_seed_other_interval() -> None:
    rng = random.Random(1)
    values = [rng.random() for _ in range(30)]
    assert bootstrap_ci(values) == bootstrap_ci(values)
    assert bootstrap_ci(values, seed=1) != bootstrap_ci(values, seed=2)


def test_interval_matches_the_normal_approximation_for_a_proportion() -> None:
    # 50 successes in 100: standard error 0.05, so the 95 % interval is about 0.5 ± 0.098.
    estimate = bootstrap_ci([1.0] * 50 + [0.0] * 50)
    assert estimate.mean == pytest.approx(0.5)
    assert estimate.low == pytest.approx(0.5 - 0.098, abs=0.02)
    assert estimate.high == pytest.approx(0.5 + 0.098, abs=0.02)


def test_more_cases_give_a_narrower_interval() -> None:
    rng = random.Random(7)
    population = [rng.gauss(0.6, 0.15) for _ in range(400)]
    small, large = bootstrap_ci(population[:20]), bootstrap_ci(population)
    assert (large.high - large.low) < (small.high - small.low)


def test_lower_confidence_gives_a_narrower_interval() -> None:
    values = [i / 20 for i in range(21)]
    wide, narrow = bootstrap_ci(values), bootstrap_ci(values, confidence=0.5)
    assert wide.low < narrow.low < narrow.mean < narrow.high < wide.high


def test_paired_interval_is_over_differences_b_minus_a() -> None:
    pairs = [(a / 10, a / 10 + 0.1) for a in range(8)]
    estimate = paired_bootstrap_ci(pairs)
    assert estimate.n == 8
    assert estimate.mean == pytest.approx(0.1)
    # Every difference is the same, so pairing leaves no spread at all.
    assert estimate.low == pytest.approx(0.1)
    assert estimate.high == pytest.approx(0.1)


def test_paired_interval_drops_pairs_with_a_nan_side() -> None:
    estimate = paired_bootstrap_ci([(0.5, 0.7), (math.nan, 0.9), (0.2, math.nan), (0.4, 0.2)])
    assert estimate.n == 2
    assert estimate.mean == pytest.approx(0.0)


def test_estimate_round_trips_through_json_with_nan_as_null() -> None:
    empty = bootstrap_ci([])
    data = json.loads(empty.model_dump_json())
    assert data == {"mean": None, "low": None, "high": None, "n": 0}
    back = Estimate.model_validate(data)
    assert math.isnan(back.mean)
    assert back.n == 0


def test_format_shows_mean_and_interval() -> None:
    assert Estimate(mean=0.5, low=0.25, high=0.75, n=4).format() == "0.500 [0.250, 0.750]"
