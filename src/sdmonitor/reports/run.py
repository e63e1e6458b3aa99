"""The report job: template + period -> the analyst's text file, and the report as HTML, PDF and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sdmonitor.domain.periods import parse_label, period_of
from sdmonitor.errors import InputError
from sdmonitor.reports.build import build_report
from sdmonitor.reports.render_html import DEFAULT_BRANDING, Branding, render_html, write_html
from sdmonitor.reports.render_pdf import write_pdf
from sdmonitor.reports.render_xlsx import write_xlsx
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy
from sdmonitor.reports.template import Template
from sdmonitor.reports.texts import SectionHeading, blank_text_file, read_blocks, update_text_file
from sdmonitor.warehouse import Warehouse


@dataclass(frozen=True)
class ReportFiles:
    """What a report run wrote, and the figure references in the texts that are unknown."""

    texts: Path
    html: Path
    pdf: Path
    xlsx: Path
    unknown_references: tuple[str, ...]
    texts_created: bool


def make_report(
    warehouse: Warehouse,
    template: Template,
    period_label: str,
    out_dir: Path,
    *,
    today: date,
    as_of: date | None = None,
    branding: Branding = DEFAULT_BRANDING,
    policy: Policy = DEFAULT_POLICY,
) -> ReportFiles:
    """Build the report for one period and write its files to ``out_dir``."""
    try:
        period = parse_label(period_label)
    except ValueError as exc:
        raise InputError(
            f"--period '{period_label}' is geen periode zoals 2018-H1, 2023-Q1 of 2018."
        ) from exc
    if period_of(period.first, template.grain) != period:
        raise InputError(
            f"Sjabloon '{template.name}' rapporteert per {template.grain.value}; '{period_label}' past daar niet bij."
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{template.name}-{period.label}"
    sections = [SectionHeading(s.name, s.title) for s in template.sections]
    texts_path = out_dir / f"{stem}-toelichting.md"
    created = not texts_path.exists()
    if created:
        texts_path.write_text(blank_text_file(f"{template.title} {period.label}", sections), encoding="utf-8")
    else:
        current = texts_path.read_text(encoding="utf-8")
        updated = update_text_file(current, sections)
        if updated != current:
            texts_path.write_text(updated, encoding="utf-8")
    report = build_report(warehouse, template, period, as_of=as_of, policy=policy)
    html, unknown = render_html(
        report,
        read_blocks(texts_path.read_text(encoding="utf-8")),
        branding=branding,
        policy=policy,
        today=today,
    )
    return ReportFiles(
        texts=texts_path,
        html=write_html(html, out_dir / f"{stem}.html"),
        pdf=write_pdf(html, out_dir / f"{stem}.pdf"),
        xlsx=write_xlsx(report, out_dir / f"{stem}.xlsx", policy),
        unknown_references=tuple(unknown),
        texts_created=created,
    )
