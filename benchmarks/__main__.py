"""Run the benchmarks: ``python -m benchmarks [load] [generate] [metrics] [costs] [forecast] [access] [benefits]
[report] [dashboard] [--quick]`` (all: ``make bench``).

Each benchmark runs the real ``sdm`` command in a child process, measured with wall time and peak resident
memory of that process tree (sampled every 50 ms); results go to ``benchmarks/results/*.json`` and a table
is printed. Data files are written to ``benchmarks/data/`` (git-ignored) and reused between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import psutil

from benchmarks.canonical_csv import write_rows

HERE = Path(__file__).parent
DATA = HERE / "data"
RESULTS = HERE / "results"
# a strong key of its own per run: the benchmark file carries BSNs outside the demo range, and sdmonitor refuses
# a published key for those (docs/configuration.md)
KEY = secrets.token_urlsafe(32)


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall time (s) and peak RSS (MB) of a command and its children."""
    # output goes to a file, not a pipe: a chatty child must never block on a full pipe
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = psutil.Popen(
            command, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
        peak = 0
        while process.poll() is None:
            try:
                children = process.children(recursive=True)
                peak = max(peak, process.memory_info().rss + sum(c.memory_info().rss for c in children))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 1e6)}


def sdm(*args: str) -> list[str]:
    return [sys.executable, "-c", "from sdmonitor.cli import main; main()", "--quiet", *args]


def _remove(paths: Iterable[Path]) -> None:
    """Delete files and folders (a warehouse leaves a .tmp folder behind when it spilled to disk)."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def bench_load(rows: int) -> dict[str, object]:
    """Load ``rows`` canonical CSV rows (half with a BSN, 0.5 % faulty) into a fresh warehouse."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"rows_{rows}.csv"
    if not path.exists():
        write_rows(path, rows)
    db = DATA / f"load_{rows}.duckdb"
    _remove(DATA.glob(f"load_{rows}.duckdb*"))
    result = measure(
        sdm("--db", str(db), "load", "allocations", str(path), "--report", str(DATA / f"report_{rows}.csv")),
        env={"SDM_PSEUDONYM_KEY": KEY},
    )
    _remove(DATA.glob(f"load_{rows}.duckdb*"))
    seconds = float(result["seconds"])
    return {"name": f"load {rows:,} CSV rows", **result, "rows_per_second": round(rows / seconds),
            "file_mb": round(path.stat().st_size / 1e6)}  # fmt: skip


def bench_generate(inhabitants: int) -> dict[str, object]:
    """Generate a fictional population of ``inhabitants`` to Parquet."""
    out = DATA / f"generate_{inhabitants}"
    shutil.rmtree(out, ignore_errors=True)
    result = measure(sdm("generate", str(out), "--inhabitants", str(inhabitants)))
    rows = sum(
        int(__import__("pyarrow.parquet", fromlist=["ParquetFile"]).ParquetFile(p).metadata.num_rows)
        for p in out.glob("toewijzingen*.parquet")
    )
    shutil.rmtree(out, ignore_errors=True)
    return {"name": f"generate {inhabitants:,} inhabitants", **result, "allocations": rows}


def bench_report() -> list[dict[str, object]]:
    """The half-year and the quarterly report (PDF, HTML, XLSX, edition) of the default demo municipality."""
    folder = DATA / "report"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = str(folder / "sdm.duckdb")
    subprocess.run(sdm("--db", db, "demo"), check=True, capture_output=True)  # builds the warehouse
    results = []
    for kind, period in (("halfyear", "2024-H2"), ("quarter", "2024-Q4")):
        result = measure(sdm("--db", db, "report", kind, "--period", period, "--out", str(folder / "out")))
        results.append({"name": f"report {kind} {period} (demo)", **result, "target_s": 15})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "which",
        nargs="*",
        help="load, generate, metrics, costs, forecast, access, benefits, report and/or dashboard (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    parser.add_argument(
        "--inhabitants",
        type=int,
        default=None,
        help="metrics, access: time on the demo of this many inhabitants instead of the national 17,900,000",
    )
    parser.add_argument(
        "--lines",
        type=int,
        default=None,
        help="costs: time on this many declaration lines instead of 30,000,000",
    )
    parser.add_argument(
        "--persons",
        type=int,
        default=None,
        help="benefits: time on the benefits of this many persons instead of 1,600,000 (national)",
    )
    parser.add_argument(
        "--setup",
        choices=["insert", "load"],
        default="insert",
        help="costs: fill the warehouse by INSERT from Parquet (default) or by 'sdm load declarations' (timed)",
    )
    args = parser.parse_args()
    groups = ["load", "generate", "metrics", "costs", "forecast", "access", "benefits", "report", "dashboard"]
    args.which = args.which or groups
    if set(args.which) - set(groups):
        parser.error(f"choose from: {', '.join(groups)}")
    results: list[dict[str, object]] = []
    if "load" in args.which:
        for rows in [100_000] if args.quick else [1_000_000, 10_000_000]:
            results.append(bench_load(rows))
            print(results[-1], flush=True)
    if "generate" in args.which:
        for inhabitants in [120_000] if args.quick else [120_000, 17_900_000]:
            results.append(bench_generate(inhabitants))
            print(results[-1], flush=True)
    if "metrics" in args.which:
        from benchmarks.metrics import main_metrics

        results.extend(main_metrics(args.quick, args.inhabitants or 17_900_000))
    if "costs" in args.which:
        from benchmarks.costs import LARGE, main_costs

        results.extend(main_costs(args.quick, args.lines or LARGE, args.setup))
    if "forecast" in args.which:
        from benchmarks.costs import bench_forecast

        results.append(bench_forecast())
        print(results[-1], flush=True)
    if "access" in args.which:
        from benchmarks.access import NATIONAL, main_access

        results.extend(main_access(args.quick, args.inhabitants or NATIONAL))
    if "benefits" in args.which:
        from benchmarks.benefits import NATIONAL as PERSONS
        from benchmarks.benefits import main_benefits

        results.extend(main_benefits(args.quick, args.persons or PERSONS))
    if "dashboard" in args.which:
        from benchmarks.dashboard import main_dashboard

        results.extend(main_dashboard(args.quick))
    if "report" in args.which:
        results.extend(bench_report())
        print(results[-2:], flush=True)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    record = {"when": stamp, "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "results": results}  # fmt: skip
    (RESULTS / f"{stamp}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    print(f"\n{'benchmark':40} {'seconds':>9} {'peak MB':>9}  other")
    for r in results:
        other = {k: v for k, v in r.items() if k not in {"name", "seconds", "peak_mb"}}
        print(f"{r['name']:40} {r['seconds']:>9} {r['peak_mb']:>9}  {other}")


if __name__ == "__main__":
    main()
