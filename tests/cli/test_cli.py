"""The sdm command as a user runs it: real process, real warehouse file, Dutch messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.builders import BSN_A, allocation, outside_demo_range_bsn, write_csv

KEY = "cli-test-key-0123456789"


def sdm(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDM_")}
    environment.update({"SDM_DB": str(cwd / "sdm.duckdb"), **(env or {})})
    return subprocess.run(
        [sys.executable, "-c", "from sdmonitor.cli import main; main()", *args],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_load_prints_the_counts_and_the_report_path(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1"), allocation("T2", law="Wlz"), allocation("T1")])
    result = sdm("load", "allocations", str(path), "--report", str(tmp_path / "r.csv"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "gelezen 3 = geladen 1 + ongewijzigd 0 + dubbel 1 + afgewezen 1" in result.stdout
    assert "invalid_law 1" in result.stdout
    assert str(tmp_path / "r.csv") in result.stdout
    assert (tmp_path / "r.csv").exists()


def test_a_user_error_is_one_dutch_line_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("allocation_id,client_id\nT1,C1\n", encoding="utf-8")
    result = sdm("load", "allocations", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Fout: Kolommen ")
    assert "ontbreken in t.csv" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_strict_exits_non_zero_and_loads_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1"), allocation("T2", birth="1850-01-01")])
    result = sdm("load", "allocations", str(path), "--strict", cwd=tmp_path)
    assert result.returncode == 1
    assert "met --strict is niets geladen" in result.stderr
    listing = sdm("loads", cwd=tmp_path)
    assert "t.csv" not in listing.stdout


def test_missing_key_for_a_file_with_bsns_is_explained(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation(client=None, bsn=BSN_A)])
    result = sdm("load", "allocations", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "SDM_PSEUDONYM_KEY" in result.stderr


def test_a_bsn_never_appears_in_output_or_logs(tmp_path: Path) -> None:
    rows = [allocation("T1", client=None, bsn=BSN_A), allocation("T2", client=None, bsn="123456789")]
    path = write_csv(tmp_path / "t.csv", rows)
    result = sdm("load", "allocations", str(path), cwd=tmp_path, env={"SDM_PSEUDONYM_KEY": KEY})
    assert result.returncode == 0, result.stderr
    for bsn in (BSN_A, "123456789"):
        assert bsn not in result.stdout + result.stderr
    for report in (tmp_path / "laadrapporten").glob("*.csv"):
        assert BSN_A not in report.read_text(encoding="utf-8-sig")


def test_reloading_an_older_extraction_exits_non_zero_and_keeps_the_newer_end(tmp_path: Path) -> None:
    january = write_csv(tmp_path / "jan.csv", [allocation("O1")])
    february = write_csv(tmp_path / "feb.csv", [allocation("O1", end="2018-02-28")])
    for path, day in ((january, "2018-02-01"), (february, "2018-03-01")):
        assert sdm("load", "allocations", str(path), "--extracted-on", day, cwd=tmp_path).returncode == 0
    resaved = tmp_path / "jan-lf.csv"
    resaved.write_bytes(january.read_bytes().replace(b"\r\n", b"\n"))
    result = sdm("load", "allocations", str(resaved), "--extracted-on", "2018-02-01", cwd=tmp_path)
    assert result.returncode == 1
    assert "is ouder" in result.stderr and "--reload" in result.stderr
    flows = sdm("metric", "flows", "--from", "2018-02-01", "--to", "2018-02-28", "--grain", "month",
                "--format", "csv", cwd=tmp_path)  # fmt: skip
    assert flows.stdout.splitlines()[1].split(",")[:4] == ["2018-02", "0", "1", "-1"]


def test_reloading_january_with_crlf_after_february_without_dates_exits_non_zero_and_keeps_the_end(
    tmp_path: Path,
) -> None:
    written = write_csv(tmp_path / "written.csv", [allocation("O1")])
    january = tmp_path / "jan.csv"
    january.write_bytes(written.read_bytes().replace(b"\r\n", b"\n"))
    february = write_csv(tmp_path / "feb.csv", [allocation("O1", end="2018-02-28")])
    crlf = tmp_path / "jan_crlf.csv"
    crlf.write_bytes(january.read_bytes().replace(b"\n", b"\r\n"))
    assert crlf.read_bytes() != january.read_bytes()
    for path in (january, february):
        assert sdm("load", "allocations", str(path), cwd=tmp_path).returncode == 0
    result = sdm("load", "allocations", str(crlf), cwd=tmp_path)
    assert result.returncode == 1
    assert "oudere export" in result.stderr and "'O1'" in result.stderr and "--reload" in result.stderr
    flows = sdm("metric", "flows", "--from", "2018-02-01", "--to", "2018-02-28", "--grain", "month",
                "--format", "csv", cwd=tmp_path)  # fmt: skip
    assert flows.stdout.splitlines()[1].split(",")[:4] == ["2018-02", "0", "1", "-1"]


def test_a_future_extraction_date_is_refused_in_dutch(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1")])
    result = sdm("load", "allocations", str(path), "--extracted-on", "2999-01-01", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Fout: Exportdatum 01-01-2999 ligt na de laaddag")


def test_init_and_loads_and_mappings_answer(tmp_path: Path) -> None:
    from sdmonitor.warehouse.database import migrations

    assert f"schemaversie {migrations()[-1].version}" in sdm("init", cwd=tmp_path).stdout
    write_csv(tmp_path / "t.csv", [allocation("T1")])
    sdm("load", "allocations", "t.csv", "--source", "gws", cwd=tmp_path)
    listing = sdm("loads", cwd=tmp_path).stdout
    assert "t.csv" in listing and "gws" in listing
    mappings = sdm("mappings", cwd=tmp_path).stdout
    assert "nl-export" in mappings and "Ingangsdatum -> start_date" in mappings
    # the declaration layouts and the finance tables are listed too
    for name in ("sdm load declarations", "nl-declaraties", "iwmo-323", "ijw-323", "sdm load tariffs"):
        assert name in mappings, name
    assert "tariff* (tarief" in mappings and "sdm load budgets" in mappings and "sdm load index" in mappings


def test_options_have_help_text(tmp_path: Path) -> None:
    result = sdm("load", "allocations", "--help", cwd=tmp_path)
    assert "--strict" in result.stdout and "SDM_STRICT" in result.stdout


def test_every_option_has_an_sdm_environment_variable() -> None:
    import click

    from sdmonitor.cli import cli

    def missing(group: click.Group, prefix: str) -> list[str]:
        found = []
        for name, command in group.commands.items():
            for param in command.params:
                if isinstance(param, click.Option) and param.name not in ("help", "version"):
                    envvar = param.envvar if isinstance(param.envvar, str) else None
                    if not (envvar and envvar.startswith("SDM_")):
                        found.append(f"{prefix}{name} --{param.name}")
            if isinstance(command, click.Group):
                found.extend(missing(command, f"{prefix}{name} "))
        return found

    assert missing(cli, "") == []


def test_a_published_key_is_refused_for_a_file_with_a_real_bsn(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1", client=None, bsn=outside_demo_range_bsn())])
    env = {"SDM_PSEUDONYM_KEY": "sdmonitor-demo-key-fictional-data-only"}
    result = sdm("load", "allocations", str(path), cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "niet geheim of niet sterk genoeg" in result.stderr
    assert "secrets.token_urlsafe(32)" in result.stderr and "Traceback" not in result.stderr
    assert outside_demo_range_bsn() not in result.stdout + result.stderr


def test_a_load_refused_after_its_first_batch_ends_with_its_dutch_message_not_an_abort(
    tmp_path: Path,
) -> None:
    """The CSV reader reads blocks ahead in a thread of its own; a load that stops with an error while that
    thread still runs must exit with its one Dutch line (exit 1), never a 'Fatal Python error' (abort)."""
    path = tmp_path / "groot.csv"
    line = "T{},," + outside_demo_range_bsn() + ",15-03-1950,WMO,02,,,2018-01-01,\n"  # outside the demo range
    with path.open("w", encoding="utf-8") as out:
        out.write("allocation_id,client_id,bsn,birth_date,law,product_category,product_code,provider_code,"
                  "start_date,end_date\n")  # fmt: skip
        out.writelines(line.format(i) for i in range(400_000))  # about 22 MB: more than one block of 16 MB
    # (the abort was seen with files of more than the 8 blocks read ahead, 140 MB; this guards the exit path)
    result = sdm("load", "allocations", str(path), cwd=tmp_path, env={"SDM_PSEUDONYM_KEY": KEY})
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Fatal Python error" not in result.stderr and "niet sterk genoeg" in result.stderr
