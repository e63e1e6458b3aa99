"""Time figures of ``sdm metric`` against pandas, Polars and hand-written SQL, each implementation in a child
process: the shared driver of ``access.py`` (issue 13) and ``benefits.py`` (issue 14).

A baselines module (``access_baselines``, ``benefit_baselines``) has ``FIGURES``, ``REQUESTS``,
``DESCRIPTIONS``, ``normalise(rows, figure)``, ``same_rows(a, b, figure)``, ``run_pandas(warehouse, figure)``
and ``run_polars(warehouse, figure)`` (rows and the seconds spent reading), ``variants(figure)`` (the names of
the hand-written SQL formulations) and ``run_sql(warehouse, figure, variant)``.

In the child: seconds from just before the warehouse is opened until the rows are in Python, CPU seconds of
all its threads (on a machine shared with other work the CPU seconds change least), peak MB its VmHWM. Every
implementation runs once; the engine, pandas, Polars and the fastest SQL ``repeats - 1`` more times,
interleaved (a busy moment of the machine hits all alike), and the fastest run counts. All must give the same
rows (``same_rows``): AssertionError otherwise, or with ``strict=False`` the summary lists the differences.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.metrics import _max_rss_mb

HERE = Path(__file__).parent
ROOT = HERE.parent
TARGET_SECONDS, MIN_SPEEDUP, MAX_VS_SQL = 10.0, 3.0, 1.5


def child(argv: list[str]) -> None:
    """In a child process: implementation ``argv[0]`` (``engine``, ``pandas``, ``polars``, ``sql:<variant>``) of
    figure ``argv[1]`` of baselines module ``argv[2]`` on warehouse ``argv[3]``; prints one JSON line."""
    kind, figure, module, db = argv[0], argv[1], argv[2], Path(argv[3])
    baselines = importlib.import_module(f"benchmarks.{module}")
    from sdmonitor.metrics import run_metric
    from sdmonitor.warehouse import open_warehouse

    base_mb = _max_rss_mb()
    result: dict[str, Any] = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    warehouse = open_warehouse(db, read_only=True)
    if kind == "engine":
        rows = run_metric(warehouse, baselines.REQUESTS[figure]).rows
    elif kind == "pandas":
        rows, result["read_seconds"] = baselines.run_pandas(warehouse, figure)
    elif kind == "polars":
        rows, result["read_seconds"] = baselines.run_polars(warehouse, figure)
    elif kind.startswith("sql:"):
        rows = baselines.run_sql(warehouse, figure, kind.removeprefix("sql:"))
    else:
        raise ValueError(kind)
    result["seconds"] = time.perf_counter() - start
    result["cpu_seconds"] = time.process_time() - cpu_start
    warehouse.close()
    result |= {"peak_mb": _max_rss_mb(), "base_mb": base_mb, "rows": baselines.normalise(rows, figure)}
    print(json.dumps(result, default=str))


def run_child(kind: str, figure: str, module: str, db: Path) -> dict[str, Any]:
    command = [sys.executable, "-c", "import sys; from benchmarks.figures import child; child(sys.argv[1:])"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [*command, kind, figure, module, str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} {figure} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["rows"] = [tuple(row) for row in result["rows"]]
    return result


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run (wall time), with the least CPU seconds of all runs and the highest peak."""
    best = min(runs, key=lambda r: float(r["seconds"]))
    return {**best, "peak_mb": max(int(r["peak_mb"]) for r in runs),
            "best_cpu_seconds": min(float(r["cpu_seconds"]) for r in runs),
            "all_seconds": [round(r["seconds"], 2) for r in runs],
            "all_cpu_seconds": [round(r["cpu_seconds"], 2) for r in runs]}  # fmt: skip


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def compare(
    module: str, figure: str, db: Path, repeats: int, strict: bool = True
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Every implementation of ``figure`` once, then the engine, pandas, Polars and the fastest SQL ``repeats -
    1`` more times. Returns the summary (ratios from this run, targets, disagreements) and the best runs."""
    baselines = importlib.import_module(f"benchmarks.{module}")
    load_before = _load()
    kinds = ["engine", "pandas", "polars", *(f"sql:{variant}" for variant in baselines.variants(figure))]
    runs = {kind: [run_child(kind, figure, module, db)] for kind in kinds}
    sql_kind = min(kinds[3:], key=lambda k: float(runs[k][0]["seconds"]))
    for _ in range(repeats - 1):
        for kind in ("engine", "pandas", "polars", sql_kind):
            runs[kind].append(run_child(kind, figure, module, db))
    best = {kind: _best(r) for kind, r in runs.items()}
    reference = best["engine"]["rows"]
    disagreements = []
    for kind, kind_runs in runs.items():
        for run in kind_runs:
            if not baselines.same_rows(run["rows"], reference, figure):
                differ = [(a, b) for a, b in zip(run["rows"], reference, strict=False) if a != b][:3]
                disagreements.append(
                    f"{kind} differs from the engine ({len(run['rows'])} vs {len(reference)} rows); "
                    f"first differences ({kind}, engine): {differ}"
                )
    if disagreements and strict:
        raise AssertionError(f"{figure}: " + "; ".join(disagreements))
    sql_kind = min(kinds[3:], key=lambda k: float(best[k]["seconds"]))
    engine, pandas, polars, sql = best["engine"], best["pandas"], best["polars"], best[sql_kind]

    def ratio(a: float, b: float) -> float:
        return round(a / b, 2)

    summary: dict[str, Any] = {
        "seconds": round(engine["seconds"], 2),
        "cpu_seconds": round(engine["best_cpu_seconds"], 2),
        "peak_mb": engine["peak_mb"],
        "pandas_seconds": round(pandas["seconds"], 2),
        "pandas_cpu_seconds": round(pandas["best_cpu_seconds"], 2),
        "pandas_read_seconds": round(pandas["read_seconds"], 2),
        "pandas_peak_mb": pandas["peak_mb"],
        "polars_seconds": round(polars["seconds"], 2),
        "polars_cpu_seconds": round(polars["best_cpu_seconds"], 2),
        "polars_read_seconds": round(polars["read_seconds"], 2),
        "polars_peak_mb": polars["peak_mb"],
        "sql_seconds": round(sql["seconds"], 2),
        "sql_cpu_seconds": round(sql["best_cpu_seconds"], 2),
        "sql_peak_mb": sql["peak_mb"],
        "sql_variant": sql_kind.removeprefix("sql:"),
        "pandas_vs_engine": ratio(pandas["seconds"], engine["seconds"]),
        "polars_vs_engine": ratio(polars["seconds"], engine["seconds"]),
        "engine_vs_sql": ratio(engine["seconds"], sql["seconds"]),
        "pandas_vs_engine_cpu": ratio(pandas["best_cpu_seconds"], engine["best_cpu_seconds"]),
        "polars_vs_engine_cpu": ratio(polars["best_cpu_seconds"], engine["best_cpu_seconds"]),
        "engine_vs_sql_cpu": ratio(engine["best_cpu_seconds"], sql["best_cpu_seconds"]),
        "rows": len(reference),
        "load_average": f"{load_before} -> {_load()}",
        "disagreements": disagreements,
    }
    summary["targets_met"] = {
        f"< {TARGET_SECONDS:g} s": summary["seconds"] < TARGET_SECONDS,
        f">= {MIN_SPEEDUP:g}x faster than pandas": summary["pandas_vs_engine"] >= MIN_SPEEDUP,
        "faster than Polars": summary["polars_vs_engine"] > 1,
        f"<= {MAX_VS_SQL:g}x the fastest SQL": summary["engine_vs_sql"] <= MAX_VS_SQL,
    }
    return summary, best


def bench(
    module: str, label: str, db: Path, repeats: int, made: dict[str, Any], strict: bool = True
) -> list[dict[str, Any]]:
    """Every figure of ``module`` on ``db``: one result per figure (engine, with the ratios) and per other
    implementation; prints a table per figure."""
    from benchmarks.metrics import warm

    baselines = importlib.import_module(f"benchmarks.{module}")
    warm(db)
    results: list[dict[str, Any]] = []
    for figure in baselines.FIGURES:
        summary, runs = compare(module, figure, db, repeats, strict)
        name = f"{figure} ({label})"
        results.append({"name": f"{name}: engine", "what": baselines.DESCRIPTIONS[figure], **summary, **made})
        for kind, run in runs.items():
            if kind != "engine":
                extra = {"read_seconds": round(run["read_seconds"], 2)} if "read_seconds" in run else {}
                results.append(
                    {"name": f"{name}: {kind}", "seconds": round(run["seconds"], 2),
                     "cpu_seconds": round(run["best_cpu_seconds"], 2), "peak_mb": run["peak_mb"], **extra,
                     "base_mb": run["base_mb"], "all_seconds": run["all_seconds"]}
                )  # fmt: skip
        print(table(name, summary, runs), flush=True)
    return results


def table(name: str, summary: dict[str, Any], runs: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"\n{name} (load average {summary['load_average']})",
        f"  {'implementation':32} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} {'base MB':>8}  runs (s) / note",
    ]
    for kind, run in runs.items():
        note = f"read {run['read_seconds']:.2f} s" if "read_seconds" in run else ""
        if kind == f"sql:{summary['sql_variant']}":
            note = "fastest SQL"
        lines.append(
            f"  {kind:32} {run['seconds']:8.2f} {run['best_cpu_seconds']:8.2f} {run['peak_mb']:8} "
            f"{run['base_mb']:8}  {run['all_seconds']} {note}"
        )
    met = ", ".join(f"{t}: {'yes' if ok else 'NO'}" for t, ok in summary["targets_met"].items())
    lines.append(
        f"  engine: pandas takes {summary['pandas_vs_engine']}x its time (CPU {summary['pandas_vs_engine_cpu']}x), "
        f"Polars {summary['polars_vs_engine']}x (CPU {summary['polars_vs_engine_cpu']}x); it takes "
        f"{summary['engine_vs_sql']}x the fastest SQL (CPU {summary['engine_vs_sql_cpu']}x); targets {met}"
    )
    lines.extend(f"  DISAGREES: {d}" for d in summary["disagreements"])
    return "\n".join(lines)
