"""The demo job: it refuses a warehouse that is not its own before touching it, and returns what it did."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest

from sdmonitor import config
from sdmonitor.demo.finance import CHANGED_LINE
from sdmonitor.errors import ConfigError, InputError
from sdmonitor.jobs import demo
from sdmonitor.jobs.common import Advance
from sdmonitor.jobs.demo import CLIENTS_HEADERS, DEMO_SETTING, check_demo_target, generate_files, run_demo
from sdmonitor.loading import LoadOptions, LoadSummary, load_allocations
from sdmonitor.metrics.forecast import make_forecast
from sdmonitor.metrics.forecast_model import NOT_BUDGETED, TOTAL
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.builders import BSN_A, allocation, write_csv
from tests.conftest import KEY, NOW


@contextmanager
def no_bar(label: str, total: int) -> Iterator[Advance | None]:
    yield None


def test_the_demo_may_fill_an_empty_warehouse_or_one_it_made(warehouse: Warehouse, tmp_path: Path) -> None:
    check_demo_target(warehouse, KEY)
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")]), LoadOptions(), now=NOW)
    warehouse.set_setting(DEMO_SETTING, "1")
    check_demo_target(warehouse, KEY)


def test_the_demo_refuses_a_warehouse_with_other_data(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")]), LoadOptions(), now=NOW)
    with pytest.raises(InputError, match=r"bevat al gegevens \(1 laadacties\) en is niet door 'sdm demo'"):
        check_demo_target(warehouse, KEY)


def test_the_demo_refuses_another_pseudonym_key(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("T1", client=None, bsn=BSN_A)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(pseudonym_key=KEY), now=NOW)
    warehouse.set_setting(DEMO_SETTING, "1")
    with pytest.raises(ConfigError, match=r"SDM_PSEUDONYM_KEY wijkt af .* Er is niets gewijzigd"):
        check_demo_target(warehouse, b"another-key-0123456789")


def test_the_demo_table_has_the_reports_words_for_the_half_year_and_the_laws() -> None:
    assert CLIENTS_HEADERS == ("Halfjaar", "Wmo", "Jeugdwet", "Participatiewet", "Totaal")


@pytest.mark.slow
def test_the_demo_returns_its_loads_clients_per_half_year_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SDM_PSEUDONYM_KEY", raising=False)
    db = tmp_path / "sdm.duckdb"
    printed: list[LoadSummary] = []

    def after_the_export() -> datetime:  # the demo's export is dated 6 January 2025
        return datetime(2026, 12, 1, 12, 0)

    result = run_demo(
        db,
        None,
        3000,
        2015,
        open_warehouse=lambda: open_warehouse(db),
        now=after_the_export,
        progress=no_bar,
        on_load=printed.append,
    )
    assert printed == list(result.loads)
    names = [s.file.name for s in result.loads]
    assert names[:6] == [
        "toewijzingen.parquet",
        "toewijzingen_fouten.csv",
        "aanvragen.csv",
        "leveringen.csv",
        "uitkeringen-2025-01-06.csv",
        "reintegratie-2025-01-06.csv",
    ]
    assert all(s.accounted for s in result.loads) and result.loads[1].rejected > 0
    # the requests and deliveries (issue 13) and the benefits and provisions (issue 14): every row loaded,
    # none rejected or warned about
    assert all(s.loaded == s.read > 0 and s.rejected == s.warned == 0 for s in result.loads[2:6])
    # then the declaration exports, oldest first, each loaded in full without a rejected row
    exports = result.loads[6:]
    assert [s.file.name for s in exports] == sorted(s.file.name for s in exports)
    assert len(exports) == 25 and names[-1] == "declaraties-2025-01-06.parquet"
    assert all(s.rejected == 0 and s.loaded == s.read for s in exports)
    # the money as loaded over the years, each load on its own day, oldest first
    assert {f.kind for f in result.finance} == {"tariffs", "index", "budgets"}
    assert all(f.loaded == f.read > 0 for f in result.finance)
    days = [f.file.stem.rsplit("-", 3)[1:] for f in result.finance]
    assert days == sorted(days) and len(result.finance) > 30
    assert [row.period for row in result.clients] == [f"{y}-H{h}" for y in range(2015, 2025) for h in (1, 2)]
    assert all(row.total <= row.wmo + row.jw + row.pw and row.total > 0 for row in result.clients)
    assert result.report.edition.period == "2024-H2" and result.report.pdf.parent == tmp_path / "rapporten"
    assert (tmp_path / "demo-data").is_dir()
    with open_warehouse(db) as warehouse:
        assert warehouse.setting(DEMO_SETTING) == "1"
        check_demo_target(warehouse, config.DEMO_PSEUDONYM_KEY)
        # a replay knows the budgets as a municipality did: the 2024 begroting from November 2023 and its
        # September change from September 2024 on
        june = {r.budget_line: r.budget for r in make_forecast(warehouse, 2024, as_of=date(2024, 6, 30)).rows}
        now = {r.budget_line: r.budget for r in make_forecast(warehouse, 2024).rows}
        before = make_forecast(warehouse, 2024, as_of=date(2023, 6, 30)).rows
    changed = [line for line in now if line != TOTAL and now[line] != june[line]]
    assert changed == [CHANGED_LINE] and (now[CHANGED_LINE] or 0) > (june[CHANGED_LINE] or 0) > 0
    assert all(june[line] for line in june if line != NOT_BUDGETED)  # every line has its 2024 budget
    assert all(row.budget is None for row in before if row.budget_line != TOTAL)  # none known in June 2023


def test_generate_writes_money_up_to_two_million_inhabitants_unless_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = generate_files(tmp_path / "a", 2000, "2022-2023", 1, 1, "parquet", progress=no_bar)
    assert small.declarations and small.budgets is not None
    monkeypatch.setattr(demo, "MONEY_MAX_INHABITANTS", 1000)  # as if 2,000 inhabitants were a national run
    large = generate_files(tmp_path / "b", 2000, "2022-2023", 1, 1, "parquet", progress=no_bar)
    assert large.declarations == () and not (tmp_path / "b" / "declaraties").exists()
    asked = generate_files(tmp_path / "c", 2000, "2022-2023", 1, 1, "parquet", progress=no_bar, money=True)
    assert asked.declarations
