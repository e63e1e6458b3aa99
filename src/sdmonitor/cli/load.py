"""``sdm load``: one subcommand per kind of file, each file one load.

Allocations, declarations, requests, deliveries, benefits and re-integration provisions are loaded per source,
every row loaded or reported (``_load_files``, ``_print_summary``); areas, providers and population are
reference tables replaced whole; tariffs, budgets, index series and norms are small versioned tables, loaded
all or nothing per file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sdmonitor import config
from sdmonitor.cli.app import _date_option, _now, _State, cli, console
from sdmonitor.domain.clients import mask_bsns_in_text
from sdmonitor.domain.formatting import dutch_int
from sdmonitor.errors import InputError
from sdmonitor.finance_loading import EXTRACTED_ON_HELP, load_finance
from sdmonitor.finance_loading import LAYOUTS as FINANCE_LAYOUTS
from sdmonitor.finance_loading import check_file as check_finance_file
from sdmonitor.ingest.columns import LAYOUTS, Mapping, read_mapping_file
from sdmonitor.ingest.readers import open_source
from sdmonitor.jobs.common import check_load_files, check_reference_file, load_file
from sdmonitor.loading import (
    BENEFIT_TABLE,
    DECLARATION_TABLE,
    DELIVERY_TABLE,
    REINTEGRATION_TABLE,
    REQUEST_TABLE,
    FileKind,
    LoadOptions,
    LoadSummary,
    load_table,
)
from sdmonitor.reference import (
    POPULATION,
    POSTCODE_AREAS,
    PROVIDERS,
    ReferenceTable,
    load_reference,
    population_notes,
)


@cli.group()
def load() -> None:
    """Laad gegevens in het warehouse."""


def _mapping_option(value: str | None, kind: str = "allocations") -> Mapping | None:
    if value is None:
        return None
    layouts = LAYOUTS[kind]
    if value in layouts:
        return layouts[value]
    path = Path(value)
    if not path.exists():
        raise InputError(
            f"Koppeling '{value}' bestaat niet. Kies {', '.join(layouts)} of geef een YAML-bestand."
        )
    return read_mapping_file(path, kind)


# options shared by the loads of allocations and declarations
_REPORT_OPTION = click.option(
    "--report",
    "report",
    type=click.Path(path_type=Path),
    help="Pad van het rapport met afgewezen rijen, of een map om het in te schrijven (bij meer bestanden: "
    "een map). Standaard: de map laadrapporten naast het warehouse, alleen leesbaar voor de eigenaar.",
)
_STRICT_OPTION = click.option(
    "--strict",
    is_flag=True,
    envvar="SDM_STRICT",
    help="Laad niets als er ook maar één rij wordt afgewezen.",
)
_RELOAD_OPTION = click.option(
    "--reload",
    is_flag=True,
    envvar="SDM_RELOAD",
    help="Laad een bestand dat al eerder is geladen, of een oudere export, ook als er sindsdien nieuwere "
    "gegevens zijn (draait die wijzigingen terug).",
)


def _source_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--source", envvar="SDM_SOURCE", default=config.DEFAULT_SOURCE, show_default=True, help=help_text
    )


def _layout_option(
    layouts: str, envvar: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--mapping",
        "mapping_name",
        envvar=envvar,
        help=f"Kolomkoppeling: {layouts} of een YAML-bestand. Standaard: herkend aan de kopregel.",
    )


@load.command("allocations")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_source_option("Naam van het bronsysteem; toewijzingsnummers zijn uniek per bron.")
@_layout_option("'canoniek', 'nl-export'", "SDM_MAPPING")
@_REPORT_OPTION
@_STRICT_OPTION
@click.option(
    "--extracted-on",
    "extracted_on",
    envvar="SDM_EXTRACTED_ON",
    help="Datum waarop de export uit het bronsysteem is gemaakt (standaard: vandaag). Bepaalt het "
    "datamoment: einddatums daarna zijn gepland, niet gerealiseerd.",
)
@click.option(
    "--known-on",
    "known_on",
    envvar="SDM_KNOWN_ON",
    help="Oude naam van --extracted-on.",
)
@click.option(
    "--municipality",
    envvar="SDM_MUNICIPALITY",
    help="CBS-gemeentecode voor rijen zonder gemeentecode.",
)
@_RELOAD_OPTION
@click.pass_obj
def load_allocations_command(
    state: _State,
    files: tuple[Path, ...],
    source: str,
    mapping_name: str | None,
    report: Path | None,
    strict: bool,
    extracted_on: str | None,
    known_on: str | None,
    municipality: str | None,
    reload: bool,
) -> None:
    """Laad toewijzingen uit CSV-, XLSX- of Parquet-bestanden (elk bestand is één laadactie)."""
    mapping = _mapping_option(mapping_name)
    extracted, known_date = _date_option(extracted_on), _date_option(known_on)
    if extracted and known_date and extracted != known_date:
        raise InputError(
            "--extracted-on en --known-on noemen verschillende datums; geef alleen --extracted-on."
        )
    extracted = extracted or known_date
    key = config.pseudonym_key()
    check_load_files(files, mapping)  # before the writer's open pauses a serving dashboard
    with state.open() as warehouse:
        for path in files:
            report_path = report
            if report is not None and len(files) > 1:
                report_path = report / f"{path.stem}-rapport.csv"
            options = LoadOptions(
                source=source,
                mapping=mapping,
                strict=strict,
                report_path=report_path,
                extracted_on=extracted,
                pseudonym_key=key,
                default_municipality=municipality,
                reload=reload,
            )
            _print_summary(load_file(warehouse, path, options, now=_now, progress=state.progress))


@load.command("declarations")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_source_option(
    "Naam van het bronsysteem; een declaratieregel is uniek per bron, aanbieder, wet en debet/credit."
)
@_layout_option(
    "'canoniek', 'nl-declaraties', 'iwmo-323' of 'ijw-323' (bedragen in centen)", "SDM_DECLARATION_MAPPING"
)
@_REPORT_OPTION
@_STRICT_OPTION
@click.option(
    "--extracted-on",
    "extracted_on",
    help="Datum waarop de export is gemaakt (standaard: vandaag): het datamoment, en de dagtekening van "
    "regels zonder dagtekening.",
)
@_RELOAD_OPTION
@click.pass_obj
def load_declarations_command(
    state: _State,
    files: tuple[Path, ...],
    source: str,
    mapping_name: str | None,
    report: Path | None,
    strict: bool,
    extracted_on: str | None,
    reload: bool,
) -> None:
    """Laad declaraties uit CSV-, XLSX- of Parquet-bestanden (elk bestand is één laadactie)."""
    _load_files(state, DECLARATION_TABLE, files, source, mapping_name, report, strict, extracted_on, reload)


def _load_files(
    state: _State,
    table: FileKind,
    files: tuple[Path, ...],
    source: str,
    mapping_name: str | None,
    report: Path | None,
    strict: bool,
    extracted_on: str | None,
    reload: bool,
) -> None:
    """Load ``files`` of ``table``'s kind (declarations, requests, deliveries), each file one load."""
    mapping = _mapping_option(mapping_name, table.kind)
    extracted, key = _date_option(extracted_on), config.pseudonym_key()
    for path in files:  # refused before the writer's open pauses a serving dashboard
        open_source(path, mapping, table.kind)
    with state.open() as warehouse:
        for path in files:
            report_path = (
                report / f"{path.stem}-rapport.csv" if report is not None and len(files) > 1 else report
            )
            options = LoadOptions(
                source=source,
                mapping=mapping,
                strict=strict,
                report_path=report_path,
                extracted_on=extracted,
                pseudonym_key=key,
                reload=reload,
            )
            total = path.stat().st_size if path.exists() else 0
            with state.progress(f"Laden {path.name}", total) as advance:
                _print_summary(load_table(warehouse, path, options, table, now=_now(), progress=advance))


