"""Access and waiting times (issue 13): the waiting list on the data moment by product group and by provider,
the distribution of the waits in weeks (a bar chart), care started per month against the norm, decisions per
month against the legal terms, the open requests over their term, and Lansingerland's figures 4 and 5: the
support plans per half-year by target group and law, and per access partner the new questions, broad
inquiries and support plans of the last whole half-year beside those of a year earlier.

Viewers see protected aggregates only, as on every page (counts below the threshold hidden, the rest rounded
to fives). Analysts and admins also get "Wie wacht er nu" (``access.who_waits``): one row per waiting
allocation with the client's pseudonymised key (never a BSN), provider, product and days waited; a viewer's
page never builds it, so neither the page nor its downloads hold it. Without requests or deliveries loaded
the page says so (``reports.build.NO_ACCESS_DATA``); it never fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from sdmonitor.domain.periods import Grain, Period, add_months, period_of
from sdmonitor.domain.wording import law_name
from sdmonitor.metrics import MetricRequest
from sdmonitor.metrics.access import DELIVERIES, who_waits
from sdmonitor.metrics.catalogue import MEASURES, REQUESTS, Kind
from sdmonitor.metrics.compare import add_previous_year, year_before
from sdmonitor.reports.build import NO_ACCESS_DATA, access_loaded
from sdmonitor.reports.charts import Point
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse.inventory import data_moment
from sdmonitor.web import charts
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import Chart, Page, PageDeclaration, policy_of, shown_value
from sdmonitor.web.tables import Cell, Table, TableSpec, build_table

NAME = "toegang"
SPREAD = ("weeks_0_4", "weeks_4_8", "weeks_8_13", "weeks_13_26", "weeks_over_26")
LIST_MEASURES = ("waiting", "waited_mean_days", "over_norm", "list_within_norm_share", "bridged")
WHO_WAITS = "wie_wacht"
PLANS = "ondersteuningsplannen"
PARTNERS = "toegangspartners"
WHO_WAITS_HEADERS = {
    "pseudonym": "Sleutel (pseudoniem)", "provider": "Aanbieder", "law": "Wet",
    "product_category": "Productcategorie", "product_code": "Product", "days_waited": "Dagen gewacht",
    "norm_days": "Norm (dagen)", "over_norm": "Boven de norm",
}  # fmt: skip


def label(column: str, value: Any) -> str:
    return law_name(value) if column == "law" else str(value)


def moment_of(dash: Dashboard, kinds: tuple[str, ...]) -> date | None:
    """The data moment of ``kinds`` (once per version of the data)."""
    return dash.memo(
        f"toegang:{','.join(kinds)}",
        lambda: dash.figures.read(partial(data_moment, kinds=kinds, cutoff=None)),
    )


def metric_table(
    dash: Dashboard, request: MetricRequest, key: str, title: str, policy: Policy | None,
    measures: Sequence[str] | None = None, note: str = "",
) -> Table:  # fmt: skip
    """A metric's rows as a page table (its first column the period or date, then the --by columns)."""
    result = dash.figures.metric(request)
    keep = [c for c in result.columns if c in ("period", "date", *request.by)]
    keep += [c for c in result.columns if c not in keep and (measures is None or c in measures)
             and c in result.metric.measures]  # fmt: skip
    rows = [tuple(row[result.columns.index(c)] for c in keep) for row in result.rows]
    return build_table(
        TableSpec(key, title, keep, rows, labels=1 + len(request.by), labeller=label, status=result.status,
                  note=note),
        policy,
    )  # fmt: skip


def last_whole_half(moment: date) -> Period:
    """The latest half-year that ended before the data ``moment`` (one containing it is not complete yet)."""
    half = period_of(moment, Grain.HALF)
    return half if half.last < moment else period_of(half.first - timedelta(days=1), Grain.HALF)


def partners_table(dash: Dashboard, half: Period, policy: Policy | None) -> Table:
    """Lansingerland's figure 5: per access partner (team) the new questions, broad inquiries and support plans
    of ``half``, each beside its figure of the same half-year a year earlier (``compare.add_previous_year``:
    empty, not 0, for a partner without a row then; a partner with figures then but none now has empty cells
    of its own). The earlier counts are counts like the others: hidden below the threshold and rounded for
    viewers."""
    request = MetricRequest(
        "access", grain="half", start=add_months(half.first, -12), end=half.last, by=("team",)
    )
    result = dash.figures.metric(request)
    counts = tuple(m for m in result.metric.measures if MEASURES[m].kind is Kind.COUNT)
    columns, rows = add_previous_year(
        result.columns, result.rows, 1, counts, [half.label], result.status.unusable
    )
    earlier = year_before(half.label)
    skipped = (
        " Dat halfjaar is onvolledig en wordt niet vergeleken." if earlier in result.status.unusable else ""
    )
    note = (
        f"Naast elk aantal het aantal van {earlier}. Een lege cel: niets geregistreerd (geen 0).{skipped} "
        "Puur informatieve vragen komen niet in de registratie en tellen niet mee."
    )
    return build_table(
        TableSpec(PARTNERS, f"Toegangspartners in {half.label}", columns, rows, labels=2, labeller=label,
                  status=result.status, note=note),
        policy,
    )  # fmt: skip


