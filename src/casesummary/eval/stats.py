"""Percentile-bootstrap confidence intervals for eval means, one-sample or paired; NaN skipped.

Seeded so that the same results always give the same interval: a report that changes when
nothing else did would send people hunting for a regression that is not there.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

RESAMPLES = 2000
SEED = 0
CONFIDENCE = 0.95


def _none_to_nan(value: Any) -> Any:
    return math.nan if value is None else value


#: A float that is NaN when not applicable; JSON has no NaN, so it is written and read as null.
NanFloat = Annotated[float, BeforeValidator(_none_to_nan)]


class Estimate(BaseModel):
    """A mean over `n` values with its bootstrap interval [low, high]; NaN when n is 0."""

    model_config = ConfigDict(frozen=True)

    mean: NanFloat
    low: NanFloat
    high: NanFloat
    n: int

    def format(self, digits: int = 3) -> str:
        """`0.812 [0.790, 0.834]`, or `n/a` when there is nothing to estimate."""
        if math.isnan(self.mean):
            return "n/a"
        return f"{self.mean:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"


def finite(values: Iterable[float]) -> list[float]:
    """The values that are real numbers (NaN and infinities dropped)."""
    return [v for v in values if math.isfinite(v)]


def mean(values: Iterable[float]) -> float:
    """Mean of the finite values, NaN when there are none."""
    kept = finite(values)
    return math.fsum(kept) / len(kept) if kept else math.nan


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (q in [0, 1]) of an already sorted sequence."""
    position = q * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    return ordered[lower] * (1.0 - weight) + ordered[upper] * weight


def bootstrap_ci(
    values: Iterable[float],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> Estimate:
    """Mean of the finite values with a seeded percentile-bootstrap interval."""
    kept = finite(values)
    n = len(kept)
    if n == 0:
        return Estimate(mean=math.nan, low=math.nan, high=math.nan, n=0)
    centre = math.fsum(kept) / n
    if n == 1 or resamples < 1:
        return Estimate(mean=centre, low=centre, high=centre, n=n)
    rng = random.Random(seed)
    means = sorted(math.fsum(rng.choices(kept, k=n)) / n for _ in range(resamples))
    alpha = (1.0 - confidence) / 2.0
    return Estimate(
        mean=centre, low=_percentile(means, alpha), high=_percentile(means, 1.0 - alpha), n=n
    )


def paired_bootstrap_ci(
    pairs: Iterable[tuple[float, float]],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> Estimate:
    """Mean difference b − a over pairs where both are finite, resampling pairs together."""
    differences = [b - a for a, b in pairs if math.isfinite(a) and math.isfinite(b)]
    return bootstrap_ci(differences, resamples=resamples, seed=seed, confidence=confidence)