def _print_summary(s: LoadSummary) -> None:
    console.print(
        f"[bold]{mask_bsns_in_text(s.file.name)}[/bold] (indeling '{s.mapping}', laadactie {s.load_id})"
    )
    console.print(
        f"  gelezen {dutch_int(s.read)} = geladen {dutch_int(s.loaded)} + ongewijzigd {dutch_int(s.unchanged)} + "
        f"dubbel {dutch_int(s.duplicates)} + afgewezen {dutch_int(s.rejected)}"
    )
    if s.warned:
        console.print(f"  geladen met waarschuwing: {dutch_int(s.warned)}")
    for title, counts in (("afgewezen", s.rejections), ("waarschuwingen", s.warnings)):
        if counts:
            details = ", ".join(
                f"{code} {dutch_int(n)}" for code, n in sorted(counts.items(), key=lambda kv: -kv[1])
            )
            console.print(f"  {title}: {details}")
    if s.ignored_headers:
        console.print(f"  genegeerde kolommen: {', '.join(s.ignored_headers)}")
    if s.pseudonymised_ids:
        console.print(
            f"  nummers die de elfproef doorstaan (behandeld als BSN, vervangen door een pseudoniem): "
            f"{dutch_int(s.pseudonymised_ids)}"
        )
    for warning in s.layout_warnings:
        console.print(f"  waarschuwing: {warning}")
    if s.relinked:
        console.print(
            f"  samengevoegde cliënten: {dutch_int(s.relinked)} eerder geladen regels (toewijzingen, declaraties, "
            "aanvragen, uitkeringen) horen nu bij de cliënt "
            "van een gekoppeld BSN (nieuwe versie)"
        )
    for note in s.notes:
        console.print(f"  {note}")
    console.print(f"  rapport: {s.report_path}")


