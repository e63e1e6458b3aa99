from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.reports.texts import (
    SectionHeading,
    blank_text_file,
    explanation,
    fill_references,
    read_blocks,
    reference_lines,
    update_text_file,
)

SECTIONS = [SectionHeading("kerncijfers", "Kerncijfers"), SectionHeading("clienten", "Unieke cliënten")]


def test_a_new_file_has_an_empty_named_block_per_section() -> None:
    text = blank_text_file("Halfjaarrapportage 2018-H1", SECTIONS)
    blocks = read_blocks(text)
    assert list(blocks) == ["kerncijfers", "clienten"]
    assert all(explanation(body) == "" for body in blocks.values())
    assert "## Unieke cliënten" in blocks["clienten"]


def test_written_text_comes_back_without_title_and_comments() -> None:
    text = blank_text_file("H1", SECTIONS).replace(
        "<!-- blok: clienten -->\n## Unieke cliënten\n\n",
        "<!-- blok: clienten -->\n## Unieke cliënten\n\nMeer cliënten **Jeugdwet** dan vorig jaar.\n",
    )
    assert explanation(read_blocks(text)["clienten"]) == "Meer cliënten **Jeugdwet** dan vorig jaar."
    assert explanation(read_blocks(text)["kerncijfers"]) == ""


def test_a_new_section_gets_a_block_and_written_text_stays() -> None:
    text = blank_text_file("H1", SECTIONS[:1]).replace(
        "<!-- blok: kerncijfers -->\n## Kerncijfers\n\n",
        "<!-- blok: kerncijfers -->\n## Kerncijfers\n\nStabiel.\n",
    )
    updated = update_text_file(text, SECTIONS)
    assert updated.startswith(text.rstrip("\n"))
    assert list(read_blocks(updated)) == ["kerncijfers", "clienten"]
    assert update_text_file(updated, SECTIONS) == updated


def test_windows_line_endings_are_read() -> None:
    text = blank_text_file("H1", SECTIONS).replace("\n", "\r\n")
    assert list(read_blocks(text)) == ["kerncijfers", "clienten"]


def test_references_are_filled_and_unknown_ones_reported() -> None:
    figures = {"clients.WMO.2018-H1": 1190, "clients.JW.2018-H1": 1408}
    text, unknown = fill_references(
        "Wmo {{clients.WMO.2018-H1}}, Jeugdwet {{ clients.JW.2018-H1 }}, Pw {{clients.PW.2018-H1}}.",
        figures,
        lambda v: f"{v:,}".replace(",", "."),
    )
    assert text == "Wmo 1.190, Jeugdwet 1.408, Pw [onbekend cijfer: clients.PW.2018-H1]."
    assert unknown == ["clients.PW.2018-H1"]


prose = st.text(
    alphabet=st.characters(blacklist_characters="<>{}", blacklist_categories=("Cs",)), max_size=200
)


@given(st.lists(prose, min_size=2, max_size=2))
def test_any_text_written_in_the_blocks_round_trips(bodies: list[str]) -> None:
    text = blank_text_file("H1", SECTIONS)
    for section, body in zip(SECTIONS, bodies, strict=True):
        text = text.replace(
            f"<!-- blok: {section.name} -->\n## {section.title}\n\n",
            f"<!-- blok: {section.name} -->\n## {section.title}\n\n{body}\n",
        )
    blocks = read_blocks(text)
    for section, body in zip(SECTIONS, bodies, strict=True):
        expected = "\n".join(
            line for line in body.replace("\r\n", "\n").split("\n") if not line.startswith("## ")
        )
        assert explanation(blocks[section.name]) == expected.strip()


def test_law_names_in_references_match_in_any_case() -> None:
    figures = {"clients.WMO.2018-H1": 1190, "clients.JW.2018-H1": 1408}
    text, unknown = fill_references(
        "{{clients.wmo.2018-H1}} {{clients.Jw.2018-h1}} {{CLIENTS.WMO.2018-H1}}", figures, str
    )
    assert (text, unknown) == ("1190 1408 1190", [])


def test_an_unknown_reference_is_found_with_its_line() -> None:
    text = "# Toelichting\n<!-- blok: a -->\nWmo {{clients.WMO.2018-H1}}\nPw {{ clients.PW.2018-H1 }}\n"
    assert reference_lines(text, ["clients.PW.2018-H1"]) == ["regel 4: {{ clients.PW.2018-H1 }}"]
