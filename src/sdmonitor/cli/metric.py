"""``sdm metric`` (one figure as a table), ``sdm metrics`` (the catalogue) and ``sdm forecast``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sdmonitor import clitext
from sdmonitor.cli.app import _as_of_option, _date_option, _State, _table_output, cli, console
from sdmonitor.errors import InputError, WarehouseError
from sdmonitor.jobs.common import check_output
from sdmonitor.metrics import OPTIONS, MetricRequest, Option, run_metric


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
        elsewhere = _benefit_flows_note(warehouse, result)
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
    if elsewhere:
        click.echo(elsewhere, err=output_format != "table")


def _benefit_flows_note(warehouse: Any, result: Any) -> str:
    """Where the flows of the Participatiewet are when ``flows`` (episodes of allocations) has no rows while
    benefits are loaded: in ``benefit_flows``; empty otherwise."""
    from sdmonitor.warehouse.inventory import data_moment

    if result.metric.name != "flows" or result.rows or data_moment(warehouse, ("benefits",)) is None:
        return ""
    return (
        "flows telt episodes van toewijzingen (Wmo, Jeugdwet); de in- en uitstroom van de Participatiewet "
        "geeft 'sdm metric benefit_flows'."
    )


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
        measures = "; ".join(f"{m.output_name} '{m.label}' ({describe(m)})" for m in entry.declared_measures)
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
