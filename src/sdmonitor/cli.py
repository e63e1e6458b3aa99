"""The command-line program ``sdm``: parse options, call one function, show the result (in Dutch).

A user error (``SdmError``) prints one line and exits 1; any other exception writes its traceback to a log
file, prints that file's path and exits 2.
"""

from __future__ import annotations

import csv
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sdmonitor import __version__, clitext, config
from sdmonitor.domain.clients import mask_bsns_in_text
from sdmonitor.domain.dates import parse_date
from sdmonitor.domain.formatting import dutch_int
from sdmonitor.errors import InputError, SdmError, WarehouseError
from sdmonitor.finance_loading import EXTRACTED_ON_HELP, FinanceLoadSummary, load_finance
from sdmonitor.finance_loading import LAYOUTS as FINANCE_LAYOUTS
from sdmonitor.finance_loading import check_file as check_finance_file
from sdmonitor.ingest.columns import LAYOUTS, Mapping, read_mapping_file
from sdmonitor.ingest.readers import open_source
from sdmonitor.jobs.common import check_load_files, check_output, check_reference_file, load_file
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
from sdmonitor.masking import mask_log_handlers
from sdmonitor.metrics import OPTIONS, MetricRequest, Option, run_metric
from sdmonitor.metrics.engine import as_of_cutoff
from sdmonitor.reference import POPULATION, POSTCODE_AREAS, PROVIDERS, ReferenceTable, load_reference
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.warehouse.access import STANDARD, effective_norms
from sdmonitor.warehouse.database import migrate, storage_failure
from sdmonitor.warehouse.finance import index_listing
from sdmonitor.warehouse.inventory import list_loads
from sdmonitor.warehouse.sharing import open_for_writing

clitext.install()  # click's own errors and help texts in Dutch
log = logging.getLogger("sdmonitor")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


_opened: list[Path] = []  # the warehouse files this run opened, to name one in an error message


class _State:
    def __init__(self, db: Path, quiet: bool) -> None:
        self.db = db
        self.quiet = quiet

    def open(self, *, read_only: bool = False) -> Warehouse:
        """Open the warehouse; read-only where reading suffices (a read-only file can still be queried).

        The one writable open of every command: when a serving dashboard holds the warehouse, it is asked to
        let go and the command waits (``warehouse.sharing.open_for_writing``), saying so on stderr. So a command
        checks its input first and opens for writing only for what it writes (``sdm report``: the edition)."""
        _opened.append(self.db)
        if read_only:
            warehouse = open_warehouse(self.db, read_only=True)
        else:
            warehouse = open_for_writing(self.db, on_wait=_tell_waiting)
        if warehouse.repaired_loads:
            numbers = ", ".join(map(str, warehouse.repaired_loads))
            Console(stderr=True, highlight=False).print(
                f"Let op: laadactie {numbers} is niet afgemaakt (het proces is afgebroken) en is teruggedraaid; "
                "het warehouse is weer zoals ervoor. Laad dat bestand opnieuw.",
                soft_wrap=True,
            )
        return warehouse

    @property
    def show_progress(self) -> bool:
        return not self.quiet and sys.stderr.isatty()

    @contextmanager
    def progress(self, label: str, total: int) -> Iterator[Callable[[int], None] | None]:
        """A progress bar on stderr, or nothing when quiet or not on a terminal."""
        if not self.show_progress:
            yield None
            return
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)


def _tell_waiting(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, soft_wrap=True)


class _OutputPath(click.Path):
    """A file or folder to write: shown as FILE or MAP in the usage, checked by ``check_output`` (exit 1)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return self.coerce_path_result(os.fsdecode(value) if isinstance(value, bytes) else value)


def _table_output(default_file: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options ``--format table|csv|json|xlsx`` and ``--output`` of a command that writes a table."""

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--output",
            type=_OutputPath(path_type=Path, dir_okay=False),
            help=f"Schrijf naar dit bestand (nodig voor xlsx; standaard {default_file}).",
        )(command)
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(["table", "csv", "json", "xlsx"]),
            default="table",
            show_default=True,
            envvar="SDM_FORMAT_OUT",
            help="Uitvoerformaat.",
        )(command)

    return apply


def _now() -> datetime:
    """Dutch local time: a load at 00:30 belongs to that day, also for --as-of and --known-on."""
    return datetime.now(AMSTERDAM).replace(tzinfo=None, microsecond=0)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False, readable=False),
    envvar="SDM_DB",
    default=config.DEFAULT_DB,
    show_default=True,
    help="Het warehouse-bestand (DuckDB).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    envvar="SDM_QUIET",
    help="Geen voortgangsbalk.",
)
@click.version_option(__version__, prog_name="sdm")
@click.pass_context
def cli(ctx: click.Context, db: Path, quiet: bool) -> None:
    """Sociaal Domein Monitor: stuurinformatie over Wmo en Jeugdwet uit registratiegegevens."""
    ctx.obj = _State(db, quiet)


