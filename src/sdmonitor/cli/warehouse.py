"""``sdm init`` (create or update the warehouse) and the commands that show what it holds or a load accepts:
``sdm loads``, ``sdm mappings``, ``sdm norms``, ``sdm index list``."""

from __future__ import annotations

from datetime import datetime

import click
from rich.table import Table

from sdmonitor.cli.app import _as_of_option, _State, cli, console
from sdmonitor.finance_loading import LAYOUTS as FINANCE_LAYOUTS
from sdmonitor.ingest.columns import LAYOUTS
from sdmonitor.metrics.engine import as_of_cutoff
from sdmonitor.warehouse.access import STANDARD, effective_norms
from sdmonitor.warehouse.database import migrate
from sdmonitor.warehouse.finance import index_listing
from sdmonitor.warehouse.inventory import list_loads


@cli.command()
@click.pass_obj
def init(state: _State) -> None:
    """Maak het warehouse aan of werk het schema bij."""
    with state.open() as warehouse:
        applied = migrate(warehouse)
        version = warehouse.schema_version()
    console.print(f"Warehouse {state.db}: schemaversie {version}" + (" (bijgewerkt)" if applied else ""))


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
