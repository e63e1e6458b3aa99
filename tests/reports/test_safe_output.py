"""The analyst's text cannot run, embed or fetch anything; the PDF renderer fetches only the product's assets."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from sdmonitor.reports.render_pdf import is_own_asset, write_pdf
from sdmonitor.reports.safe_markdown import render_markdown, safe_url

UNSAFE_TEXT = """Zie [de site](https://www.cbs.nl/jeugd?a=1&b=2) of [mail](mailto:analist@gemeente.nl).

[klik](javascript:alert(1)) [verstopt](&#106;avascript:alert(2)) [tab](java\tscript:alert(3))
[pagina](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [bestand][wachtwoorden]
[lokaal]( JAVASCRIPT:alert(4)) <a href="javascript:alert(5)">rauw</a> <script>alert(6)</script>

![grafiek]({server}/grafiek.png) ![](file:///etc/passwd) ![geheim](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)

[wachtwoorden]: file:///etc/passwd
"""


class _Counting(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    """A web server on 127.0.0.1 that counts the requests it gets."""
    _Counting.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_only_web_and_mail_links_keep_their_target() -> None:
    assert safe_url("https://www.cbs.nl/a?b=1&amp;c=2") == "https://www.cbs.nl/a?b=1&c=2"
    assert safe_url("mailto:analist@gemeente.nl") == "mailto:analist@gemeente.nl"
    for unsafe in ("javascript:alert(1)", "&#106;avascript:x", "java\tscript:x", " JAVASCRIPT:x",
                   "data:text/html,x", "file:///etc/passwd", "//elders.nl/x", "vbscript:x", "http:///x", ""):  # fmt: skip
        assert safe_url(unsafe) is None, unsafe


def test_unsafe_links_raw_html_and_images_in_the_analysts_text_never_reach_the_html() -> None:
    html = render_markdown(UNSAFE_TEXT.format(server="http://127.0.0.1:8899"))
    targets = re.findall(r"<\w+[^<>]*?\s(?:href|src)=\"([^\"]*)\"", html)  # in tags, not in text
    assert targets == ["https://www.cbs.nl/jeugd?a=1&amp;b=2", "mailto:analist@gemeente.nl"]
    assert "<script" not in html and "<img" not in html and "127.0.0.1" not in html
    assert '<a href="https://www.cbs.nl/jeugd?a=1&amp;b=2" rel="noopener noreferrer">de site</a>' in html
    assert '<a href="mailto:analist@gemeente.nl"' in html
    assert "<span>klik</span>" in html and "<span>bestand</span>" in html  # the text stays, the target goes
    assert "[afbeelding: grafiek]" in html and "&lt;script&gt;" in html


def test_the_pdf_build_fetches_nothing_from_a_local_web_server_or_the_file_system(
    local_server: str, tmp_path: Path
) -> None:
    body = render_markdown(UNSAFE_TEXT.format(server=local_server))
    # what the Markdown filter already stops, the renderer refuses as well
    html = (
        f'<html><head><link rel="stylesheet" href="{local_server}/stijl.css">'
        f"<style>@import url('{local_server}/import.css'); body {{ background: url('{local_server}/bg.png') }}"
        f"@font-face {{ font-family: X; src: url('{local_server}/font.woff') }}</style></head><body>{body}"
        f'<img src="{local_server}/direct.png"><img src="file:///etc/passwd"><img src="file:///etc/hostname">'
        '<img src="data:image/svg+xml;charset=utf-8,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2210%22 '
        f'height=%2210%22%3E%3Cimage href=%22{local_server}/in-svg.png%22/%3E%3C/svg%3E"></body></html>'
    )
    pdf = write_pdf(html, tmp_path / "rapport.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _Counting.requests == []


def test_the_renderer_serves_data_uris_and_package_files_only() -> None:
    import sdmonitor

    package_file = Path(sdmonitor.__file__).resolve().parent / "reports" / "html" / "report.css"
    assert is_own_asset(package_file.as_uri())
    assert is_own_asset("data:image/png;base64,iVBORw0KGgo=")
    assert not is_own_asset("file:///etc/passwd")
    assert not is_own_asset((package_file.parent / ".." / ".." / ".." / "..").resolve().as_uri() + "/x")
    assert not is_own_asset("http://127.0.0.1:8899/x.png")
    assert not is_own_asset("https://www.cbs.nl/logo.png")
