"""Running a metric: request -> slots -> Ibis query -> rows in a stable order."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import ibis
import ibis.backends.duckdb  # the backend of every metric: loaded with them, not at the first query

from sdmonitor.domain.dates import format_dutch
from sdmonitor.domain.formatting import dutch_decimal
from sdmonitor.domain.periods import MONTHS_PER, Grain, Period, cut, period_of
from sdmonitor.errors import InputError
from sdmonitor.metrics import access, benefits, clients, compare, costs, engine, utilisation
from sdmonitor.metrics.catalogue import (
    ALLOCATION_VOLUMES,
    ALLOCATIONS,
    BENEFITS,
    CARE,
    CATALOGUE,
    DECLARATIONS,
    MEASURES,
    OPTIONS,
    REINTEGRATION,
    REQUESTS,
    Metric,
    durations_back,
)
from sdmonitor.metrics.compile import price_columns, with_derived, with_prices
from sdmonitor.metrics.dimensions import VALUE_ORDER, AgeBands, Segment, check_by
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.allocations import data_window
from sdmonitor.warehouse.benefits import benefit_window
from sdmonitor.warehouse.inventory import data_moment

STATUS_COLUMN = "status"
PLANNED = "gepland"
INCOMPLETE = "onvolledig"


class OptionValues(Mapping[str, Any]):
    """The values of a request's metric options (names in ``catalogue.OPTIONS``): immutable and hashable, so
    that a request is a cache key. A value equal to the default is left out, so that the same request is
    equal however it is written; the default is the metric's own (``defaults``, ``Metric.defaults``: 30 days
    for ``--max-gap-days`` of ``benefit_flows``) or else the declared one. An undeclared name is a TypeError."""

    def __init__(
        self, values: Mapping[str, Any] | None = None, defaults: Mapping[str, Any] | None = None
    ) -> None:
        given = dict(values or {})
        unknown = sorted(set(given) - set(OPTIONS))
        if unknown:
            raise TypeError(f"undeclared metric option(s): {', '.join(unknown)}")
        own = dict(defaults or {})
        self._values = {n: v for n, v in sorted(given.items()) if v != own.get(n, OPTIONS[n].default)}

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(tuple(self._values.items()))

    def __repr__(self) -> str:
        return f"OptionValues({self._values!r})"


@dataclass(frozen=True)
class MetricRequest:
    """What to compute: the metric, the periods (``grain`` over ``start..end``) or dates (``on``), groups, and
    the values of metric options (``options``: name -> value, the declared default for the others)."""

    name: str
    grain: str = "half"
    start: date | None = None
    end: date | None = None
    on: tuple[date, ...] = ()
    by: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=OptionValues)
    as_of: date | datetime | None = None  # a date: known at the end of that day; a moment: known then
    growth: bool = False
    threshold: float = 5.0
    per_1000: bool = False
    per_10000: bool = False  # the metric's Metric.per_10000 rate (BBV): benefits, reintegration
    age_bands: AgeBands = field(default_factory=AgeBands)
    segments: tuple[Segment, ...] = ()
    planned: bool = False  # count planned ends and starts as if they happened (labelled 'gepland')
    history_from: date | None = None  # the start of the history; default: the earliest start in the data

    def __post_init__(self) -> None:
        if not isinstance(self.options, OptionValues):
            object.__setattr__(self, "options", OptionValues(self.options, _own_defaults(self.name)))

    def option(self, name: str) -> Any:
        """The value of a declared option: the request's, or the metric's default (``Metric.default``)."""
        metric = CATALOGUE.get(self.name)
        return self.options.get(name, OPTIONS[name].default if metric is None else metric.default(name))


def _own_defaults(name: str) -> dict[str, Any]:
    metric = CATALOGUE.get(name)
    return {} if metric is None else dict(metric.defaults)


@dataclass(frozen=True)
class DataStatus:
    """What a result's figures can claim: realised up to the data ``moment``, or planned; which periods are
    incomplete (their history window is too short) and which end after the moment (``partial``)."""

    moment: date | None = None  # None: no loads, nothing censored
    history_start: date | None = None
    planned: bool = False
    incomplete: frozenset[str] = frozenset()  # labels of the periods (or dates)
    partial: frozenset[str] = frozenset()
    # costs and utilisation: the periods 'onvolledig' because late declarations are expected, with their
    # expected completeness (None without submission dates: the fallback rule)
    late: tuple[tuple[str, float | None], ...] = ()

    def of(self, label: str) -> str:
        """The status text of one period: '', 'onvolledig', 't/m 10-07-2018', 'gepland' (joined by ', ')."""
        notes = []
        if self.planned:
            notes.append(PLANNED)
        if label in self.incomplete:
            notes.append(INCOMPLETE)
        if label in self.partial and self.moment is not None and not self.planned:
            notes.append(f"t/m {format_dutch(self.moment)}")
        return ", ".join(notes)

    def late_note(self) -> str:
        """The Dutch explanation of the periods that miss late declarations ('' when there are none)."""
        if not self.late:
            return ""
        if any(share is None for _, share in self.late):
            return (
                f"'onvolledig' = nog niet alle declaraties binnen ({', '.join(label for label, _ in self.late)}; "
                "geen indieningsdatums bekend: de laatste twee afgesloten maanden voor het datamoment gelden "
                "als onvolledig)."
            )
        shares = ", ".join(
            f"{label} {dutch_decimal(100 * (share or 0.0), 1)} %" for label, share in self.late
        )
        return f"'onvolledig' = nog niet alle declaraties binnen (naar verwachting compleet: {shares})."

    @property
    def unusable(self) -> frozenset[str]:
        """Periods that are no base for a comparison or a trend arrow (incomplete or partial)."""
        return self.incomplete | self.partial


@dataclass(frozen=True)
class MetricResult:
    """A metric's table: ``columns`` (period or date, the ``--by`` columns, the measures) and ``rows``."""

    metric: Metric
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    expression: Any  # the Ibis expression; sql() compiles it
    status: DataStatus = field(default_factory=DataStatus)
    prices: costs.PriceBasis | None = None  # --prices: the series and index figures the corrected columns use
    notes: tuple[str, ...] = ()  # Dutch: what the rates used (a population of an earlier year) or lack

    def sql(self) -> str:
        """The SQL that ran (DuckDB dialect)."""
        return show_sql(self.expression)

    def records(self) -> list[dict[str, Any]]:
        """The rows as mappings from column name to value, so that a reader writes ``row["clients"]`` rather
        than ``row[2]`` (the position of a measure depends on the ``--by`` columns)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def labelled(self) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """The table as output (CSV, JSON, XLSX, text): measures under their output names
        (``Measure.column``: ``paid_clients`` is ``clients`` in the costs contract) and the column ``status``
        added at the end (see ``DataStatus.of``)."""
        columns = tuple(MEASURES[c].output_name if c in MEASURES else c for c in self.columns)
        return (*columns, STATUS_COLUMN), [(*row, self.status.of(str(row[0]))) for row in self.rows]


def slots_of(metric: Metric, request: MetricRequest) -> tuple[Period, ...]:
    """The periods (or reference dates as one-day periods) a request asks for."""
    if request.on:
        if not metric.on_dates:
            raise InputError(f"--on hoort bij peildatum-cijfers (stock), niet bij '{metric.name}'.")
        return tuple(Period(d, d, d.isoformat()) for d in sorted(set(request.on)))
    if request.start is None or request.end is None:
        raise InputError(
            "Geef een periode met --from en --to" + (" of peildatums met --on." if metric.on_dates else ".")
        )
    try:
        grain = Grain(request.grain)
    except ValueError as exc:
        raise InputError(
            f"Onbekende --grain '{request.grain}'. Kies uit: {', '.join(g.value for g in Grain)}."
        ) from exc
    periods = cut(request.start, request.end, grain)
    if not periods:
        raise InputError("--to ligt voor --from.")
    if metric.only_dates:
        return tuple(Period(p.first, p.first, p.first.isoformat()) for p in periods)
    return tuple(periods)


class LatePeriodError(InputError):
    """A period (or reference date) after the data moment, asked without planned figures.

    The message names the CLI option; the dashboard, which has no such option, words it with ``web_text``.
    """

    def __init__(self, label: str, moment: date, latest: str | None, *, reference: bool) -> None:
        self.label, self.moment, self.latest, self.reference = label, moment, latest, reference
        super().__init__(
            f"{self._what()} ligt na het datamoment {format_dutch(moment)} (de datum van de export waarmee "
            "gerekend wordt): daarover is nog niets gerealiseerd. Kies een eerdere periode, laad een nieuwere "
            "export, of vraag geplande cijfers met --planned."
        )

    def _what(self) -> str:
        return f"{'Peildatum' if self.reference else 'Periode'} {self.label}"

    def web_text(self) -> str:
        """The refusal for the dashboard: the latest period with data, no command-line options."""
        latest = f" De laatste periode met gegevens is {self.latest}." if self.latest else ""
        return (
            f"{self._what()} ligt na het datamoment {format_dutch(self.moment)} (de datum van de export waarmee "
            "het dashboard rekent): daarover is nog niets gerealiseerd. Kies een "
            f"{'peildatum' if self.reference else 'periode'} tot en met {format_dutch(self.moment)}.{latest} "
            "Nieuwere cijfers komen er na het laden van een nieuwere export."
        )


def data_status(
    warehouse: Warehouse, metric: Metric, request: MetricRequest, slots: tuple[Period, ...]
) -> DataStatus:
    """The data moment and history start of the data in use, checked against the slots asked for.

    Refuses (InputError) a period that starts after the data moment, unless the request asks for planned
    figures.
    """
    cutoff = None if request.as_of is None else engine.as_of_cutoff(request.as_of)
    if metric.reads == DECLARATIONS:  # costs: the declaration sources' moment (no history window)
        moment, start = data_moment(warehouse, (DECLARATIONS,), cutoff), request.history_from
    elif metric.reads == REQUESTS:  # decision terms: the request sources' moment
        moment, start = data_moment(warehouse, (REQUESTS,), cutoff), request.history_from
        if metric.history and start is None:  # new requests look back: the earliest request known
            start = access.request_history_start(warehouse.ibis(), request.as_of)
    elif metric.reads in (BENEFITS, REINTEGRATION):  # the Participatiewet: its own loads and history
        window = benefit_window(warehouse, metric.reads, cutoff)
        moment, start = window.moment, request.history_from or window.history_start
    else:
        window = data_window(warehouse, cutoff)
        moment, start = window.moment, request.history_from or window.history_start
        if metric.reads == ALLOCATION_VOLUMES:  # utilisation combines allocations and declarations
            moment = data_moment(warehouse, (ALLOCATIONS, DECLARATIONS), cutoff)
        if metric.reads == CARE:  # waiting combines allocations and deliveries
            moment = data_moment(warehouse, (ALLOCATIONS, access.DELIVERIES), cutoff)
        if metric.with_benefits:  # clients of all three laws: allocations and benefits
            moment = data_moment(warehouse, (ALLOCATIONS, clients.BENEFIT_LOADS), cutoff)
    if moment is not None and not request.planned:
        late = [slot for slot in slots if slot.first > moment]
        if late:
            reference = slots[0].first == slots[0].last
            latest = None if reference or request.on else period_of(moment, Grain(request.grain)).label
            raise LatePeriodError(late[0].label, moment, latest, reference=reference)
    # a period that contains the data moment, its last day included, is partial ('t/m', issue 9: "a period
    # that contains the data moment is computed up to it and labelled as partial"), although an end on the
    # moment itself is realised (facts) and such a period is in fact counted whole; a reference date is not
    partial = frozenset(
        slot.label for slot in slots if moment is not None and slot.first <= moment <= slot.last != slot.first
    )
    incomplete = frozenset(
        slot.label for slot in slots if start is not None and is_incomplete(metric, request, slot, start)
    )
    missing: tuple[tuple[str, float | None], ...] = ()
    if metric.reads in (DECLARATIONS, ALLOCATION_VOLUMES) and moment is not None and not request.planned:
        missing = late_periods(warehouse, request, slots, moment, partial)
        incomplete |= {label for label, _ in missing}
    return DataStatus(moment, start, request.planned, incomplete, partial, missing)


def late_periods(
    warehouse: Warehouse,
    request: MetricRequest,
    slots: tuple[Period, ...],
    moment: date,
    partial: frozenset[str],
) -> tuple[tuple[str, float | None], ...]:
    """The periods of costs or utilisation that still miss late declarations (docs/metrics.md, "costs",
    "Late declarations"): expected less than 95 % complete at the data moment by the completion factors of
    the declarations as known (``costs.completeness``), with that expected share (None: no submission dates,
    the fallback rule). A period that contains the data moment is partial ('t/m') and not judged again."""
    judged = [slot for slot in slots if slot.label not in partial and slot.last <= moment]
    if not judged:
        return ()
    known = costs.completeness(warehouse.ibis(), request.as_of, moment)
    return tuple(
        (slot.label, known.of(slot.first, slot.last) if known.by_factors else None)
        for slot in judged
        if known.incomplete(slot.first, slot.last)
    )


def is_incomplete(metric: Metric, request: MetricRequest, slot: Period, history_start: date) -> bool:
    """Whether a history metric's slot lies too close after the start of the history to tell new from
    continuing support, or to look back far enough (``Metric.history``): whether the farthest look-back of
    the metric's options (``Option.looks_back``; without one, the day before the slot) lies before it. A metric
    that classes durations (``Metric.durations``) also while an episode below the top class on the slot's
    first day may have begun before it (``catalogue.durations_back``)."""
    durations = metric.durations
    if durations is not None and durations.applies(request.by):
        gap = request.option("max_gap_days")
        if durations_back(slot.first, gap, durations.top_months) < history_start:
            return True
    if not metric.history:
        return False
    earliest = slot.first - timedelta(days=1)
    for option in metric.declared_options:
        if option.looks_back is not None:
            earliest = min(earliest, option.looks_back(slot.first, request.option(option.name)))
    return earliest < history_start


def metric_of(name: str) -> Metric:
    """The declaration of a metric; InputError naming the metrics there are."""
    metric = CATALOGUE.get(name)
    if metric is None:
        raise InputError(f"Onbekend cijfer '{name}'. Kies uit: {', '.join(CATALOGUE)}.")
    return metric


def with_default_by(metric: Metric, request: MetricRequest) -> MetricRequest:
    """The request with the metric's default ``--by`` columns (``Metric.default_by``) when it asks for none."""
    if request.by or not metric.default_by:
        return request
    return replace(request, by=metric.default_by)


