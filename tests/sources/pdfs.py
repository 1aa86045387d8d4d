"""Builds small PDFs with a real text layer for the tests (reportlab, a test-only dependency)."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any, Literal

#: One line: its text, and optionally its font size and whether it is bold.
Line = str | tuple[str, float, bool]


Align = Literal["left", "center", "right"]


def make_pdf(
    pages: Sequence[Sequence[Line]],
    *,
    header: str | None = None,
    footer: str | None = None,
    password: str | None = None,
    header_align: Align = "left",
    footer_align: Align = "left",
) -> bytes:
    """A PDF with one page per list of lines; `header`/`footer` may hold "{page}"/"{pages}" and
    stand at the left margin, centred or at the right margin."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    encrypt = StandardEncryption(password, strength=128) if password else None
    pdf = canvas.Canvas(buffer, invariant=1, encrypt=encrypt)
    for number, lines in enumerate(pages, start=1):
        if header:
            pdf.setFont("Helvetica", 9)
            _draw(pdf, header.format(page=number, pages=len(pages)), 810, header_align)
        y = 780.0
        for line in lines:
            text, size, bold = (line, 10.0, False) if isinstance(line, str) else line
            if not text:
                y -= size * 1.25
                continue
            pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
            pdf.drawString(72, y, text)
            y -= size * 1.25
        if footer:
            pdf.setFont("Helvetica", 9)
            _draw(pdf, footer.format(page=number, pages=len(pages)), 30, footer_align)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw(pdf: Any, text: str, y: float, align: Align) -> None:
    if align == "center":
        pdf.drawCentredString(297, y, text)
    elif align == "right":
        pdf.drawRightString(523, y, text)
    else:
        pdf.drawString(72, y, text)


def make_columns_pdf(title: str, case_number: str, columns: Sequence[Sequence[Line]]) -> bytes:
    """One page with an item's title and case number over two columns of text, each drawn as
    a whole (a layout program writes a column's text in one run)."""
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(72, 770, title)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(72, 740, case_number)
    for x, lines in zip((72, 310), columns, strict=True):
        y = 710.0
        for line in lines:
            text, size, bold = (line, 10.0, False) if isinstance(line, str) else line
            pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
            pdf.drawString(x, y, text)
            y -= size * 1.5
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
