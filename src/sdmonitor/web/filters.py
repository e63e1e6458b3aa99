"""The dashboard's filters: query parameters checked against known values, turned into metric requests.

A filter never reaches SQL. ``?wet=JW&wijk=Centrum`` becomes ``by=("law", "wijk")`` in the request (exactly
what ``sdm metric --by law,wijk`` asks for), and the rows with ``law == "JW"`` and ``wijk == "Centrum"`` are
picked from the result. A value that is not one of the values in the data is refused (``InputError``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sdmonitor.domain.dates import parse_date
from sdmonitor.domain.periods import Grain, Period, cut, parse_label
from sdmonitor.domain.wording import GRAIN_WORDS
from sdmonitor.errors import InputError
from sdmonitor.metrics import MetricRequest
from sdmonitor.metrics.dimensions import HEADERS, AgeBands, Segment

MAX_PERIODS = 240
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class Dimension:
    """A filter or breakdown: its query parameter and the metric's ``--by`` column. Its Dutch label is the
    column's header in reports and tables (``metrics.dimensions.HEADERS``), so a form and a table agree."""

    parameter: str
    column: str
    is_filter: bool = True  # a form may pick one of its values
    is_breakdown: bool = True  # a table may be split by it

    @property
    def label(self) -> str:
        return HEADERS[self.column]


# In this order in forms and in the request's ``by`` (the order does not change any figure).
DIMENSIONS = (
    Dimension("wet", "law"),
    Dimension("doelgroep", "target_group"),
    Dimension("productgroep", "cbs_group"),
    Dimension("aanbieder", "provider", is_breakdown=False),
    Dimension("aanbiedertype", "provider_type"),
    Dimension("wijk", "wijk"),
    Dimension("leeftijd", "age_band", is_filter=False),
    Dimension("geslacht", "sex", is_filter=False),
    Dimension("segment", "segment"),
)
FILTERS = tuple(d for d in DIMENSIONS if d.is_filter)
BREAKDOWNS = tuple(d for d in DIMENSIONS if d.is_breakdown)
BY_PARAMETER = {d.parameter: d for d in FILTERS}
BY_COLUMN = {d.column: d for d in DIMENSIONS}
GRAINS = {word: grain for grain, word in GRAIN_WORDS.items()}  # ?periode=halfjaar
TARGET_GROUPS = ("jeugd", "volwassenen", "ouderen")
SEXES = ("man", "vrouw", "onbekend")


@dataclass(frozen=True)
class Choices:
    """The values each dimension has in the data (value -> label), for forms and for validation."""

    options: Mapping[str, Sequence[tuple[str, str]]]
    segments: tuple[Segment, ...] = ()
    age_bands: AgeBands = field(default_factory=AgeBands)

    def values(self, column: str) -> list[str]:
        return [value for value, _ in self.options.get(column, ())]

    def label(self, column: str, value: Any) -> str:
        """The label of a value ('JW' -> 'Jeugdwet', an AGB code -> the provider's name)."""
        for known, label in self.options.get(column, ()):
            if known == value:
                return label
        return "" if value is None else str(value)

    def breakdowns(self) -> list[Dimension]:
        """The breakdowns that make sense here (segments only when they are configured)."""
        return [d for d in BREAKDOWNS if d.column != "segment" or self.segments]

    def filters(self) -> list[Dimension]:
        return [d for d in FILTERS if d.column != "segment" or self.segments]


