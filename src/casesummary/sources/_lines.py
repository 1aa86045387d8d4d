"""Plain-text helpers for the text formats: split at heading lines, read a Bilag list, reflow."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from casesummary.item import Attachment, SectionKind
from casesummary.sources._text import fold_blank_lines
from casesummary.sources.headings import classify, normalise_heading

#: Marks a line a laid-out page styles as a heading (bold, larger than the body text).
HEADING_MARK = "\x1e"
#: Stands where a laid-out page leaves a gap wider than a line between lines of body text.
GAP_MARK = "\x1f"

# A bare document number before an attachment's name ("330-2015-401843").
_DOC_NUMBER = re.compile(r"^[0-9][0-9.\-/]{5,40}$")
# A document number and the name on one line ("2012-200782 - Bygningsliste og …", eDoc).
_NUMBERED = re.compile(r"^([0-9][0-9.\-/]{5,40})\s+[-–]\s+(\S.*)$")
# The last word of a line that goes on: "Center for Ejendomme indstiller, at".
_OPEN_END = re.compile(r"\b(?:at|og|der|som|er|i|til|af|for|med|på)$")
# What a Bilag list says when there are none.
_NONE = frozenset({"ingen", "ingen bilag", "-"})
_LIST_START = re.compile(
    r"^(?:[-•–*]\s|\d{1,3}[.)]\s(?!(?:januar|februar|marts|april|maj|juni|juli|august|"
    r"september|oktober|november|december)\b)|[a-zA-Z][.)]\s|At\s+\d|Ad\s+\d)"
)


# "Beslutning: Godkendt.", "Beslutning i Økonomiudvalget den 12-03-2024: Taget til efterretning."
_INLINE_HEADING = re.compile(r"^(?P<head>[^:]{3,120}?)\s*:\s+(?P<rest>\S.*)$")


def split_inline_headings(
    lines: Sequence[str], is_heading: Callable[[str], bool], kinds: frozenset[SectionKind]
) -> list[str]:
    """Lines with a heading and its text on one line ("Beslutning: Godkendt.") split in two.

    Only headings of the given kinds count, and only when a sentence follows the colon: a
    "Bilag" entry or a field such as "Udvalg: Magistraten" stays one line.
    """
    out: list[str] = []
    for line in lines:
        match = _INLINE_HEADING.match(line) if ":" in line else None
        if (
            match is not None
            and _is_prose(match.group("rest"))
            and is_heading(match.group("head"))
            and classify(match.group("head")) in kinds
        ):
            out += [match.group("head"), match.group("rest")]
        else:
            out.append(line)
    return out


def split_at_headings(
    lines: Sequence[str], is_heading: Callable[[str], bool]
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(lines before the first heading, [(heading, lines under it)]); lines are pre-cleaned."""
    preamble: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for line in lines:
        if line and is_heading(line):
            parts.append((line.lstrip(HEADING_MARK).rstrip(":").strip(), []))
        elif parts:
            parts[-1][1].append(line)
        else:
            preamble.append(line)
    return preamble, parts


def blocks_and_attachments(
    lines: Sequence[str], is_heading: Callable[[str], bool]
) -> tuple[list[tuple[str, str, SectionKind | None]], list[Attachment]]:
    """The text's (heading, text, kind) blocks, any text before the first heading as "Tekst",
    and the attachments listed under its "Bilag" heading (which is no block).

    An attachment may be named like a heading ("Indstilling"): inside a Bilag list a heading
    line only ends the list when prose follows it, or when the list's entries stand on
    consecutive lines and a blank line comes before the heading.
    """
    preamble, parts = split_at_headings(lines, is_heading)
    blocks: list[tuple[str, str, SectionKind | None]] = []
    if block_text(preamble):
        blocks.append(("Tekst", block_text(preamble), None))
    attachments: list[Attachment] = []
    listing: list[str] | None = None  # the Bilag list being read, if any
    attachments_start = 0
    for heading, part in parts:
        if normalise_heading(heading) == "bilag":
            listing = list(part)
            attachments_start = len(attachments)
            attachments.extend(attachments_from(listing))
            continue
        if listing is not None and not _ends_listing(listing, part):
            listing += [heading, *part]
            del attachments[attachments_start:]
            attachments.extend(attachments_from(listing))
            continue
        listing = None
        blocks.append((heading, block_text(part), None))
    return blocks, attachments


def _ends_listing(listing: Sequence[str], part: Sequence[str]) -> bool:
    first = next((line for line in part if line), None)
    if first is not None and _is_prose(first):
        return True
    entries = [line for line in listing if line]
    consecutive = bool(entries) and "" not in _trim(listing)
    return consecutive and bool(listing) and listing[-1] == ""


def _trim(lines: Sequence[str]) -> list[str]:
    out = list(lines)
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def _is_prose(line: str) -> bool:
    """A line that is the start of a paragraph, not the name of a document."""
    return (
        len(line) > 100
        or line.endswith((".", ":", ";", ",", "!", "?"))
        or _OPEN_END.search(line) is not None
    )


def block_text(lines: Sequence[str]) -> str:
    """Lines joined, at most one blank line in a row, no blank lines at the ends.

    The lines are already cleaned (`clean_line`), so only blank runs need folding here.
    """
    return fold_blank_lines(lines)


def attachments_from(lines: Sequence[str]) -> list[Attachment]:
    """One attachment per non-empty line; a bare document number becomes the next one's id."""
    out: list[Attachment] = []
    pending_id: str | None = None
    for line in lines:
        if not any(c.isalnum() for c in line) or line.casefold().rstrip(".") in _NONE:
            continue
        if _DOC_NUMBER.match(line):
            pending_id = line
            continue
        if out and line[0].islower() and pending_id is None:
            # A long name wrapped onto the next line ("… med" / "tillæg 1").
            last = out[-1]
            out[-1] = Attachment(title=f"{last.title} {line}", document_id=last.document_id)
            continue
        numbered = _NUMBERED.match(line)
        if numbered and pending_id is None:
            out.append(Attachment(title=numbered.group(2), document_id=numbered.group(1)))
            continue
        out.append(Attachment(title=line, document_id=pending_id))
        pending_id = None
    if pending_id is not None:
        out.append(Attachment(title=pending_id, document_id=pending_id))
    return out


def reflow(text: str, width: int, is_heading: Callable[[str], bool]) -> str:
    """Lines a page layout wrapped joined back into paragraphs.

    A line goes on when the next one starts in lower case, or when it fills the page's width
    and ends no sentence; a list item or a heading always starts a new line.
    """
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and _continues(out[-1], line, width, is_heading):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def _continues(previous: str, line: str, width: int, is_heading: Callable[[str], bool]) -> bool:
    if _LIST_START.match(line) or is_heading(line) or previous.endswith(":"):
        return False
    if line[0].islower():
        return True
    if line[0].isdigit() and previous[-1].isalpha() and previous[-1].islower():
        return not _LIST_START.match(line)
    full = len(previous) >= 0.85 * width
    return full and not previous.endswith((".", "!", "?", ";"))
