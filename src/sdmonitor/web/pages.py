"""The dashboard's pages as data: each builder takes the dashboard, the viewer and the query parameters,
runs its figures through the cache (``run_metric``, as ``sdm metric``) and returns tables and charts.

The same builder serves the page and its downloads, so a download holds exactly what the page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal
from sdmonitor.domain.periods import Grain, Period, period_of
from sdmonitor.errors import InputError
from sdmonitor.metrics import CATALOGUE, MetricRequest, MetricResult
from sdmonitor.metrics.compare import trend
from sdmonitor.metrics.dimensions import AgeBands
from sdmonitor.reports.build import PROTECTED_TEXT as PROTECTED
from sdmonitor.reports.charts import Point
from sdmonitor.reports.protect import rounded
from sdmonitor.reports.suppression import Policy, round_to_five
from sdmonitor.warehouse import inventory
from sdmonitor.web import charts
from sdmonitor.web.dashboard import PROFILE_AGE_BANDS, Dashboard, Viewer
from sdmonitor.web.filters import (
    BY_COLUMN,
    GRAIN_NAMES,
    LAW_LABELS,
    Choices,
    Dimension,
    Filters,
    parse_filters,
    parse_period,
)
from sdmonitor.web.tables import Cell, Table, TableSpec, build_table, header

TREND_THRESHOLD = 5.0
ARROWS = {"up": "↑", "down": "↓", "flat": "→"}
TREND_TEXT = {"up": "gestegen", "down": "gedaald", "flat": "ongeveer gelijk gebleven"}


@dataclass
class Chart:
    """A chart (SVG text) and the key of the table that holds its figures."""

    title: str
    svg: str
    table: str


@dataclass
class Page:
    """A built page: its template, title, context for the template, and tables (also for downloads)."""

    name: str
    template: str
    title: str
    selection: str = ""
    tables: dict[str, Table] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    query: str = ""  # the page's filters as a query string, for download links

    def chart(self, table: str) -> Chart | None:
        """The chart drawn from a table, if any."""
        return next((chart for chart in self.charts if chart.table == table), None)


def _policy(dash: Dashboard, viewer: Viewer) -> Policy | None:
    return viewer.policy(dash.settings.threshold)


def _no_data(name: str, title: str) -> Page:
    return Page(name, "empty.html.j2", title)


def _shown_value(table: Table, row: int, column: str) -> float | None:
    """The value of a cell as drawn in a chart: None when hidden or empty."""
    if column not in table.columns:
        return None
    cell = table.rows[row][table.columns.index(column)]
    return None if cell.hidden or not isinstance(cell.value, int | float) else float(cell.value)


# --- overview ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """A key figure of the overview: the value of the latest half-year against the one before."""

    title: str
    value_text: str
    previous_text: str
    change_text: str
    trend: str | None
    spoken: str
    target_text: str = ""
    meets_target: bool | None = None
    link: str = ""
    # the published numbers behind the texts (None when hidden or missing), for downloads
    value: Any = None
    previous: Any = None
    change: float | None = None  # percent
    measure: str = "clients"


def _pct(now: float, before: float) -> float | None:
    return None if before == 0 else round((now - before) / before * 100, 1)


def _key_figure(
    title: str, now: Any, before: Any, policy: Policy | None, *, labels: tuple[str, str], link: str = "",
    measure: str = "clients",
) -> KeyFigure:  # fmt: skip
    from sdmonitor.reports.build import policy_text, show

    def text(value: Any) -> str:
        if value is None:
            return "–"
        if policy is not None and isinstance(value, int) and 0 < value < policy.threshold:
            return policy_text(policy)
        return show(measure, value)

    hidden = policy is not None and any(
        isinstance(v, int) and 0 < v < policy.threshold for v in (now, before)
    )
    if policy is not None and policy.round_to_5:  # published rounded; the change from the rounded counts
        now, before = (_rounded_count(v, policy) for v in (now, before))
    change = None if hidden or now is None or before is None else _pct(float(now), float(before))
    direction = trend(change, TREND_THRESHOLD)
    change_text = "" if change is None else ("+" if change > 0 else "") + dutch_decimal(change, 1) + " %"
    spoken = f"{title}: {text(now)} in {labels[0]}; " + (
        f"{TREND_TEXT[direction]} ({change_text}) ten opzichte van {labels[1]}." if direction else ""
    )

    def number(value: Any) -> Any:
        return None if text(value) in ("–", PROTECTED) or text(value).startswith("<") else value

    return KeyFigure(title, text(now), text(before), change_text, direction, spoken, link=link,
                     value=number(now), previous=number(before), change=change, measure=measure)  # fmt: skip


def _key_cell(value: Any, text: str, measure: str) -> Cell:
    """A cell of the key-figures table: the published number behind the text, or the hidden mark."""
    hidden = text == PROTECTED or text.startswith("<")
    return Cell(None if hidden else value, text, hidden=hidden, numeric=True, measure=measure)


def _rounded_count(value: Any, policy: Policy) -> Any:
    """A count as a viewer sees it: small ones stay (they are shown as '< 5'), the others rounded to fives."""
    if isinstance(value, int) and not isinstance(value, bool) and not 0 < value < policy.threshold:
        return round_to_five(value)
    return value


def overview(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Key figures of the latest half-year with trend arrows, KPI targets, and clients per law over time."""
    defaults = dash.default_filters()
    latest = dash.latest(Grain.HALF)
    if defaults is None or latest is None:
        return _no_data("overzicht", "Overzicht")
    policy = _policy(dash, viewer)
    previous = period_of(latest.first.replace(day=1) - _one_day(), Grain.HALF)
    pair = Filters(previous.first, latest.last, Grain.HALF)
    choices = dash.choices()
    total = _by_period(dash.figures.metric(pair.request("clients", choices)), "clients")
    by_law = dash.figures.metric(replace(pair, breakdown="law").request("clients", choices))
    flows = dash.figures.metric(pair.request("flows", choices))
    flow_rows = {row[0]: row for row in flows.rows}
    comparable = (
        not {latest.label, previous.label} & flows.status.unusable
    )  # no arrow on an incomplete period
    labels = (latest.label, previous.label)

    def law(value: str, period: Period) -> Any:
        return next((row[2] for row in by_law.rows if row[0] == period.label and row[1] == value), 0)

    def flow(at: int, period: Period) -> Any:
        row = flow_rows.get(period.label)
        return row[at] if row else 0

    base = f"/clienten?{defaults.query()}"
    figures = [
        _key_figure("Unieke cliënten", total.get(latest.label, 0), total.get(previous.label, 0), policy,
                    labels=labels, link=base),
        *(
            _key_figure(f"Cliënten {LAW_LABELS[code]}", law(code, latest), law(code, previous), policy,
                        labels=labels, link=f"/clienten?{replace(defaults, values=(('law', code),)).query()}")
            for code in ("WMO", "JW")
        ),
        _key_figure("Instroom (episodes)", flow(1, latest), flow(1, previous) if comparable else None, policy,
                    labels=labels, link=base, measure="inflow"),
        _key_figure("Uitstroom (episodes)", flow(2, latest), flow(2, previous) if comparable else None, policy,
                    labels=labels, link=base, measure="outflow"),
    ]  # fmt: skip
    figures += _kpis(dash, viewer)
    series = dash.figures.metric(replace(defaults, breakdown="law").request("clients", choices))
    laws = [code for code in ("WMO", "JW") if any(row[1] == code for row in series.rows)]
    wide: dict[str, dict[str, Any]] = {}
    for row in series.rows:
        wide.setdefault(str(row[0]), {})[str(row[1])] = row[2]
    names = [LAW_LABELS[code] for code in laws]
    table = build_table(
        TableSpec("clienten_per_wet", "Unieke cliënten per wet per halfjaar", ("period", *names),
                  [(period, *(values.get(code, 0) for code in laws)) for period, values in wide.items()],
                  counts=names, status=series.status),
        policy,
    )  # fmt: skip
    points = [
        Point(str(row[0].value), name, value)
        for r, row in enumerate(table.rows)
        for name in names
        if (value := _shown_value(table, r, name)) is not None
    ]
    chart = charts.line_chart(
        "Unieke cliënten per wet per halfjaar", points, x_title="Halfjaar", y_title="Cliënten",
        hidden=table.hidden_count, threshold=table.threshold,
    )  # fmt: skip
    key_table = Table(
        "kerncijfers",
        f"Kerncijfers {latest.label}",
        ("figure", "value", "before", "change_pct"),
        ("Cijfer", latest.label, previous.label, "Verandering"),
        tuple(
            (
                Cell(f.title, f.title),
                _key_cell(f.value, f.value_text, f.measure),
                _key_cell(f.previous, f.previous_text, f.measure),
                _key_cell(f.change, f.change_text, "change_pct"),
            )
            for f in figures
        ),
        suppressed=policy is not None,
        threshold=policy.threshold if policy else 5,
        is_rounded=bool(policy and policy.round_to_5),
    )  # texts and numbers already protected above (fmt: skip)
    page = Page(
        "overzicht", "overview.html.j2", "Overzicht", selection=f"{latest.label} ten opzichte van {previous.label}",
        tables={"kerncijfers": key_table, "clienten_per_wet": table},
        context={"figures": figures, "latest": latest, "previous": previous},
    )  # fmt: skip
    if chart:
        page.charts.append(Chart(table.title, chart, table.key))
    return page