@dataclass(frozen=True)
class Filters:
    """A validated selection: periods ``start..end`` of ``grain``, values per dimension, one breakdown."""

    start: date
    end: date
    grain: Grain
    values: tuple[tuple[str, str], ...] = ()  # (column, value), in FILTERS order
    breakdown: str | None = None  # a column of BREAKDOWNS, or None

    @property
    def columns(self) -> tuple[str, ...]:
        """The ``--by`` columns a request needs: the filtered ones, then the breakdown."""
        filtered = tuple(column for column, _ in self.values)
        if self.breakdown and self.breakdown not in filtered:
            return (*filtered, self.breakdown)
        return filtered

    def value(self, column: str) -> str | None:
        return dict(self.values).get(column)

    def periods(self) -> list[Period]:
        return cut(self.start, self.end, self.grain)

    def request(self, name: str, choices: Choices, **options: Any) -> MetricRequest:
        """The metric request behind a figure with these filters (what ``sdm metric`` would run)."""
        segments = choices.segments if "segment" in self.columns else ()
        return MetricRequest(
            name=name, grain=self.grain.value, start=self.start, end=self.end, by=self.columns,
            age_bands=choices.age_bands, segments=segments, **options,
        )  # fmt: skip

    def select(self, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The rows of a result with ``columns`` whose filtered columns hold the chosen values."""
        positions = [(columns.index(column), value) for column, value in self.values]
        return [row for row in rows if all(row[i] == value for i, value in positions)]

    def query(self, **changes: Any) -> str:
        """These filters as a query string (``changes`` replace fields first), for links and downloads."""
        filters = replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = [
            ("van", filters.start.isoformat()),
            ("tot", filters.end.isoformat()),
            ("periode", GRAIN_WORDS[filters.grain]),
        ]
        pairs += [(BY_COLUMN[column].parameter, value) for column, value in filters.values]
        if filters.breakdown:
            pairs.append(("uitsplitsen", BY_COLUMN[filters.breakdown].parameter))
        return urlencode(pairs)

    def describe(self, choices: Choices) -> str:
        """The selection in words: '2018-H1 t/m 2019-H2; Wet: Jeugdwet; Wijk: Centrum'."""
        periods = self.periods()
        parts = [f"{periods[0].label} t/m {periods[-1].label}" if len(periods) > 1 else periods[0].label]
        parts += [f"{BY_COLUMN[c].label}: {choices.label(c, v)}" for c, v in self.values]
        return "; ".join(parts)


def _one(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def parse_day(text: str, what: str) -> date:
    """A date from a form (``2018-01-01`` or ``01-01-2018``) within 1990..2100; InputError otherwise."""
    day = parse_date(text)
    if day is None or not EARLIEST <= day <= LATEST:
        raise InputError(f"{what} '{text}' is geen geldige datum tussen 1990 en 2100 (JJJJ-MM-DD).")
    return day


def parse_filters(
    params: Mapping[str, str], choices: Choices, default: Filters, *, allow_breakdown: bool = True
) -> Filters:
    """Filters from query parameters (``van``, ``tot``, ``periode``, ``wet``, ..., ``uitsplitsen``).

    Missing parameters take their value from ``default``; every value given must be a known one.
    """
    start = parse_day(text, "Begindatum") if (text := _one(params, "van")) else default.start
    end = parse_day(text, "Einddatum") if (text := _one(params, "tot")) else default.end
    grain_name = _one(params, "periode")
    if grain_name is not None and grain_name not in GRAINS:
        raise InputError(f"Onbekende periode '{grain_name}'. Kies uit: {', '.join(GRAINS)}.")
    grain = GRAINS[grain_name] if grain_name else default.grain
    if end < start:
        raise InputError("De einddatum ligt voor de begindatum.")
    if len(cut(start, end, grain)) > MAX_PERIODS:
        raise InputError(f"Kies een kortere reeks of een grotere periode: hoogstens {MAX_PERIODS} perioden.")
    values = []
    for dimension in choices.filters():
        value = _one(params, dimension.parameter)
        if value is None:
            continue
        if value not in choices.values(dimension.column):
            raise InputError(f"Onbekende waarde '{value}' voor {dimension.label.lower()}.")
        values.append((dimension.column, value))
    breakdown = None
    if allow_breakdown and (name := _one(params, "uitsplitsen")):
        found = [d for d in choices.breakdowns() if d.parameter == name]
        if not found:
            raise InputError(f"Onbekende uitsplitsing '{name}'.")
        breakdown = found[0].column
    return Filters(start, end, grain, tuple(values), breakdown)


def parse_period(text: str | None, allowed: Sequence[Period], default: Period) -> Period:
    """A period label from a form ('2018-H1', '2018') that is one of ``allowed``; InputError otherwise."""
    if not text:
        return default
    try:
        period = parse_label(text)
    except ValueError as exc:
        raise InputError(f"Onbekende periode '{text}'; gebruik bijvoorbeeld 2018-H1 of 2018.") from exc
    if period not in allowed:
        raise InputError(f"Periode '{text}' ligt buiten de gegevens.")
    return period
