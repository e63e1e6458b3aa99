"""The metric engine against pandas, Polars and hand-written SQL (issues 3, 9): ``python -m benchmarks metrics``.

Three figures (``metrics_baselines.py``) on the national-size demo (17.9 million inhabitants, about 26
million allocations; ``--quick``: 200,000 inhabitants; ``--inhabitants N``: another size), each computed by
the engine (``run_metric``), by plain pandas, by Polars and by every hand-written SQL formulation, each run in
its own child process: seconds are measured in the child from just before the warehouse is opened until the
rows are in Python; peak MB is the child's maximum resident set (VmHWM), imports included (``base_mb`` is the
peak after the imports). All implementations must give the same rows (AssertionError otherwise); the full
run first runs everything on the quick data, so a disagreement stops it before the national run. The engine,
pandas, Polars and the fastest SQL are then timed once more at national size (best of two). One SQL
formulation per figure also runs on the text key of before migration 0009 (``*_text_key``): what the
integer client key saves. Last, every metric of the catalogue is timed once on the default demo (120,000
inhabitants).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parent
DATA = HERE / "data"
KEY = "benchmark-key-0123456789abcdef"
NATIONAL, QUICK, DEMO = 17_900_000, 200_000, 120_000
TARGETS = {  # seconds (2 cores) per figure; plus: engine >= 3x pandas, <= 1.5x SQL, < 4 GB
    "clients": 10.0,
    "flows": 30.0,
    "stock": 10.0,
}
MIN_SPEEDUP, MAX_VS_SQL, MAX_MB, CATALOGUE_SECONDS = 3.0, 1.5, 4000, 1.0


# -- data ------------------------------------------------------------------------------------------------


def _sdm(*args: str) -> None:
    command = [sys.executable, "-c", "from sdmonitor.cli import main; main()", "--quiet", *args]
    done = subprocess.run(
        command, env={**os.environ, "SDM_PSEUDONYM_KEY": KEY}, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def prepare(inhabitants: int) -> Path:
    """A warehouse with the demo allocations of ``inhabitants`` (made once, then reused)."""
    db = DATA / f"metrics_{inhabitants}.duckdb"
    if db.exists():
        from sdmonitor.warehouse import open_warehouse

        open_warehouse(db).close()  # brings the schema up to date (the children open it read-only)
        return db
    DATA.mkdir(parents=True, exist_ok=True)
    out = DATA / f"metrics_{inhabitants}_files"
    partial = DATA / f"metrics_{inhabitants}.partial.duckdb"
    shutil.rmtree(out, ignore_errors=True)
    for leftover in DATA.glob(f"{partial.name}*"):
        leftover.unlink()
    print(f"generating and loading the demo of {inhabitants:,} inhabitants ...", flush=True)
    start = time.perf_counter()
    _sdm("generate", str(out), "--inhabitants", str(inhabitants))
    report = DATA / f"metrics_{inhabitants}_report.csv"
    _sdm(
        "--db",
        str(partial),
        "load",
        "allocations",
        str(out / "toewijzingen.parquet"),
        "--report",
        str(report),
    )
    partial.rename(db)
    shutil.rmtree(out, ignore_errors=True)
    print(f"  ready in {time.perf_counter() - start:.0f} s: {db}", flush=True)
    return db


def warm(db: Path) -> None:
    """Read the warehouse file once so that every child finds it in the page cache."""
    with db.open("rb") as f:
        while f.read(1 << 24):
            pass


# -- children --------------------------------------------------------------------------------------------


def child(argv: list[str]) -> None:
    """In a child process: run one implementation (``engine``/``pandas``/``polars``/``sql:<variant>``/``catalogue``) of
    one figure on ``db``; print one JSON line (seconds, read_seconds, peak and base MB, rows)."""
    kind, figure, db = argv[0], argv[1], Path(argv[2])
    from benchmarks import metrics_baselines as baselines
    from sdmonitor.metrics import CATALOGUE, MetricRequest, run_metric
    from sdmonitor.warehouse import open_warehouse

    base_mb = _max_rss_mb()
    result: dict[str, Any] = {}
    start = time.perf_counter()
    warehouse = open_warehouse(db, read_only=True)
    if kind == "engine":
        rows = run_metric(warehouse, baselines.REQUESTS[figure]).rows
    elif kind == "pandas":
        rows, result["read_seconds"] = baselines.run_pandas(warehouse, figure)
    elif kind == "polars":
        rows, result["read_seconds"] = baselines.run_polars(warehouse, figure)
    elif kind.startswith("sql:"):
        rows = baselines.run_sql(warehouse, figure, kind.removeprefix("sql:"))
    elif kind == "catalogue":
        warehouse.ibis()
        result["setup_seconds"] = round(time.perf_counter() - start, 3)
        times: dict[str, float | str] = {}
        for name, metric in CATALOGUE.items():
            request = (
                MetricRequest(name, on=baselines.QUARTER_STARTS, by=("law",))
                if metric.on_dates
                else MetricRequest(name, grain="half", start=baselines.FIRST, end=baselines.LAST, by=("law",))
            )
            began = time.perf_counter()
            try:
                run_metric(warehouse, request)
                times[name] = round(time.perf_counter() - began, 3)
            except Exception as exc:  # a metric under construction elsewhere: report it, go on
                times[name] = f"error: {type(exc).__name__}: {exc}"
        result["metrics"] = times
        rows = []
    else:
        raise ValueError(kind)
    result["seconds"] = time.perf_counter() - start
    warehouse.close()
    result |= {"peak_mb": _max_rss_mb(), "base_mb": base_mb, "rows": baselines.normalise(rows)}
    print(json.dumps(result, default=str))


def _max_rss_mb() -> int:
    """This process's peak resident set. VmHWM, not getrusage: ru_maxrss starts at the parent's peak when
    the child is started with vfork+exec, as subprocess does."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1000)  # kB
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000)  # Linux: kB


