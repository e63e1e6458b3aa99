"""The analyst's explanations: a Markdown file per report edition with one named block per section.

The file is created with an empty block per section; the analyst writes in the blocks; a later run reads the
text back and puts it in the report. A block looks like this (the markers are HTML comments, so the file
also reads well in any Markdown viewer)::

    <!-- blok: clienten -->
    ## Unieke cliënten per wet en doelgroep

    Het aantal cliënten Jeugdwet steeg naar {{clients.JW.2018-H1}}.
    <!-- einde blok -->

Text outside the blocks is kept but not used. Figures may be referenced as ``{{name}}``; references are
filled in from the report's figures, so text and tables never disagree. An unknown reference stays visible
as ``[onbekend cijfer: name]`` and is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

BLOCK = re.compile(r"<!-- blok: (?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- einde blok -->", re.DOTALL)
# '{{clients.WMO.2018-H1}}' -> 'clients.WMO.2018-H1'
REFERENCE = re.compile(r"\{\{\s*(?P<name>[^{}\s]+)\s*\}\}")
PROMPT = "Wat kunnen wij hieruit concluderen?"


@dataclass(frozen=True)
class SectionHeading:
    """A section's block name and its title in the report."""

    name: str
    title: str


def _block(section: SectionHeading, body: str) -> str:
    return f"<!-- blok: {section.name} -->\n{body}<!-- einde blok -->\n"


def _empty_body(section: SectionHeading) -> str:
    return f"## {section.title}\n\n<!-- {PROMPT} Schrijf hier de toelichting. -->\n\n"


def blank_text_file(title: str, sections: Sequence[SectionHeading]) -> str:
    """A new text file: a short instruction, then one empty block per section."""
    head = (
        f"# Toelichting: {title}\n\n"
        "Schrijf per blok de toelichting bij dat hoofdstuk. Laat de regels `<!-- blok: ... -->` en "
        "`<!-- einde blok -->` staan. Cijfers kunt u laten invullen met bijvoorbeeld `{{clients.WMO.2018-H1}}`.\n\n"
    )
    return head + "\n".join(_block(s, _empty_body(s)) for s in sections)


def read_blocks(text: str) -> dict[str, str]:
    """The body of every block by name (as written, heading and comments included)."""
    return {m.group("name"): m.group("body") for m in BLOCK.finditer(text.replace("\r\n", "\n"))}


def update_text_file(text: str, sections: Sequence[SectionHeading]) -> str:
    """Add empty blocks for sections the file does not have yet; never change or drop written text."""
    known = read_blocks(text)
    missing = [s for s in sections if s.name not in known]
    if not missing:
        return text
    return text.rstrip("\n") + "\n\n" + "\n".join(_block(s, _empty_body(s)) for s in missing)


def explanation(body: str) -> str:
    """What goes in the report: the block without its '## title' line and without HTML comments."""
    lines = [line for line in body.split("\n") if not line.startswith("## ")]
    return re.sub(r"<!--.*?-->", "", "\n".join(lines), flags=re.DOTALL).strip()


def fill_references(
    text: str, figures: Mapping[str, object], show: Callable[[object], str]
) -> tuple[str, list[str]]:
    """Replace ``{{name}}`` by the formatted figure; return the text and the unknown names."""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in figures:
            unknown.append(name)
            return f"[onbekend cijfer: {name}]"
        return show(figures[name])

    return REFERENCE.sub(replace, text), unknown
