"""Benefits (Participatiewet, issue 14): the benefits and the persons on them on the reference dates, inflow,
outflow and net per period, re-entry, the durations in the CBS classes (running on the data moment and ended
in each period), the rates per 10,000 inhabitants aged 18 and over, and the running re-integration provisions.

The figures are those of ``sdm metric benefits|benefit_flows|benefit_reentry|benefit_durations|
reintegration`` (``metrics/benefits.py``); the page only picks the dates, periods and groups. The reference
dates are the last days of the periods shown (30 June and 31 December per half-year, as Lansingerland's
figure 10), up to the benefits' data moment, and the data moment itself. Filters: the period range and grain
(``van``, ``tot``, ``periode``), the regulation (``regeling``), the household type (``leefvorm``) and the
wijk (``wijk``), and one breakdown (``uitsplitsen``); every value must be one the data has.

Viewers see protected aggregates, as on every page (``web.tables.build_table``): counts below the threshold
hidden, the rest rounded to fives, and the rate per 10,000 recomputed from the rounded persons so that it
tells no exact count. Analysts see exact figures. Without benefits loaded the page says so in one sentence
(``NO_BENEFITS``); it never fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlencode

from sdmonitor.domain.periods import Grain, cut, period_of
from sdmonitor.domain.wording import (
    GRAIN_WORDS,
    GROUP_NAMES,
    INFLOW_GROUP_NAMES,
    OUTFLOW_GROUP_NAMES,
    sources_text,
)
from sdmonitor.errors import InputError
from sdmonitor.metrics import MetricRequest, MetricResult
from sdmonitor.metrics.catalogue import BENEFITS, REINTEGRATION
from sdmonitor.metrics.catalogue import header as catalogue_header
from sdmonitor.reports.charts import Point
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse.benefits import BENEFITS_KIND, benefit_window
from sdmonitor.warehouse.inventory import data_moment
from sdmonitor.web import charts
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.filters import MAX_PERIODS, parse_day
from sdmonitor.web.pages.base import Chart, Page, PageDeclaration, policy_of, shown_value
from sdmonitor.web.tables import Table, TableSpec, build_table

NAME = "uitkeringen"
TITLE = "Uitkeringen"
NO_BENEFITS = "Er zijn nog geen uitkeringen geladen: laad de uitkeringen uit het inkomenssysteem met 'sdm load benefits'."
FOOTNOTE = (
    "Uitkeringen en personen verschillen doordat bij gezinsuitkeringen meerdere personen (aanvrager en "
    "partner) onder één uitkering vallen; in- en uitstroom tellen personen. Een stand op een peildatum "
    "verschilt van een totaal over een periode: wie in een periode in- en weer uitstroomt, staat op geen "
    "enkele peildatum."
)
GRAINS = {word: grain for grain, word in GRAIN_WORDS.items()}
TOTAL = "Totaal"
CHART_SOURCE = sources_text((BENEFITS,))  # as the report's charts of benefits: the income system
DEFAULT_YEARS = 3  # by default the half-years from 1 January three years before the data moment's year


@dataclass(frozen=True)
class Dimension:
    """A filter or breakdown of this page: its query parameter and the metrics' ``--by`` column."""

    parameter: str
    column: str
    is_filter: bool = True

    @property
    def label(self) -> str:
        return catalogue_header(self.column)


DIMENSIONS = (
    Dimension("regeling", "regulation"),
    Dimension("leefvorm", "household_type"),
    Dimension("wijk", "wijk"),
    Dimension("leeftijd", "age_band", is_filter=False),
    Dimension("geslacht", "sex", is_filter=False),
)
FILTERS = tuple(d for d in DIMENSIONS if d.is_filter)
# The benefit's own by-columns: episodes are formed per value (docs/metrics.md, "Episodes"), so a person who
# moves from one value to another without a gap flows out of the one and into the other (a couple that splits:
# outflow as gehuwden, inflow as alleenstaande ouder), while the total sees one episode: the rows of a
# breakdown need not add up to it. The example per column, for the note under the flow tables.
SWITCHES = {
    "regulation": "van IOAW naar algemene bijstand",
    "household_type": "een paar dat uit elkaar gaat",
    "wijk": "een verhuizing naar een andere wijk",
}
BY_COLUMN = {d.column: d for d in DIMENSIONS}
# re-integration provisions have no regulation or household type: of the filters only the wijk applies
REINTEGRATION_COLUMNS = ("age_band", "wijk")


