"""A report as one self-contained HTML file (styles inline, no outside links): the basis for the PDF too."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sdmonitor import __version__
from sdmonitor.domain.formatting import dutch_int
from sdmonitor.domain.wording import (
    NO_COMPARISON,
    NO_LONG_TREND,
    UNKNOWN_TREND,
    Trend,
    dutch_date,
    period_text,
)
from sdmonitor.errors import InputError
from sdmonitor.metrics import CATALOGUE
from sdmonitor.reports.appendix import ReportContext
from sdmonitor.reports.build import ReportModel
from sdmonitor.reports.charts import Point, spark_spec, to_svg
from sdmonitor.reports.definitions import report_definition
from sdmonitor.reports.keyfigures import KeyFigure
from sdmonitor.reports.model import TableModel, policy_text
from sdmonitor.reports.safe_markdown import render_markdown
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy
from sdmonitor.reports.texts import explanation, fill_references


@dataclass(frozen=True)
class Branding:
    """What the municipality puts on its reports: its name and, optionally, a logo (a data: URI)."""

    municipality: str = "Gemeente"
    logo: str | None = None


DEFAULT_BRANDING = Branding()


LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
LOGO_MAX_BYTES = 2_000_000


def logo_uri(path: Path) -> str:
    """A logo file as a data: URI, so that the HTML report stays one self-contained file."""
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"Logo {path.name}: gebruik een PNG-, JPEG- of SVG-bestand.")
    data = path.read_bytes()
    if len(data) > LOGO_MAX_BYTES:
        raise InputError(f"Logo {path.name} is groter dan 2 MB; verklein het.")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def dutch_moment(moment: datetime) -> str:
    """'23 november 2026, 14:05'."""
    return f"{dutch_date(moment.date())}, {moment:%H:%M}"


def _table(table: TableModel, caption: str, policy: Policy, limit: int | None = None) -> dict[str, Any]:
    rows = []
    first_summary = len(table.rows) - table.summary_rows
    for index, row in enumerate(table.rows[:limit]):
        cells = [
            {
                "text": cell.text,
                "hidden": cell.hidden,
                "numeric": cell.hidden
                or (isinstance(cell.value, int | float) and not isinstance(cell.value, bool))
                or cell.text in ARROWS,
                "title": f"Minder dan {policy.threshold}"
                if cell.text == policy_text(policy)
                else "Afgeschermd",
            }
            for cell in row
        ]
        total = (table.has_total and index >= first_summary) or index in table.subtotal_rows
        rows.append({"cells": cells, "total": total})
    return {
        "caption": caption,
        "headers": table.headers,
        "rows": rows,
        "key_columns": table.key_columns,
        "size": "wide" if len(table.headers) > 9 else ("medium" if len(table.headers) > 6 else ""),
    }


def keep_words(text: object) -> Markup:
    """Text that wraps only at spaces: a token with a hyphen or slash ('2018-H1', '2024-07-01', 'Jeugd-ggz',
    a file name) is kept whole, so that no code or word is broken inside on a narrow page."""
    parts = re.split(r"(\s+)", str(text))
    return Markup(
        "".join(
            f'<span class="nb">{escape(p)}</span>' if re.search(r"[-/_.]", p) else str(escape(p))
            for p in parts
        )
    )


ARROWS = frozenset(trend.arrow for trend in Trend)  # a cell with an arrow is aligned as a number


def _key_figure(figure: KeyFigure, texts: dict[str, str], shown: dict[str, str]) -> dict[str, Any]:
    spark = ""
    values = [(label, value) for label, value in figure.series if value is not None]
    if figure.has_data and len(values) > 1:
        spark = to_svg(
            spark_spec(
                [Point(label, "", float(value)) for label, value in values], title=f"Trend {figure.kpi.title}"
            )
        )
    text, _ = fill_references(explanation(texts.get(f"kpi-{figure.kpi.name}", "")), shown, str)
    return {
        "name": figure.kpi.name,
        "title": figure.kpi.title,
        "has_data": figure.has_data,
        "missing": figure.missing_text if not figure.has_data else "",
        "value": figure.value_text,
        "status": figure.status_text,  # 'onvolledig', 't/m 10-07-2018', 'gepland': shown beside the value
        "previous": figure.previous_text or "–",
        "previous_status": figure.previous_status,
        "base_label": figure.base_label,
        "previous_label": figure.previous_label,
        "change": figure.change_text,
        "arrow": figure.trend.arrow if figure.trend else "",
        "arrow_text": figure.trend.word if figure.trend else NO_COMPARISON,
        "long_class": f"long-{figure.long_trend or 'none'}",
        "long_text": (figure.long_trend.word if figure.long_trend else UNKNOWN_TREND)
        if figure.base_label
        else NO_LONG_TREND,
        "target": figure.target_or_none,
        "meets": figure.meets_target,
        "spark": spark,
        "spark_from": values[0][0] if values else "",
        "explanation": render_markdown(text),
    }


def _revision(context: ReportContext, policy: Policy, limit: int) -> dict[str, Any]:
    edition = context.edition
    revision = edition.revision
    previous = edition.previous
    changes = [
        {
            "label": change.label,
            "old": change.old_text,
            "new": change.new_text,
            "loads": revision.changed_by(change)
            or "niet aan één laadactie toe te wijzen (sjabloon of referentiegegevens)",
        }
        for change in revision.changes
    ]
    return {
        "number": edition.number,
        "previous": None if previous is None else previous.number,
        "previous_date": "" if previous is None else dutch_moment(previous.created_at),
        # the same figures (the editiekenmerk may still differ: it is also over the analyst's text)
        "same": previous is not None
        and not changes
        and not revision.hidden_changes
        and not revision.added
        and not revision.removed,
        "changes": changes[:limit],
        "more": max(0, len(changes) - limit),
        "hidden_changes": revision.hidden_changes,
        "added": revision.added,
        "removed": revision.removed,
        "template_changed": revision.template_changed,
        "loads": [load.describe() for load in revision.loads],
        "figures_hash": edition.figures_hash[:16],
        "data_moment": "" if edition.data_moment is None else dutch_moment(edition.data_moment),
        "reproduce": "" if edition.data_moment is None else edition.data_moment.isoformat(),
    }


def _sources(context: ReportContext) -> dict[str, Any]:
    sources = context.sources
    return {
        "loads": [
            {
                "id": load.load_id,
                "kind": load.kind_name,
                "source": load.source,
                "file": load.file_name,
                "known": f"{load.known_from:%d-%m-%Y %H:%M}",
                "read": dutch_int(load.read),
                "loaded": dutch_int(load.loaded),
                "rejected": dutch_int(load.rejected),
                "warned": dutch_int(load.warned),
            }
            for load in sources.loads
        ],
        "notes": [
            {
                "severity": "afgewezen" if note.severity == "fout" else "geladen, met melding",
                "code": note.code,
                "description": note.description,
                "rows": dutch_int(note.rows),
            }
            for note in sources.notes
        ],
        "rejected": dutch_int(sources.rejected),
        "read": dutch_int(sources.read),
    }


def render_html(
    report: ReportModel,
    texts: dict[str, str],
    *,
    branding: Branding = DEFAULT_BRANDING,
    policy: Policy = DEFAULT_POLICY,
    today: date,
    context: ReportContext | None = None,
    revision_limit: int = 100,
    concept: bool = False,
) -> tuple[str, list[str]]:
    """The report as HTML, and the figure references in the texts that are unknown (a ``concept`` says so
    on its cover)."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sdmonitor.reports", "html"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["nb"] = keep_words
    unknown: list[str] = []
    sections = []
    for section in report.sections:
        tables = [_table(section.shown, section.label, policy)] if section.has_table else []
        if section.compare is not None and section.has_table:
            tables.append(_table(section.compare, "Ter vergelijking: elke toewijzing apart geteld", policy))
        text, missing = fill_references(explanation(texts.get(section.section.name, "")), report.shown, str)
        unknown.extend(missing)
        sections.append({
            "name": section.section.name, "title": section.section.title, "tables": tables,
            "note": section.note,
            # a table names its source when no chart of the section does (a chart says 'Bron: ...' itself)
            "source": section.source if tables and section.chart is None and not section.charts else "",
            "chart": to_svg(section.chart) if section.chart is not None else "",
            "charts": [to_svg(chart) for chart in section.charts],
            "signals": list(section.items),
            # raw HTML is shown as text, unsafe links lose their target, images their source
            "explanation": render_markdown(text),
        })  # fmt: skip
    summary_text, missing = fill_references(explanation(texts.get("samenvatting", "")), report.shown, str)
    unknown.extend(missing)
    for kpi in report.kpis:
        unknown.extend(
            fill_references(explanation(texts.get(f"kpi-{kpi.kpi.name}", "")), report.shown, str)[1]
        )
    previous_label = report.summary[0].previous_label if report.summary else ""
    # the long-term trend's base, when the key figures share one (else each figure names its own)
    bases = {f.base_label for f in (*report.summary, *report.kpis)}
    base_label = bases.pop() if len(bases) == 1 else None
    css = resources.files("sdmonitor.reports").joinpath("html/report.css").read_text("utf-8")
    html = environment.get_template("report.html.j2").render(
        title=report.template.title,
        period=report.period.label,
        period_text=period_text(report.period),
        as_of_text=dutch_date(report.as_of or today)
        if context is None or context.edition.data_moment is None
        else dutch_moment(context.edition.data_moment),
        municipality=branding.municipality,
        logo=branding.logo,
        css=css,
        summary=[_key_figure(f, texts, report.shown) for f in report.summary],
        summary_text=render_markdown(summary_text),
        previous_label=previous_label,
        base_label=base_label,
        kpis=[_key_figure(f, texts, report.shown) for f in report.kpis],
        sections=sections,
        definitions=_definitions(report),
        hidden_text=policy_text(policy),
        threshold=policy.threshold,
        threshold_pct=f"{report.template.threshold:g}",
        trend=Trend,  # the arrows and words of the legend
        revision=None if context is None else _revision(context, policy, revision_limit),
        sources=None if context is None else _sources(context),
        version=__version__,
        concept=concept,
    )
    return html, unknown


def _definitions(report: ReportModel) -> list[dict[str, str]]:
    """Every figure the report uses, once, from the metric catalogue, with the values of the options the
    report used ('binnen 12 maanden'; ``definitions.report_definition``), never an option's name."""
    shown = {s.section.metric: s.definition for s in reversed(report.sections) if s.section.is_metric}
    names = [s.section.metric for s in report.sections if s.section.is_metric]
    names += [s.section.compare for s in report.sections if s.section.compare]
    names += [f.kpi.metric for f in (*report.summary, *report.kpis) if f.kpi.metric]
    finance = {s.label: s.definition for s in report.sections if not s.section.is_metric}
    return [
        {"label": CATALOGUE[name].label, "definition": shown.get(name) or report_definition(name)}
        for name in dict.fromkeys(names)
    ] + [{"label": label, "definition": definition} for label, definition in finance.items()]


def write_html(html: str, path: Path) -> Path:
    """Write the HTML file (UTF-8)."""
    path.write_text(html, encoding="utf-8")
    return path


__all__ = ["Branding", "dutch_date", "dutch_moment", "period_text", "render_html", "write_html"]
