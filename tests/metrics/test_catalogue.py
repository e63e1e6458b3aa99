"""The catalogue's declarations are whole and everything reads them: dispatch, derived measures, privacy,
headers, incomplete periods, the options of ``sdm metric`` and ``sdm metrics``; a new metric is one declaration
plus its query, a new option one declaration."""

from __future__ import annotations

import inspect
from dataclasses import fields
from datetime import date, datetime, timedelta
from pathlib import Path

import ibis
import pytest
from click.testing import CliRunner
from ibis.expr.types import Table

from sdmonitor.cli import cli
from sdmonitor.domain.periods import Period
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import (
    CATALOGUE,
    MEASURES,
    OPTIONS,
    Kind,
    Measure,
    Metric,
    MetricRequest,
    Option,
    engine,
    header,
    run_metric,
)
from sdmonitor.metrics.catalogue import HEADERS, describe
from sdmonitor.metrics.compile import with_derived
from sdmonitor.metrics.dimensions import ALL, STANDARD_BY
from sdmonitor.metrics.run import is_incomplete
from sdmonitor.reports import build
from sdmonitor.reports.protect import COUNTS, FRACTIONS, KEY_MEASURES, ROW_SUMS, Ledger, depends_on, rounded
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.web.tables import header as web_header
from tests.builders import write_csv
from tests.metrics.test_metrics import WORKED_EXAMPLE

YEAR_2018 = {"start": date(2018, 1, 1), "end": date(2018, 12, 31)}


def test_every_measure_a_metric_shows_is_declared_with_what_it_derives_from() -> None:
    for metric in CATALOGUE.values():
        assert all(name in MEASURES for name in metric.measures), metric.name
        kinds = [m.kind for m in metric.declared_measures]
        assert kinds == sorted(kinds, key=lambda k: k is not Kind.KEY), f"{metric.name}: keys first"
        for measure in metric.declared_measures:
            assert all(part in metric.measures for part in measure.of), (metric.name, measure.name)
    for measure in MEASURES.values():
        assert bool(measure.of) == (measure.kind in (Kind.RATIO, Kind.FRACTION, Kind.DIFFERENCE)), (
            measure.name
        )
        assert all(MEASURES[c].kind is Kind.COUNT for c in (*measure.from_counts, *measure.parts)), (
            measure.name
        )


def test_every_option_is_declared_and_an_argument_of_the_query_or_a_field_of_the_scope() -> None:
    scope_fields = {f.name for f in fields(engine.Scope)}
    for metric in CATALOGUE.values():
        assert set(metric.options) <= set(OPTIONS), metric.name
        arguments = list(inspect.signature(metric.query).parameters)
        own = [o.name for o in metric.declared_options if not o.scope and not o.part_of]
        assert arguments[2:] == own, metric.name
        assert {o.part_of for o in metric.declared_options if o.part_of} <= set(own), metric.name
        assert {o.name for o in metric.declared_options if o.scope} <= scope_fields, metric.name
        assert set(metric.by) <= set(ALL), metric.name
    for option in OPTIONS.values():
        assert option.envvar == f"SDM_{option.name.upper()}" and option.help.endswith("."), option.name
        assert isinstance(option.default, option.value_type), option.name


def test_the_incomplete_periods_follow_the_declared_look_back_of_the_options() -> None:
    """docs/metrics.md "Realised, planned and incomplete", history starting on 2017-10-01."""
    start = date(2017, 10, 1)

    def incomplete(name: str, month: date, **options: int) -> bool:
        slot = Period(month, month, f"{month:%Y-%m}")
        return is_incomplete(CATALOGUE[name], MetricRequest(name, options=options), slot, start)

    assert incomplete("flows", date(2017, 10, 1)) and not incomplete("flows", date(2017, 11, 1))
    assert incomplete("flows", date(2017, 11, 1), max_gap_days=31)
    assert not incomplete("flows", date(2017, 11, 1), max_gap_days=30)
    assert incomplete("allocation_flows", date(2017, 11, 1), max_gap_days=31)  # marked like flows
    assert incomplete("reentry", date(2018, 9, 1)) and not incomplete("reentry", date(2018, 10, 1))
    assert not incomplete("reentry", date(2018, 1, 1), reentry_months=3)
    assert incomplete("repeat_use", date(2022, 9, 1)) and not incomplete("repeat_use", date(2022, 10, 1))
    assert not incomplete("repeat_use", date(2018, 10, 1), lookback_years=1, max_gap_days=400)
    assert not incomplete("outflow_rate", date(2017, 10, 1))  # not a history metric


