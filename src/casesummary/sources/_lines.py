"""Plain-text helpers for the text formats: split at heading lines, read a Bilag list."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from casesummary.item import Attachment, SectionKind
from casesummary.sources._text import normalise_text
from casesummary.sources.headings import normalise_heading

# A bare document number before an attachment's name ("330-2015-401843").
_DOC_NUMBER = re.compile(r"^[0-9][0-9.\-/]{5,40}$")


def split_at_headings(
    lines: Sequence[str], is_heading: Callable[[str], bool]
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(lines before the first heading, [(heading, lines under it)]); lines are pre-cleaned."""
    preamble: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for line in lines:
        if line and is_heading(line):
            parts.append((line.rstrip(":").strip(), []))
        elif parts:
            parts[-1][1].append(line)
        else:
            preamble.append(line)
    return preamble, parts


def blocks_and_attachments(
    lines: Sequence[str], is_heading: Callable[[str], bool]
) -> tuple[list[tuple[str, str, SectionKind | None]], list[Attachment]]:
    """The text's (heading, text, kind) blocks, any text before the first heading as "Tekst",
    and the attachments listed under its "Bilag" heading (which is no block)."""
    preamble, parts = split_at_headings(lines, is_heading)
    blocks: list[tuple[str, str, SectionKind | None]] = []
    if block_text(preamble):
        blocks.append(("Tekst", block_text(preamble), None))
    attachments: list[Attachment] = []
    for heading, part in parts:
        if normalise_heading(heading) == "bilag":
            attachments.extend(attachments_from(part))
        else:
            blocks.append((heading, block_text(part), None))
    return blocks, attachments


def block_text(lines: Sequence[str]) -> str:
    """Lines joined, at most one blank line in a row, no blank lines at the ends."""
    return normalise_text("\n".join(lines))


def attachments_from(lines: Sequence[str]) -> list[Attachment]:
    """One attachment per non-empty line; a bare document number becomes the next one's id."""
    out: list[Attachment] = []
    pending_id: str | None = None
    for line in lines:
        if not line:
            continue
        if _DOC_NUMBER.match(line):
            pending_id = line
            continue
        out.append(Attachment(title=line, document_id=pending_id))
        pending_id = None
    if pending_id is not None:
        out.append(Attachment(title=pending_id, document_id=pending_id))
    return out