def _reference_command(name: str, spec: ReferenceTable, help_text: str) -> None:
    @load.command(name, help=help_text)
    @click.argument("file", type=click.Path(path_type=Path))
    @click.pass_obj
    def command(state: _State, file: Path) -> None:
        check_reference_file(file)  # before the writer's open pauses a serving dashboard
        with state.open() as warehouse:
            count = load_reference(warehouse, spec, file, now=_now())
            notes = population_notes(warehouse) if spec is POPULATION else []
        console.print(
            f"{file.name}: {dutch_int(count)} rijen {spec.label} geladen (vorige inhoud vervangen)."
        )
        for note in notes:  # a municipality and year given both whole and per wijk: which rows count for what
            console.print(f"  {note}", soft_wrap=True)


_reference_command(
    "areas", POSTCODE_AREAS, "Laad de indeling van PC4-gebieden in wijken (vervangt de vorige)."
)
_reference_command(
    "providers", PROVIDERS, "Laad aanbieders met hun type (AGB-code, naam, type; vervangt de vorige)."
)
_reference_command(
    "population",
    POPULATION,
    "Laad de bevolking per gemeente, wijk, jaar, leeftijd en geslacht (vervangt de vorige).",
)


# Tariffs, budgets and index series (issue 12): small versioned tables, loaded all or nothing per file.
def _finance_command(name: str, kind: str, help_text: str) -> None:
    @load.command(name, help=help_text)
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--extracted-on",
        "extracted_on",
        envvar="SDM_EXTRACTED_ON",
        help=EXTRACTED_ON_HELP[kind],
    )
    @click.option(
        "--report",
        "report",
        type=click.Path(path_type=Path),
        help="Pad van het laadrapport, of een map om het in te schrijven. Standaard: de map laadrapporten "
        "naast het warehouse.",
    )
    @click.pass_obj
    def command(state: _State, file: Path, extracted_on: str | None, report: Path | None) -> None:
        extracted = _date_option(extracted_on)
        check_finance_file(file, FINANCE_LAYOUTS[kind])  # before the writer's open pauses a serving dashboard
        with state.open() as warehouse:
            s = load_finance(warehouse, kind, file, now=_now(), extracted_on=extracted, report_path=report)
        console.print(
            f"[bold]{mask_bsns_in_text(s.file.name)}[/bold] (indeling '{s.layout}', laadactie {s.load_id})"
        )
        console.print(
            f"  {s.label}: gelezen {dutch_int(s.read)} = geladen {dutch_int(s.loaded)} + ongewijzigd "
            f"{dutch_int(s.unchanged)} + dubbel {dutch_int(s.duplicates)}"
        )
        if s.warnings:
            details = ", ".join(f"{code} {dutch_int(n)}" for code, n in sorted(s.warnings.items()))
            console.print(f"  geladen met waarschuwing: {dutch_int(s.warned)} ({details})")
        if s.ignored_headers:
            console.print(f"  genegeerde kolommen: {', '.join(s.ignored_headers)}")
        console.print(f"  rapport: {s.report_path}")