def test_a_request_is_the_same_however_its_options_are_written() -> None:
    plain = MetricRequest("reentry")
    assert MetricRequest("reentry", options={"reentry_months": 12, "max_gap_days": 0}) == plain
    assert hash(MetricRequest("reentry", options={"max_gap_days": 0})) == hash(plain)
    assert MetricRequest("reentry", options={"reentry_months": 3}).option("reentry_months") == 3
    assert plain.option("reentry_months") == 12
    with pytest.raises(TypeError, match="reentry_weeks"):
        MetricRequest("reentry", options={"reentry_weeks": 3})


def test_the_by_columns_come_from_the_declaration(worked: Warehouse) -> None:
    assert CATALOGUE["allocations"].by == (*STANDARD_BY, "overlap")
    assert run_metric(worked, MetricRequest("allocations", by=("overlap",), **YEAR_2018)).rows
    with pytest.raises(Exception, match="Onbekende kolom 'overlap'"):
        run_metric(worked, MetricRequest("clients", by=("overlap",), **YEAR_2018))
    with pytest.raises(Exception, match="kent geen --by"):
        run_metric(worked, MetricRequest("transitions_18", by=("law",), **YEAR_2018))


def test_one_header_per_column_in_the_report_wording() -> None:
    assert header("episodes") == "Trajecten"
    assert header("p90_days") == "90e percentiel (dagen)"
    assert (
        header("law") == "Wet"
        and header("period") == "Periode"
        and header("per_1000") == "Per 1.000 inwoners"
    )
    for column in [*MEASURES, *ALL, "period", "date", "status", "previous", "change", "trend", "long_trend"]:
        assert header(column) != column, column
        assert header(column) == web_header(column) == HEADERS[column], column


def test_privacy_follows_the_measure_kinds() -> None:
    counts = {m.name for m in MEASURES.values() if m.kind is Kind.COUNT}
    assert set(COUNTS) == counts | {"previous"}
    assert set(FRACTIONS) == {
        "outflow_rate", "reentry_rate", "benefit_reentry_rate", "repeat_share", "share", "utilisation",
    }  # fmt: skip
    assert set(KEY_MEASURES) == {"groups", "combination", "unit", "reason_group"}
    assert ROW_SUMS == {"clients": ("men", "women", "sex_unknown")}
    assert depends_on("outflow_rate", "clients") == ("outflow_clients", "clients")
    assert depends_on("p90_months", "episodes") == ("episodes",)
    assert depends_on("mean_age", "clients") == ("clients",)
    assert depends_on("net", "inflow") is None  # hidden with any count of its row
    # a ratio of two sums is hidden with the counts the sums are hidden with
    assert depends_on("allocated_volume", "util_clients") == ("util_clients",)
    assert depends_on("utilisation", "util_clients") == ("util_clients",)
    assert FRACTIONS | {"change_pct"} == {
        "outflow_rate",
        "reentry_rate",
        "benefit_reentry_rate",
        "repeat_share",
        "share",
        "utilisation",
        "change_pct",
    }


def test_published_ratios_and_saldo_are_recomputed_from_the_rounded_counts() -> None:
    policy = Policy(round_to_5=True)
    row = rounded({"inflow": 12, "reentries": 7, "reentry_rate": 0.5833, "outflow": 4, "net": 8}, policy)
    assert row == {"inflow": 10, "reentries": 5, "reentry_rate": 0.5, "outflow": 5, "net": 5}


