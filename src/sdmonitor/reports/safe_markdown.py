"""The analyst's Markdown as safe HTML: no raw HTML, links only to web pages and e-mail addresses, no images.

The text file is written by a person but read by council members in a browser and laid out by WeasyPrint,
so nothing in it may run (``javascript:``), embed (``data:``) or fetch (an image on ``http://127.0.0.1``, a
``file:///`` link). Raw HTML is shown as text: ``<`` is escaped before Markdown sees it. A link keeps its
``href`` only when it is ``http``/``https`` with a host, or ``mailto``; any other link keeps its text and loses
its target. An image becomes its alt text in brackets ("[afbeelding: grafiek]"): a report carries only the
product's own charts.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# whitespace and control characters a browser ignores inside a URL: 'java\tscript:' is 'javascript:'
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> str | None:
    """``url`` when it is http(s) with a host or mailto, cleaned of entities and control characters; else None.

    >>> safe_url("https://www.cbs.nl/jeugd?x=1&amp;y=2")
    'https://www.cbs.nl/jeugd?x=1&y=2'
    >>> safe_url("&#106;avascript:alert(1)") is None
    True
    """
    cleaned = _IGNORED_IN_URL.sub("", html.unescape(url))
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme != "mailto" and not parts.netloc:
        return None
    return cleaned


class _SafeLinks(Treeprocessor):  # type: ignore[misc]
    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                target = safe_url(element.get("href", ""))
                element.attrib.clear()
                if target is None:
                    element.tag = "span"
                else:
                    element.set("href", target)
                    element.set("rel", "noopener noreferrer")
            elif element.tag == "img":
                alt = element.get("alt", "").strip()
                element.attrib.clear()
                element.tag = "span"
                element.text = f"[afbeelding: {alt}]" if alt else "[afbeelding]"


class _SafeLinksExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        # after 'inline' (which makes the links) and before 'prettify'
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 5)


def render_markdown(text: str) -> str:
    """The analyst's Markdown ``text`` as HTML that runs, embeds and fetches nothing (see the module)."""
    if not text:
        return ""
    html: str = markdown.markdown(text.replace("<", "&lt;"), extensions=[_SafeLinksExtension()])
    return html
