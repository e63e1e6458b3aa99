"""The report job: template + period -> the analyst's text file, and the report as HTML, PDF and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sdmonitor.domain.periods import parse_label, period_of
from sdmonitor.domain.wording import GRAIN_WORDS
from sdmonitor.errors import InputError
from sdmonitor.metrics.engine import as_of_cutoff
from sdmonitor.reports.appendix import ReportContext, data_sources
from sdmonitor.reports.build import ReportModel, build_report, period_has_data
from sdmonitor.reports.editions import (
    Edition,
    Figures,
    NewEdition,
    data_moment,
    data_upto,
    edition_figures,
    figures_hash,
    get_edition,
    next_number,
    previous_edition,
    report_figures,
    revise,
    store_edition,
)
from sdmonitor.reports.render_html import DEFAULT_BRANDING, Branding, render_html, write_html
from sdmonitor.reports.render_pdf import write_pdf
from sdmonitor.reports.render_xlsx import write_xlsx
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy, check_report_threshold
from sdmonitor.reports.template import Template
from sdmonitor.reports.texts import (
    SectionHeading,
    blank_text_file,
    read_blocks,
    reference_lines,
    texts_fingerprint,
    update_text_file,
)
from sdmonitor.warehouse import Warehouse, inventory


@dataclass(frozen=True)
class ReportFiles:
    """What a report run wrote, the edition it stored, and the figure references in the texts that are unknown."""

    texts: Path
    html: Path
    pdf: Path
    xlsx: Path
    unknown_references: tuple[str, ...]
    texts_created: bool
    edition: Edition


@dataclass(frozen=True)
class PreparedReport:
    """A report computed and its files written, with the edition still to be stored (``store_report``)."""

    edition: NewEdition
    files: dict[str, Path]
    unknown_references: tuple[str, ...]
    texts_created: bool


class DataChangedError(InputError):
    """The warehouse changed (a load, or another edition of the same report) between computing a report and
    storing its edition."""


def make_report(
    warehouse: Warehouse,
    template: Template,
    period_label: str,
    out_dir: Path,
    *,
    now: datetime,
    as_of: date | datetime | None = None,
    branding: Branding = DEFAULT_BRANDING,
    policy: Policy = DEFAULT_POLICY,
    concept: bool = False,
) -> ReportFiles:
    """Build the report for one period, write its files to ``out_dir`` and store it as an edition, on one
    open warehouse (``prepare_report`` then ``store_report``)."""
    prepared = prepare_report(
        warehouse, template, period_label, out_dir, now=now, as_of=as_of, branding=branding, policy=policy,
        concept=concept,
    )  # fmt: skip
    return store_report(warehouse, prepared)


def prepare_report(
    warehouse: Warehouse,
    template: Template,
    period_label: str,
    out_dir: Path,
    *,
    now: datetime,
    as_of: date | datetime | None = None,
    branding: Branding = DEFAULT_BRANDING,
    policy: Policy = DEFAULT_POLICY,
    concept: bool = False,
) -> PreparedReport:
    """Build the report for one period and write its files to ``out_dir``; reads only, so a read-only open
    suffices (``sdm report`` computes while the dashboard keeps serving).

    Invalid input (period, threshold, a period without data) is refused before anything is written. A
    reference in the analyst's text to a figure the report does not have fails the run with its line, before
    any report file is written; a ``concept`` shows it instead and says 'Concept' on its cover.
    """
    check_report_threshold(policy.threshold)
    try:
        period = parse_label(period_label)
    except ValueError as exc:
        raise InputError(
            f"--period '{period_label}' is geen periode zoals 2018-H1, 2023-Q1 of 2018."
        ) from exc
    if period_of(period.first, template.grain) != period:
        raise InputError(
            f"Sjabloon '{template.name}' rapporteert per {GRAIN_WORDS[template.grain]}; '{period_label}' past daar niet bij."
        )
    moment = data_moment(warehouse, None if as_of is None else as_of_cutoff(as_of))
    if moment is None:
        raise InputError(
            "Er zijn (op dat moment) nog geen toewijzingen geladen; laad eerst gegevens met sdm load allocations."
        )
    if period.first > moment.date():
        raise InputError(
            f"De periode {period.label} begint na de stand van de gegevens ({moment:%d-%m-%Y}); "
            "een rapport erover zou alleen lopende toewijzingen doortrekken. Kies een eerdere periode of laad nieuwere gegevens."
        )
    if not period_has_data(warehouse, period, template.grain, as_of):
        raise InputError(
            f"Over {period.label} zijn geen gegevens: geen enkele cliënt had toen ondersteuning volgens de geladen "
            "toewijzingen. Kies een periode waarover gegevens zijn geladen; er wordt geen editie bewaard."
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{template.name}-{period.label}"
    sections = [SectionHeading("samenvatting", "Samenvatting")] if template.summary else []
    sections += [SectionHeading(f"kpi-{k.name}", k.title) for k in template.kpis]
    sections += [SectionHeading(s.name, s.title) for s in template.sections]
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
    text_file = texts_path.read_text(encoding="utf-8")
    blocks = read_blocks(text_file)
    texts = texts_fingerprint(blocks, [s.name for s in sections]) + (";concept" if concept else "")
    edition = new_edition(warehouse, report, policy, as_of, moment, now, texts=texts)
    context = ReportContext(edition=edition, sources=data_sources(warehouse, edition.data_moment))
    html, unknown = render_html(
        report, blocks, branding=branding, policy=policy, today=now.date(), context=context, concept=concept
    )
    if unknown and not concept:
        raise InputError(
            f"De toelichting {texts_path} verwijst naar cijfers die het rapport niet heeft: "
            + "; ".join(reference_lines(text_file, unknown))
            + ". Verbeter de verwijzing (bijvoorbeeld {{clients.WMO.2018-H1}}) of maak een concept met --concept."
        )
    files = {
        "texts": texts_path,
        "html": write_html(html, out_dir / f"{stem}.html"),
        "pdf": write_pdf(html, out_dir / f"{stem}.pdf"),
        "xlsx": write_xlsx(report, out_dir / f"{stem}.xlsx", policy, context),
    }
    return PreparedReport(edition, files, tuple(unknown), created)


def store_report(warehouse: Warehouse, prepared: PreparedReport) -> ReportFiles:
    """Store the edition of a prepared report (a short write).

    Refuses (DataChangedError, Dutch) when the warehouse changed since the report was computed: a newer load
    (``inventory.last_load_id``), or another edition of the same report stored meanwhile (its number).
    """
    edition = prepared.edition
    if inventory.last_load_id(warehouse) != edition.last_load_id or (
        next_number(warehouse, edition.template, edition.period) != edition.number
    ):
        raise DataChangedError(
            f"Het warehouse is gewijzigd terwijl het rapport {edition.template} {edition.period} werd gemaakt "
            "(een nieuwe laadactie of een andere editie); de bestanden horen bij geen editie. "
            "Maak het rapport opnieuw."
        )
    files = prepared.files
    edition_id = store_edition(
        warehouse, edition, {kind: str(path.resolve()) for kind, path in files.items()}
    )
    stored = get_edition(warehouse, edition_id)
    assert stored is not None
    return ReportFiles(
        texts=files["texts"],
        html=files["html"],
        pdf=files["pdf"],
        xlsx=files["xlsx"],
        unknown_references=prepared.unknown_references,
        texts_created=prepared.texts_created,
        edition=stored,
    )


def new_edition(
    warehouse: Warehouse,
    report: ReportModel,
    policy: Policy,
    as_of: date | datetime | None,
    moment: datetime,
    now: datetime,
    texts: str = "",
) -> NewEdition:
    """The edition a report run makes from the data known at ``moment``: its figures, and what changed
    since the previous edition. ``texts`` (the fingerprint of the analyst's text) is part of its identity."""
    template, period = report.template, report.period
    figures = report_figures(report)
    previous = previous_edition(
        warehouse, template.name, period.label, moment, reproduction=as_of is not None,
        min_count=policy.threshold, rounded=policy.round_to_5,
    )  # fmt: skip
    previous_figures = {} if previous is None else edition_figures(warehouse, previous.edition_id)

    def figures_at(at: datetime) -> Figures:
        return report_figures(build_report(warehouse, template, period, as_of=at, policy=policy))

    upto = data_upto(warehouse, None if as_of is None else as_of_cutoff(as_of))
    revision = revise(
        warehouse, previous, previous_figures, figures, moment, template.source_hash, figures_at, upto
    )
    return NewEdition(
        template=template.name,
        template_title=template.title,
        template_hash=template.source_hash,
        period=period.label,
        number=next_number(warehouse, template.name, period.label),
        as_of=None if as_of is None else as_of.isoformat(),
        data_moment=moment,
        last_load_id=inventory.last_load_id(warehouse),
        created_at=now,
        figures=figures,
        figures_hash=figures_hash(
            figures, f"drempel={policy.threshold};afronden={policy.round_to_5};tekst={texts}"
        ),
        previous=previous,
        revision=revision,
        min_count=policy.threshold,
        rounded=policy.round_to_5,
    )