@dataclass(frozen=True)
class Selection:
    """The page's validated filters: periods ``start..end`` of ``grain``, values per filter, one breakdown."""

    start: date
    end: date
    grain: Grain
    values: tuple[tuple[str, str], ...] = ()  # (column, value), in FILTERS order
    breakdown: str | None = None

    def by(self, allowed: Sequence[str] | None = None) -> tuple[str, ...]:
        """The ``--by`` columns of a request: the filtered ones, then the breakdown (of ``allowed`` only)."""
        columns = [c for c, _ in self.values]
        if self.breakdown and self.breakdown not in columns:
            columns.append(self.breakdown)
        return tuple(c for c in columns if allowed is None or c in allowed)

    def value(self, column: str) -> str | None:
        return dict(self.values).get(column)

    def query(self) -> str:
        pairs = [
            ("van", self.start.isoformat()),
            ("tot", self.end.isoformat()),
            ("periode", GRAIN_WORDS[self.grain]),
        ]
        pairs += [(BY_COLUMN[c].parameter, v) for c, v in self.values]
        if self.breakdown:
            pairs.append(("uitsplitsen", BY_COLUMN[self.breakdown].parameter))
        return urlencode(pairs)


def switch_note(selection: Selection) -> str:
    """The one sentence under the flow tables when the breakdown is a benefit's own column: its rows need not
    add up to the total (``SWITCHES``); empty otherwise."""
    column = selection.breakdown
    if column not in SWITCHES:
        return ""
    word = BY_COLUMN[column].label.lower()
    return (
        f"Wie zonder onderbreking van {word} wisselt ({SWITCHES[column]}), stroomt uit in de ene groep en in "
        "in de andere, terwijl het totaal doorloopt: de rijen tellen daarom niet altijd op tot het totaal."
    )


def labeller(dash: Dashboard, reasons: Mapping[str, str] = OUTFLOW_GROUP_NAMES) -> Callable[[str, Any], str]:
    """How a group value reads here: regulations, household types and the groups of ``reasons`` (of outflow
    or of inflow) by their Dutch names (``domain.wording``), a provision type by its SRG code and name ('04
    Loonkostensubsidie (Participatiewet)', as a product category reads '02 Begeleiding'; the CSV of ``sdm
    metric`` has the code), the rest as on every page (``Dashboard.label``)."""
    names = {**GROUP_NAMES, "reason_group": reasons}

    def label(column: str, value: Any) -> str:
        name = names.get(column, {}).get(str(value))
        if name and column == "provision_type":
            return f"{value} {name}"
        return name or dash.label(column, value)

    return label


def moments(dash: Dashboard) -> tuple[date | None, date | None]:
    """The data moments of the benefits and of the re-integration provisions (None: none loaded)."""

    def compute() -> tuple[date | None, date | None]:
        return (
            dash.figures.read(partial(data_moment, kinds=(BENEFITS,), cutoff=None)),
            dash.figures.read(partial(data_moment, kinds=(REINTEGRATION,), cutoff=None)),
        )

    return dash.memo("uitkeringen:moments", compute)


