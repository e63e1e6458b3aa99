"""A report as PDF: the HTML report laid out by WeasyPrint (A4, page numbers from the stylesheet).

WeasyPrint fetches every image, stylesheet and font a document names. The report is self-contained (styles
inline, charts as inline SVG, the logo as a ``data:`` URI), so the fetcher given to WeasyPrint serves only
``data:`` URIs and files inside the installed ``sdmonitor`` package, and refuses anything else: no web
address (not even on 127.0.0.1), no ``file:`` outside the package. A refused resource is left out of the PDF.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Iterator
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


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def too_wide_tables(document: Any) -> list[Any]:
    """The ``<table>`` elements of a laid-out WeasyPrint ``document`` that reach past the right margin of
    their page, each once (a table over several pages counts once)."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, Any] = {}
    for page in document.pages:
        page_box = getattr(page, "_page_box", None)  # WeasyPrint's layout tree (since release 53)
        if page_box is None:
            continue
        right = page_box.content_box_x() + page_box.width
        for box in _boxes(page_box):
            if isinstance(box, boxes.TableBox) and box.border_box_x() + box.border_width() > right + 0.5:
                found.setdefault(id(box.element), box.element)
    return list(found.values())


def _marked(html: str, squeeze: set[int], landscape: set[int]) -> str:
    """``html`` with every ``<table>`` and ``<section>`` numbered in document order (``data-pdf-table``,
    ``data-pdf-section``), and ``data-pdf`` on those to squeeze or to put on a landscape page (pdf.css).
    The report's text is escaped, so each ``<table`` and ``<section`` in it is a tag."""

    def number(tag: str, attribute: str, chosen: set[int], mark: str) -> Callable[[re.Match[str]], str]:
        counter = iter(range(1_000_000))

        def replace(_: re.Match[str]) -> str:
            index = next(counter)
            extra = f' data-pdf="{mark}"' if index in chosen else ""
            return f'<{tag} {attribute}="{index}"{extra}'

        return replace

    html = re.sub(r"<table(?=[\s>])", number("table", "data-pdf-table", squeeze, "squeeze"), html)
    return re.sub(r"<section(?=[\s>])", number("section", "data-pdf-section", landscape, "landscape"), html)


def lay_out(html: str) -> Any:
    """The report laid out by WeasyPrint so that no table is cut off at the page edge: a table too wide for
    the A4 text block gets smaller type, tighter cells and hyphenated headers; the section of one still too
    wide goes on a landscape page, its tables at their own size (squeezed there only if need be). Each step
    lays the document out again (a few seconds for a long report), only when a table needs it."""
    import weasyprint

    css = resources.files("sdmonitor.reports").joinpath("html/pdf.css").read_text("utf-8")
    # after the report's own styles, as the author's (a user stylesheet would yield to report.css)
    html = html.replace("</head>", f"<style>\n{css}</style>\n</head>", 1)
    squeeze: set[int] = set()
    landscape: set[int] = set()

    def render() -> tuple[Any, list[Any], dict[Any, Any]]:
        source = weasyprint.HTML(string=_marked(html, squeeze, landscape), url_fetcher=own_assets_fetcher())
        document = source.render()
        parents = {child: parent for parent in source.etree_element.iter() for child in parent}
        return document, too_wide_tables(document), parents

    def section_of(table: Any, parents: dict[Any, Any]) -> int | None:
        element = parents.get(table)
        while element is not None and element.get("data-pdf-section") is None:
            element = parents.get(element)
        return None if element is None else int(element.get("data-pdf-section"))

    document, wide, parents = render()
    if not wide:
        return document
    squeeze = {int(table.get("data-pdf-table")) for table in wide}
    document, wide, parents = render()
    if not wide:
        return document
    still = {int(table.get("data-pdf-table")) for table in wide}
    sections = {section_of(table, parents) for table in wide}
    landscape = {index for index in sections if index is not None}
    squeeze -= still
    document, wide, parents = render()
    if not wide:
        return document
    squeeze |= {int(table.get("data-pdf-table")) for table in wide}  # too wide even on a landscape page
    return render()[0]


def write_pdf(html: str, path: Path) -> Path:
    """Lay out ``html`` (self-contained) as a PDF at ``path``, fetching nothing but the product's assets,
    with no table past the right margin (``lay_out``)."""
    with warnings.catch_warnings():  # a note to packagers about an optional system library, not for the user
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint  # noqa: F401  (imported here: it loads the system's Pango libraries, PDFs only)

    for name in ("weasyprint", "fontTools"):  # notes about font subsetting are not for the user
        logging.getLogger(name).setLevel(logging.ERROR)

    lay_out(html).write_pdf(str(path))
    return path