def check_request(metric: Metric, request: MetricRequest) -> None:
    """Refuse (InputError) what the metric's declaration does not take: a --by column, a negative gap."""
    if request.by and not metric.by:
        raise InputError(f"{metric.name} telt cliënten over alle groepen heen en kent geen --by.")
    check_by(request.by, metric.by)
    if "segment" in request.by and not request.segments:
        raise InputError("--by segment vraagt om een segmentenbestand (--segments).")
    if request.per_10000 and metric.per_10000 is None:
        rated = ", ".join(name for name, m in CATALOGUE.items() if m.per_10000 is not None)
        raise InputError(f"--per-10000 hoort bij {rated}, niet bij '{metric.name}'.")
    refusal = compare.per_1000_refusal(metric) if request.per_1000 else None
    if refusal is not None:
        raise InputError(refusal)
    for name, value in request.options.items():
        if OPTIONS[name].non_negative and value < 0:
            raise InputError(f"{OPTIONS[name].flag} mag niet negatief zijn.")


def build(
    warehouse: Warehouse, request: MetricRequest, status: DataStatus | None = None
) -> tuple[Metric, tuple[Period, ...], Any]:
    """The metric, its slots and the Ibis expression that computes it (realised up to the data moment of
    ``status``, unless the request asks for planned figures)."""
    metric, slots, expression, _ = build_priced(warehouse, request, status)
    return metric, slots, expression


