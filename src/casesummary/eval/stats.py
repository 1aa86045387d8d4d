"""Percentile-bootstrap confidence intervals for eval means, one-sample or paired; NaN skipped.

Seeded so that the same results always give the same interval: a report that changes when
nothing else did would send people hunting for a regression that is not there.
"""

from __future__ import annotations

import math
import random
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import truediv
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


@dataclass(frozen=True)
class _Draws:
    """Which of n values each seeded resample takes, shared by every call with that n.

    `picks` holds index tuples; resample i sums `picks[i]`, or `picks[which[i]]` when the
    draws were deduplicated (few distinct multisets, as when n is small).
    """

    picks: tuple[tuple[int, ...], ...]
    which: tuple[int, ...] | None


#: At most this many drawn indices stay cached (about 8 bytes each, so some 32 MiB).
_DRAW_BUDGET = 4_000_000
#: Indices drawn per `choices` call while filling the cache.
_DRAW_CHUNK = 65_536
_draw_cache: OrderedDict[tuple[int, int, int], _Draws] = OrderedDict()
_draw_lock = threading.Lock()


def _draws(n: int, resamples: int, seed: int) -> _Draws:
    """The indices `random.Random(seed)` picks in `resamples` calls of `choices(kept, k=n)`.

    Without weights `choices` takes `kept[floor(random() * n)]`, so the picks depend on n,
    never on the values: `choices(range(n), k=n)` consumes the generator the same way and
    names the same positions. Drawing them once per (n, resamples, seed) and reusing them for
    every metric and group of that size gives the very intervals a fresh draw would.
    """
    key = (n, resamples, seed)
    with _draw_lock:
        cached = _draw_cache.get(key)
        if cached is not None:
            _draw_cache.move_to_end(key)
            return cached
    rng = random.Random(seed)
    pool = list(range(n))  # shared int objects: the tuples then cost a pointer per index
    picks: list[tuple[int, ...]] = []
    # One `choices` call per chunk of resamples draws what one call per resample would.
    per_chunk = max(1, _DRAW_CHUNK // n)
    for start in range(0, resamples, per_chunk):
        flat = iter(rng.choices(pool, k=n * min(per_chunk, resamples - start)))
        picks.extend(zip(*[flat] * n, strict=True))
    draws = _Draws(picks=tuple(picks), which=None)
    # comb(2n - 1, n) >= 2**(n - 1): the bit-length test spares computing it for large n.
    if n <= resamples.bit_length() and math.comb(2 * n - 1, n) < resamples:
        # Fewer possible multisets than resamples: sum each distinct one once. The order
        # within a resample does not matter, as math.fsum is correctly rounded.
        position: dict[tuple[int, ...], int] = {}
        which = tuple(position.setdefault(tuple(sorted(p)), len(position)) for p in picks)
        if 2 * len(position) <= resamples:
            draws = _Draws(picks=tuple(position), which=which)
    size = n * resamples
    if size <= _DRAW_BUDGET:
        with _draw_lock:
            _draw_cache[key] = draws
            total = sum(k[0] * k[1] for k in _draw_cache)
            while total > _DRAW_BUDGET:
                (old_n, old_resamples, _), _ = _draw_cache.popitem(last=False)
                total -= old_n * old_resamples
    return draws


def _resample_means(kept: list[float], centre: float, resamples: int, seed: int) -> list[float]:
    """Sorted means of the seeded resamples of `kept` (n >= 2), as a fresh draw would give."""
    n = len(kept)
    first = kept[0]
    if all(v == first for v in kept) and (
        first != 0.0 or len({math.copysign(1.0, v) for v in kept}) == 1
    ):
        # Every resample is `kept` itself again (a mix of 0.0 and -0.0 is not constant).
        return [centre] * resamples
    draws = _draws(n, resamples, seed)
    sums = map(math.fsum, map(map, repeat(kept.__getitem__), draws.picks))
    if draws.which is not None:
        sums = map(list(sums).__getitem__, draws.which)
    return sorted(map(truediv, sums, repeat(n)))


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
    means = _resample_means(kept, centre, resamples, seed)
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
