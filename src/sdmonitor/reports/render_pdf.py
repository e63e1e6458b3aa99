"""A report as PDF: the HTML report laid out by WeasyPrint (A4, page numbers from the stylesheet).

WeasyPrint fetches every image, stylesheet and font a document names. The report is self-contained (styles
inline, charts as inline SVG, the logo as a ``data:`` URI), so the fetcher given to WeasyPrint serves only
``data:`` URIs and files inside the installed ``sdmonitor`` package, and refuses anything else: no web
address (not even on 127.0.0.1), no ``file:`` outside the package. A refused resource is left out of the PDF.
"""

from __future__ import annotations

import logging
import warnings
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)


class RefusedResourceError(Exception):
    """A resource the PDF renderer may not fetch (WeasyPrint leaves it out)."""


def _package_dir() -> Path:
    return Path(str(resources.files("sdmonitor"))).resolve()


def is_own_asset(url: str) -> bool:
    """Whether ``url`` is a ``data:`` URI or a file inside the installed sdmonitor package."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_relative_to(_package_dir())


def _check(url: str) -> None:
    if not is_own_asset(url):
        logger.warning("PDF: bron %s niet opgehaald (alleen eigen bestanden van het rapport)", url[:200])
        raise RefusedResourceError(url[:200])


def own_assets_fetcher() -> Any:
    """A WeasyPrint url_fetcher that serves the product's own assets only (see the module).

    Recent WeasyPrint releases take a ``URLFetcher`` object, earlier ones a function; both are served.
    """
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):

        class OwnAssets(urls.URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                _check(url)
                return super().fetch(url, headers)

        return OwnAssets(allowed_protocols=("data", "file"), allow_redirects=False)

    def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> Any:
        _check(url)
        return urls.default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)

    return fetch


def write_pdf(html: str, path: Path) -> Path:
    """Lay out ``html`` (self-contained) as a PDF at ``path``, fetching nothing but the product's assets."""
    with warnings.catch_warnings():  # a note to packagers about an optional system library, not for the user
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint  # imported here: it loads the system's Pango libraries, needed for PDFs only

    for name in ("weasyprint", "fontTools"):  # notes about font subsetting are not for the user
        logging.getLogger(name).setLevel(logging.ERROR)

    weasyprint.HTML(string=html, url_fetcher=own_assets_fetcher()).write_pdf(str(path))
    return path