def build_priced(
    warehouse: Warehouse, request: MetricRequest, status: DataStatus | None = None
) -> tuple[Metric, tuple[Period, ...], Any, costs.PriceBasis | None]:
    """``build``, and for ``--prices`` the price basis of the corrected columns (None without)."""
    metric = metric_of(request.name)
    request = with_default_by(metric, request)
    check_request(metric, request)
    slots = slots_of(metric, request)
    if status is None:
        status = data_status(warehouse, metric, request, slots)
    calendar = not (request.on or metric.only_dates)
    months = MONTHS_PER[Grain(request.grain)] if calendar else None
    options = {option.name: request.option(option.name) for option in metric.declared_options}
    carried = {name: value for name, value in options.items() if OPTIONS[name].scope}
    scope = engine.Scope(
        slots,
        request.by,
        request.age_bands,
        request.segments,
        months_per_slot=months,
        as_of=request.as_of,
        moment=status.moment,
        **carried,
    )
    moment = None if request.planned else status.moment
    arguments = {name: value for name, value in options.items() if name not in carried}
    basis = None
    if metric.reads == DECLARATIONS:
        t = costs.cost_facts(warehouse.ibis(), request.as_of, request.by, moment)
        # --prices YEAR --index SERIES become one argument: the factor of every delivery year asked
        year, series = arguments.pop("prices", 0), arguments.pop("index", costs.DEFAULT_INDEX)
        if year:
            years = range(slots[0].first.year, slots[-1].last.year + 1)
            basis = costs.price_basis(warehouse.ibis(), year, series, request.as_of, years)
        arguments["prices"] = basis
    elif metric.reads == REQUESTS:
        t = access.request_facts(warehouse.ibis(), request.as_of, moment)
    elif metric.reads == BENEFITS:  # one row per benefit and person (per benefit: benefits.READ_FACTS)
        facts = benefits.benefit_facts(warehouse.ibis(), request.as_of, moment, wijk="wijk" in request.by)
        t = facts if metric.query in benefits.READ_FACTS else benefits.benefit_persons(facts)
    elif metric.reads == REINTEGRATION:
        t = benefits.reintegration_facts(warehouse.ibis(), request.as_of, moment, wijk="wijk" in request.by)
    elif metric.reads == CARE:  # waiting: the query reads the deliveries and norms itself
        t = engine.facts(warehouse.ibis(), request.as_of, request.by, moment, carry=access.CARRY)
    elif metric.reads == ALLOCATION_VOLUMES:  # utilisation: planned end dates kept for totals
        t = utilisation.allocation_facts(warehouse.ibis(), request.as_of, request.by, moment)
    elif metric.with_benefits:  # persons on benefits are clients of law PW
        t = clients.client_facts(warehouse.ibis(), request.as_of, request.by, moment)
    else:
        t = engine.facts(warehouse.ibis(), request.as_of, request.by, moment)
    expression = with_derived(metric.query(t, scope, **arguments), metric)
    corrected: tuple[str, ...] = ()
    if basis is not None:
        expression = with_prices(expression, metric, basis.year)
        corrected = price_columns(metric, basis.year)
    return metric, slots, expression.select("slot", *request.by, *metric.measures, *corrected), basis


