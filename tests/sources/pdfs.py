"""Builds small PDFs with a real text layer for the tests (reportlab, a test-only dependency)."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

#: One line: its text, and optionally its font size and whether it is bold.
Line = str | tuple[str, float, bool]


def make_pdf(
    pages: Sequence[Sequence[Line]],
    *,
    header: str | None = None,
    footer: str | None = None,
    password: str | None = None,
) -> bytes:
    """A PDF with one page per list of lines; `header`/`footer` may hold "{page}"/"{pages}"."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    encrypt = StandardEncryption(password, strength=128) if password else None
    pdf = canvas.Canvas(buffer, invariant=1, encrypt=encrypt)
    for number, lines in enumerate(pages, start=1):
        if header:
            pdf.setFont("Helvetica", 9)
            pdf.drawString(72, 810, header.format(page=number, pages=len(pages)))
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
            pdf.drawString(72, 30, footer.format(page=number, pages=len(pages)))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