def options(dash: Dashboard, moment: date) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take: those of the benefits running on the data moment or on the last day
    of a year before it, and of the episodes that began or ended in a year up to the moment."""

    def compute() -> dict[str, list[tuple[str, str]]]:
        by = tuple(d.column for d in FILTERS)
        first = history_start(dash, moment)
        days = tuple(
            d for d in (*(date(y, 12, 31) for y in range(first.year, moment.year)), moment) if d >= first
        )
        found: dict[str, set[str]] = {column: set() for column in by}
        results = [
            dash.figures.metric(MetricRequest("benefits", on=days, by=by)),
            dash.figures.metric(MetricRequest("benefit_flows", grain="year", start=date(first.year, 1, 1),
                                              end=moment, by=by)),
        ]  # fmt: skip
        for result in results:
            for row in result.records():
                for column in by:
                    if row[column] is not None:
                        found[column].add(str(row[column]))
        label = labeller(dash)
        return {column: [(v, label(column, v)) for v in sorted(values)] for column, values in found.items()}

    return dash.memo(f"uitkeringen:options:{moment}", compute)


def history_start(dash: Dashboard, moment: date) -> date:
    """The first day the benefits' history is shown from: 1 January of the year of the earliest start (at
    most twenty years before the data moment)."""

    def compute() -> date | None:
        return dash.figures.read(
            lambda warehouse: benefit_window(warehouse, BENEFITS_KIND, None).history_start
        )

    first = dash.memo("uitkeringen:first", compute)
    return max(date((first or moment).year, 1, 1), date(moment.year - 20, 1, 1))


def parse_selection(params: Mapping[str, str], choices: Mapping[str, Sequence[tuple[str, str]]],
                    moment: date) -> Selection:  # fmt: skip
    """The filters from the query (``van``, ``tot``, ``periode``, ``regeling``, ``leefvorm``, ``wijk``,
    ``uitsplitsen``); InputError (Dutch) for a value the data does not have."""

    def one(name: str) -> str | None:
        value = (params.get(name) or "").strip()
        return value or None

    grain_word = one("periode") or GRAIN_WORDS[Grain.HALF]
    if grain_word not in GRAINS:
        raise InputError(f"Onbekende periode '{grain_word}'. Kies uit: {', '.join(GRAINS)}.")
    grain = GRAINS[grain_word]
    start = parse_day(text, "Begindatum") if (text := one("van")) else date(moment.year - DEFAULT_YEARS, 1, 1)
    end = parse_day(text, "Einddatum") if (text := one("tot")) else last_complete(moment, grain)
    end = min(end, moment)  # nothing after the data moment is known
    if end < start:
        raise InputError(f"De begindatum ligt na de einddatum of na het peilmoment ({moment:%d-%m-%Y}).")
    if len(cut(start, end, grain)) > MAX_PERIODS:
        raise InputError(f"Kies een kortere reeks of een grotere periode: hoogstens {MAX_PERIODS} perioden.")
    values = []
    for dimension in FILTERS:
        value = one(dimension.parameter)
        if value is None:
            continue
        if value not in [v for v, _ in choices.get(dimension.column, ())]:
            raise InputError(f"Onbekende waarde '{value}' voor {dimension.label.lower()}.")
        values.append((dimension.column, value))
    breakdown = None
    if name := one("uitsplitsen"):
        found = [d for d in DIMENSIONS if d.parameter == name]
        if not found:
            raise InputError(f"Onbekende uitsplitsing '{name}'.")
        breakdown = found[0].column
    return Selection(start, end, grain, tuple(values), breakdown)


def last_complete(moment: date, grain: Grain) -> date:
    """The last day of the last period of ``grain`` that ended by the data moment: the default end."""
    current = period_of(moment, grain)
    return moment if current.last == moment else current.first - timedelta(days=1)


def reference_dates(selection: Selection, moment: date) -> tuple[date, ...]:
    """The last day of each period of the selection up to the data moment, and the moment itself."""
    ends = [p.last for p in cut(selection.start, selection.end, selection.grain) if p.last < moment]
    return (*ends, moment)


def selected(result: MetricResult, selection: Selection, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of ``result`` with the filtered values, as ``columns`` (the filtered columns left out)."""
    records = result.records()
    chosen = [r for r in records if all(str(r.get(c)) == v for c, v in selection.values if c in r)]
    return [tuple(r[c] for c in columns) for r in chosen]


def table_of(dash: Dashboard, result: MetricResult, selection: Selection, key: str, title: str,
             policy: Policy | None, *, first: str, measures: Sequence[str], extra: Sequence[str] = (),
             note: str = "", rate_of: str | None = None,
             reasons: Mapping[str, str] = OUTFLOW_GROUP_NAMES, total: MetricResult | None = None,
             period: str | None = None) -> Table:  # fmt: skip
    """A metric's rows as a page table: ``first`` (period or date), the breakdown and ``extra`` columns, then
    ``measures`` (those the result has); the filtered columns hold one value and are left out. ``total``: the
    same metric without ``first`` as a group, whose one selected row becomes the table's total row ('Totaal').
    ``period``: the one date of a table whose first column is no date, whose status ('onvolledig') then goes
    in the title."""
    groups = [
        c for c in (*extra, *((selection.breakdown,) if selection.breakdown else ())) if c in result.columns
    ]
    groups = list(dict.fromkeys(groups))
    columns = [first, *groups, *(m for m in measures if m in result.columns)]
    rows = selected(result, selection, columns)  # a viewer's rates follow the rounded counts: protect.rounded
    total_row = None
    if total is not None and rows:
        counted = columns[1 + len(groups) :]
        found = selected(total, selection, counted)
        total_row = (TOTAL, *([None] * len(groups)), *found[0]) if len(found) == 1 else None
    derived = {"per_10000": (rate_of,)} if rate_of else {}
    return build_table(
        TableSpec(key, title, columns, rows, labels=1 + len(groups), labeller=labeller(dash, reasons), status=result.status,
                  derived_from=derived, note=note, total=total_row, period=period),
        policy,
    )  # fmt: skip