@dataclass
class _Pause:
    """The metric runs under way in any thread, and whether the collector was on before the first."""

    runs: int = 0
    was_enabled: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)


_PAUSE = _Pause()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a metric is built, compiled and read, and on again when
    the last run under way (of any thread) is done, unless it was off before.

    Building and compiling an Ibis expression makes tens of thousands of small objects that all stay in use
    until the query has run. Their number sets off collections that walk the objects of the whole process and
    free nothing: with the libraries of a command loaded, the first full one costs about 0.08 s, a fifth of
    ``benefits`` on 40 dates at national size (benchmarks/README.md). Reference counting still frees what is
    no longer used; cycles wait until after the run."""
    with _PAUSE.lock:
        if _PAUSE.runs == 0:
            _PAUSE.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSE.runs += 1
    try:
        yield
    finally:
        with _PAUSE.lock:
            _PAUSE.runs -= 1
            if _PAUSE.runs == 0 and _PAUSE.was_enabled:
                gc.enable()


def run_metric(warehouse: Warehouse, request: MetricRequest) -> MetricResult:
    """Compute a metric; rows sorted by period (or date), then by the ``--by`` columns."""
    with collection_paused():
        return _run_metric(warehouse, request)


def _run_metric(warehouse: Warehouse, request: MetricRequest) -> MetricResult:
    metric = metric_of(request.name)
    request = with_default_by(metric, request)
    status = data_status(warehouse, metric, request, slots_of(metric, request))
    metric, slots, expression, basis = build_priced(warehouse, request, status)
    table = warehouse.ibis().to_pyarrow(expression)
    order = {s.label: i for i, s in enumerate(slots)}
    first_column = "date" if metric.only_dates or request.on else "period"
    width = 1 + len(request.by)
    after_keys = width + len(metric.keys)

    # values with an order of their own (duration classes, reason groups) sort by it: '0-6 maanden' first
    orders = [
        {value: f"{i:04d}" for i, value in enumerate(VALUE_ORDER.get(name, ()))}
        for name in (*request.by, *metric.keys)
    ]

    def ordered(values: tuple[Any, ...], start: int) -> tuple[Any, ...]:
        return tuple(
            orders[start + i].get(str(v), v) if orders[start + i] else v for i, v in enumerate(values)
        )

    def key(row: tuple[Any, ...]) -> tuple[Any, ...]:
        groups = ordered(tuple("" if v is None else str(v) for v in row[1:width]), 0)
        keys = ordered(row[width:after_keys], width - 1)
        if metric.most_frequent_first:  # the count after the keys, largest first
            return (order[row[0]], *groups, -row[after_keys], *keys)
        return (order[row[0]], *groups, *keys)

    rows = sorted((tuple(row.values()) for row in table.to_pylist()), key=key)
    corrected = price_columns(metric, basis.year) if basis is not None else ()
    columns: tuple[str, ...] = (first_column, *request.by, *metric.measures, *corrected)
    notes: list[str] = []
    if request.per_1000 or request.per_10000:
        last_days = {s.label: s.last for s in slots}
        columns, rows, rate_notes = compare.add_rates(
            warehouse, metric, columns, rows, request.by, request.age_bands, last_days,
            per_1000=request.per_1000, per_10000=request.per_10000,
        )  # fmt: skip
        notes += rate_notes
    if request.growth:
        group_width = len(request.by) + len(metric.keys)
        columns, rows = compare.add_growth(columns, rows, group_width, request.threshold, status.unusable)
    return MetricResult(metric, columns, rows, expression, status, basis, tuple(notes))


def show_sql(expression: Any) -> str:
    """The SQL that runs for an expression (DuckDB dialect)."""
    return str(ibis.to_sql(expression, dialect="duckdb"))
