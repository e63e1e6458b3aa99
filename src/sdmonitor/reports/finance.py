"""Money in reports and on the dashboard: the budget table of seed 003, the variance bridge, the depletion
warnings and the chart of a budget line's cumulative path (docs/design/money.md §4 "Reports").

The forecast itself is computed by ``metrics.forecast``; this module only shows it. ``FinanceView`` is what a
report section or a dashboard page needs of it: per budget line (and the costs under no line, ``niet
begroot``) the budget, the forecast and its parts, the share used against the share of the year, the
depletion date and the warning, and the monthly cumulative path; per line the variance bridge.

Privacy: a budget is not personal and always shows. The amounts of a line (realised, forecast and what
derives from them: the difference, the share used, the depletion date, the bridge) are hidden when fewer clients than the threshold are behind them, and then a second line
is hidden with it, so that the total cannot give them away (the same rule as a table's total row).

Wording: the table as seed 003 publishes it: 'Begroting 2023 / Verwachting 2023 / Verschil begroting t.o.v.
verwachting' with amounts in whole euros ('€ 11.364.000', '€ -555.000'), negative = over budget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal, dutch_int
from sdmonitor.domain.wording import FORECAST_HEADERS
from sdmonitor.metrics.backtest import late_prior
from sdmonitor.metrics.forecast import make_forecast
from sdmonitor.metrics.forecast_knowledge import budget_lines, knowledge
from sdmonitor.metrics.forecast_model import (
    CONTRACT_COLUMNS,
    OVERSPEND,
    ROOM_ALERT,
    RUNNING_AHEAD,
    BridgeRow,
    Forecast,
    ForecastRow,
)
from sdmonitor.metrics.forecast_model import (
    bridge as forecast_bridge,
)
from sdmonitor.reports.charts import PathPoint, depletion_spec
from sdmonitor.reports.model import PROTECTED_TEXT, Cell, TableModel
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse import Warehouse

TOTAL = "Totale kosten"
NO_FINANCE_DATA = (
    "Geen financiële gegevens geladen: er zijn geen declaraties of begrotingen in het datawarehouse. Laad ze "
    "met sdm load declarations en sdm load budgets; dit onderdeel vult zich dan vanzelf."
)
NO_BUDGETS = (
    "Geen begroting geladen voor {year}: laad de begrotingsposten met sdm load budgets om verwachting en "
    "begroting naast elkaar te zien."
)
FINANCE_SOURCE = "declaraties en begroting van de gemeente (sdmonitor)"
SPENDING_ROOM = ROOM_ALERT
NOT_KNOWN = "niet te bepalen"  # a bridge effect without its inputs (no index, no budgeted clients)


@dataclass(frozen=True)
class FinanceLine:
    """One row of the forecast: a budget line, or the costs under no line (``budget`` None, ``niet begroot``).

    Amounts in euros, unrounded. ``difference`` = budget - forecast (negative: over budget, as seed 003).
    ``clients``: the clients behind the line's costs, when known (privacy); ``path``: the cumulative costs
    per month end, realised and then expected, for the depletion chart."""

    line: str
    budget: float | None
    realised: float
    late_expected: float
    committed: float
    new_expected: float
    forecast: float
    difference: float | None
    share_used: float | None
    share_of_year: float
    depletion_date: date | None
    warning: str = ""
    clients: int | None = None
    path: tuple[PathPoint, ...] = ()
    note: str = ""

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warning words ('overschrijding', 'loopt voor', '70% bestedingsruimte')."""
        return tuple(part.strip() for part in self.warning.split(",") if part.strip())


@dataclass(frozen=True)
class BridgeEffect:
    """One step of a variance bridge: what it is called, its amount (None: cannot be split), and whether it
    is a memo line that is shown but not part of the sum (late declarations of earlier years)."""

    label: str
    amount: float | None
    memo: bool = False
    note: str = ""  # why the amount is empty, or what the residual carries


@dataclass(frozen=True)
class LineBridge:
    """Why a line's forecast differs from its budget: ``overspend`` = forecast - budget, explained by the
    effects, whose (non-memo) amounts add up to it; the residual ('overig') is always one of them."""

    line: str
    overspend: float
    effects: tuple[BridgeEffect, ...]
    note: str = ""


