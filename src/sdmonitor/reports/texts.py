"""The analyst's explanations: a Markdown file per report edition with one named block per section.

The file is created with an empty block per section; the analyst writes in the blocks; a later run reads the
text back and puts it in the report. A block looks like this (the markers are HTML comments, so the file
also reads well in any Markdown viewer)::

    <!-- blok: clienten -->
    ## Unieke cliënten per wet en doelgroep

    Het aantal cliënten Jeugdwet steeg naar {{clients.JW.2018-H1}}.
    <!-- einde blok -->

Text outside the blocks is kept but not used. Figures may be referenced as ``{{name}}``; references are
filled in from the report's figures, so text and tables never disagree. Names match without regard to case
(``{{clients.wmo.2018-h1}}`` is ``clients.WMO.2018-H1``) when that leaves one figure, and a group value may be
written as the tables show it (``{{clients.Jeugdwet.2018-H1}}`` is ``clients.JW.2018-H1``, wording.GROUP_NAMES).
An unknown reference
fails the report with its line (``reference_lines``); only a concept (``--concept``) shows it, as
``[onbekend cijfer: name]``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sdmonitor.domain.wording import GROUP_NAMES

BLOCK = re.compile(r"<!-- blok: (?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- einde blok -->", re.DOTALL)
# '{{clients.WMO.2018-H1}}' -> 'clients.WMO.2018-H1'
REFERENCE = re.compile(r"\{\{\s*(?P<name>[^{}\s]+)\s*\}\}")
PROMPT = "Wat kunnen wij hieruit concluderen?"
# a group value's displayed name (any case) -> its code: 'jeugdwet' -> 'JW'
DISPLAYED = {name.casefold(): code for names in GROUP_NAMES.values() for code, name in names.items()}


def coded_name(name: str) -> str:
    """A reference with every group value written by its displayed name replaced by its code:
    'clients.Jeugdwet.2018-H1' -> 'clients.JW.2018-H1' (the metric and the period are never a group value)."""
    parts = name.split(".")
    inner = [DISPLAYED.get(part.casefold(), part) for part in parts[1:-1]]
    return ".".join([*parts[:1], *inner, *parts[-1:]]) if len(parts) > 2 else name


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
    folded: dict[str, list[str]] = {}
    if REFERENCE.search(text):
        for key in figures:
            folded.setdefault(key.casefold(), []).append(key)

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in figures:
            candidates = folded.get(name.casefold(), []) or folded.get(coded_name(name).casefold(), [])
            if len(candidates) != 1:
                unknown.append(name)
                return f"[onbekend cijfer: {name}]"
            name = candidates[0]
        return show(figures[name])

    return REFERENCE.sub(replace, text), unknown


def reference_lines(text: str, names: Sequence[str]) -> list[str]:
    """Where the references ``names`` are in the text file: 'regel 12: {{clients.XX.2018-H1}}' each."""
    wanted = set(names)
    found = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for match in REFERENCE.finditer(line):
            if match.group("name") in wanted:
                found.append(f"regel {number}: {match.group(0)}")
    return found


def texts_fingerprint(blocks: Mapping[str, str], names: Sequence[str]) -> str:
    """A SHA-256 over the explanations of the blocks ``names`` as the report uses them (part of an edition's
    identity: the same figures with another text are another edition)."""
    body = json.dumps({name: explanation(blocks.get(name, "")) for name in names}, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
