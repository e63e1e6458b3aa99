"""Periods that still miss late declarations are 'onvolledig' (docs/metrics.md, "costs", "Late
declarations"): by the completion factors of the run-off triangle, or by the fallback rule without submission
dates; and no key figure rests an arrow on them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sdmonitor.domain.periods import parse_label
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.costs import completeness
from sdmonitor.reports.keyfigures import key_figure
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.metrics.declaration_rows import insert_lines, line, record_load

MOMENT = date(2025, 1, 6)  # the export of 6 January: December 2024 is the last month that is over
CLIENTS = 8


def _month(number: int) -> tuple[date, date]:
    first = date(number // 12, number % 12 + 1, 1)
    following = number + 1
    return first, date(following // 12, following % 12 + 1, 1).replace(day=1)


def history(*, dated: bool = True) -> list[dict[str, Any]]:
    """Every month of 2023-2024, per client 100.00 declared in the month itself and 100.00 the month after;
    December 2024's late half has not come in yet at the data moment."""
    rows = []
    for number in range(2023 * 12, 2024 * 12 + 12):
        first, following = _month(number)
        last = date.fromordinal(following.toordinal() - 1)
        for client in range(1, CLIENTS + 1):
            on_time = line(f"t{number}-{client}", client, first.isoformat(), last.isoformat(), 100.0)
            on_time.update(submitted_on=last, submitted_given=dated)
            rows.append(on_time)
            if number < 2024 * 12 + 11:
                late = line(f"l{number}-{client}", client, first.isoformat(), last.isoformat(), 100.0)
                late.update(submitted_on=following.replace(day=10), submitted_given=dated)
                rows.append(late)
    if not dated:
        for row in rows:
            row["submitted_on"] = MOMENT
    return rows


@pytest.fixture
def late(warehouse: Warehouse) -> Warehouse:
    insert_lines(warehouse, history())
    record_load(warehouse, MOMENT)
    return warehouse


def quarters(warehouse: Warehouse) -> Any:
    request = MetricRequest("costs", grain="quarter", start=date(2024, 1, 1), end=date(2024, 12, 31))
    return run_metric(warehouse, request)


def test_a_period_with_late_declarations_expected_is_onvolledig(late: Warehouse) -> None:
    result = quarters(late)
    status = {row[0]: row[-1] for row in result.labelled()[1]}
    # half of every month comes a month late (link ratio 2), so December (lag 0) is 50 % complete; Q4 knows
    # 1,600 + 1,600 + 800 of an expected 1,600 + 1,600 + 800 / 0.5: 4,000 / 4,800 = 83.3 %
    assert status["2024-Q4"] == "onvolledig"
    known = completeness(late.ibis(), None, MOMENT)
    assert known.of(date(2024, 10, 1), date(2024, 12, 31)) == pytest.approx(4000 / 4800)
    assert known.of(date(2024, 12, 1), date(2024, 12, 31)) == pytest.approx(0.5)
    assert result.status.late == (("2024-Q4", pytest.approx(4000 / 4800)),)
    assert result.status.late_note() == (
        "'onvolledig' = nog niet alle declaraties binnen (naar verwachting compleet: 2024-Q4 83,3 %)."
    )


def test_an_old_complete_period_is_not_onvolledig(late: Warehouse) -> None:
    result = quarters(late)
    statuses = {row[0]: row[-1] for row in result.labelled()[1]}
    assert statuses["2024-Q1"] == statuses["2024-Q2"] == statuses["2024-Q3"] == ""
    months = run_metric(
        late, MetricRequest("costs", grain="month", start=date(2024, 10, 1), end=date(2024, 12, 31))
    )
    assert {row[0]: row[-1] for row in months.labelled()[1]} == {
        "2024-10": "",
        "2024-11": "",  # lag 1: the late half is in
        "2024-12": "onvolledig",
    }


def test_planned_figures_are_not_judged_on_late_declarations(late: Warehouse) -> None:
    request = MetricRequest(
        "costs", grain="quarter", start=date(2024, 10, 1), end=date(2024, 12, 31), planned=True
    )
    assert run_metric(late, request).labelled()[1][0][-1] == "gepland"


def test_a_warehouse_without_submission_dates_uses_the_fallback_of_the_last_two_months(
    warehouse: Warehouse,
) -> None:
    insert_lines(warehouse, history(dated=False))
    record_load(warehouse, MOMENT)
    request = MetricRequest("costs", grain="month", start=date(2024, 9, 1), end=date(2024, 12, 31))
    result = run_metric(warehouse, request)
    assert {row[0]: row[-1] for row in result.labelled()[1]} == {
        "2024-09": "",
        "2024-10": "",
        "2024-11": "onvolledig",
        "2024-12": "onvolledig",
    }
    assert "geen indieningsdatums bekend" in result.status.late_note()
    assert quarters(warehouse).status.of("2024-Q4") == "onvolledig"


def test_the_report_key_figure_has_no_arrow_on_an_onvolledig_period(late: Warehouse) -> None:
    template = read_template(builtin_path("kwartaal"))
    kpi = next(k for k in template.kpis if k.name == "kosten_per_klant")
    figure = key_figure(late, template, kpi, parse_label("2024-Q4"), as_of=None, policy=Policy(5))
    # Q4 shows 500 per client against 600 in Q3 only because December's late half is still to come:
    # without the rule the report would draw a fall of 16,7 %
    assert figure.value == pytest.approx(500.0)
    assert figure.status_text == "onvolledig"
    assert figure.change_pct is None and figure.trend is None and figure.long_trend is None