def test_a_ratio_of_two_sums_keeps_its_exact_value_when_counts_are_rounded() -> None:
    """utilisation 10 / 12.1379 stays 0.8239 (10 / 12.14, from the shown volumes, would be 0.8237)."""
    row = {"allocated_volume": 12.14, "declared_volume": 10.0, "utilisation": 0.8239, "util_clients": 7}
    assert rounded(row, Policy(round_to_5=True)) == {**row, "util_clients": 5}


def test_a_ratio_over_a_zero_denominator_is_empty(warehouse: Warehouse) -> None:
    counts = ibis.memtable(
        {"slot": ["2018-H1", "2018-H2"], "outflow_clients": [1, 0], "clients": [3, 0]},
        schema={"slot": "string", "outflow_clients": "int64", "clients": "int64"},
    )
    result = warehouse.ibis().to_pyarrow(with_derived(counts, CATALOGUE["outflow_rate"])).to_pylist()
    assert [r["outflow_rate"] for r in result] == [0.3333, None]


def listed() -> str:
    """What ``sdm metrics`` prints, its lines wrapped by the terminal joined again."""
    return " ".join(CliRunner().invoke(cli, ["metrics"]).output.split())


def test_sdm_metrics_lists_every_measure_with_its_kind() -> None:
    shown = listed()
    for metric in CATALOGUE.values():
        assert f"{metric.name} ({metric.label})" in shown
        for measure in metric.declared_measures:
            assert f"{measure.output_name} '{measure.label}' ({describe(measure)})" in shown
    assert "outflow_rate 'Uitstroom %' (aandeel: Uitgestroomd / Cliënten)" in shown
    # by the column of the CSV: the bijstand's herinstroom is reentries, as the allocations' heraanmeldingen
    assert "reentries 'Herinstroom' (aantal)" in shown
    assert "reentries 'Heraanmeldingen' (aantal)" in shown
    assert "opties: --max-gap-days, --reentry-months" in shown


# -- a new metric is one declaration --------------------------------------------------------------------


def count_providers(t: Table, scope: engine.Scope) -> Table:
    """The query of the test's metric: distinct providers and running allocations per slot."""
    running = engine.running_allocations(t, scope)
    return running.group_by("slot").aggregate(
        providers=running.provider_code.nunique(), allocations=running.count()
    )


PROVIDERS = Metric(
    "providers",
    "Aanbieders",
    "Aanbieders met minstens één lopende toewijzing in de periode.",
    "Test",
    ("providers", "allocations", "allocations_per_provider"),
    count_providers,
    by=(),
)


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> Metric:
    """The metric and its two new measures, declared as catalogue.py would (plain dict registries)."""
    monkeypatch.setitem(MEASURES, "providers", Measure("providers", "Aanbieders", Kind.COUNT))
    monkeypatch.setitem(
        MEASURES,
        "allocations_per_provider",
        Measure(
            "allocations_per_provider",
            "Toewijzingen per aanbieder",
            Kind.RATIO,
            2,
            of=("allocations", "providers"),
        ),
    )
    monkeypatch.setitem(CATALOGUE, "providers", PROVIDERS)
    return PROVIDERS


def with_providers() -> list[dict[str, str]]:
    """The worked example of docs/metrics.md with three providers (AGB codes): a1-a2, a3-a4, a5-a6."""
    return [{**row, "provider_code": f"1234567{i // 2}"} for i, row in enumerate(WORKED_EXAMPLE)]


