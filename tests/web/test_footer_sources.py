"""The footer of every dashboard page names the sources of the data loaded: the registration of allocations,
and the income system once benefits are loaded, never 'Wmo en Jeugdwet' alone beside Participatiewet figures."""

from __future__ import annotations

from pathlib import Path

from sdmonitor.domain.wording import SOURCE_NAMES
from sdmonitor.web.deps import _environment
from tests.web.test_clients_participatiewet import ANALYST, make


def footer(sources: str) -> str:
    html = _environment().get_template("layout.html.j2").render(
        title="t", user=ANALYST.user, nav=[], csrf="", municipality="", version="1", threshold=5,
        sources=sources, content="",
    )  # fmt: skip
    return html.split('<footer class="site-footer">')[1]


def test_the_footer_names_the_income_system_once_benefits_are_loaded(tmp_path: Path) -> None:
    dashboard = make(tmp_path)
    try:
        sources = dashboard.sources()
    finally:
        dashboard.close()
    assert sources == f"{SOURCE_NAMES['allocations']} en {SOURCE_NAMES['benefits']}"
    text = footer(sources)
    assert "inkomensadministratie (Participatiewet, IOAW, IOAZ, Bbz)" in text
    assert "Cijfers uit: gemeentelijke registratie van toewijzingen (Wmo 2015, Jeugdwet) en " in text


def test_without_benefits_the_footer_names_the_allocations_only(tmp_path: Path) -> None:
    dashboard = make(tmp_path / "zonder", benefits=False)
    try:
        assert dashboard.sources() == SOURCE_NAMES["allocations"]
    finally:
        dashboard.close()
    assert "Cijfers berekend zoals" in footer("")