_finance_command(
    "tariffs",
    "tariffs",
    "Laad tarieven (productcode, aanbieder of leeg voor alle aanbieders, eenheid, tarief in euro's, geldig "
    "vanaf, geldig tot). Een tarief met dezelfde sleutel vervangt het vorige; overlappende tarieven worden "
    "geweigerd.",
)
_finance_command(
    "budgets",
    "budgets",
    "Laad begrotingsregels (jaar, regel, bedrag, wet, productcategorieën, aanbieder; optioneel versiedatum, "
    "begrote cliënten en begroot indexcijfer). Een latere versiedatum is een begrotingswijziging; "
    "overlappende regels weigeren het hele bestand.",
)
_finance_command(
    "index",
    "index",
    "Laad een indexreeks (reeks, jaar, percentage, status voorlopig of definitief; optioneel bron). De reeks "
    "vng-ova-ppc zit standaard in elk warehouse.",
)


_finance_command(
    "norms",
    "norms",
    "Laad normen in dagen (law, product_category, provider_code, applies_to, days): wachtnormen (waiting) en "
    "beslistermijnen (melding, aanvraag). Het bestand is de hele set van de gemeente en vervangt de vorige; "
    "de meegeleverde standaardnormen blijven gelden waar het bestand er geen vervangt.",
)


# Requests and deliveries (issue 13): loaded like allocations, per source, every row loaded or reported.
def _access_command(
    table: FileKind,
    name: str,
    layouts: str,
    help_text: str,
    source_help: str = "Naam van het bronsysteem (voor leveringen: dezelfde bron als de toewijzingen).",
) -> None:
    @load.command(name, help=help_text)
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @_source_option(source_help)
    @_layout_option(layouts)
    @_REPORT_OPTION
    @_STRICT_OPTION
    @click.option(
        "--extracted-on",
        "extracted_on",
        help="Datum waarop de export is gemaakt (standaard: vandaag): het datamoment van deze bron.",
    )
    @_RELOAD_OPTION
    @click.pass_obj
    def command(
        state: _State,
        files: tuple[Path, ...],
        source: str,
        mapping_name: str | None,
        report: Path | None,
        strict: bool,
        extracted_on: str | None,
        reload: bool,
    ) -> None:
        _load_files(state, table, files, source, mapping_name, report, strict, extracted_on, reload)


_access_command(
    REQUEST_TABLE,
    "requests",
    "'canoniek' of 'nl-aanvragen'",
    "Laad meldingen en aanvragen (request_id, client_id of bsn, law, kind, received_on; optioneel decided_on, "
    "outcome, team, suspended_days, extended_days, product_category, plan_on, birth_date). Elk bestand is één "
    "laadactie.",
)
_access_command(
    DELIVERY_TABLE,
    "deliveries",
    "'canoniek', 'nl-leveringen' of 'iwmo-305-307'",
    "Laad leveringen: de werkelijke begin- en einddatum van zorg per toewijzing (allocation_id, start_date; "
    "optioneel end_date, end_reason, reported_on), zoals in de start- en stopberichten 305/307.",
)


# Benefits and re-integration provisions (issue 14): loaded like allocations, per source, every row loaded or
# reported, the BSNs of applicant and partner pseudonymised at the door.
_access_command(
    BENEFIT_TABLE,
    "benefits",
    "'canoniek', 'nl-uitkeringen'",
    "Laad bijstandsuitkeringen (benefit_id, client_id of bsn, birth_date, start_date; optioneel partner_id of "
    "partner_bsn, partner_birth_date, gender, partner_gender, regulation PW/IOAW/IOAZ/BBZ, household_type, "
    "cost_sharers, end_date, inflow_reason, outflow_reason, postcode, municipality_code). Elk bestand is één "
    "laadactie. Lokale redencodes vertaalt u naar CBS-codes in een eigen koppelbestand (sectie codes:).",
    "Naam van het bronsysteem (inkomenssysteem); uitkeringsnummers zijn uniek per bron.",
)
_access_command(
    REINTEGRATION_TABLE,
    "reintegration",
    "'canoniek', 'nl-re-integratie'",
    "Laad re-integratievoorzieningen (provision_id, client_id of bsn, start_date; optioneel provision_type, "
    "end_date, birth_date, postcode, municipality_code). Elk bestand is één laadactie.",
    "Naam van het bronsysteem; nummers van voorzieningen zijn uniek per bron.",
)