def _one_day() -> Any:
    from datetime import timedelta

    return timedelta(days=1)


def _by_period(result: MetricResult, measure: str) -> dict[str, Any]:
    at = result.columns.index(measure)
    return {str(row[0]): row[at] for row in result.rows}


def _kpis(dash: Dashboard, viewer: Viewer) -> list[KeyFigure]:
    """The KPIs with a target from the quarterly report template (Hollands Kroon model)."""
    from sdmonitor.reports.build import show
    from sdmonitor.reports.template import builtin_path, read_template

    template = dash.memo("kwartaal", lambda: read_template(builtin_path("kwartaal")))
    latest = dash.latest(template.grain)
    if latest is None:
        return []
    previous = period_of(latest.first - _one_day(), template.grain)
    out = []
    for kpi in template.kpis:
        if kpi.metric is None or kpi.target is None:
            continue
        metric = CATALOGUE[kpi.metric]
        measure = getattr(kpi, "measure", None) or (
            "clients" if "clients" in metric.measures else metric.measures[-1]
        )
        if kpi.metric == "outflow_rate":
            measure = "outflow_rate"
        result = dash.figures.metric(
            MetricRequest(kpi.metric, grain=template.grain.value, start=previous.first, end=latest.last,
                          by=tuple(c for c, _ in kpi.filter))
        )  # fmt: skip
        wanted = dict(kpi.filter)
        positions = {c: i for i, c in enumerate(result.columns)}
        values: dict[str, Any] = {}
        bases: dict[str, Any] = {}
        policy = _policy(dash, viewer)
        for row in result.rows:
            if all(str(row[positions[c]]) == v for c, v in wanted.items()):
                published = dict(zip(result.columns, row, strict=True))
                if policy is not None:  # rounded counts, rates from the rounded counts
                    published = rounded(published, policy)
                values[str(row[0])] = published[measure]
                bases[str(row[0])] = row[positions[metric.measures[0]]]
        small = policy is not None and any(
            isinstance(v, int) and 0 < v < policy.threshold for v in bases.values()
        )
        now, before = values.get(latest.label), values.get(previous.label)
        if {latest.label, previous.label} & result.status.unusable:  # no arrow on an incomplete period
            before = None
        change = None if small or now is None or before is None else _pct(float(now), float(before))
        direction = trend(change, TREND_THRESHOLD)
        now_text = "x" if small else ("–" if now is None else show(measure, now))
        meets = (
            None
            if small or now is None
            else (now >= kpi.target if kpi.higher_is_better else now <= kpi.target)
        )
        target_text = show(measure, kpi.target)
        change_text = "" if change is None else ("+" if change > 0 else "") + dutch_decimal(change, 1) + " %"
        spoken = f"{kpi.title}: {now_text} in {latest.label}, streefwaarde {target_text}" + (
            "" if meets is None else (", gehaald." if meets else ", niet gehaald.")
        )
        out.append(
            KeyFigure(
                f"{kpi.title} ({latest.label})", now_text, "x" if small else ("–" if before is None else show(measure, before)),
                change_text, direction, spoken, target_text=target_text, meets_target=meets,
                value=None if small else now, previous=None if small else before, change=change, measure=measure,
            )
        )  # fmt: skip
    return out


