"""``sdm generate`` (a fictional municipality as files) and ``sdm demo`` (generate, load, report)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from sdmonitor.cli.app import _now, _OutputPath, _State, cli, console
from sdmonitor.cli.load import _print_summary
from sdmonitor.cli.report import _print_report
from sdmonitor.domain.formatting import dutch_int
from sdmonitor.finance_loading import FinanceLoadSummary


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
