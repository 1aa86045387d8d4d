"""Numbers as Danes write them: "474.501.000 kr.", "49,08 %", "12 mio. kr.", "350 t.kr."."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casesummary.danish.dates import date_spans

#: A number as Danes write it: dot for thousands, comma for decimals ("474.501.000", "49,08").
NUMBER_TEXT = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
# Each pattern opens with (?=\d): a position without a digit fails before any alternative is tried.
_BARE_NUMBER_RE = re.compile(rf"(?=\d)(?<!\d)(?:{NUMBER_TEXT})(?!\d)")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")

#: Scale words after a number, and what they multiply by.
_SCALES: dict[str, float] = {
    "mio": 1e6, "mill": 1e6, "million": 1e6, "millioner": 1e6,
    "mia": 1e9, "mrd": 1e9, "milliard": 1e9, "milliarder": 1e9,
    "t.kr": 1e3, "tkr": 1e3, "tusind": 1e3, "tusinde": 1e3,
}  # fmt: skip
_SCALE_ALT = "|".join(re.escape(s) for s in sorted(_SCALES, key=len, reverse=True))
_QUANTITY_RE = re.compile(
    rf"(?=\d)(?<!\d)(?P<num>{NUMBER_TEXT})(?!\d)"
    rf"(?:\s*(?P<scale>{_SCALE_ALT})(?![^\W\d_])\.?)?"
    rf"(?:\s*(?P<pct>%|pct\.?|procent))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number found in text, normalised; `tolerance` covers the rounding its digits imply."""

    text: str
    value: float
    tolerance: float
    percent: bool = False

    def matches(self, other: Quantity) -> bool:
        """True when `other` could be the number this one states (same value up to rounding)."""
        return abs(self.value - other.value) <= self.tolerance + 1e-9 * max(1.0, abs(self.value))


def parse_number(text: str) -> tuple[float, int]:
    """A Danish-formatted number's value and how many decimals it states.

    "474.501.000" -> (474501000, 0); "49,08" -> (49.08, 2); "2.5" (an English decimal point,
    not a thousands group) -> (2.5, 1).
    """
    if _GROUPED.fullmatch(text):
        text = text.replace(".", "")
    whole, _, decimals = text.replace(",", ".").partition(".")
    return float(f"{whole}.{decimals}" if decimals else whole), len(decimals)


def number_key(token: str) -> str:
    """A number token as one normalised word ("1.000" -> "1000", "2,5" -> "2.5")."""
    value, _ = parse_number(token)
    return str(int(value)) if value.is_integer() else repr(value)


def quantities(text: str, *, skip_dates: bool = True) -> list[Quantity]:
    """Numbers in the text with scale words applied ("12 mio. kr." -> 12 000 000).

    With `skip_dates` the digits of a date are not also reported as numbers; pass False for a
    source text, so that an answer saying "i 2025" is grounded by "26. august 2025".
    """
    blanked = text
    if skip_dates:
        for _, (a, b) in date_spans(text):
            blanked = blanked[:a] + " " * (b - a) + blanked[b:]
    found: list[Quantity] = []
    for m in _QUANTITY_RE.finditer(blanked):
        value, decimals = parse_number(m.group("num"))
        scale_word = (m.group("scale") or "").casefold().rstrip(".")
        scale = _SCALES.get(scale_word, 1.0)
        tolerance = 0.5 * 10.0**-decimals * scale  # "49 %" may round "49,08 %"
        found.append(
            Quantity(
                text=m.group().strip(),
                value=value * scale,
                tolerance=tolerance,
                percent=bool(m.group("pct")),
            )
        )
    return found


def bare_numbers(text: str) -> list[tuple[str, float]]:
    """Every number in the text as written, without scale words or dates applied."""
    return [(m.group(), parse_number(m.group())[0]) for m in _BARE_NUMBER_RE.finditer(text)]
