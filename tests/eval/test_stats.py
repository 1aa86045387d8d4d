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


# ---------------------------------------------------------------------------------------------
# The fast path (draws shared per size, deduplicated multisets, constant values) must give the
# very numbers of a fresh `rng.choices` draw per call: metrics.json snapshots depend on it.


def _reference_ci(
    values: list[float], *, resamples: int = 2000, seed: int = 0, confidence: float = 0.95
) -> Estimate:
    """bootstrap_ci as first written: a new generator and `choices` call for every resample."""
    kept = [v for v in values if math.isfinite(v)]
    n = len(kept)
    if n == 0:
        return Estimate(mean=math.nan, low=math.nan, high=math.nan, n=0)
    centre = math.fsum(kept) / n
    if n == 1 or resamples < 1:
        return Estimate(mean=centre, low=centre, high=centre, n=n)
    rng = random.Random(seed)
    means = sorted(math.fsum(rng.choices(kept, k=n)) / n for _ in range(resamples))

    def percentile(q: float) -> float:
        position = q * (len(means) - 1)
        lower = math.floor(position)
        upper = min(lower + 1, len(means) - 1)
        weight = position - lower
        return means[lower] * (1.0 - weight) + means[upper] * weight

    alpha = (1.0 - confidence) / 2.0
    return Estimate(mean=centre, low=percentile(alpha), high=percentile(1.0 - alpha), n=n)


def _bits(estimate: Estimate) -> tuple[str, str, str, int]:
    """The estimate to the last bit (float.hex tells 0.0 from -0.0, and NaN from anything)."""
    return (estimate.mean.hex(), estimate.low.hex(), estimate.high.hex(), estimate.n)


def _sample(rng: random.Random, n: int, kind: str) -> list[float]:
    if kind == "uniform":
        return [rng.random() for _ in range(n)]
    if kind == "fractions":  # few distinct values, as keyword precision or recall give
        return [rng.randrange(4) / 3 for _ in range(n)]
    if kind == "binary":
        return [float(rng.random() < 0.7) for _ in range(n)]
    if kind == "signed":
        return [rng.gauss(0.0, 1.0) for _ in range(n)]
    if kind == "wide":  # sums whose rounding depends on every term
        return [rng.choice([1e16, 1.0, -1e16, 3.0, 1e-8, 0.5]) for _ in range(n)]
    if kind == "tiny":
        return [rng.choice([5e-324, 1e-310, 2.5e-308, 0.0]) for _ in range(n)]
    if kind == "zeros":
        return [rng.choice([0.0, -0.0]) for _ in range(n)]
    if kind == "constant":
        return [0.1] * n
    if kind == "gappy":  # NaN and infinities dropped before resampling
        return [rng.choice([math.nan, math.inf, rng.random()]) for _ in range(n)]
    raise AssertionError(kind)


KINDS = ["uniform", "fractions", "binary", "signed", "wide", "tiny", "zeros", "constant", "gappy"]


@pytest.mark.parametrize("kind", KINDS)
def test_intervals_are_those_of_a_fresh_draw_per_resample(kind: str) -> None:
    rng = random.Random(kind)
    for n in (2, 3, 4, 5, 6, 7, 8, 9, 17, 40):
        values = _sample(rng, n, kind)
        assert _bits(bootstrap_ci(values)) == _bits(_reference_ci(values)), (kind, n)


@pytest.mark.parametrize(
    ("n", "resamples", "seed", "confidence"),
    [
        (2, 1, 0, 0.95),
        (2, 2, 3, 0.95),
        (3, 7, 1, 0.5),
        (5, 50, 12345, 0.9),
        (6, 2000, 2, 0.99),
        (7, 999, 0, 0.95),
        (11, 2000, 5, 0.8),
        (150, 300, 0, 0.95),
    ],
)
def test_resamples_seed_and_confidence_give_the_reference_interval(
    n: int, resamples: int, seed: int, confidence: float
) -> None:
    rng = random.Random(n * 7919 + seed)
    for kind in ("uniform", "fractions", "signed"):
        values = _sample(rng, n, kind)
        options = {"resamples": resamples, "seed": seed, "confidence": confidence}
        assert _bits(bootstrap_ci(values, **options)) == _bits(_reference_ci(values, **options))


def test_interleaved_sizes_and_values_reuse_draws_without_changing_results() -> None:
    rng = random.Random(42)
    columns = [[rng.random() for _ in range(n)] for n in (9, 4, 9, 17, 4, 17, 9)]
    first = [_bits(bootstrap_ci(column)) for column in columns]
    again = [_bits(bootstrap_ci(column)) for column in reversed(columns)]
    assert first == list(reversed(again))
    assert first == [_bits(_reference_ci(column)) for column in columns]


def test_ints_and_bools_resample_like_their_float_values() -> None:
    values: list[float] = [1, 0, True, 3, 2, 0, 1]
    assert _bits(bootstrap_ci(values)) == _bits(_reference_ci(values))


def test_paired_interval_matches_the_reference_on_differences() -> None:
    rng = random.Random(3)
    pairs = [(rng.random(), rng.random()) for _ in range(23)]
    differences = [b - a for a, b in pairs]
    assert _bits(paired_bootstrap_ci(pairs)) == _bits(_reference_ci(differences))


def test_draw_cache_stays_within_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from casesummary.eval import stats

    monkeypatch.setattr(stats, "_DRAW_BUDGET", 3 * 200)
    monkeypatch.setattr(stats, "_draw_cache", type(stats._draw_cache)())
    rng = random.Random(9)
    for n in (2, 3, 4, 5, 2, 9, 30):  # 30 * 200 is over budget: drawn, used, not kept
        values = [rng.random() for _ in range(n)]
        assert _bits(bootstrap_ci(values, resamples=200)) == _bits(
            _reference_ci(values, resamples=200)
        )
        assert sum(k[0] * k[1] for k in stats._draw_cache) <= 3 * 200
    assert (30, 200, 0) not in stats._draw_cache
