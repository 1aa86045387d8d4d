"""The formats this library reads, in words: every "not a supported format" message lists them."""

from __future__ import annotations

SUPPORTED = (
    "FirstAgenda portal JSON (an item or a meeting), FirstAgenda portal pages (HTML), "
    "FirstAgenda agenda and minutes PDFs, SBSYS, eDoc and Acadre XML exports, "
    "minutes text ('Punkt N: …') and one item as text with its own headings"
)

__all__ = ["SUPPORTED"]