@cli.command()
@click.pass_obj
def init(state: _State) -> None:
    """Maak het warehouse aan of werk het schema bij."""
    with state.open() as warehouse:
        applied = migrate(warehouse)
        version = warehouse.schema_version()
    console.print(f"Warehouse {state.db}: schemaversie {version}" + (" (bijgewerkt)" if applied else ""))


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


def _date_option(value: str | None) -> date | None:
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise InputError(f"'{value}' is geen geldige datum; gebruik JJJJ-MM-DD of DD-MM-JJJJ.")
    return parsed


def _as_of_option(value: str | None) -> date | datetime | None:
    """--as-of: a date (known at the end of that day) or a moment such as 2026-11-23T14:05:00."""
    if value is not None and ("T" in value or " " in value.strip()):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise InputError(
                f"'{value}' is geen geldig moment; gebruik JJJJ-MM-DD of JJJJ-MM-DDTUU:MM:SS."
            ) from exc
    return _date_option(value)


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
        console.print(
            f"{file.name}: {dutch_int(count)} rijen {spec.label} geladen (vorige inhoud vervangen)."
        )


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


@cli.command("norms")
@click.option("--as-of", "as_of", help="Toon de normen zoals bekend op deze datum (standaard: nu).")
@click.pass_obj
def norms_command(state: _State, as_of: str | None) -> None:
    """Toon de normen die gelden: wachtnormen en beslistermijnen in dagen, met hun grondslag."""
    moment = _as_of_option(as_of)
    cutoff = None if moment is None else as_of_cutoff(moment)
    with state.open(read_only=True) as warehouse:
        found = effective_norms(warehouse, cutoff)
    table = Table("wet", "geldt voor", "productcategorie", "aanbieder", "dagen", "grondslag", title="Normen")
    for norm in found:
        if norm.shipped:
            basis = f"{STANDARD}: {norm.basis}"
        else:
            replaced = "" if norm.replaces is None else f"; vervangt standaard {norm.replaces} dagen"
            basis = f"geladen (laadactie {norm.load_id}){replaced}"
        table.add_row(
            norm.law,
            norm.applies_to,
            norm.product_category or "alle",
            norm.provider_code or "alle",
            str(norm.days),
            basis,
        )
    console.print(table)


@cli.group("index")
def index_group() -> None:
    """Indexreeksen voor prijscorrectie (--prices): tonen welke er zijn."""


@index_group.command("list")
@click.option("--series", "series", multiple=True, help="Toon alleen deze reeks (herhaalbaar).")
@click.pass_obj
def index_list(state: _State, series: tuple[str, ...]) -> None:
    """Toon de indexreeksen: per jaar het percentage, voorlopig of definitief, welk cijfer een berekening
    gebruikt en de bron."""
    with state.open(read_only=True) as warehouse:
        found = index_listing(warehouse, series)
    if not found:
        wanted = f" met de naam {', '.join(series)}" if series else ""
        console.print(f"Geen indexreeksen{wanted}. Laad een reeks met sdm load index.")
        return
    table = Table("reeks", "jaar", "status", "percentage", "gebruikt", "bron", title="Indexreeksen")
    for item in found:
        table.add_row(
            item.series,
            str(item.year),
            item.status,
            f"{item.percentage:g} %".replace(".", ","),
            "ja" if item.used else "nee (er is een definitief cijfer)",
            (item.source_note or "")
            + (" (meegeleverd met sdmonitor)" if item.load_id == 0 else f" (laadactie {item.load_id})"),
        )
    console.print(table)


@cli.command()
@click.pass_obj
def loads(state: _State) -> None:
    """Toon de laadacties: wanneer, welk bestand, hoeveel rijen geladen en afgewezen."""
    with state.open(read_only=True) as warehouse:
        found = list_loads(warehouse)
    table = Table("nr", "geladen op", "export van", "soort", "bron", "bestand", "gelezen", "geladen",
                  "ongewijzigd", "dubbel", "afgewezen", "waarschuwing", title="Laadacties")  # fmt: skip
    for load in found:
        values = (
            load.load_id,
            load.loaded_at,
            load.extracted_on,
            load.kind,
            load.source,
            load.file_name,
            load.rows_read,
            load.rows_loaded,
            load.rows_unchanged,
            load.rows_duplicate,
            load.rows_rejected,
            load.rows_warned,
        )
        table.add_row(*[f"{v:%Y-%m-%d %H:%M}" if isinstance(v, datetime) else f"{v}" for v in values])
    console.print(table)


