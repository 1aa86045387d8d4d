"""Page furniture: the boilerplate agenda portals and PDFs print around an item's text (cookie
banners, "Til toppen", "Udskriv hele dagsordnen", page numbers, case-id stamps, committee code
tables), which is never part of what the item says."""

from __future__ import annotations

import re

_PHRASES = re.compile(
    r"\bcookies?\b|\bvi bruger\b.{0,40}\bstatistik\b|\btil toppen\b|\budskriv hele dagsord"
    r"|\bhent som pdf\b|\bkopi[eé]r link\b|\bdel på (?:facebook|linkedin|x)\b"
    r"|\bgoogle to translate\b|\btranslate this website\b|\bskip to content\b"
    r"|\bgå til (?:indhold|hovedindhold)\b|\bher finder du (?:alle|dagsordener)\b"
    r"|\btilgængelighedserklæring\b|\bsagsinitialer\b|\bsagsid\.?\s*:"
    r"|\boffentlig beslutning der skal udfyldes\b|\bside \d+ af \d+\b|^side \d+$"
    r"|\bprint(?:venlig)? version\b|\blæs mere\b$|<title>|\bdagsordenspunkt\s*</",
    re.IGNORECASE,
)
# A row of committee codes ("DIR FOU BFU SOS BSK KFU BYP TMU ØKE BYR") or of x marks.
_CODE_ROW = re.compile(r"^(?:(?:[A-ZÆØÅ]{2,4}|x|X)\s+){4,}(?:[A-ZÆØÅ]{2,4}|x|X)$")


def is_furniture(text: str) -> bool:
    """Whether a line or sentence is page furniture rather than part of the item's text."""
    stripped = " ".join(text.split())
    return bool(_PHRASES.search(stripped) or _CODE_ROW.match(stripped))


__all__ = ["is_furniture"]
