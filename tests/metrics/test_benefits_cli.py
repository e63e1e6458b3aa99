"""The black-box contract of the Participatiewet metrics through `sdm metric`: CSV headers, values, the
per-metric default of --max-gap-days and the Dutch refusals."""

from __future__ import annotations

from pathlib import Path

from tests.benefit_builders import benefit, write_benefits
from tests.cli.test_cli import sdm


def loaded(tmp_path: Path) -> Path:
    rows = [
        benefit(benefit_id="U1", client_id="A", gender="1", partner_id="B", partner_gender="2",
                partner_birth_date="1982-02-03", household_type="3", start_date="2020-01-01",
                end_date="2020-12-31", outflow_reason="11"),
        benefit(benefit_id="U2", client_id="A", gender="1", start_date="2021-01-20"),
    ]  # fmt: skip
    path = write_benefits(tmp_path / "uitkeringen.csv", rows)
    result = sdm("load", "benefits", str(path), "--extracted-on", "2021-06-30", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_benefits_and_flows_csv_contract(tmp_path: Path) -> None:
    loaded(tmp_path)
    stock = sdm("metric", "benefits", "--on", "2020-06-30", "--on", "2021-03-01", "--by", "sex", "--format", "csv",
                cwd=tmp_path)  # fmt: skip
    assert stock.returncode == 0, stock.stderr
    assert stock.stdout.splitlines() == [
        "date,sex,benefits,persons,status",
        "2020-06-30,man,1,1,",
        "2020-06-30,vrouw,0,1,",
        "2021-03-01,man,1,1,",
    ]
    flows = sdm("metric", "benefit_flows", "--from", "2020-01-01", "--to", "2021-06-30", "--format", "csv",
                cwd=tmp_path)  # fmt: skip
    assert flows.stdout.splitlines() == [
        "period,inflow,outflow,net,status",
        "2020-H1,2,0,2,onvolledig",
        "2020-H2,0,1,-1,",  # B; A's 19 days without a benefit are within the default 30
    ]
    strict = sdm("metric", "benefit_flows", "--from", "2020-01-01", "--to", "2021-06-30", "--max-gap-days", "0",
                 "--format", "csv", cwd=tmp_path)  # fmt: skip
    assert strict.stdout.splitlines()[2:] == ["2020-H2,0,2,-2,", "2021-H1,1,0,1,t/m 30-06-2021"]


def test_help_names_the_metric_default_and_refusals_are_dutch(tmp_path: Path) -> None:
    loaded(tmp_path)
    help_text = sdm("metric", "--help", cwd=tmp_path).stdout
    assert "--per-10000" in help_text
    assert "benefit_flows: 30" in " ".join(help_text.split())
    refused = sdm("metric", "benefit_flows", "--from", "2020-01-01", "--to", "2020-12-31", "--per-10000",
                  cwd=tmp_path)  # fmt: skip
    assert refused.returncode == 1
    assert "--per-10000 hoort bij benefits, reintegration, niet bij 'benefit_flows'." in refused.stderr
    assert "Traceback" not in refused.stderr


def test_per_10000_after_the_last_population_year_names_the_year_on_stderr(tmp_path: Path) -> None:
    loaded(tmp_path)
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2020;40;1;10000\n", encoding="utf-8"
    )
    assert sdm("load", "population", str(population), cwd=tmp_path).returncode == 0
    rated = sdm("metric", "benefits", "--on", "2021-03-01", "--per-10000", "--format", "csv", cwd=tmp_path)
    assert rated.returncode == 0, rated.stderr
    assert rated.stdout.splitlines() == ["date,benefits,persons,per_10000,status", "2021-03-01,1,1,1.0,"]
    assert "Per 10.000 inwoners: voor 2021 de bevolking van 2020" in rated.stderr