@dataclass(frozen=True)
class FinanceView:
    """What a report or page shows of the forecast of ``year`` as known at ``moment``."""

    year: int
    moment: date
    lines: tuple[FinanceLine, ...]
    bridges: tuple[LineBridge, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. 'benaderd uit bedrijfsdatums'
    rooms: tuple[FinanceLine, ...] = ()  # the spending rooms per provider (``line``: the provider), if loaded

    @property
    def has_budgets(self) -> bool:
        return any(line.budget is not None for line in self.lines)


def euro(value: float | None) -> str:
    """An amount in whole euros as seed 003 prints it: '€ 11.364.000', '€ -555.000'; '' for None."""
    if value is None:
        return ""
    whole = round(value)
    return f"€ -{dutch_int(-whole)}" if whole < 0 else f"€ {dutch_int(whole)}"


def euro_cents(value: float | None) -> str:
    """An amount with cents: '€ 1.685,08'."""
    if value is None:
        return ""
    return f"€ -{dutch_decimal(-value, 2)}" if value < 0 else f"€ {dutch_decimal(value, 2)}"


def percent(value: float | None) -> str:
    """A fraction as a percentage: 0.2625 -> '26,3 %'."""
    return "" if value is None else f"{dutch_decimal(value * 100, 1)} %"


def day_text(day: date | None) -> str:
    """'10-11-2024'; '' for None."""
    return "" if day is None else f"{day:%d-%m-%Y}"


def hidden_lines(lines: Sequence[FinanceLine], policy: Policy | None) -> frozenset[str]:
    """The lines whose amounts are hidden: fewer clients than the threshold behind them, and, when exactly
    one is hidden, the smallest other line with costs too, so that the total does not give it away."""
    if policy is None:
        return frozenset()
    small = {line.line for line in lines if line.clients is not None and 0 < line.clients < policy.threshold}
    if len(small) == 1:
        others = sorted(
            (line for line in lines if line.line not in small and line.forecast != 0),
            key=lambda line: abs(line.forecast),
        )  # a line of zeros would shield nothing: a reader would guess it
        if others:
            small.add(others[0].line)
    return frozenset(small)


def _amount(value: float | None, hidden: bool) -> Cell:
    if hidden and value is not None:
        return Cell(value, PROTECTED_TEXT, hidden=True)
    return Cell(None if value is None else round(value, 2), euro(value))


def budget_table(view: FinanceView, policy: Policy | None) -> TableModel:
    """Seed 003's 'Financieel overzicht': per line the budget, the forecast and the difference (budget minus
    forecast), the costs under no line as 'niet begroot', and the total."""
    year = view.year
    hidden = hidden_lines(view.lines, policy)
    rows: list[tuple[Cell, ...]] = []
    for line in view.lines:
        shut = line.line in hidden
        rows.append((
            Cell(line.line, line.line),
            _amount(line.budget, False),
            _amount(line.forecast, shut),
            _amount(line.difference, shut and line.difference is not None),
        ))  # fmt: skip
    budget = sum(line.budget or 0.0 for line in view.lines)
    forecast = sum(line.forecast for line in view.lines)
    rows.append((Cell(TOTAL, TOTAL), _amount(budget, False), _amount(forecast, False),
                 _amount(budget - forecast, False)))  # fmt: skip
    return TableModel(
        columns=("budget_line", "budget", "forecast", "difference"),
        headers=("Begrotingspost", f"Begroting {year}", f"Verwachting {year}",
                 f"Verschil begroting t.o.v. verwachting {year}"),
        rows=tuple(rows), has_total=True, key_columns=1,
        row_keys=(*(f"begroting.{line.line}.{year}" for line in view.lines), None), summary_rows=1,
    )  # fmt: skip


FORECAST_COLUMNS = tuple((name, FORECAST_HEADERS[name]) for name in CONTRACT_COLUMNS)


# The forecast table of a report page: the parts of the forecast beside the depletion (budget and difference
# are in the budget table), so that it fits a portrait page.
REPORT_FORECAST_COLUMNS = (
    "budget_line", "realised", "late_expected", "committed", "new_expected", "forecast", "share_used",
    "share_of_year", "depletion_date", "warning",
)  # fmt: skip


def only_columns(table: TableModel, columns: Sequence[str]) -> TableModel:
    """The table with only ``columns`` (the first, naming the row, among them), in the table's order."""
    keep = [i for i, column in enumerate(table.columns) if column in columns]
    return TableModel(
        columns=tuple(table.columns[i] for i in keep), headers=tuple(table.headers[i] for i in keep),
        rows=tuple(tuple(row[i] for i in keep) for row in table.rows), has_total=table.has_total,
        key_columns=table.key_columns, row_keys=table.row_keys, summary_rows=table.summary_rows,
    )  # fmt: skip


def forecast_table(view: FinanceView, policy: Policy | None) -> TableModel:
    """Every part of the forecast per line (the columns of ``sdm forecast``), with a total row."""
    hidden = hidden_lines(view.lines, policy)
    rows: list[tuple[Cell, ...]] = []
    for line in view.lines:
        shut = line.line in hidden
        rows.append((
            Cell(line.line, line.line),
            _amount(line.budget, False),
            *(_amount(value, shut) for value in (line.realised, line.late_expected, line.committed,
                                                  line.new_expected, line.forecast)),
            _amount(line.difference, shut and line.difference is not None),
            _share(line.share_used, shut),
            Cell(line.share_of_year, percent(line.share_of_year)),
            _day(line.depletion_date, shut),
            Cell(line.warning, line.warning),
        ))  # fmt: skip
    totals = [sum(getattr(line, name) for line in view.lines) for name in
              ("realised", "late_expected", "committed", "new_expected", "forecast")]  # fmt: skip
    budget = sum(line.budget or 0.0 for line in view.lines)
    year_share = view.lines[0].share_of_year if view.lines else 0.0
    rows.append((
        Cell(TOTAL, TOTAL), _amount(budget, False), *(_amount(v, False) for v in totals),
        _amount(budget - totals[4], False), Cell(None, ""), Cell(year_share, percent(year_share)),
        Cell(None, ""), Cell(None, ""),
    ))  # fmt: skip
    return TableModel(
        columns=tuple(c for c, _ in FORECAST_COLUMNS), headers=tuple(h for _, h in FORECAST_COLUMNS),
        rows=tuple(rows), has_total=True, key_columns=1,
        row_keys=(*(f"verwachting.{line.line}.{view.year}" for line in view.lines), None), summary_rows=1,
    )  # fmt: skip


ROOM_COLUMNS = (
    ("provider", "Aanbieder"),
    ("room", "Bestedingsruimte"),
    ("realised", "Gerealiseerd"),
    ("share_used", "Deel gebruikt"),
    ("forecast", "Verwachting"),
    ("warning", "Signaal"),
)


def rooms_table(view: FinanceView, policy: Policy | None) -> TableModel:
    """The spending room of every provider that has one (Contractstandaard Wmo art. 1.5: the signal at 70 %
    used): the room, what is realised and used of it, the forecast and the signal. The room is not personal and
    always shows; a provider with fewer clients than the threshold shows no realised, share or forecast."""
    rows = []
    for room in view.rooms:
        shut = policy is not None and room.clients is not None and 0 < room.clients < policy.threshold
        rows.append((
            Cell(room.line, room.line), _amount(room.budget, False), _amount(room.realised, shut),
            _share(room.share_used, shut), _amount(room.forecast, shut),
            Cell(None, "") if shut else Cell(room.warning, room.warning),
        ))  # fmt: skip
    return TableModel(
        columns=tuple(c for c, _ in ROOM_COLUMNS), headers=tuple(h for _, h in ROOM_COLUMNS),
        rows=tuple(rows), key_columns=1,
        row_keys=tuple(f"ruimte.{room.line}.{view.year}" for room in view.rooms),
    )  # fmt: skip


def _day(day: date | None, hidden: bool) -> Cell:
    """A depletion date: hidden with the line's amounts (with the budget it tells the cumulative costs)."""
    if hidden and day is not None:
        return Cell(day, PROTECTED_TEXT, hidden=True)
    return Cell(day, day_text(day))


def _share(value: float | None, hidden: bool) -> Cell:
    if hidden and value is not None:
        return Cell(value, PROTECTED_TEXT, hidden=True)
    return Cell(value, percent(value))


def bridge_table(view: FinanceView, policy: Policy | None) -> TableModel:
    """The variance bridge of every line: a row per effect and the overspend it explains (forecast minus
    budget, as seed 003 writes 'gestegen t.o.v. de begroting'); a memo effect is marked and not in the sum.
    Hidden lines (few clients) show no bridge amounts."""
    hidden = hidden_lines(view.lines, policy)
    rows: list[tuple[Cell, ...]] = []
    keys: list[str | None] = []
    for bridge in view.bridges:
        shut = bridge.line in hidden
        for effect in bridge.effects:
            label = f"{effect.label} (memo, niet in de som)" if effect.memo else effect.label
            amount = Cell(None, NOT_KNOWN) if effect.amount is None else _amount(effect.amount, shut)
            rows.append((Cell(bridge.line, bridge.line), Cell(effect.label, label), amount,
                         Cell(effect.note, effect.note)))  # fmt: skip
            keys.append(f"brug.{bridge.line}.{effect.label}.{view.year}")
        rows.append((Cell(bridge.line, bridge.line), Cell("totaal", "Verschil verwachting t.o.v. begroting"),
                     _amount(bridge.overspend, shut), Cell("", "")))  # fmt: skip
        keys.append(f"brug.{bridge.line}.totaal.{view.year}")
    return TableModel(
        columns=("budget_line", "effect", "amount", "note"),
        headers=("Begrotingspost", "Oorzaak", f"Bedrag {view.year}", "Toelichting"),
        rows=tuple(rows), key_columns=2, row_keys=tuple(keys),
    )  # fmt: skip


def bridge_sentences(view: FinanceView, policy: Policy | None) -> tuple[str, ...]:
    """Each bridge in words, as seed 003 explains the €555.000, with both signs named."""
    hidden = hidden_lines(view.lines, policy)
    sentences = []
    for bridge in view.bridges:
        if bridge.line in hidden:
            continue
        direction = "hoger" if bridge.overspend > 0 else "lager"
        parts = [
            f"{effect.label.lower()} {euro(effect.amount)}"
            for effect in bridge.effects
            if effect.amount is not None and not effect.memo
        ]
        text = (
            f"{bridge.line}: de verwachting ligt {euro(abs(bridge.overspend))} {direction} dan de begroting "
            f"(verschil begroting t.o.v. verwachting {euro(-bridge.overspend)}). Oorzaken: {', '.join(parts)}."
        )
        if bridge.note:
            text += f" {_capital(bridge.note)}."
        sentences.append(text)
    return tuple(sentences)


def warning_sentences(view: FinanceView, policy: Policy | None) -> tuple[str, ...]:
    """The depletion warnings in Dutch, one per line with a warning, worst (largest overspend) first."""
    hidden = hidden_lines(view.lines, policy)
    flagged = sorted((line for line in view.lines if line.warnings), key=lambda line: line.difference or 0.0)
    sentences = []
    for line in flagged:
        shut = line.line in hidden
        parts = []
        if OVERSPEND in line.warnings:
            if shut or line.budget is None:
                parts.append("de verwachting ligt boven de begroting")
            else:
                parts.append(
                    f"de verwachting ({euro(line.forecast)}) ligt {euro(-(line.difference or 0.0))} boven de "
                    f"begroting van {euro(line.budget)}"
                )
            if line.depletion_date is not None and not shut:
                verb = "was" if line.depletion_date <= view.moment else "is naar verwachting"
                parts.append(f"het budget {verb} op {day_text(line.depletion_date)} uitgeput")
        if RUNNING_AHEAD in line.warnings:
            used = "een groter deel" if shut else percent(line.share_used)
            parts.append(
                f"{used} van het budget is gebruikt, terwijl {percent(line.share_of_year)} van het jaar "
                "voorbij is"
            )
        if SPENDING_ROOM in line.warnings:
            parts.append("70 % van de bestedingsruimte is benut (Contractstandaard Wmo)")
        if parts:
            sentences.append(f"{line.line}: {'; '.join(parts)}.")
    return tuple(sentences)


def depletion_chart(
    line: FinanceLine, year: int, *, source: str = FINANCE_SOURCE, width: int = 460
) -> dict[str, Any] | None:
    """The chart of a line's cumulative path against its budget (None without a path)."""
    if not line.path:
        return None
    budget = "" if line.budget is None else f", begroting {euro(line.budget)}"
    return depletion_spec(
        f"{line.line} {year}: cumulatieve kosten{budget}",
        line.path,
        budget=line.budget,
        depletion=None if line.depletion_date is None else line.depletion_date.isoformat(),
        source=source,
        note="Doorgetrokken: gerealiseerd (met nog te verwachten declaraties); gestippeld: verwacht.",
        width=width,
    )


def finance_view(warehouse: Warehouse, year: int, *, as_of: date | datetime | None) -> FinanceView:
    """The forecast of ``year`` by budget line as known at ``as_of`` (None: the data moment), with its
    variance bridge, as a report or page shows it (``sdm forecast --year Y --as-of D --bridge``), its memo
    line of late declarations of earlier years included (``late_prior``)."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    forecast = make_forecast(warehouse, year, as_of=day)
    view = view_of(forecast, forecast_bridge(forecast, late_prior(warehouse, forecast)))
    known = knowledge(warehouse, day)
    if not any(line.provider for line in budget_lines(warehouse.ibis(), year, known)):
        return view
    by_provider = make_forecast(warehouse, year, as_of=day, by="provider")
    rooms = tuple(_finance_line(row, ()) for row in by_provider.rows if row.kind == "room")
    return replace(view, rooms=rooms)


def _finance_line(row: ForecastRow, points: tuple[PathPoint, ...]) -> FinanceLine:
    return FinanceLine(
        line=row.budget_line, budget=row.budget, realised=row.realised, late_expected=row.late_expected,
        committed=row.committed, new_expected=row.new_expected, forecast=row.forecast,
        difference=row.difference, share_used=row.share_used, share_of_year=row.share_of_year,
        depletion_date=row.depletion_date, warning=row.warning,
        clients=row.paid_clients or math.floor(row.forecast_clients), path=points,
    )  # fmt: skip


def view_of(forecast: Forecast, bridge: Sequence[BridgeRow] = ()) -> FinanceView:
    """What a report or page shows of a forecast by budget line: its lines and ``niet begroot`` (not the
    total: the tables add their own), each with its path, and the bridge per line.

    The clients behind a line (privacy) are those with realised costs; a line without any yet counts those
    the forecast counts on (running allocations, expected new ones), so a line whose costs are all still to
    come is protected as well as one with realised costs. A path is solid (realised, with the late declarations
    expected for those months) up to the month of the forecast's moment, dashed after it."""
    now = (forecast.moment.year, forecast.moment.month)
    lines = []
    for row in forecast.rows:
        if row.kind == "total":
            continue
        path = forecast.paths.get(row.budget_line, ())
        months = [
            PathPoint(_month_end(p.month).isoformat(), p.cumulative, (p.month.year, p.month.month) <= now)
            for p in path
        ]
        points = (PathPoint(f"{forecast.year}-01-01", 0.0, True), *months) if months else ()
        lines.append(_finance_line(row, points))
    bridges: dict[str, list[BridgeRow]] = {}
    for effect in bridge:
        bridges.setdefault(effect.budget_line, []).append(effect)
    by_line = {line.line: line for line in lines}
    return FinanceView(
        year=forecast.year,
        moment=forecast.moment,
        lines=tuple(lines),
        bridges=tuple(
            LineBridge(
                line=name,
                overspend=-(by_line[name].difference or 0.0) if name in by_line else 0.0,
                effects=tuple(
                    BridgeEffect(_capital(e.label), e.amount, memo=not e.in_sum, note=e.note) for e in effects
                ),
                note="; ".join(dict.fromkeys(e.note for e in effects if e.note and e.in_sum)),
            )
            for name, effects in bridges.items()
        ),
        notes=forecast.notes,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _month_end(first: date) -> date:
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - timedelta(days=1)
