"""A report as one self-contained HTML file (styles inline, no outside links): the basis for the PDF too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import markdown

from sdmonitor import __version__
from sdmonitor.domain.periods import Period
from sdmonitor.reports.build import ReportModel, TableModel, policy_text
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy
from sdmonitor.reports.texts import explanation, fill_references

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")  # fmt: skip
ORDINALS = ("eerste", "tweede", "derde", "vierde")


@dataclass(frozen=True)
class Branding:
    """What the municipality puts on its reports: its name and, optionally, a logo (a data: URI)."""

    municipality: str = "Gemeente"
    logo: str | None = None


DEFAULT_BRANDING = Branding()


def dutch_date(day: date) -> str:
    """'23 november 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def period_text(period: Period) -> str:
    """'eerste halfjaar 2018', 'eerste kwartaal 2023', 'januari 2018' or '2018'."""
    label = period.label
    if "-H" in label:
        return f"{ORDINALS[int(label[-1]) - 1]} halfjaar {label[:4]}"
    if "-Q" in label:
        return f"{ORDINALS[int(label[-1]) - 1]} kwartaal {label[:4]}"
    if len(label) == 7:
        return f"{MONTHS[period.first.month - 1]} {period.first.year}"
    return label


def _table(table: TableModel, caption: str, policy: Policy) -> dict[str, Any]:
    rows = []
    for index, row in enumerate(table.rows):
        cells = [
            {
                "text": cell.text,
                "hidden": cell.hidden,
                "numeric": cell.hidden
                or (isinstance(cell.value, int | float) and not isinstance(cell.value, bool)),
                "title": f"Minder dan {policy.threshold}"
                if cell.text == policy_text(policy)
                else "Afgeschermd",
            }
            for cell in row
        ]
        rows.append({"cells": cells, "total": table.has_total and index == len(table.rows) - 1})
    return {"caption": caption, "headers": table.headers, "rows": rows}


def render_html(
    report: ReportModel,
    texts: dict[str, str],
    *,
    branding: Branding = DEFAULT_BRANDING,
    policy: Policy = DEFAULT_POLICY,
    today: date,
) -> tuple[str, list[str]]:
    """The report as HTML, and the figure references in the texts that are unknown."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sdmonitor.reports", "html"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    shown = _shown_figures(report, policy)
    unknown: list[str] = []
    sections = []
    for section in report.sections:
        tables = [_table(section.table, section.label, policy)]
        if section.compare is not None:
            tables.append(_table(section.compare, "Ter vergelijking", policy))
        text, missing = fill_references(explanation(texts.get(section.section.name, "")), shown, str)
        unknown.extend(missing)
        sections.append({
            "name": section.section.name, "title": section.section.title, "tables": tables,
            # raw HTML in the analyst's text is shown as text, not run: '<' is escaped before Markdown
            "explanation": markdown.markdown(text.replace("<", "&lt;")) if text else "",
        })  # fmt: skip
    css = resources.files("sdmonitor.reports").joinpath("html/report.css").read_text("utf-8")
    html = environment.get_template("report.html.j2").render(
        title=report.template.title,
        period=report.period.label,
        period_text=period_text(report.period),
        as_of_text=dutch_date(report.as_of or today),
        municipality=branding.municipality,
        logo=branding.logo,
        css=css,
        sections=sections,
        definitions=[{"label": s.label, "definition": s.definition} for s in report.sections],
        hidden_text=policy_text(policy),
        threshold=policy.threshold,
        threshold_pct=f"{report.template.threshold:g}",
        version=__version__,
    )
    return html, unknown


def _shown_figures(report: ReportModel, policy: Policy) -> dict[str, object]:
    """Figures as text references show them: Dutch numbers, and '< 5' for small counts."""
    from sdmonitor.reports.build import show

    result: dict[str, object] = {}
    for name, value in report.figures.items():
        if isinstance(value, int) and 0 < value < policy.threshold:
            result[name] = policy_text(policy)
        else:
            result[name] = show("", value)
    return result


def write_html(html: str, path: Path) -> Path:
    """Write the HTML file (UTF-8)."""
    path.write_text(html, encoding="utf-8")
    return path


__all__ = ["Branding", "dutch_date", "period_text", "render_html", "write_html"]