def rated(dash: Dashboard, request: MetricRequest, notes: list[str]) -> MetricResult:
    """The result of ``request`` with its rate per 10,000 inhabitants (a viewer's table shows the rate of the
    rounded count: ``protect.rounded``); without the rate, and the reason in ``notes``, when the population
    cannot give it (loaded in age bands that straddle 18, 15 or 64)."""
    try:
        result = dash.figures.metric(request)
        notes.extend(note for note in result.notes if note not in notes)  # the population year used
        return result
    except InputError as problem:
        if str(problem) not in notes:
            notes.append(str(problem))
        return dash.figures.metric(replace(request, per_10000=False))


def series_chart(table: Table, title: str, series: Sequence[tuple[str, str]], *, x_title: str, y_title: str,
                 bars: bool = False) -> str | None:  # fmt: skip
    """A chart of ``series`` (column, name) over the first column; with a breakdown, one line per group of
    the first series."""
    grouped = table.key_columns > 1
    points = [
        Point(row[0].text, row[1].text if grouped else name, value)
        for r, row in enumerate(table.rows)
        for column, name in (series[:1] if grouped else series)
        if (value := shown_value(table, r, column)) is not None
    ]
    draw = charts.bar_chart if bars and not grouped and len(table.rows) <= 24 else charts.line_chart
    return draw(title, points, x_title=x_title, y_title=y_title, hidden=table.hidden_count,
                threshold=table.threshold, source=CHART_SOURCE)  # fmt: skip


