"""What every page shares: its declaration, the built page, its charts, and small helpers of the builders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from sdmonitor.domain.periods import Grain, Period, period_of
from sdmonitor.domain.wording import law_name
from sdmonitor.metrics import MetricResult
from sdmonitor.metrics.catalogue import header
from sdmonitor.reports.suppression import Policy, round_to_five
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.filters import Choices, Filters, parse_filters, parse_period
from sdmonitor.web.tables import Table

TREND_THRESHOLD = 5.0
ONE_DAY = timedelta(days=1)


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


Builder = Callable[[Dashboard, Viewer, Mapping[str, str]], Page]


@dataclass(frozen=True)
class PageDeclaration:
    """A dashboard page, declared once in its own module of ``web/pages/`` as ``PAGE``; the pages are found
    there (``web/pages/__init__.py``), and the menu, the roles, the routes, the downloads, the page cache and
    the warm-up all derive from them.

    ``build`` takes the dashboard, the viewer and the query parameters and returns the page's tables, charts
    and template context; the same page serves the download of each of its tables.
    """

    name: str  # the page's key: in download addresses (/download/<name>/<table>.csv) and the caches
    path: str  # its address: "/aanbieders"
    nav_label: str | None  # its entry in the menu; None: reached by links only
    role: Role  # the least role that may open it (and download its tables)
    build: Builder
    order: int  # its place among the pages, in the menu: lower first (the overview is 10, the next 20, ...)
    cached: bool = False  # content depends only on the query and the kind of viewer: kept once built
    warm_up: bool = False  # built at start-up, so that the first visitors do not wait
    drilldown: bool = False  # shows client-level rows: opening and downloads are audited as drill-down
    downloads: bool = True  # its tables can be downloaded
    download_build: Builder | None = None  # builds the downloaded tables when they are not the shown ones
    # the kinds of data its figures read (``loads.kind``, ``domain.wording.SOURCE_NAMES``): the footer's
    # 'Cijfers uit: ...' names those of them that are loaded; None: every loaded source
    sources: tuple[str, ...] | None = None


def policy_of(dash: Dashboard, viewer: Viewer) -> Policy | None:
    """The privacy rule of the viewer's tables at the dashboard's threshold (None: exact figures)."""
    return viewer.policy(dash.settings.threshold)


def no_data(name: str, title: str) -> Page:
    """The page shown instead of ``name`` while the warehouse holds no allocations: a Dutch note."""
    return Page(name, "empty.html.j2", title)


def shown_value(table: Table, row: int, column: str) -> float | None:
    """The value of a cell as drawn in a chart: None when hidden or empty."""
    if column not in table.columns:
        return None
    cell = table.rows[row][table.columns.index(column)]
    return None if cell.hidden or not isinstance(cell.value, int | float) else float(cell.value)


def rounded_count(value: Any, policy: Policy) -> Any:
    """A count as a viewer sees it: small ones stay (they are shown as '< 5'), the others rounded to fives."""
    if isinstance(value, int) and not isinstance(value, bool) and not 0 < value < policy.threshold:
        return round_to_five(value)
    return value


def period_before(period: Period, grain: Grain) -> Period:
    """The period of ``grain`` that ends the day before ``period`` starts."""
    return period_of(period.first - ONE_DAY, grain)


def displayed(result: MetricResult, filters: Filters) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The selected rows without the filtered columns (they hold one value each)."""
    rows = filters.select(result.columns, result.rows)
    dropped = {result.columns.index(c) for c, _ in filters.values if c != filters.breakdown}
    keep = [i for i in range(len(result.columns)) if i not in dropped]
    return [result.columns[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]


def without(
    columns: Sequence[str], rows: Sequence[tuple[Any, ...]], name: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The table without the column ``name`` (if it has one)."""
    if name not in columns:
        return list(columns), list(rows)
    at = list(columns).index(name)
    keep = [i for i in range(len(columns)) if i != at]
    return [columns[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]


def period_and_law(
    dash: Dashboard, params: Mapping[str, str], grains: Sequence[Grain], choices: Choices | None = None
) -> tuple[Period, Filters] | None:
    """The period (``?periode=``, one of ``grains``; by default the latest of the first) and the law filter
    (``?wet=``, one of the laws of ``choices``; by default ``dash.choices()``) of a page that shows one
    period; None while the warehouse holds no data."""
    latest = dash.latest(grains[0])
    if latest is None:
        return None
    allowed = [p for grain in grains for p in dash.periods(grain)]
    period = parse_period(params.get("periode"), allowed, latest)
    law_only = {k: v for k, v in params.items() if k == "wet"}
    filters = parse_filters(
        law_only,
        choices or dash.choices(),
        Filters(period.first, period.last, Grain.HALF),
        allow_breakdown=False,
    )
    return period, filters


def query_string(**values: str | None) -> str:
    """A query string of the values that are set: ``query_string(periode="2024-H1", wet=None)``."""
    return urlencode([(k, v) for k, v in values.items() if v])


def law_selection(period: Period, law: str | None) -> str:
    """The selection of a one-period page in words: '2024-H1; Wet: Jeugdwet'."""
    return period.label + (f"; {header('law')}: {law_name(law)}" if law else "")
