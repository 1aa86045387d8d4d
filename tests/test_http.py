"""Retry-After as every HTTP client of casesummary reads it (the backends and the portals)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from casesummary._http import parse_retry_after

NOW = datetime(2026, 11, 3, 12, 0, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, None),
        ({"retry-after": ""}, None),
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"RETRY-AFTER-MS": "250"}, 0.25),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after-ms": "soon", "retry-after": "3"}, 3.0),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "tomorrow"}, None),
        ({"retry-after": "Tue, 03 Nov 2026 12:00:30"}, None),  # an HTTP date without its zone
        ({"retry-after": "Tue, 03 Nov 2026 12:00:30 GMT"}, 30.0),
        ({"retry-after": "Tue, 03 Nov 2026 11:59:00 GMT"}, 0.0),
        ({"retry-after": format_datetime(datetime(2026, 11, 3, 12, 1, tzinfo=UTC), True)}, 60.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == seconds
