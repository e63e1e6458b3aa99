"""``sdm report``: make the council's reports (halfyear, quarter), list their editions, compare two."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from sdmonitor.cli.app import (
    _as_of_option,
    _now,
    _OutputPath,
    _State,
    _tell_waiting,
    cli,
    console,
)
from sdmonitor.domain.formatting import dutch_int
from sdmonitor.errors import WarehouseError
from sdmonitor.jobs.common import check_output


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