def benefits_page(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Benefits and persons on the reference dates, flows and re-entry per period, durations, rates per
    10,000 inhabitants aged 18 and over, and re-integration provisions, with filters and a breakdown."""
    context: dict[str, Any] = {"no_data": "", "notes": []}
    page = Page(NAME, "uitkeringen.html.j2", TITLE, context=context)
    moment, provisions_moment = moments(dash)
    if moment is None:
        context["no_data"] = NO_BENEFITS
        return page
    choices = options(dash, moment)
    selection = parse_selection(params, choices, moment)
    policy = policy_of(dash, viewer)
    grain_word = GRAIN_WORDS[selection.grain]
    page.query = selection.query()
    periods = cut(selection.start, selection.end, selection.grain)
    page.selection = "; ".join(
        [f"{periods[0].label} t/m {periods[-1].label}" if len(periods) > 1 else periods[0].label]
        + [f"{BY_COLUMN[c].label}: {labeller(dash)(c, v)}" for c, v in selection.values]
        + [f"peilmoment {moment:%d-%m-%Y}"]
    )
    context.update(
        selection=selection, choices=choices, filters=FILTERS, moment=moment,
        grain_options=[(word, word) for word in GRAINS], grain_word=grain_word,
        breakdown_options=[(d.parameter, d.label) for d in DIMENSIONS],
        breakdown=BY_COLUMN[selection.breakdown].parameter if selection.breakdown else "",
    )  # fmt: skip
    on = reference_dates(selection, moment)

    def over_periods(metric: str) -> MetricResult:
        """A benefit metric over the selected periods and breakdown."""
        request = MetricRequest(metric, grain=selection.grain.value, start=selection.start, end=selection.end,
                                by=selection.by())  # fmt: skip
        return dash.figures.metric(request)

    stock = rated(dash, MetricRequest("benefits", on=on, by=selection.by(), per_10000=True), context["notes"])
    page.tables["stand"] = table_of(
        dash, stock, selection, "stand", "Uitkeringen en personen op peildatum", policy, first="date",
        measures=("benefits", "persons", "per_10000"), rate_of="persons",
        note=f"{FOOTNOTE} Per 10.000 inwoners: personen per 10.000 inwoners van 18 jaar en ouder (BBV).",
    )  # fmt: skip
    switched = switch_note(selection)

    def flow_note(text: str) -> str:
        """The note of a table of flows, with the sentence on a breakdown whose rows need not add up."""
        return f"{text} {switched}" if switched else text

    flows = over_periods("benefit_flows")
    page.tables["stromen"] = table_of(
        dash, flows, selection, "stromen", f"Instroom en uitstroom per {grain_word} (personen)", policy,
        first="period", measures=("inflow", "outflow", "net"),
        note=flow_note("Instroom: personen van wie een periode met bijstand in de periode begint; uitstroom: van "
                       "wie die eindigt (onderbrekingen van hoogstens 30 dagen tellen niet). Een geplande "
                       f"einddatum is geen uitstroom. Saldo = instroom - uitstroom. {FOOTNOTE}"),
    )  # fmt: skip
    reentry = over_periods("benefit_reentry")
    page.tables["herinstroom"] = table_of(
        dash, reentry, selection, "herinstroom", f"Herinstroom per {grain_word}", policy, first="period",
        measures=("inflow", "benefit_reentries", "benefit_reentry_rate"),
        note=flow_note("Instroom van personen die binnen 12 maanden na het einde van een eerdere periode met "
                       "bijstand opnieuw instromen."),
    )  # fmt: skip
    for metric, key, title, count, names in (
        (
            "benefit_outflow_reasons",
            "uitstroomredenen",
            "Uitstroom naar reden",
            "outflow",
            OUTFLOW_GROUP_NAMES,
        ),
        ("benefit_inflow_reasons", "instroomredenen", "Instroom naar reden", "inflow", INFLOW_GROUP_NAMES),
    ):
        reasons = over_periods(metric)
        page.tables[key] = table_of(
            dash, reasons, selection, key, f"{title} per {grain_word} (personen)", policy, first="period",
            measures=(count,), extra=("reason_group",), reasons=names,
            note=flow_note("De redenen in de groepen van het CBS (werk, andere uitkering, relatie, verhuizing, "
                           "overig); onbekend: het bestand geeft geen reden."),
        )  # fmt: skip
    running = dash.figures.metric(
        MetricRequest("benefits", on=(moment,), by=(*selection.by(), "duration_class"))
    )  # fmt: skip
    page.tables["duur_lopend"] = table_of(
        dash, running, selection, "duur_lopend", f"Lopende uitkeringen naar duur op {moment:%d-%m-%Y}", policy,
        first="duration_class", measures=("benefits", "persons"), period=moment.isoformat(),
        note="Duur van de periode met bijstand tot het peilmoment, in de duurklassen van het CBS. Onvolledig: in "
             "de eerste vijf jaar na het begin van de gegevens kan een uitkering van voor dat begin langer lopen "
             "dan de duurklasse zegt.",
    )  # fmt: skip
    ended = over_periods("benefit_durations")
    page.tables["duur_beeindigd"] = table_of(
        dash, ended, selection, "duur_beeindigd", f"Beëindigde bijstand naar duur per {grain_word}", policy,
        first="period", measures=ended.metric.measures,
        note=flow_note("Personen die uitstromen, naar de duur van hun periode met bijstand (duurklassen van het "
                       "CBS). Onvolledig: in de eerste vijf jaar na het begin van de gegevens kan een uitkering "
                       "van voor dat begin langer hebben gelopen dan de duurklasse zegt."),
    )  # fmt: skip
    if provisions_moment is not None:
        wijk = tuple(c for c in selection.by(REINTEGRATION_COLUMNS))
        provisions = rated(
            dash, MetricRequest("reintegration", on=(provisions_moment,), by=(*wijk, "provision_type"),
                                per_10000=True), context["notes"],
        )  # fmt: skip
        only_wijk = replace(selection, values=tuple((c, v) for c, v in selection.values if c == "wijk"))
        all_types = rated(  # the total row: every type (and age band or wijk of a breakdown) together
            dash, MetricRequest("reintegration", on=(provisions_moment,), by=tuple(c for c, _ in only_wijk.values),
                                per_10000=True),
            [],
        )  # fmt: skip
        page.tables["reintegratie"] = table_of(
            dash, provisions, only_wijk, "reintegratie",
            f"Lopende re-integratievoorzieningen op {provisions_moment:%d-%m-%Y}", policy, first="provision_type",
            measures=("provisions", "per_10000"), rate_of="provisions", total=all_types,
            note="Per soort voorziening (SRG). Het totaal is de BBV-indicator: lopende re-integratievoorzieningen "
                 "per 10.000 inwoners van 15 tot en met 64 jaar. Van de filters geldt hier alleen de wijk.",
        )  # fmt: skip
    else:
        context["notes"].append("Er zijn geen re-integratievoorzieningen geladen ('sdm load reintegration').")
    stand = page.tables["stand"]
    if svg := series_chart(stand, "Uitkeringen en personen op peildatum",
                           (("benefits", "Uitkeringen"), ("persons", "Personen")), x_title="Peildatum",
                           y_title="Aantal"):  # fmt: skip
        page.charts.append(Chart("Uitkeringen en personen op peildatum", svg, "stand"))
    stromen = page.tables["stromen"]
    if svg := series_chart(stromen, "Instroom en uitstroom", (("inflow", "Instroom"), ("outflow", "Uitstroom")),
                           x_title=grain_word.capitalize(), y_title="Personen", bars=True):  # fmt: skip
        page.charts.append(Chart("Instroom en uitstroom", svg, "stromen"))
    return page


PAGE = PageDeclaration(
    name=NAME,
    path="/uitkeringen",
    nav_label=TITLE,
    role=Role.VIEWER,
    build=benefits_page,
    cached=True,
    order=33,
    sources=(BENEFITS, REINTEGRATION),
)
