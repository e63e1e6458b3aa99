"""Key figures and KPIs: value, change, arrows for the short and the long trend, targets, 'geen gegevens'."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import run_metric
from sdmonitor.reports.keyfigures import finish_key_figure, key_figure, key_figure_request, key_figure_values
from sdmonitor.reports.protect import Ledger, Protection
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Kpi, Section, Template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv

TEMPLATE = Template("t", "Test", Grain.HALF, 3, 5.0, (Section("s", "S", "clients"),))


def setup(warehouse: Warehouse, tmp_path: Path) -> None:
    # Wmo: 20 clients in 2017-H1 and H2, 22 in 2018-H1 (+10 %); Jeugdwet: 3 clients (small)
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-01-10", end="2018-06-30") for i in range(20)]
    rows += [allocation(f"n{i}", client=f"N{i}", start="2018-03-01") for i in range(2)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2017-01-10")
             for i in range(3)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 1))


def test_a_key_figure_has_its_value_change_and_both_trends(warehouse: Warehouse, tmp_path: Path) -> None:
    setup(warehouse, tmp_path)
    kpi = Kpi("wmo", "Cliënten Wmo", metric="clients", filter=(("law", "WMO"),), target=21)
    figure = key_figure(warehouse, TEMPLATE, kpi, parse_label("2018-H1"), as_of=None, policy=Policy())
    assert (figure.value_text, figure.previous_text, figure.change_pct) == ("22", "20", 10.0)
    assert (figure.trend, figure.long_trend) == ("up", "up")
    assert figure.series == (("2017-H1", 20), ("2017-H2", 20), ("2018-H1", 22))
    assert (figure.target_text, figure.meets_target) == ("21", True)
    assert (figure.base_label, figure.previous_label) == ("2017-H1", "2017-H2")


def test_a_small_key_figure_is_hidden_and_gets_no_arrow(warehouse: Warehouse, tmp_path: Path) -> None:
    setup(warehouse, tmp_path)
    kpi = Kpi("jw", "Jeugd", metric="clients", filter=(("law", "JW"),))
    figure = key_figure(warehouse, TEMPLATE, kpi, parse_label("2018-H1"), as_of=None, policy=Policy())
    assert figure.value_text == "< 5" and figure.value is None
    assert figure.trend is None and figure.change_pct is None
    assert all(value is None for _, value in figure.series)


def test_a_kpi_without_data_says_which_data_it_needs(warehouse: Warehouse, tmp_path: Path) -> None:
    figure = key_figure(
        warehouse, TEMPLATE, Kpi("w", "Wachttijd", needs="wachttijden"), parse_label("2018-H1"),
        as_of=None, policy=Policy(),
    )  # fmt: skip
    assert not figure.has_data and "wachttijden" in figure.missing_text


def test_a_percentage_changes_in_percentage_points_and_a_count_in_percent(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    setup(warehouse, tmp_path)
    rate = Kpi(
        "uit", "Uitstroom Wmo", metric="outflow_rate", filter=(("law", "WMO"),), measure="outflow_rate"
    )
    figure = key_figure(warehouse, TEMPLATE, rate, parse_label("2018-H1"), as_of=None, policy=Policy())
    assert figure.is_percentage and figure.value_text == "90,9 %"  # 20 of 22 Wmo clients left
    before = dict(figure.series)["2017-H2"]
    assert before is not None
    assert figure.change_points == round((20 / 22 - before) * 100, 1)
    assert figure.change_text == f"+{figure.change_points:.1f} %-punt".replace(".", ",")
    count = key_figure(warehouse, TEMPLATE, Kpi("wmo", "Wmo", metric="clients", filter=(("law", "WMO"),)),
                       parse_label("2018-H1"), as_of=None, policy=Policy())  # fmt: skip
    assert count.change_text == "+10,0 %" and count.change_points is None


def test_a_kpi_without_a_target_says_so_and_is_never_missed(warehouse: Warehouse, tmp_path: Path) -> None:
    setup(warehouse, tmp_path)
    kpi = Kpi("wmo", "Cliënten Wmo", metric="clients", filter=(("law", "WMO"),))
    figure = key_figure(warehouse, TEMPLATE, kpi, parse_label("2018-H1"), as_of=None, policy=Policy())
    assert figure.target_text is None and figure.meets_target is None
    assert figure.target_or_none == "geen streefwaarde"


def test_no_trend_arrow_rests_on_an_incomplete_period(warehouse: Warehouse, tmp_path: Path) -> None:
    # the data start on 2016-07-01 with 30 running clients: 2016-H2's inflow of 30 is the stock, not new
    rows = [allocation(f"s{i}", client=f"S{i}", start="2016-07-01") for i in range(30)]
    for half, start in enumerate(("2017-02-01", "2017-08-01", "2018-02-01")):
        rows += [allocation(f"n{half}-{i}", client=f"N{half}-{i}", start=start) for i in range(10)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 1))
    template = Template("t", "Test", Grain.HALF, 5, 5.0, (Section("s", "S", "clients"),))
    kpi = Kpi("in", "Instroom", metric="flows", measure="inflow")
    figure = key_figure(warehouse, template, kpi, parse_label("2018-H1"), as_of=None, policy=Policy())
    assert figure.series[1:] == (("2016-H2", 30), ("2017-H1", 10), ("2017-H2", 10), ("2018-H1", 10))
    # against 2016-H2 the long trend would be 'down' (-67 %): the base is the first complete period
    assert (figure.base_label, figure.trend, figure.long_trend) == ("2017-H1", "flat", "flat")


def test_a_key_figure_of_an_incomplete_period_says_so_and_a_period_before_the_data_is_no_data(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    setup(warehouse, tmp_path)  # the history starts in January 2017: 2016-H2 lies before it
    inflow = Kpi("in", "Instroom Wmo", metric="flows", measure="inflow", filter=(("law", "WMO"),))
    figure = key_figure(warehouse, TEMPLATE, inflow, parse_label("2017-H1"), as_of=None, policy=Policy())
    assert (figure.value_text, figure.status_text) == ("20", "onvolledig")
    assert (figure.previous_label, figure.previous_text) == ("2016-H2", "geen gegevens")
    assert figure.change_pct is None and figure.trend is None
    clients = Kpi("wmo", "Cliënten Wmo", metric="clients", filter=(("law", "WMO"),))
    figure = key_figure(warehouse, TEMPLATE, clients, parse_label("2017-H1"), as_of=None, policy=Policy())
    assert figure.previous_text == "geen gegevens" and figure.status_text == ""
    assert dict(figure.series)["2016-H2"] is None  # not 0: nobody was counted because there were no data


def test_the_long_term_trend_rests_on_the_first_usable_period_after_the_history_start(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    setup(warehouse, tmp_path)
    clients = Kpi("wmo", "Cliënten Wmo", metric="clients", filter=(("law", "WMO"),))
    figure = key_figure(warehouse, TEMPLATE, clients, parse_label("2017-H2"), as_of=None, policy=Policy())
    assert figure.series[0] == ("2016-H2", None)
    assert (figure.base_label, figure.long_trend) == ("2017-H1", "flat")
    inflow = Kpi("in", "Instroom Wmo", metric="flows", measure="inflow", filter=(("law", "WMO"),))
    figure = key_figure(warehouse, TEMPLATE, inflow, parse_label("2017-H2"), as_of=None, policy=Policy())
    # 2016-H2 has no data and 2017-H1 is incomplete: there is no base, so no long-term trend
    assert (figure.base_label, figure.long_trend) == ("", None)
    assert (figure.previous_text, figure.previous_status) == ("20", "onvolledig")


def test_the_dashboard_gets_the_reports_key_figures_exact_for_an_analyst_and_rounded_for_a_viewer(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    setup(warehouse, tmp_path)
    periods = (parse_label("2017-H2"), parse_label("2018-H1"))
    kpis = [
        Kpi(f"k{law}", f"Cliënten {law}", metric="clients", filter=(("law", law),)) for law in ("WMO", "JW")
    ]

    def figures(policy: Policy | None) -> list[tuple[str | None, str | None, str | None]]:
        ledger = Ledger()
        data = [
            key_figure_values(kpi, periods, run_metric(warehouse, key_figure_request(kpi, Grain.HALF, periods,
                                                                                     as_of=None)), ledger)
            for kpi in kpis
        ]  # fmt: skip
        protection = Protection() if policy is None else ledger.hide(policy)
        shown = [finish_key_figure(d, protection, policy, 5.0) for d in data]
        return [(f.value_text, f.previous_text, f.trend) for f in shown]

    assert figures(None) == [("22", "20", "up"), ("3", "3", "flat")]  # an analyst: exact
    # a viewer: 22 is published as 20 (no change, so flat), the 3 Jeugdwet clients are hidden, without an arrow
    assert figures(Policy(threshold=5, round_to_5=True)) == [("20", "20", "flat"), ("< 5", "< 5", None)]


def test_a_key_figure_reads_as_one_sentence_with_the_verb_of_its_trend(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    setup(warehouse, tmp_path)
    kpi = Kpi("wmo", "Cliënten Wmo", metric="clients", filter=(("law", "WMO"),))
    figure = key_figure(warehouse, TEMPLATE, kpi, parse_label("2018-H1"), as_of=None, policy=Policy())
    assert figure.sentence == "Cliënten Wmo: 22 in 2018-H1; gestegen (+10,0 %) ten opzichte van 2017-H2."