def spread_chart(table: Table) -> str | None:
    """The distribution of the waits over the weeks buckets, summed over the rows shown (hidden cells left out)."""
    totals = {
        column: sum(shown_value(table, r, column) or 0.0 for r in range(len(table.rows)))
        for column in SPREAD
        if column in table.columns
    }
    headers = dict(zip(table.columns, table.headers, strict=True))
    points = [Point(headers[c], "Wachtend", value) for c, value in totals.items()]
    return charts.bar_chart(
        "Wachtenden naar weken gewacht", points if any(totals.values()) else [], x_title="Weken gewacht",
        y_title="Toewijzingen", hidden=table.hidden_count, threshold=table.threshold,
    )  # fmt: skip


def _who_text(value: object) -> str:
    """A cell of "Wie wacht er nu" as shown: a yes/no column (over the norm, bridged) in Dutch."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def who_waits_table(dash: Dashboard, on: date) -> Table:
    """Who waits on ``on``: one row per waiting allocation, longest wait first (analysts and admins only)."""
    found = dash.figures.read(partial(who_waits, on=on))
    columns = tuple(WHO_WAITS_HEADERS)
    rows = tuple(
        tuple(Cell(value, _who_text(value), numeric=isinstance(value, int) and not isinstance(value, bool))
              for value in (dict(zip(found.columns, row, strict=True))[c] for c in columns))
        for row in found.rows
    )  # fmt: skip
    return Table(
        columns=columns, headers=tuple(WHO_WAITS_HEADERS.values()), rows=rows, has_total=False, key_columns=1,
        summary_rows=0, key=WHO_WAITS, title=f"Wie wacht er nu ({on:%d-%m-%Y})", suppressed=False,
        hidden_count=0, threshold=dash.settings.threshold, is_rounded=False,
        note="Alleen voor analisten en beheerders: de sleutel is het pseudoniem van de cliënt, nooit een BSN.",
    )  # fmt: skip


def access_page(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The waiting list on the data moment, the spread of the waits, waiting and decisions per month against
    the norm and the legal terms, the open requests over their term; for analysts who waits now."""
    policy = policy_of(dash, viewer)
    context: dict[str, Any] = {"notes": [], "no_data": ""}
    page = Page(NAME, "toegang.html.j2", "Toegang en wachttijden", context=context)
    loaded = dash.figures.read(access_loaded)
    if not loaded.requests and not loaded.deliveries:
        context["no_data"] = NO_ACCESS_DATA
        return page
    if not (loaded.requests and loaded.deliveries):
        context["notes"].append(NO_ACCESS_DATA)
    if loaded.deliveries and (moment := moment_of(dash, ("allocations", DELIVERIES))) is not None:
        page.selection = f"{moment:%d-%m-%Y}"
        start = moment - timedelta(days=365)
        for by, key, title in (
            (("cbs_group",), "wachtlijst_product", "Wachtenden per productgroep"),
            (("provider",), "wachtlijst_aanbieder", "Wachtenden per aanbieder"),
        ):
            table = metric_table(
                dash, MetricRequest("waiting_list", on=(moment,), by=by), key, f"{title} op {moment:%d-%m-%Y}",
                policy, (*LIST_MEASURES, *SPREAD),
            )  # fmt: skip
            page.tables[key] = table
        spread = page.tables["wachtlijst_product"]
        if (svg := spread_chart(spread)) is not None:
            page.charts.append(Chart("Wachtenden naar weken gewacht", svg, spread.key))
        page.tables["wachttijd_per_maand"] = metric_table(
            dash, MetricRequest("waiting", grain="month", start=start, end=moment, by=("law",)),
            "wachttijd_per_maand", "Gestarte zorg per maand tegen de norm", policy,
        )  # fmt: skip
    if loaded.requests and (asked := moment_of(dash, (REQUESTS,))) is not None:
        start = asked - timedelta(days=365)
        page.tables["beslistermijnen"] = metric_table(
            dash, MetricRequest("decision_time", grain="month", start=start, end=asked, by=("law",)),
            "beslistermijnen", "Besluiten per maand tegen de wettelijke termijn", policy,
        )  # fmt: skip
        page.tables["open_aanvragen"] = metric_table(
            dash, MetricRequest("open_requests", on=(asked,), by=("law", "kind")), "open_aanvragen",
            f"Openstaande aanvragen op {asked:%d-%m-%Y}", policy,
        )  # fmt: skip
        half = last_whole_half(asked)
        page.tables[PLANS] = metric_table(
            dash, MetricRequest("support_plans", grain="half", start=add_months(half.first, -36), end=half.last,
                                by=("target_group", "law")),
            PLANS, "Ondersteuningsplannen per halfjaar, doelgroep en wet", policy,
        )  # fmt: skip
        page.tables[PARTNERS] = partners_table(dash, half, policy)
    if viewer.may_drill and loaded.deliveries and (moment := moment_of(dash, ("allocations", DELIVERIES))):
        page.tables[WHO_WAITS] = who_waits_table(dash, moment)
    return page


def over_term(dash: Dashboard, viewer: Viewer) -> str | None:
    """The overview's tile: open requests over their term on the requests' data moment, as the viewer may
    see it ('< 5' or rounded to fives for viewers); None without requests."""
    if not dash.figures.read(access_loaded).requests or (asked := moment_of(dash, (REQUESTS,))) is None:
        return None
    table = metric_table(
        dash, MetricRequest("open_requests", on=(asked,)), "over_termijn", "", policy_of(dash, viewer)
    )
    if not table.rows or "over_term" not in table.columns:
        return "0"
    return table.rows[0][table.columns.index("over_term")].text


PAGE = PageDeclaration(
    name=NAME,
    path="/toegang",
    nav_label="Toegang en wachttijden",
    role=Role.VIEWER,
    build=access_page,
    cached=True,
    order=37,
)