# --- clients and flows ------------------------------------------------------------------------------------


def _filter_page_context(dash: Dashboard, filters: Filters, choices: Choices) -> dict[str, Any]:
    return {
        "filters": filters,
        "choices": choices,
        "grains": GRAIN_NAMES,
        "filter_dimensions": choices.filters(),
        "breakdowns": choices.breakdowns(),
        "parameter_of": {d.column: d.parameter for d in (*choices.filters(), *choices.breakdowns())},
        "breakdown_options": [(d.parameter, d.label) for d in choices.breakdowns()],
    }


def _display(result: MetricResult, filters: Filters) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The selected rows without the filtered columns (they hold one value each)."""
    rows = filters.select(result.columns, result.rows)
    dropped = {result.columns.index(c) for c, _ in filters.values if c != filters.breakdown}
    keep = [i for i in range(len(result.columns)) if i not in dropped]
    return [result.columns[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]


def drill_link(filters: Filters, period: Period, extra: tuple[tuple[str, str], ...] = ()) -> str:
    """The drill-down URL behind the clients figure of ``period`` on a page with ``filters``.

    It keeps the page's date range (``van``/``tot``): with age columns the figure depends on it (a
    client's earliest birth date on the allocations in that range), and the drill-down must agree.
    """
    from urllib.parse import urlencode

    base = replace(filters, values=(), breakdown=None)
    pairs = [(BY_COLUMN[c].parameter, v) for c, v in (*filters.values, *extra)]
    return f"/details?{base.query()}&{urlencode([('cel', period.label), *pairs])}"


def clients(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Clients, inflow and outflow per period, with filters and an optional breakdown."""
    defaults = dash.default_filters()
    if defaults is None:
        return _no_data("clienten", "Cliënten en stromen")
    choices = dash.choices()
    filters = parse_filters(params, choices, defaults)
    policy = _policy(dash, viewer)
    by_label = {p.label: p for p in filters.periods()}
    counted = dash.figures.metric(filters.request("clients", choices, growth=True, threshold=TREND_THRESHOLD))
    columns, rows = _display(counted, filters)
    columns, rows = _without(columns, rows, "long_trend")
    labels = 2 if filters.breakdown else 1
    links: list[str | None] = []
    if viewer.may_drill:
        for row in rows:
            extra = ((filters.breakdown, str(row[1])),) if filters.breakdown else ()
            links.append(drill_link(filters, by_label[str(row[0])], extra))
    clients_table = build_table(
        TableSpec("clienten", "Unieke cliënten", columns, rows, labels=labels, labeller=dash.label,
                  status=counted.status, row_links=links, links_header="Details",
                  note="Verandering ten opzichte van de vorige periode; de pijl wijst omhoog of omlaag bij meer "
                       f"dan {dutch_decimal(TREND_THRESHOLD, 0)} %."),
        policy,
    )  # fmt: skip
    flowed = dash.figures.metric(filters.request("flows", choices))
    flow_columns, flow_rows = _display(flowed, filters)
    flows_table = build_table(
        TableSpec("stromen", "Instroom en uitstroom (episodes)", flow_columns, flow_rows, labels=labels,
                  labeller=dash.label, status=flowed.status,
                  note="Instroom: episodes die in de periode beginnen; uitstroom: episodes die erin eindigen; "
                       "een verlenging aansluitend op de vorige toewijzing telt niet mee. Onvolledig: te kort "
                       "na het begin van de gegevens om nieuwe van doorlopende ondersteuning te onderscheiden "
                       "(nooit de basis van een trendpijl)."),
        policy,
    )  # fmt: skip
    page = Page(
        "clienten", "clients.html.j2", "Cliënten en stromen", selection=filters.describe(choices),
        tables={"clienten": clients_table, "stromen": flows_table}, query=filters.query(),
        context=_filter_page_context(dash, filters, choices),
    )  # fmt: skip
    grain_title = {"month": "Maand", "quarter": "Kwartaal", "half": "Halfjaar", "year": "Jaar"}[
        filters.grain.value
    ]
    points = [
        Point(str(row[0].value), row[1].text if filters.breakdown else "Cliënten", value)
        for r, row in enumerate(clients_table.rows)
        if (value := _shown_value(clients_table, r, "clients")) is not None
    ]
    svg = charts.line_chart("Unieke cliënten", points, x_title=grain_title, y_title="Cliënten",
                            hidden=clients_table.hidden_count, threshold=clients_table.threshold)  # fmt: skip
    if svg:
        page.charts.append(Chart("Unieke cliënten", svg, "clienten"))
    if filters.breakdown:
        flow_points = [
            Point(str(row[0].value), row[1].text, value)
            for r, row in enumerate(flows_table.rows)
            if (value := _shown_value(flows_table, r, "inflow")) is not None
        ]
        svg = charts.line_chart("Instroom (episodes)", flow_points, x_title=grain_title, y_title="Instroom",
                                hidden=flows_table.hidden_count, threshold=flows_table.threshold)  # fmt: skip
    else:
        flow_points = [
            Point(str(row[0].value), name, value)
            for r, row in enumerate(flows_table.rows)
            for column, name in (("inflow", "Instroom"), ("outflow", "Uitstroom"))
            if (value := _shown_value(flows_table, r, column)) is not None
        ]
        make = charts.bar_chart if len(flows_table.rows) <= 24 else charts.line_chart
        svg = make("Instroom en uitstroom (episodes)", flow_points, x_title=grain_title, y_title="Episodes",
                   hidden=flows_table.hidden_count, threshold=flows_table.threshold)  # fmt: skip
    if svg:
        page.charts.append(Chart("Instroom en uitstroom", svg, "stromen"))
    return page


