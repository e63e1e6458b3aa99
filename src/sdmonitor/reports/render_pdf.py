"""A report as PDF: the HTML report laid out by WeasyPrint (A4, page numbers from the stylesheet)."""

from __future__ import annotations

import logging
from pathlib import Path


def write_pdf(html: str, path: Path) -> Path:
    """Lay out ``html`` (self-contained) as a PDF at ``path``."""
    import weasyprint  # imported here: it loads the system's Pango libraries, needed for PDFs only

    for name in ("weasyprint", "fontTools"):  # notes about font subsetting are not for the user
        logging.getLogger(name).setLevel(logging.ERROR)

    weasyprint.HTML(string=html).write_pdf(str(path))
    return path