@cli.command()
def mappings() -> None:
    """Toon de ingebouwde kolomkoppelingen en hun kolomnamen, per soort bestand."""
    for kind, layouts in LAYOUTS.items():
        console.print(f"[bold]sdm load {kind}[/bold] (--mapping NAAM)")
        for mapping in layouts.values():
            console.print(f"[bold]{mapping.name}[/bold]: {mapping.description}")
            pairs = sorted(
                {(canonical, mapping.source_header(canonical)) for canonical in mapping.columns.values()}
            )
            console.print("  " + ", ".join(f"{header} -> {canonical}" for canonical, header in pairs))
    for layout in FINANCE_LAYOUTS.values():  # one layout each, recognised by its headers (no --mapping)
        console.print(f"[bold]sdm load {layout.kind}[/bold] ({layout.label}; kolomnamen, * verplicht)")
        console.print(
            "  "
            + ", ".join(
                f"{column}{'*' if column in layout.required else ''} ({' / '.join(headers[1:])})"
                for column, headers in layout.columns.items()
            )
        )


@cli.command()
@click.argument("out_dir", type=_OutputPath(path_type=Path, file_okay=False))
@click.option(
    "--inhabitants",
    type=int,
    default=120_000,
    show_default=True,
    envvar="SDM_INHABITANTS",
    help="Inwoners per gemeente.",
)
@click.option(
    "--years",
    default="2015-2024",
    show_default=True,
    envvar="SDM_YEARS",
    help="Eerste en laatste jaar, bijvoorbeeld 2015-2024.",
)
@click.option(
    "--seed",
    type=int,
    default=2015,
    show_default=True,
    envvar="SDM_SEED",
    help="Startwaarde van de toevalsgenerator: dezelfde waarde geeft dezelfde bestanden.",
)
@click.option(
    "--municipalities",
    type=int,
    default=1,
    show_default=True,
    envvar="SDM_MUNICIPALITIES",
    help="Aantal gemeenten in de regio.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["parquet", "csv"]),
    default="parquet",
    show_default=True,
    envvar="SDM_FORMAT",
    help="Bestandsformaat van de toewijzingen.",
)
@click.option(
    "--money/--no-money",
    default=None,
    envvar="SDM_MONEY",
    help="Ook declaraties, tarieven, begroting en indexreeks schrijven (standaard: ja tot 2 miljoen inwoners in "
    "totaal, daarboven nee).",
)
@click.pass_obj
def generate(
    state: _State,
    out_dir: Path,
    inhabitants: int,
    years: str,
    seed: int,
    municipalities: int,
    file_format: str,
    money: bool | None,
) -> None:
    """Schrijf een fictieve gemeente (of regio) als bestanden: toewijzingen, bevolking, wijken, aanbieders,
    meldingen en aanvragen, leveringen, declaraties, tarieven, begroting en indexreeks."""
    from sdmonitor.demo import extraction_date
    from sdmonitor.jobs.demo import generate_files

    files = generate_files(
        out_dir, inhabitants, years, seed, municipalities, file_format, progress=state.progress, money=money
    )
    console.print(f"{dutch_int(files.allocation_rows)} toewijzingen geschreven naar {out_dir}")
    for path in (
        *files.allocations,
        files.faulty,
        files.population,
        files.postcode_areas,
        files.providers,
        *(path for path in (files.requests, files.deliveries) if path),
        *(export.path for export in files.declarations),
        *(path for path in (files.declarations_later, files.tariffs, files.budgets, files.index) if path),
    ):
        console.print(f"  {path}")
    if files.finance:  # the same money as the loads a municipality made over the years, each with its date
        folder = files.finance[0].path.parent
        console.print(
            f"  {folder} ({dutch_int(len(files.finance))} bestanden: tarieven, index en begroting per datum)"
        )
    extracted = extraction_date(int(years.partition("-")[2]))
    console.print(f"Exportdatum: laad de toewijzingen met --extracted-on {extracted.isoformat()}")


@cli.command()
@click.option(
    "--data-dir",
    type=_OutputPath(path_type=Path, file_okay=False),
    default=None,
    help="Map voor de gegenereerde bestanden (standaard: naast het warehouse, map demo-data).",
)
@click.option("--inhabitants", type=int, default=120_000, show_default=True, help="Inwoners.")
@click.option(
    "--seed", type=int, default=2015, show_default=True, help="Startwaarde van de toevalsgenerator."
)
@click.pass_obj
def demo(state: _State, data_dir: Path | None, inhabitants: int, seed: int) -> None:
    """Genereer een fictieve gemeente, laad die in het warehouse, toon cliënten per wet per halfjaar en maak
    de halfjaarrapportage over het tweede halfjaar 2024."""
    from sdmonitor.jobs.demo import CLIENTS_HEADERS, run_demo

    result = run_demo(
        state.db,
        data_dir,
        inhabitants,
        seed,
        open_warehouse=state.open,
        now=_now,
        progress=state.progress,
        on_load=_print_summary,
        on_finance=_print_demo_finance,
    )
    table = Table(*CLIENTS_HEADERS, title="Unieke cliënten per wet per halfjaar (demo)")
    for row in result.clients:
        table.add_row(
            row.period, dutch_int(row.wmo), dutch_int(row.jw), dutch_int(row.pw), dutch_int(row.total)
        )
    console.print(table)
    console.print(f"Warehouse: {state.db}")
    console.print("Halfjaarrapportage tweede halfjaar 2024:")
    _print_report(result.report)


