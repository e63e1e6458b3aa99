"""Finance: costs by month and per client, the forecast per budget line, and a depletion chart per line.

Analysts and admins see exact figures. Viewers may open the page too, but see only protected aggregates, as
on every other page: amounts and costs per client are hidden with the count of clients behind them (``< 5``
and ``x``), the other counts rounded to fives with the costs per client computed from the rounded counts,
and a budget line with few clients shows its budget but no realised or expected amounts, nor a chart.
Without declarations or budgets the page says so (``reports.finance.NO_FINANCE_DATA``), it never fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from sdmonitor.domain.periods import Grain, period_of
from sdmonitor.domain.wording import law_name
from sdmonitor.metrics import CATALOGUE, MetricRequest
from sdmonitor.metrics.catalogue import DECLARATIONS
from sdmonitor.reports import finance
from sdmonitor.reports.build import forecast_or_reason, money_loaded
from sdmonitor.reports.charts import Point
from sdmonitor.reports.model import TableModel
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse.inventory import data_moment
from sdmonitor.web import charts
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Chart, Page, PageDeclaration, policy_of, query_string, shown_value
from sdmonitor.web.tables import Cell, Table, TableSpec, build_table

COSTS = "costs"
COST_MEASURES = ("amount", "paid_clients", "cost_per_client", "client_months", "cost_per_client_month")


def finance_year(dash: Dashboard, params: Mapping[str, str]) -> tuple[int, list[int]]:
    """The year shown (``?jaar=``; by default the year of the last day with data) and the years to choose."""
    covered = dash.data_range()
    last = covered.last.year if covered is not None else date.today().year
    first = covered.first.year if covered is not None else last
    years = list(range(last, first - 1, -1))
    wanted = params.get("jaar", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else last
    return year, years


def forecast_view(dash: Dashboard, year: int) -> tuple[finance.FinanceView | None, str]:
    """The forecast of ``year`` as known at the data moment (once per version of the data), or why there is
    none; also why a forecast has no budget line for the year (``reports.build.forecast_or_reason``)."""

    def compute() -> tuple[finance.FinanceView | None, str]:
        money = dash.figures.read(money_loaded)
        return dash.figures.read(partial(forecast_or_reason, year=year, as_of=None, money=money))

    return dash.memo(f"financien:{year}", compute)


def web_table(model: TableModel, key: str, title: str, *, policy: Policy | None, note: str = "") -> Table:
    """A finance table of ``reports.finance`` as a dashboard table (numbers aligned, downloads alike)."""
    rows = tuple(
        tuple(
            Cell(cell.value, cell.text, hidden=cell.hidden, numeric=cell.hidden or (
                isinstance(cell.value, int | float) and not isinstance(cell.value, bool)))
            for cell in row
        )
        for row in model.rows
    )  # fmt: skip
    return Table(
        columns=model.columns, headers=model.headers, rows=rows, has_total=model.has_total,
        key_columns=model.key_columns, summary_rows=model.summary_rows, key=key, title=title, note=note,
        suppressed=policy is not None, hidden_count=sum(1 for row in rows for cell in row if cell.hidden),
        threshold=policy.threshold if policy else 5, is_rounded=bool(policy and policy.round_to_5),
    )  # fmt: skip


def costs_end(dash: Dashboard, year: int) -> date | None:
    """The last day of ``year`` with realised costs: 31 December, or the last day of the month of the
    declarations' data moment (a later month would be refused: nothing is realised there); None when the
    data moment lies before the year."""
    moment = dash.memo("declarations_moment", lambda: dash.figures.read(partial(data_moment, kinds=(DECLARATIONS,),
                                                                                  cutoff=None)))  # fmt: skip
    if moment is None or moment.year > year:
        return date(year, 12, 31)
    if moment.year < year:
        return None
    return period_of(moment, Grain.MONTH).last


def costs_table(dash: Dashboard, year: int, end: date, policy: Policy | None) -> tuple[Table, str | None]:
    """Costs per month and law of ``year`` (up to ``end``), with clients and costs per client and per
    client-month, and its chart (the amounts per month, a bar per law)."""
    request = MetricRequest(COSTS, grain="month", start=date(year, 1, 1), end=end, by=("law",))
    result = dash.figures.metric(request)
    columns = tuple(c for c in result.columns if c in ("period", "law", *COST_MEASURES))
    rows = [tuple(row[result.columns.index(c)] for c in columns) for row in result.rows]
    measures = CATALOGUE[COSTS].measures
    table = build_table(
        TableSpec("kosten_per_maand", f"Kosten per maand en wet, {year}", columns, rows, labels=2,
                  labeller=lambda c, v: law_name(v) if c == "law" else str(v), status=result.status,
                  derived_from={m: ("paid_clients",) for m in measures if m != "paid_clients"},
                  note="Toegekende declaraties naar de maand van levering (credits negatief); cliënten: met "
                       "per saldo kosten in de maand. Kosten per cliëntmaand zoals Drechtsteden ze meet."),
        policy,
    )  # fmt: skip
    points = [
        Point(str(row[0].value), law_name(row[1].value), value)
        for r, row in enumerate(table.rows)
        if (value := shown_value(table, r, "amount")) is not None
    ]
    chart = charts.bar_chart(
        f"Kosten per maand, {year}", points, x_title="Maand", y_title="Kosten (euro)",
        hidden=table.hidden_count, threshold=table.threshold,
    )  # fmt: skip
    return table, chart


def per_client_table(dash: Dashboard, year: int, end: date, policy: Policy | None) -> Table:
    """Cost per client and per client-month over the year (up to ``end``: the period is then marked
    't/m <data moment>'), per law."""
    request = MetricRequest(COSTS, grain="year", start=date(year, 1, 1), end=end, by=("law",))
    result = dash.figures.metric(request)
    columns = tuple(c for c in result.columns if c in ("period", "law", *COST_MEASURES))
    rows = [tuple(row[result.columns.index(c)] for c in columns) for row in result.rows]
    return build_table(
        TableSpec("kosten_per_client", f"Kosten per cliënt, {year}", columns, rows, labels=2,
                  labeller=lambda c, v: law_name(v) if c == "law" else str(v), status=result.status,
                  derived_from={m: ("paid_clients",) for m in CATALOGUE[COSTS].measures if m != "paid_clients"}),
        policy,
    )  # fmt: skip


def finances(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Costs by month, cost per client, the forecast per budget line with its warnings, and a chart per line
    of the cumulative costs against the budget with the depletion date."""
    year, years = finance_year(dash, params)
    policy = policy_of(dash, viewer)
    money = dash.figures.read(money_loaded)
    context: dict[str, Any] = {
        "year": year, "year_options": [(str(y), str(y)) for y in years], "warnings": [], "notes": [],
        "no_data": "", "line_charts": [],
    }  # fmt: skip
    page = Page("financien", "financien.html.j2", "Financiën", selection=str(year), context=context,
                query=query_string(jaar=str(year)))  # fmt: skip
    if not money.declarations and not money.budgets:
        context["no_data"] = finance.NO_FINANCE_DATA
        return page
    end = costs_end(dash, year) if money.declarations else None
    if end is not None:
        costs, chart = costs_table(dash, year, end, policy)
        page.tables["kosten_per_maand"] = costs
        if chart:
            page.charts.append(Chart(costs.title, chart, costs.key))
        page.tables["kosten_per_client"] = per_client_table(dash, year, end, policy)
    view, reason = forecast_view(dash, year)
    if reason:
        context["notes"].append(reason)
    if view is None:
        return page
    hidden = finance.hidden_lines(view.lines, policy)
    note = f"Verwachting {year} zoals bekend op {view.moment:%d-%m-%Y}. " + " ".join(view.notes)
    page.tables["verwachting"] = web_table(
        finance.forecast_table(view, policy), "verwachting", f"Verwachting per begrotingspost, {year}",
        policy=policy, note=note.strip(),
    )  # fmt: skip
    page.tables["begroting"] = web_table(
        finance.budget_table(view, policy), "begroting", f"Begroting en verwachting {year}", policy=policy
    )
    if view.rooms:  # only when spending rooms per provider are loaded
        page.tables["bestedingsruimte"] = web_table(
            finance.rooms_table(view, policy), "bestedingsruimte", f"Bestedingsruimte per aanbieder, {year}",
            policy=policy, note="Contractstandaard Wmo art. 1.5: signaal bij 70 % van de bestedingsruimte. "
            "Een aanbieder met weinig cliënten toont alleen zijn ruimte.",
        )  # fmt: skip
    context["warnings"] = list(finance.warning_sentences(view, policy))
    for line in view.lines:
        if line.budget is None or line.line in hidden:
            continue
        spec = finance.depletion_chart(line, year, width=640)
        if spec is not None:
            context["line_charts"].append({"title": line.line, "svg": charts.render(spec)})
    return page


def finance_warnings(dash: Dashboard, viewer: Viewer) -> list[str]:
    """The depletion warnings of the current year for the overview page (protected as the finance page)."""
    year, _ = finance_year(dash, {})
    view, _ = forecast_view(dash, year)
    if view is None:
        return []
    return list(finance.warning_sentences(view, policy_of(dash, viewer)))


PAGE = PageDeclaration(
    name="financien",
    path="/financien",
    nav_label="Financiën",
    role=Role.VIEWER,
    build=finances,
    cached=True,
    order=35,
)