def run_child(kind: str, figure: str, db: Path) -> dict[str, Any]:
    """Run ``child`` in a fresh interpreter; its JSON result."""
    command = [sys.executable, "-c", "import sys; from benchmarks.metrics import child; child(sys.argv[1:])"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [*command, kind, figure, str(db)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} {figure} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["rows"] = [tuple(row) for row in result["rows"]]
    return result


def _again(run: dict[str, Any], kind: str, figure: str, db: Path, times: int) -> dict[str, Any]:
    """``run`` or a faster one of ``times`` more runs (peak MB: the highest seen)."""
    runs = [run, *(run_child(kind, figure, db) for _ in range(times))]
    best = min(runs, key=lambda r: float(r["seconds"]))
    return {**best, "peak_mb": max(int(r["peak_mb"]) for r in runs)}


# -- the benchmark ---------------------------------------------------------------------------------------


def compare(figure: str, db: Path, repeats: int) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Every implementation of one figure once; the engine, pandas, Polars and the fastest SQL (and its text-key
    twin) best of ``repeats``.
    Returns the engine result (with ratios and targets) and all runs.

    Raises AssertionError when any implementation's rows differ from the engine's.
    """
    from benchmarks.metrics_baselines import SQL, TEXT_KEY

    kinds = ["engine", "pandas", "polars", *(f"sql:{variant}" for variant in SQL[figure])]
    runs = {kind: run_child(kind, figure, db) for kind in kinds}
    candidates = [k for k in kinds[3:] if not k.endswith(TEXT_KEY)]
    sql_kind = min(candidates, key=lambda k: float(runs[k]["seconds"]))
    text_kind = next((k for k in kinds if k.endswith(TEXT_KEY)), None)
    integer_kind = None if text_kind is None else text_kind.removesuffix(TEXT_KEY)
    for kind in dict.fromkeys(("engine", "pandas", "polars", sql_kind, text_kind, integer_kind)):
        if kind is not None:  # those compared: best of ``repeats``
            runs[kind] = _again(runs[kind], kind, figure, db, repeats - 1)
    reference = runs["engine"]["rows"]
    for kind, run in runs.items():
        if run["rows"] != reference:
            extra, missing = set(run["rows"]) - set(reference), set(reference) - set(run["rows"])
            raise AssertionError(
                f"{figure}: {kind} differs from the engine ({len(run['rows'])} vs {len(reference)} rows); "
                f"only in {kind}: {sorted(extra)[:5]}; only in engine: {sorted(missing)[:5]}"
            )
    sql_kind = min(candidates, key=lambda k: float(runs[k]["seconds"]))
    engine, pandas, polars, sql = runs["engine"], runs["pandas"], runs["polars"], runs[sql_kind]
    summary: dict[str, Any] = {
        "seconds": round(engine["seconds"], 2),
        "peak_mb": engine["peak_mb"],
        "pandas_seconds": round(pandas["seconds"], 2),
        "pandas_read_seconds": round(pandas["read_seconds"], 2),
        "pandas_peak_mb": pandas["peak_mb"],
        "polars_seconds": round(polars["seconds"], 2),
        "polars_read_seconds": round(polars["read_seconds"], 2),
        "polars_peak_mb": polars["peak_mb"],
        "sql_seconds": round(sql["seconds"], 2),
        "sql_peak_mb": sql["peak_mb"],
        "sql_variant": sql_kind.removeprefix("sql:"),
        "speedup_vs_pandas": round(pandas["seconds"] / engine["seconds"], 2),
        "engine_vs_sql": round(engine["seconds"] / sql["seconds"], 2),
        "polars_vs_engine": round(polars["seconds"] / engine["seconds"], 2),
        "polars_vs_sql": round(polars["seconds"] / sql["seconds"], 2),
        "pandas_vs_sql": round(pandas["seconds"] / sql["seconds"], 2),
        "rows": len(reference),
    }
    if text_kind is not None and integer_kind is not None:
        summary["text_key_variant"] = integer_kind.removeprefix("sql:")
        summary["sql_integer_key_seconds"] = round(runs[integer_kind]["seconds"], 2)
        summary["sql_text_key_seconds"] = round(runs[text_kind]["seconds"], 2)
        summary["text_key_vs_integer_key"] = round(
            runs[text_kind]["seconds"] / runs[integer_kind]["seconds"], 2
        )
    summary["targets_met"] = {
        f"< {TARGETS[figure]:g} s": engine["seconds"] < TARGETS[figure],
        f">= {MIN_SPEEDUP:g}x pandas": summary["speedup_vs_pandas"] >= MIN_SPEEDUP,
        f"<= {MAX_VS_SQL:g}x SQL": summary["engine_vs_sql"] <= MAX_VS_SQL,
        f"< {MAX_MB} MB": engine["peak_mb"] < MAX_MB,
    }
    return summary, runs


def bench_figures(inhabitants: int, repeats: int) -> list[dict[str, Any]]:
    """The three figures on the demo of ``inhabitants``: one result per figure and per implementation."""
    from benchmarks.metrics_baselines import DESCRIPTIONS, FIGURES

    db = prepare(inhabitants)
    warm(db)
    results: list[dict[str, Any]] = []
    for figure in FIGURES:
        summary, runs = compare(figure, db, repeats)
        name = f"{figure} ({inhabitants:,} inh.)"
        results.append({"name": f"{name}: engine", "figure": figure, "what": DESCRIPTIONS[figure], **summary})
        for kind, run in runs.items():
            if kind != "engine":
                extra = {"read_seconds": round(run["read_seconds"], 2)} if "read_seconds" in run else {}
                results.append(
                    {"name": f"{name}: {kind}", "seconds": round(run["seconds"], 2), "peak_mb": run["peak_mb"],
                     **extra, "base_mb": run["base_mb"]}
                )  # fmt: skip
        print(_figure_table(name, summary, runs), flush=True)
    return results


def bench_catalogue(inhabitants: int) -> dict[str, Any]:
    """Every metric of the catalogue once (half-years 2015-2024 by law; stock on the quarter starts)."""
    db = prepare(inhabitants)
    warm(db)
    run = run_child("catalogue", "-", db)
    times = run["metrics"]
    slow = {n: t for n, t in times.items() if isinstance(t, str) or t >= CATALOGUE_SECONDS}
    result = {
        "name": f"catalogue ({inhabitants:,} inh.)",
        "seconds": round(run["seconds"], 2),
        "peak_mb": run["peak_mb"],
        "setup_seconds": run["setup_seconds"],
        "metrics": times,
        "all_under_1_s": not slow,
    }
    print(f"\ncatalogue, each metric once on {inhabitants:,} inhabitants (target < {CATALOGUE_SECONDS:g} s):")
    for name, seconds in times.items():
        print(f"  {name:24} {seconds if isinstance(seconds, str) else f'{seconds:6.2f} s'}")
    return result


def _figure_table(name: str, summary: dict[str, Any], runs: dict[str, dict[str, Any]]) -> str:
    lines = [f"\n{name}", f"  {'implementation':28} {'seconds':>8} {'peak MB':>8} {'base MB':>8}  note"]
    for kind, run in runs.items():
        note = f"read {run['read_seconds']:.2f} s" if "read_seconds" in run else ""
        if kind == f"sql:{summary['sql_variant']}":
            note = "fastest SQL"
        lines.append(f"  {kind:28} {run['seconds']:8.2f} {run['peak_mb']:8} {run['base_mb']:8}  {note}")
    met = ", ".join(f"{t}: {'yes' if ok else 'NO'}" for t, ok in summary["targets_met"].items())
    lines.append(
        f"  engine: {summary['speedup_vs_pandas']}x faster than pandas, {summary['engine_vs_sql']}x the fastest "
        f"SQL; Polars takes {summary['polars_vs_engine']}x the engine's time; targets {met}"
    )
    if "text_key_vs_integer_key" in summary:
        lines.append(
            f"  {summary['text_key_variant']} on the text key: {summary['sql_text_key_seconds']} s, "
            f"{summary['text_key_vs_integer_key']}x its time on the integer key"
        )
    return "\n".join(lines)


def main_metrics(quick: bool, inhabitants: int = NATIONAL) -> list[dict[str, Any]]:
    """The metric benchmarks: verify on the quick data, then time (``inhabitants``, national size by default,
    unless ``quick``)."""
    results = bench_figures(QUICK, repeats=1)  # raises when any implementation disagrees
    if not quick:
        results = bench_figures(inhabitants, repeats=2)
    results.append(bench_catalogue(DEMO))
    print(f"\n{'figure':48} {'engine s':>9} {'pandas s':>9} {'polars s':>9} {'SQL s':>7} {'eng MB':>7} "
          f"{'pd MB':>7} {'pl MB':>7} {'SQL MB':>7} {'x pandas':>9} {'x SQL':>6}")  # fmt: skip
    for r in results:
        if "speedup_vs_pandas" in r:
            print(f"{r['name'].removesuffix(': engine'):48} {r['seconds']:9.2f} {r['pandas_seconds']:9.2f} "
                  f"{r['polars_seconds']:9.2f} {r['sql_seconds']:7.2f} {r['peak_mb']:7} {r['pandas_peak_mb']:7} "
                  f"{r['polars_peak_mb']:7} {r['sql_peak_mb']:7} {r['speedup_vs_pandas']:9.2f} "
                  f"{r['engine_vs_sql']:6.2f}")  # fmt: skip
    return results