def _print_demo_finance(s: FinanceLoadSummary) -> None:
    """One line per load of tariffs, index or budgets in ``sdm demo``."""
    console.print(
        f"[bold]{s.file.name}[/bold] (laadactie {s.load_id}): {s.label} gelezen {dutch_int(s.read)} = geladen "
        f"{dutch_int(s.loaded)} + ongewijzigd {dutch_int(s.unchanged)}"
    )


class _MetricCommand(click.Command):
    """``sdm metric``: its own options, and one option generated from each declared metric option
    (``catalogue.OPTIONS``, read on each use): those every query's scope carries after --by, the others after
    --history-from."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._generated: dict[Option[Any], click.Option] = {}

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        declared = {
            "by": [o for o in OPTIONS.values() if o.scope],
            "history_from": [o for o in OPTIONS.values() if not o.scope],
        }
        params: list[click.Parameter] = []
        for param in super().get_params(ctx):
            params.append(param)
            params.extend(self._option(o) for o in declared.get(param.name or "", ()))
        return params

    def _option(self, declared: Option[Any]) -> click.Option:
        """The click option of a declaration, made once (click tells parameters apart by identity)."""
        if declared not in self._generated:
            from sdmonitor.metrics import CATALOGUE

            # a metric with a default of its own (benefit_flows: 30 days): no value given is None, so that
            # the request takes the metric's default (MetricRequest.option)
            own = [
                (m.name, m.default(declared.name))
                for m in CATALOGUE.values()
                if declared.name in dict(m.defaults)
            ]
            shown = "; ".join([str(declared.default), *(f"{name}: {value}" for name, value in own)])
            option = click.Option(
                [declared.flag, declared.name],
                type=declared.value_type,
                default=None if own else declared.default,
                show_default=shown if own else True,
                envvar=declared.envvar,
                show_envvar=True,
                help=declared.help,
            )
            option.metavar = clitext.TYPE_METAVARS[option.type.name]
            self._generated[declared] = option
        return self._generated[declared]


@cli.command(cls=_MetricCommand)
@click.argument("name")
@click.option(
    "--from", "start", envvar="SDM_FROM", help="Eerste dag van de periode (JJJJ-MM-DD of DD-MM-JJJJ)."
)
@click.option("--to", "end", envvar="SDM_TO", help="Laatste dag van de periode.")
@click.option(
    "--grain",
    type=click.Choice(["month", "quarter", "half", "year"]),
    default="half",
    show_default=True,
    envvar="SDM_GRAIN",
    help="Periodelengte: maand, kwartaal, halfjaar, jaar.",
)
@click.option(
    "--on",
    "on",
    multiple=True,
    help="Peildatum (herhaalbaar), voor de cijfers op een peildatum, zoals stock, benefits en waiting_list "
    "(zie 'sdm metrics').",
)
@click.option(
    "--by", "by", default="", envvar="SDM_BY", help="Uitsplitsen naar kolommen, bijvoorbeeld law,age_band."
)
@click.option(
    "--as-of",
    "as_of",
    envvar="SDM_AS_OF",
    help="Reken met de gegevens zoals bekend op deze datum, of op dit moment (2026-03-12T14:05:00).",
)
@click.option(
    "--planned",
    is_flag=True,
    envvar="SDM_PLANNED",
    help="Reken geplande einddatums en begindatums (na het datamoment) mee, ook voor perioden na het "
    "datamoment; elke rij heet dan 'gepland'.",
)
@click.option(
    "--history-from",
    "history_from",
    envvar="SDM_HISTORY_FROM",
    help="Begin van de historie in de gegevens (standaard: de vroegste ingangsdatum). Instroom, uitstroom, "
    "heraanmelding en duur in de eerste perioden daarna heten 'onvolledig'.",
)
@click.option("--growth", is_flag=True, help="Voeg groei t.o.v. de vorige periode en trendpijlen toe.")
@click.option(
    "--threshold",
    type=float,
    default=5.0,
    show_default=True,
    help="Procentuele verandering waarboven de trendpijl omhoog of omlaag wijst.",
)
@click.option(
    "--per-1000",
    "per_1000",
    is_flag=True,
    help="Voeg het cijfer per 1.000 inwoners toe (sdm load population; niet bij de cijfers van de "
    "Participatiewet: die tellen met --per-10000).",
)
@click.option(
    "--per-10000",
    "per_10000",
    is_flag=True,
    help="Voeg het cijfer per 10.000 inwoners toe (BBV: benefits per 18 jaar en ouder, reintegration per "
    "15-64 jaar; sdm load population).",
)
@click.option(
    "--age-bands",
    default="0,18,65",
    show_default=True,
    envvar="SDM_AGE_BANDS",
    help="Ondergrenzen van de leeftijdsklassen.",
)
@click.option(
    "--segments",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="SDM_SEGMENTS",
    help="YAML-bestand met segmenten (doelgroepen) voor --by segment.",
)
@_table_output("<cijfer>.xlsx")
@click.option("--show-query", is_flag=True, help="Toon ook de SQL die wordt uitgevoerd.")
@click.pass_obj
def metric(
    state: _State,
    /,
    name: str,
    start: str | None,
    end: str | None,
    grain: str,
    on: tuple[str, ...],
    by: str,
    as_of: str | None,
    planned: bool,
    history_from: str | None,
    growth: bool,
    threshold: float,
    per_1000: bool,
    per_10000: bool,
    age_bands: str,
    segments: Path | None,
    output_format: str,
    output: Path | None,
    show_query: bool,
    **options: Any,
) -> None:
    """Bereken één cijfer (zie 'sdm metrics' en docs/metrics.md) en toon het als tabel."""
    from sdmonitor.metrics.catalogue import header as catalogue_header
    from sdmonitor.metrics.dimensions import parse_age_bands, read_segments
    from sdmonitor.metrics.run import STATUS_COLUMN
    from sdmonitor.reports.tables import declared_decimals, write_table

    request = MetricRequest(
        name=name,
        grain=grain,
        start=_date_option(start),
        end=_date_option(end),
        on=tuple(d for d in (_date_option(o) for o in on) if d is not None),
        by=tuple(b.strip() for b in by.split(",") if b.strip()),
        # one per declared metric option (_MetricCommand); None: not given, the metric's own default
        options={name: value for name, value in options.items() if value is not None},
        as_of=_as_of_option(as_of),
        growth=growth,
        threshold=threshold,
        per_1000=per_1000,
        per_10000=per_10000,
        age_bands=parse_age_bands(age_bands),
        segments=read_segments(segments) if segments else (),
        planned=planned,
        history_from=_date_option(history_from),
    )
    if output is not None or output_format == "xlsx":
        check_output(output or Path(f"{name}.xlsx"))
    if not state.db.exists():
        raise WarehouseError(
            f"Warehouse {state.db} bestaat nog niet. Maak het met 'sdm init' of laad eerst gegevens."
        )
    with state.open(read_only=True) as warehouse:  # an older warehouse is migrated first, if it may be
        result = run_metric(warehouse, request)
    if show_query:
        click.echo(result.sql(), err=output_format in ("csv", "json"))
    columns, rows = result.labelled()
    prices = result.prices.describe() if result.prices is not None else None
    if prices is not None and output_format == "json":  # --prices: the series and figures used, per row
        columns, rows = (*columns, "price_index"), [(*row, prices) for row in rows]
    headers = [catalogue_header(c) for c in (*result.columns, STATUS_COLUMN)]  # by measure: paid_clients
    decimals = declared_decimals((*result.columns, STATUS_COLUMN))  # amount 310.00, as the measure declares
    if len(columns) > len(decimals):  # price_index (JSON)
        decimals = (*decimals, None)
    written = write_table(
        columns, rows, output_format, output, default_name=name, title=result.metric.label, headers=headers,
        decimals=decimals,
    )  # fmt: skip
    if written is not None:
        click.echo(written, nl=False)  # plain: rich would wrap long CSV/JSON lines when piped
    if output_format == "table" and result.status.moment is not None:
        click.echo(_status_note(result.status))
    if prices is not None and output_format != "json":  # CSV: the header stays the contract
        click.echo(prices[:1].upper() + prices[1:] + ".", err=output_format != "table")
    for note in result.notes:  # the rates: the population year used, or why a rate is empty
        click.echo(note, err=output_format != "table")


def _status_note(status: Any) -> str:
    """One line under a table: the data moment and what 'gepland', 'onvolledig' and 't/m' mean."""
    from sdmonitor.domain.dates import format_dutch

    text = f"Datamoment {format_dutch(status.moment)}: "
    text += (
        "geplande einddatums en begindatums zijn meegeteld (gepland)."
        if status.planned
        else "einddatums na die dag zijn gepland en tellen niet als beëindigd."
    )
    if status.incomplete and status.history_start is not None:
        text += (
            f" Historie vanaf {format_dutch(status.history_start)}: 'onvolledig' = te kort na het begin "
            "om nieuwe van doorlopende ondersteuning te onderscheiden."
        )
    if status.late:  # costs, utilisation: late declarations expected (docs/metrics.md, "costs")
        text += " " + status.late_note()
    return text


@cli.command("metrics")
def list_metrics() -> None:
    """Toon alle cijfers met hun definitie, maten, --by-kolommen en opties."""
    from sdmonitor.metrics import CATALOGUE
    from sdmonitor.metrics.catalogue import describe
    from sdmonitor.metrics.dimensions import STANDARD_BY

    for entry in CATALOGUE.values():
        console.print(f"[bold]{entry.name}[/bold] ({entry.label}): {entry.definition}", highlight=False)
        measures = "; ".join(f"{m.name} '{m.label}' ({describe(m)})" for m in entry.declared_measures)
        console.print(f"  meet: {measures}", highlight=False, markup=False)
        by = ", ".join(entry.by) or "geen"
        if set(STANDARD_BY) <= set(entry.by):
            by = ", ".join(["alle kolommen", *(c for c in entry.by if c not in STANDARD_BY)])
        own = dict(entry.defaults)  # a default of the metric's own: '--max-gap-days (standaard 30)'
        options = ", ".join(
            o.flag + (f" (standaard {own[o.name]})" if o.name in own else "") for o in entry.declared_options
        )
        options = options or "geen"
        console.print(f"  --by: {by}; opties: {options}; bron: {entry.source}", highlight=False, markup=False)


@cli.command("forecast")
@click.option(
    "--year", type=int, envvar="SDM_FORECAST_YEAR", help="Het jaar van de prognose (begrotingsjaar)."
)
@click.option(
    "--as-of",
    "as_of",
    envvar="SDM_AS_OF",
    help="Maak de prognose zoals die op deze datum gemaakt zou zijn (met wat toen bekend was).",
)
@click.option(
    "--by",
    type=click.Choice(["budget_line", "provider"]),
    default="budget_line",
    show_default=True,
    envvar="SDM_FORECAST_BY",
    help="Per begrotingspost, of per aanbieder (met de bestedingsruimte als budget).",
)
@click.option(
    "--margin",
    type=float,
    default=0.05,
    show_default=True,
    envvar="SDM_FORECAST_MARGIN",
    help="Waarschuw 'loopt voor' als het aandeel besteed zoveel voor ligt op het aandeel van het jaar.",
)
@click.option(
    "--index",
    "index_series",
    default="vng-ova-ppc",
    show_default=True,
    envvar="SDM_INDEX",
    help="De indexreeks voor het indexeffect van de verschillenanalyse.",
)
@click.option("--bridge", "show_bridge", is_flag=True, help="Toon de verschillenanalyse per begrotingspost.")
@click.option(
    "--backtest",
    "show_backtest",
    is_flag=True,
    help="Terugtoets: de prognose op elk maandeinde van afgelopen jaren tegen de uitkomst, naast de run-rate.",
)
@click.option(
    "--backtest-years",
    envvar="SDM_BACKTEST_YEARS",
    help="De jaren van de terugtoets, bijvoorbeeld 2022,2023 (standaard de laatste drie complete jaren).",
)
@_table_output("prognose.xlsx")
@click.pass_obj
def forecast_command(
    state: _State,
    /,
    year: int | None,
    as_of: str | None,
    by: str,
    margin: float,
    index_series: str,
    show_bridge: bool,
    show_backtest: bool,
    backtest_years: str | None,
    output_format: str,
    output: Path | None,
) -> None:
    """Prognose van de uitgaven tot het jaareinde per begrotingspost, met uitputtingsdatum en waarschuwingen
    (zie docs/forecast.md)."""
    from sdmonitor.jobs.forecast import ForecastRequest, run_forecast, write_forecast

    if show_bridge and show_backtest:
        raise InputError("Kies --bridge of --backtest, niet allebei.")
    try:
        years = tuple(int(y) for y in (backtest_years or "").split(",") if y.strip())
    except ValueError:
        raise InputError(
            f"--backtest-years '{backtest_years}': geef jaren met komma's, bijvoorbeeld 2022,2023."
        ) from None
    day = _date_option(as_of)
    request = ForecastRequest(
        year=year,
        as_of=day,
        by=by,
        margin=margin,
        index_series=index_series,
        show="backtest" if show_backtest else "bridge" if show_bridge else "forecast",
        backtest_years=years,
    )
    if year is None and not show_backtest:
        raise InputError("Geef het jaar van de prognose met --year, bijvoorbeeld --year 2024.")
    if output is not None or output_format == "xlsx":
        check_output(output or Path("prognose.xlsx"))
    if not state.db.exists():
        raise WarehouseError(
            f"Warehouse {state.db} bestaat nog niet. Maak het met 'sdm init' of laad eerst gegevens."
        )
    with state.open(read_only=True) as warehouse:
        table = run_forecast(warehouse, request)
    written = write_forecast(table, output_format, output)
    if written is not None:
        click.echo(written, nl=False)
    for note in table.notes:
        click.echo(note, err=output_format != "table")


@cli.group()
def report() -> None:
    """Rapportages voor de raad: maken (halfyear, quarter), edities tonen en vergelijken."""


def _report_options(function: Callable[..., None]) -> Callable[..., None]:
    options = [
        click.option(
            "--period", required=True, help="De rapportageperiode, bijvoorbeeld 2018-H1 of 2023-Q1."
        ),
        click.option(
            "--out",
            "out_dir",
            type=_OutputPath(path_type=Path, file_okay=False),
            default=Path("rapporten"),
            show_default=True,
            help="Map voor de rapportbestanden.",
        ),
        click.option(
            "--template",
            "template_file",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Eigen rapportsjabloon (YAML); standaard het ingebouwde sjabloon.",
        ),
        click.option(
            "--as-of",
            "as_of",
            help="Gebruik de gegevens zoals bekend op deze datum of dit moment (2026-03-12T14:05:00); "
            "zo maakt u een eerdere editie precies opnieuw.",
        ),
        click.option(
            "--municipality-name", help="Naam van de gemeente op de voorpagina en in de bronvermelding."
        ),
        click.option(
            "--logo",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            help="Logo voor de voorpagina (PNG, JPEG of SVG).",
        ),
        click.option(
            "--threshold",
            type=int,
            default=5,
            show_default=True,
            help="Kleinere aantallen worden niet getoond: een geheel getal van 5 tot en met 100.",
        ),
        click.option("--round-to-5", is_flag=True, help="Rond aantallen af op vijftallen (zoals CBS)."),
        click.option(
            "--concept",
            is_flag=True,
            help="Maak een concept: een verwijzing naar een onbekend cijfer in de toelichting blijft zichtbaar "
            "in plaats van het rapport te weigeren.",
        ),
        click.option(
            "--targets",
            "targets_file",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            envvar="SDM_TARGETS",
            help="YAML-bestand met de streefwaarden van de gemeente per KPI (doorstroom_jeugd: 0.25); "
            "zonder streefwaarde zegt een KPI 'geen streefwaarde'.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@report.command("halfyear")
@_report_options
@click.pass_obj
def report_halfyear(state: _State, /, **options: Any) -> None:
    """Maak de halfjaarrapportage als PDF, HTML en XLSX, met een toelichtingsbestand."""
    _make_report(state, "halfjaar", **options)


@report.command("quarter")
@_report_options
@click.pass_obj
def report_quarter(state: _State, /, **options: Any) -> None:
    """Maak de kwartaalrapportage (KPI's) als PDF, HTML en XLSX, met een toelichtingsbestand."""
    _make_report(state, "kwartaal", **options)


REPORT_TRIES = 3  # a report computed on data a load changed meanwhile is made again, this often at most


def _make_report(
    state: _State,
    builtin: str,
    period: str,
    out_dir: Path,
    template_file: Path | None,
    as_of: str | None,
    municipality_name: str | None,
    logo: Path | None,
    threshold: int,
    round_to_5: bool,
    targets_file: Path | None,
    concept: bool,
) -> None:
    from sdmonitor.reports.render_html import Branding, logo_uri
    from sdmonitor.reports.run import DataChangedError, prepare_report, store_report
    from sdmonitor.reports.suppression import Policy, check_report_threshold
    from sdmonitor.reports.template import apply_targets, builtin_path, read_template

    check_report_threshold(threshold)
    check_output(out_dir, folder=True)
    template = read_template(template_file or builtin_path(builtin))
    if targets_file is not None:
        template = apply_targets(template, targets_file)
    if not state.db.exists():
        raise WarehouseError(f"Warehouse {state.db} bestaat nog niet. Laad eerst gegevens.")
    branding = Branding(municipality_name or "Gemeente", None if logo is None else logo_uri(logo))
    moment = _as_of_option(as_of)
    policy = Policy(threshold=threshold, round_to_5=round_to_5)
    # computed on a read-only open (a serving dashboard keeps serving); only storing the edition writes.
    # When a load (or another edition) came in between, the report is computed again, at most REPORT_TRIES times.
    for attempt in range(1, REPORT_TRIES + 1):
        with state.open(read_only=True) as warehouse:
            prepared = prepare_report(
                warehouse, template, period, out_dir, now=_now(), as_of=moment, branding=branding,
                policy=policy, concept=concept,
            )  # fmt: skip
        try:
            with state.open() as warehouse:
                files = store_report(warehouse, prepared)
            break
        except DataChangedError:
            if attempt == REPORT_TRIES:
                raise
            _tell_waiting(
                "Het warehouse is gewijzigd terwijl het rapport werd gemaakt; het wordt opnieuw gemaakt."
            )
    _print_report(files)


def _print_report(files: Any) -> None:
    if files.texts_created:
        console.print(f"Toelichting: vul {files.texts} in en maak het rapport opnieuw.")
    else:
        console.print(f"Toelichting uit {files.texts} verwerkt.")
    for path in (files.pdf, files.html, files.xlsx):
        console.print(f"  {path}")
    edition = files.edition
    revision = edition.revision
    line = f"Editie {edition.number} van {edition.template} {edition.period} (kenmerk {edition.figures_hash[:16]})"
    if edition.previous_id is None:
        console.print(f"{line}: de eerste.")
    else:
        changed = len(revision.changes) + revision.hidden_changes
        text = "geen cijfers gewijzigd" if not changed else f"{changed} cijfers gewijzigd"
        template = (
            f" (sjabloon gewijzigd: {revision.added} cijfers nieuw, {revision.removed} vervallen)"
            if revision.template_changed
            else ""
        )
        advice = "; zie de bijlage of sdm report diff" if changed else ""
        console.print(f"{line}: {text} sinds editie {revision.previous_number}{template}{advice}.")
    if edition.reproduce_as_of:
        console.print(f"Opnieuw te maken met --as-of {edition.reproduce_as_of}")
    if files.unknown_references:
        console.print("Onbekende verwijzingen in de toelichting: " + ", ".join(files.unknown_references))


@report.command("editions")
@click.option("--period", help="Alleen edities over deze periode.")
@click.option(
    "--template", "template_name", help="Alleen edities van dit sjabloon (halfjaar, kwartaal, ...)."
)
@click.pass_obj
def report_editions(state: _State, period: str | None, template_name: str | None) -> None:
    """Toon de bewaarde edities van rapportages, nieuwste eerst."""
    from sdmonitor.reports.editions import list_editions

    with state.open(read_only=True) as warehouse:
        editions = list_editions(warehouse, template_name, period)
    if not editions:
        console.print("Nog geen edities. Maak er een met sdm report halfyear of sdm report quarter.")
        return
    table = Table("nr", "sjabloon", "periode", "editie", "gemaakt op", "gegevens tot", "gewijzigd", "kenmerk")
    for e in editions:
        changed = (
            "" if e.previous_id is None else dutch_int(len(e.revision.changes) + e.revision.hidden_changes)
        )
        moment = "" if e.data_moment is None else f"{e.data_moment:%Y-%m-%d %H:%M:%S}"
        table.add_row(
            str(e.edition_id),
            e.template,
            e.period,
            str(e.number),
            f"{e.created_at:%Y-%m-%d %H:%M}",
            moment,
            changed,
            e.figures_hash[:16],
        )
    console.print(table)


@report.command("diff")
@click.option("--period", required=True, help="De rapportageperiode, bijvoorbeeld 2018-H1.")
@click.option("--template", "template_name", help="Het sjabloon (nodig als er edities van meerdere zijn).")
@click.option("--edition", "number", type=int, help="Editienummer (standaard de nieuwste).")
@click.option("--against", type=int, help="Vergelijk met dit editienummer (standaard de vorige editie).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help="Tabel op het scherm, of CSV (puntkomma) voor Excel.",
)
@click.pass_obj
def report_diff(
    state: _State, period: str, template_name: str | None, number: int | None, against: int | None, fmt: str
) -> None:
    """Toon welke cijfers een editie anders heeft dan de vorige, met de laadactie die ze veranderde."""
    from sdmonitor.reports.diff import diff_editions

    with state.open(read_only=True) as warehouse:
        diff = diff_editions(warehouse, period, template_name, number, against)
    if diff.revision is None:  # the first edition: nothing to compare, only its note
        for note in diff.notes():
            console.print(note)
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        writer.writerow(diff.headers)
        writer.writerows(diff.rows)
        return
    table = Table(*diff.headers, title=diff.title)
    for row in diff.rows:
        table.add_row(*row)
    console.print(table)
    for note in diff.notes():
        console.print(note)


def _environment_variables(group: click.Group) -> None:
    """Give every option without one the variable ``SDM_<NAME>``, and show them all in --help."""
    for command in group.commands.values():
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help", "version"):
                if param.envvar is None:
                    param.envvar = f"SDM_{(param.name or '').upper()}"
                param.show_envvar = True
        if isinstance(command, click.Group):
            _environment_variables(command)


_environment_variables(cli)


def write_crash_log(text: str) -> Path:
    """Write a traceback to a new file in the temp folder, readable by its owner only (0600), and return it.

    The name is unique (``sdm-crash-<date-time>-<random>.log``): two crashes in one second never collide,
    and an existing file or link of that name is never followed.
    """
    handle, name = tempfile.mkstemp(prefix=f"sdm-crash-{_now():%Y%m%d-%H%M%S}-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as crash:
        crash.write(text)
    return Path(name)


def main() -> None:
    """Entry point: run the CLI with Dutch one-line errors and a crash log for bugs."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    mask_log_handlers(logging.getLogger())
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        console.print("Afgebroken.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SdmError as exc:
        Console(stderr=True, highlight=False).print(f"Fout: {mask_bsns_in_text(str(exc))}", soft_wrap=True)
        sys.exit(1)
    except Exception as exc:
        failure = storage_failure(exc, _opened[-1] if _opened else None)
        if failure is not None:  # the warehouse file itself failed (damaged, disk full): not a bug of sdm
            Console(stderr=True, highlight=False).print(f"Fout: {failure}", soft_wrap=True)
            sys.exit(1)
        crash = write_crash_log(mask_bsns_in_text(traceback.format_exc()))
        Console(stderr=True).print(f"Onverwachte fout in sdm {__version__}; details staan in {crash}")
        sys.exit(2)


# The dashboard (issue 5): `sdm serve` and `sdm user`; their options name their own SDM_* variables.
from sdmonitor.web.commands import serve, user  # noqa: E402

cli.add_command(serve)
cli.add_command(user)


clitext.use_dutch_usage(cli)