@pytest.fixture
def worked(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    """The worked example with three providers, loaded."""
    rows = with_providers()
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    return warehouse


def test_a_new_metric_is_one_declaration(worked: Warehouse, declared: Metric) -> None:
    result = run_metric(worked, MetricRequest("providers", grain="half", **YEAR_2018))
    assert result.columns == ("period", "providers", "allocations", "allocations_per_provider")
    assert result.rows == [("2018-H1", 3, 6, 2.0), ("2018-H2", 2, 2, 1.0)]
    assert "NULLIF" in result.sql()
    # headers and privacy come from the declarations: 3 providers is a small count, the ratio derives from it
    ledger = Ledger()
    draft = build.draft_table(result, ledger, "t")
    table = build.finish_table(draft, ledger.hide(DEFAULT_POLICY), DEFAULT_POLICY)
    assert table.headers == ("Periode", "Aanbieders", "Toewijzingen", "Toewijzingen per aanbieder")
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["2018-H1", "< 5", "6", "x"],
        ["2018-H2", "< 5", "< 5", "x"],
    ]
    shown = listed()
    assert (
        "allocations_per_provider 'Toewijzingen per aanbieder' (verhouding: Toewijzingen / Aanbieders)"
        in shown
    )


def recent_providers(t: Table, scope: engine.Scope, quiet_weeks: int) -> Table:
    """The query of the test's metric with a new option: distinct providers with an allocation running in
    the slot or in the ``quiet_weeks`` weeks before it."""
    widened = tuple(Period(s.first - timedelta(weeks=quiet_weeks), s.last, s.label) for s in scope.slots)
    running = engine.running_allocations(t, engine.Scope(widened, scope.by, scope.bands))
    return running.group_by("slot").aggregate(providers=running.provider_code.nunique())


QUIET_WEEKS = Option(
    "quiet_weeks",
    int,
    4,
    "Weken zonder toewijzing waarna een aanbieder niet meer meetelt.",
    "SDM_QUIET_WEEKS",
    looks_back=lambda first, weeks: first - timedelta(weeks=weeks),
)
RECENT_PROVIDERS = Metric(
    "recent_providers",
    "Recente aanbieders",
    "Aanbieders met een lopende toewijzing in de periode of de --quiet-weeks weken ervoor.",
    "Test",
    ("providers",),
    recent_providers,
    by=(),
    options=("quiet_weeks",),
    history=True,
)


def test_a_new_option_is_one_declaration(
    declared: Metric, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A metric with an option no other metric has: ``sdm metric`` takes it (flag, default, help, environment
    variable) and its look-back decides which periods are incomplete, from the declarations alone."""
    monkeypatch.setitem(OPTIONS, "quiet_weeks", QUIET_WEEKS)
    monkeypatch.setitem(CATALOGUE, "recent_providers", RECENT_PROVIDERS)
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:  # the worked example's history starts on 2017-10-01 (a1)
        load_allocations(warehouse, write_csv(tmp_path / "t.csv", with_providers()), LoadOptions(),
                         now=datetime(2024, 1, 1))  # fmt: skip
    runner = CliRunner()

    def csv(*options: str, env: dict[str, str] | None = None) -> list[str]:
        asked = ["--db", str(db), "metric", "recent_providers", "--from", "2018-01-01", "--to", "2018-12-31"]
        result = runner.invoke(cli, [*asked, "--format", "csv", *options], env=env)
        assert result.exit_code == 0, result.output
        return result.output.splitlines()

    # C's last allocation ends on 2018-06-30: within 4 weeks before 2018-H2, not within 0
    assert csv() == ["period,providers,status", "2018-H1,3,", "2018-H2,3,"]
    assert csv("--quiet-weeks", "0") == ["period,providers,status", "2018-H1,3,", "2018-H2,2,"]
    assert csv(env={"SDM_QUIET_WEEKS": "0"})[2] == "2018-H2,2,"
    # 20 weeks before 2018-01-01 lie before the history start: the first half-year is incomplete
    assert csv("--quiet-weeks", "20") == ["period,providers,status", "2018-H1,3,onvolledig", "2018-H2,3,"]
    shown = " ".join(runner.invoke(cli, ["metric", "--help"]).output.split())
    assert (
        "--quiet-weeks GETAL Weken zonder toewijzing waarna een aanbieder niet meer meetelt. "
        "[omgevingsvariabele: SDM_QUIET_WEEKS; standaard: 4]"
    ) in shown
    assert "opties: --quiet-weeks;" in listed()