def _without(
    columns: Sequence[str], rows: Sequence[tuple[Any, ...]], name: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    if name not in columns:
        return list(columns), list(rows)
    at = list(columns).index(name)
    return [c for i, c in enumerate(columns) if i != at], [
        tuple(v for i, v in enumerate(r) if i != at) for r in rows
    ]


# --- providers --------------------------------------------------------------------------------------------


def _period_and_law(
    dash: Dashboard, params: Mapping[str, str], grains: Sequence[Grain]
) -> tuple[Period, Filters]:
    allowed = [p for grain in grains for p in dash.periods(grain)]
    latest = dash.latest(grains[0])
    assert latest is not None
    period = parse_period(params.get("periode"), allowed, latest)
    choices = dash.choices()
    law_only = {k: v for k, v in params.items() if k == "wet"}
    filters = parse_filters(
        law_only, choices, Filters(period.first, period.last, Grain.HALF), allow_breakdown=False
    )
    return period, filters


def providers(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Per provider: clients and growth, outflow rate, and the duration of episodes that started that year."""
    if dash.data_range() is None:
        return _no_data("aanbieders", "Aanbieders")
    period, filters = _period_and_law(dash, params, [Grain.HALF])
    choices = dash.choices()
    policy = _policy(dash, viewer)
    previous = period_of(period.first - _one_day(), Grain.HALF)
    by = (*(c for c, _ in filters.values), "provider")
    law = filters.value("law")

    def pick(result: MetricResult, label: str) -> dict[str, tuple[Any, ...]]:
        rows = filters.select(result.columns, result.rows)
        at = result.columns.index("provider")
        return {str(row[at]): row for row in rows if str(row[0]) == label}

    counted = dash.figures.metric(
        MetricRequest("clients", grain="half", start=previous.first, end=period.last, by=by, growth=True,
                      threshold=TREND_THRESHOLD)
    )  # fmt: skip
    rates = dash.figures.metric(
        MetricRequest("outflow_rate", grain="half", start=period.first, end=period.last, by=by)
    )
    year = period_of(period.first, Grain.YEAR)
    durations = dash.figures.metric(
        MetricRequest("duration", grain="year", start=year.first, end=year.last, by=by)
    )
    now, rate, duration = pick(counted, period.label), pick(rates, period.label), pick(durations, year.label)
    names = dash.provider_names()
    types = dash.memo("provider_types", lambda: dash.figures.read(inventory.provider_types))
    cc, rc, dc = counted.columns, rates.columns, durations.columns

    def order(code: str) -> tuple[float, str]:
        """Most clients first; for viewers by the published value (hidden ones alike), then by name."""
        clients = now.get(code, (0,) * len(cc))[cc.index("clients")] or 0
        if policy is not None:
            clients = 0.5 if 0 < clients < policy.threshold else _rounded_count(clients, policy)
            return (-clients, names.get(code, code).lower())
        return (-clients, "")

    rows = []
    for code in sorted(set(now) | set(rate), key=order):
        n, r, d = now.get(code), rate.get(code), duration.get(code)
        rows.append((
            names.get(code, code), code, types.get(code, "onbekend").replace("_", " "),
            n[cc.index("clients")] if n else 0, n[cc.index("previous")] if n else None,
            n[cc.index("change_pct")] if n else None,
            r[rc.index("outflow_clients")] if r else 0, r[rc.index("outflow_rate")] if r else None,
            d[dc.index("episodes")] if d else 0, d[dc.index("median_months")] if d else None,
        ))  # fmt: skip
    columns = ("provider_name", "provider", "provider_type", "clients", "previous", "change_pct", "outflow_clients",
               "outflow_rate", "episodes", "median_months")  # fmt: skip
    table = build_table(
        TableSpec("aanbieders", f"Aanbieders {period.label}" + (f", {LAW_LABELS[law]}" if law else ""), columns,
                  rows, labels=3, labeller=lambda c, v: str(v), status=counted.status, period=period.label,
                  derived_from={"change_pct": ("clients", "previous"), "outflow_rate": ("clients", "outflow_clients"),
                                "median_months": ("episodes",)},
                  note=f"Cliënten in {period.label} en verandering ten opzichte van {previous.label}; "
                       "uitstroom: cliënten van wie de laatste episode bij de aanbieder in de periode eindigde; "
                       f"duur: mediane duur in maanden van beëindigde episodes die in {year.label} begonnen."),
        policy,
    )  # fmt: skip
    table = replace(table, headers=tuple(
        {"provider": "AGB-code", "episodes": f"Beëindigde episodes (start {year.label})",
         "median_months": "Mediane duur (maanden)"}.get(c, h) for c, h in zip(table.columns, table.headers, strict=True)
    ))  # fmt: skip
    halves = dash.periods(Grain.HALF)
    return Page(
        "aanbieders", "providers.html.j2", "Aanbieders",
        selection=f"{period.label}" + (f"; Wet: {LAW_LABELS[law]}" if law else ""),
        tables={"aanbieders": table}, query=_query(periode=period.label, wet=law),
        context={"period": period, "period_options": [(p.label, p.label) for p in reversed(halves)], "law": law,
                 "choices": choices},
    )  # fmt: skip


def _query(**values: str | None) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, v in values.items() if v])


# --- profile ----------------------------------------------------------------------------------------------


def profile(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Age bands, sex and mean age, stacking of support, and transitions from the Jeugdwet at 18."""
    if dash.data_range() is None:
        return _no_data("profiel", "Profiel")
    period, filters = _period_and_law(dash, params, [Grain.YEAR, Grain.HALF])
    grain = "year" if period.label.isdigit() else "half"
    choices = dash.choices()
    policy = _policy(dash, viewer)
    law = filters.value("law")
    by = tuple(c for c, _ in filters.values)

    def request(name: str, extra: tuple[str, ...] = (), bands: AgeBands | None = None) -> MetricRequest:
        return MetricRequest(name, grain=grain, start=period.first, end=period.last, by=(*by, *extra),
                             age_bands=bands or AgeBands())  # fmt: skip

    def selected(result: MetricResult) -> tuple[list[str], list[tuple[Any, ...]]]:
        return _display(result, replace(filters, breakdown=None))

    tables: dict[str, Table] = {}
    page_charts: list[Chart] = []
    # clients, mean age and sex (a client's sex is one value: men + women + unknown = clients)
    profiled = dash.figures.metric(request("profile"))
    columns, rows = selected(profiled)
    sex = build_table(
        TableSpec("geslacht", "Cliënten, gemiddelde leeftijd en geslacht", columns, rows, status=profiled.status,
                  parts_of={"clients": ("men", "women", "sex_unknown")},
                  derived_from={"mean_age": ("clients",)}),
        policy,
    )  # fmt: skip
    tables["geslacht"] = sex
    total_clients = rows[0][columns.index("clients")] if rows else 0
    # age bands: each client has one age, so the bands add up to the clients
    aged = dash.figures.metric(request("clients", ("age_band",), PROFILE_AGE_BANDS))
    columns, rows = selected(aged)
    columns, rows = columns[1:], [row[1:] for row in rows]
    ages = build_table(
        TableSpec("leeftijd", "Cliënten naar leeftijd", columns, rows, total=("Totaal", total_clients),
                  status=aged.status, period=period.label,
                  note="Leeftijd op de laatste dag van de periode."),
        policy,
    )  # fmt: skip
    tables["leeftijd"] = ages
    points = [Point(row[0].text, "Cliënten", v) for r, row in enumerate(ages.rows[:-1])
              if (v := _shown_value(ages, r, "clients")) is not None]  # fmt: skip
    if svg := charts.bar_chart("Cliënten naar leeftijd", points, x_title="Leeftijd", y_title="Cliënten",
                               hidden=ages.hidden_count, threshold=ages.threshold):  # fmt: skip
        page_charts.append(Chart("Cliënten naar leeftijd", svg, "leeftijd"))
    # stacking: clients by the number of forms of support (adds up to the clients)
    stacked = dash.figures.metric(request("stacking"))
    columns, rows = selected(stacked)
    columns, rows = columns[1:], [row[1:] for row in rows]
    stacking = build_table(
        TableSpec("stapeling", "Stapeling: cliënten naar aantal vormen van ondersteuning", columns, rows,
                  status=stacked.status, period=period.label,
                  total=("Totaal", sum(r[1] for r in rows)),
                  note="Vormen: de CBS-indeling van productgroepen, over de wetten heen."),
        policy,
    )  # fmt: skip
    tables["stapeling"] = stacking
    combined = dash.figures.metric(request("stacking_combinations"))
    columns, rows = selected(combined)
    columns, rows = columns[1:], [row[1:] for row in rows][:15]
    tables["combinaties"] = build_table(
        TableSpec("combinaties", "Meest voorkomende combinaties", columns, rows, labels=0,
                  status=combined.status, period=period.label,
                  note="De vijftien meest voorkomende combinaties van vormen van ondersteuning."),
        policy,
    )  # fmt: skip
    # transitions at 18, per year over the whole range (about clients as a whole: no law filter)
    covered = dash.data_range()
    assert covered is not None
    years = dash.periods(Grain.YEAR)
    transitions = dash.figures.metric(
        MetricRequest("transitions_18", grain="year", start=years[0].first, end=years[-1].last)
    )
    tables["overgang18"] = build_table(
        TableSpec("overgang18", "Overgang van Jeugdwet naar Wmo rond 18 jaar", transitions.columns,
                  transitions.rows, derived_from={"share": ("turned_18", "with_wmo")}, status=transitions.status,
                  note="Jongeren van wie de Jeugdwet-ondersteuning binnen zes maanden rond hun 18e verjaardag "
                       "eindigde, en hoeveel van hen binnen zes maanden daarna Wmo-ondersteuning hadden; per "
                       "jaar van de 18e verjaardag, voor alle wetten samen."),
        policy,
    )  # fmt: skip
    tr = tables["overgang18"]
    points = [Point(str(row[0].value), "Aandeel met Wmo", v * 100) for r, row in enumerate(tr.rows)
              if (v := _shown_value(tr, r, "share")) is not None]  # fmt: skip
    if svg := charts.line_chart("Aandeel met Wmo na de overgang op 18 (%)", points, x_title="Jaar",
                                y_title="Procent", hidden=tr.hidden_count, threshold=tr.threshold):  # fmt: skip
        page_charts.append(Chart("Overgang op 18", svg, "overgang18"))
    periods = [*reversed(dash.periods(Grain.YEAR)), *reversed(dash.periods(Grain.HALF))]
    return Page(
        "profiel", "profile.html.j2", "Profiel", selection=period.label + (f"; Wet: {LAW_LABELS[law]}" if law else ""),
        tables=tables, charts=page_charts, query=_query(periode=period.label, wet=law),
        context={"period": period, "period_options": [(p.label, p.label) for p in periods], "law": law,
                 "choices": choices},
    )  # fmt: skip


# --- drill-down -------------------------------------------------------------------------------------------

DRILL_EXTRA = (Dimension("leeftijd", "age_band", "Leeftijdsklasse"), Dimension("geslacht", "sex", "Geslacht"))


def details(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The pseudonymised allocations behind a clients figure of one period (analysts and admins)."""
    from sdmonitor.domain.periods import MONTHS_PER
    from sdmonitor.web.drilldown import client_rows

    defaults = dash.default_filters()
    if defaults is None:
        return _no_data("details", "Details")
    choices = dash.choices()
    filters = parse_filters(params, choices, defaults, allow_breakdown=False)
    period = parse_period(params.get("cel"), filters.periods(), filters.periods()[-1])
    extra = []
    for dimension in DRILL_EXTRA:
        value = params.get(dimension.parameter)
        if value:
            allowed = AgeBands().labels() if dimension.column == "age_band" else choices.values("sex")
            if value not in allowed:
                raise InputError(f"Onbekende waarde '{value}' voor {dimension.label.lower()}.")
            extra.append((dimension.column, value))
    values = (*filters.values, *extra)
    segments = dash.settings.segments if any(c == "segment" for c, _ in values) else ()
    with dash.figures.cursor() as cursor:
        whole = (filters.periods()[0].first, filters.periods()[-1].last)  # the metric counts whole periods
        found = client_rows(cursor, period, tuple(values), whole, bands=AgeBands(),
                            segments=segments, months_per_slot=MONTHS_PER[filters.grain])  # fmt: skip
    # the figure on the clients page for the same selection, to show that they agree
    request = MetricRequest("clients", grain=filters.grain.value, start=filters.start, end=filters.end,
                            by=tuple(c for c, _ in values), segments=segments)  # fmt: skip
    figure = dash.figures.metric(request)
    matching = [r for r in figure.rows
                if r[0] == period.label and all(r[1 + i] == v for i, (_, v) in enumerate(values))]  # fmt: skip
    figure_value = matching[0][-1] if matching else 0
    limit = dash.settings.drilldown_limit
    table = build_table(
        TableSpec("details", "Toewijzingen achter het cijfer", found.columns, found.rows, labels=len(found.columns),
                  labeller=lambda c, v: LAW_LABELS.get(str(v), str(v)) if c == "law" else
                  (v.strftime("%d-%m-%Y") if isinstance(v, date) else str(v))),
        None,
    )  # fmt: skip
    described = "; ".join([period.label, *(f"{BY_COLUMN.get(c, DRILL_EXTRA[0] if c == 'age_band' else DRILL_EXTRA[1]).label}: "
                                           f"{dash.label(c, v)}" for c, v in values)])  # fmt: skip
    from urllib.parse import urlencode

    query = urlencode([(k, v) for k, v in params.items() if k in {"van", "tot", "periode", *(
        d.parameter for d in (*choices.filters(), *DRILL_EXTRA)), "cel"}])  # fmt: skip
    return Page(
        "details", "details.html.j2", "Details op cliëntniveau", selection=described,
        tables={"details": table}, query=query,
        context={"period": period, "clients": found.clients, "figure": figure_value, "limit": limit,
                 "shown": min(limit, len(table.rows)), "total_rows": len(table.rows), "described": described,
                 "shown_table": replace(table, rows=table.rows[:limit])},
    )  # fmt: skip


# --- definitions, data, editions --------------------------------------------------------------------------


def definitions(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """The metric catalogue and the dimensions, in Dutch: each metric with its measures as declared."""
    from sdmonitor.metrics.catalogue import describe

    return Page(
        "definities", "definitions.html.j2", "Definities",
        context={"catalogue": list(CATALOGUE.values()), "header": header, "describe": describe,
                 "threshold": dash.settings.threshold,
                 "dimensions": [*dash.choices().filters(), *DRILL_EXTRA]},
    )  # fmt: skip


def data(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Loads with their counts, the reasons rows were rejected or warned, and unknown codes in the figures."""
    loads = [
        (
            r.load_id,
            r.loaded_at.strftime("%d-%m-%Y %H:%M"),
            r.kind,
            r.source,
            r.file_name,
            r.rows_read,
            r.rows_loaded,
            r.rows_unchanged,
            r.rows_duplicate,
            r.rows_rejected,
            r.rows_warned,
        )
        for r in reversed(dash.figures.read(inventory.list_loads))
    ]
    load_table = build_table(
        TableSpec("laadacties", "Laadacties", ("loads", "loaded_at", "kind", "source", "file_name", "rows_read",
                  "rows_loaded", "rows_unchanged", "rows_duplicate", "rows_rejected", "rows_warned"),
                  loads, labels=5,
                  labeller=lambda c, v: str(v)),
        None,
    )  # fmt: skip
    load_table = replace(load_table, headers=("Nr.", "Geladen op", "Soort", "Bron", "Bestand", "Gelezen", "Geladen",
                                              "Ongewijzigd", "Dubbel", "Afgewezen", "Met waarschuwing"))  # fmt: skip
    issues = [(i.load_id, i.severity, i.code, i.rows) for i in dash.figures.read(inventory.load_issue_counts)]
    issue_table = build_table(
        TableSpec("meldingen", "Afgewezen rijen en waarschuwingen per reden", ("loads", "severity", "code", "rows"),
                  issues, labels=3, labeller=lambda c, v: str(v)),
        None,
    )  # fmt: skip
    issue_table = replace(issue_table, headers=("Laadactie", "Ernst", "Reden", "Rijen"))
    unknown_rows: list[tuple[Any, ...]] = []
    covered = dash.data_range()
    if covered is not None:
        columns = ("cbs_group", "provider_type", "wijk")
        result = dash.figures.metric(
            MetricRequest("allocations", grain="year", start=covered.first, end=covered.last, by=columns)
        )
        per_year: dict[str, list[int]] = {}
        for row in result.rows:
            counts = per_year.setdefault(str(row[0]), [0, 0, 0, 0])
            counts[3] += row[-1]
            for i in range(3):
                if row[1 + i] == "onbekend":
                    counts[i] += row[-1]
        unknown_rows = [(year, *counts) for year, counts in per_year.items()]
    unknown = build_table(
        TableSpec("onbekend", "Lopende toewijzingen met onbekende codes", ("year", "cbs_group", "provider_type",
                  "wijk", "allocations"), unknown_rows, labeller=lambda c, v: str(v)),
        None,
    )  # fmt: skip
    unknown = replace(unknown, headers=("Jaar", "Productgroep onbekend", "Aanbieder niet in aanbiederslijst",
                                        "Postcode niet in wijkindeling", "Toewijzingen"))  # fmt: skip
    return Page(
        "gegevens",
        "data.html.j2",
        "Gegevens",
        tables={"laadacties": load_table, "meldingen": issue_table, "onbekend": unknown},
    )


def editions(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Report editions: files to download and what changed against the previous edition."""
    from sdmonitor.reports.editions import list_editions

    with dash.figures.cursor() as cursor:
        every = list_editions(cursor)
    threshold = dash.settings.threshold
    found = [edition for edition in every if viewer.may_download(edition, threshold)]
    context = {"editions": found, "withheld": len(every) - len(found), "min_count": threshold}
    return Page("edities", "editions.html.j2", "Rapportedities", context=context)


def warm_up(dash: Dashboard) -> None:
    """Compute the default pages once, so that their figures and charts are ready for the first visitors."""
    from sdmonitor.web.auth import Role
    from sdmonitor.web.store import User

    for role in (Role.ANALYST, Role.VIEWER):  # the figures once; the viewer's hidden cells give other charts
        someone = Viewer(User(0, "warm-up", role, "", 0, None, None))  # type: ignore[arg-type]
        for builder in (overview, clients, providers, profile):
            builder(dash, someone, {})


BUILDERS: dict[str, Callable[[Dashboard, Viewer, Mapping[str, str]], Page]] = {
    "overzicht": overview,
    "clienten": clients,
    "aanbieders": providers,
    "profiel": profile,
    "details": details,
    "definities": definitions,
    "gegevens": data,
    "edities": editions,
}
