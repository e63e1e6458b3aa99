"""Dashboard under load: 50 simulated users browsing the default demo municipality at once.

The real ``sdm serve`` runs in a child process on the demo warehouse (120,000 inhabitants, made once in
``benchmarks/data/dashboard/``). The pages come from a fixed set: overview; clients and flows with period
grain, law, wijk and breakdown (108 combinations); providers per half-year and law; profile per year;
definitions; report editions; and CSV downloads of the clients table.

1. Cold: one analyst, then one viewer, opens every page of the set once, one after the other, on a freshly
   started server: what the first visitor of a new filter combination waits (the figures are computed, then
   cached). A viewer's pages differ from an analyst's (counts rounded to fives, small ones hidden), so the
   viewer's first visit of a page draws its own tables and charts from the cached figures.
2. The 50 users log in at once through the form (timed apart: the password hash is deliberately slow).
3. Warm: for ``seconds`` the users keep opening random pages of the set, 0.2-1.0 s apart, while a monitor
   asks ``/gezondheid`` every half second (the server must keep answering).
4. In the middle of the warm phase ``sdm load allocations`` loads 2,000 new allocations (source ``bench``)
   into the warehouse the server is serving: the load asks the server to let go, the server's requests wait
   meanwhile, and after the load the server reopens and drops its caches. An admin polls the page Gegevens
   until it lists the new load.

Reported: page times (median, p95, max) of both phases, errors, requests per second, login times, the
monitor's slowest answer, the server's peak memory and the machine's load average (other processes); for
the load: its duration, p95 and the longest wait of the requests before it and of those started while it
ran, and how long after the load the new data showed.

The server runs on a copy of the demo warehouse made for each run (``serving.duckdb``), so the load does not
change the next run's data; the users are in the copy's state file (``serving.dashboard.sqlite``), kept.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

HERE = Path(__file__).parent
FOLDER = HERE / "data" / "dashboard"
DEMO_DB = FOLDER / "sdm.duckdb"
DB = FOLDER / "serving.duckdb"  # a fresh copy of the demo per run: the mid-run load changes it
MID_LOAD = FOLDER / "bench-load.csv"
SECRET = "benchmark-secret-key-0123456789abcdefghijkl"
PASSWORD = "benchmark-Wachtwoord-1"
USERS = 50
WIJKEN = ("Centrum", "Parkwijk")


def sdm(*args: str, db: Path = DB) -> list[str]:
    return [sys.executable, "-c", "from sdmonitor.cli import main; main()", "--quiet", "--db", str(db), *args]


def prepare(users: int) -> None:
    """A fresh copy of the demo warehouse (made once) with ``users`` users (viewers and analysts) and an
    admin, and the file of the mid-run load."""
    if not DEMO_DB.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        subprocess.run(sdm("demo", db=DEMO_DB), check=True, capture_output=True)
    shutil.copy(DEMO_DB, DB)
    from sdmonitor.warehouse.dashboard_state import open_dashboard_state
    from sdmonitor.web.auth import Role
    from sdmonitor.web.store import UserStore

    with open_dashboard_state(DB)[0] as state:
        store = UserStore(state)
        for i in range(users):
            if store.find(f"bench{i:02d}") is None:
                store.add(f"bench{i:02d}", Role.ANALYST if i % 5 == 0 else Role.VIEWER, PASSWORD)
        if store.find("benchadmin") is None:
            store.add("benchadmin", Role.ADMIN, PASSWORD)
    write_mid_load(MID_LOAD, 2000)


def write_mid_load(path: Path, rows: int) -> None:
    """``rows`` allocations of new clients in 2024 (canonical columns, no BSN)."""
    from sdmonitor.domain.allocations import COLUMN_NAMES

    rng = random.Random(7)
    lines = [",".join(COLUMN_NAMES)]
    for n in range(rows):
        values = dict.fromkeys(COLUMN_NAMES, "")
        values.update(
            allocation_id=f"BENCH{n:05d}", client_id=f"BENCHC{n // 2:05d}",
            birth_date=f"{rng.randint(1935, 2015)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            law=rng.choice(["WMO", "JW"]), product_category=rng.choice(["02", "04", "07"]),
            start_date=f"2024-0{rng.randint(1, 9)}-01", end_date="",
        )  # fmt: skip
        lines.append(",".join(str(values[c]) for c in COLUMN_NAMES))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def all_pages() -> list[str]:
    """Every page of the set, each once."""
    pages = ["/", "/definities", "/edities"]
    for grain in ("halfjaar", "jaar", "kwartaal"):
        for law in ("", "WMO", "JW"):
            for wijk in ("", *WIJKEN):
                for split in ("", "doelgroep", "leeftijd", "productgroep"):
                    params = [f"periode={grain}", *([f"wet={law}"] if law else []),
                              *([f"wijk={wijk}"] if wijk else []), *([f"uitsplitsen={split}"] if split else [])]  # fmt: skip
                    pages.append("/clienten?" + "&".join(params))
    pages += [
        f"/aanbieders?periode={p}{law}"
        for p in ("2024-H2", "2024-H1", "2023-H2")
        for law in ("", "&wet=WMO", "&wet=JW")
    ]
    pages += [f"/profiel?periode={year}" for year in ("2024", "2023", "2022")]
    return pages


def page_paths(rng: random.Random) -> str:
    """One page a user opens, with filters drawn from a fixed set (so later users hit the cache)."""
    kind = rng.choices(
        ["overview", "clients", "providers", "profile", "static", "download"], [2, 6, 2, 2, 1, 1]
    )[0]
    if kind == "overview":
        return "/"
    if kind == "clients" or kind == "download":
        params = [f"periode={rng.choice(['halfjaar', 'jaar', 'kwartaal'])}"]
        if law := rng.choice(["", "WMO", "JW"]):
            params.append(f"wet={law}")
        if wijk := rng.choice(["", "", *WIJKEN]):
            params.append(f"wijk={wijk}")
        if split := rng.choice(["", "doelgroep", "leeftijd", "productgroep"]):
            params.append(f"uitsplitsen={split}")
        query = "&".join(params)
        return f"/download/clienten/clienten.csv?{query}" if kind == "download" else f"/clienten?{query}"
    if kind == "providers":
        law = rng.choice(["", "&wet=WMO", "&wet=JW"])
        return f"/aanbieders?periode={rng.choice(['2024-H2', '2024-H1', '2023-H2'])}{law}"
    if kind == "profile":
        return f"/profiel?periode={rng.choice(['2024', '2023', '2022'])}"
    return rng.choice(["/definities", "/edities"])


async def log_in(client: httpx.AsyncClient, name: str) -> bool:
    form = await client.get("/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    answer = await client.post(
        "/inloggen", data={"gebruikersnaam": name, "wachtwoord": PASSWORD, "csrf": token.group(1)}
    )
    return answer.status_code == 303


async def timed_login(client: httpx.AsyncClient, name: str, logins: list[float], errors: list[str]) -> None:
    start = time.perf_counter()
    if not await log_in(client, name):
        errors.append(f"login {name}")
    logins.append(time.perf_counter() - start)


async def browse(client: httpx.AsyncClient, until: float, seed: int, timings: list[tuple[float, float]],
                 errors: list[str]) -> None:  # fmt: skip
    rng = random.Random(seed)
    while time.perf_counter() < until:
        path = page_paths(rng)
        began = time.perf_counter()
        try:
            response = await client.get(path)
            if response.status_code != 200:
                errors.append(f"{path}: {response.status_code}")
        except httpx.HTTPError as exc:
            errors.append(f"{path}: {exc!r}")
        timings.append((began, time.perf_counter() - began))
        await asyncio.sleep(rng.uniform(0.2, 1.0))


async def monitor(url: str, until: float, answers: list[float]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while time.perf_counter() < until:
            began = time.perf_counter()
            response = await client.get("/gezondheid")
            answers.append(time.perf_counter() - began if response.status_code == 200 else float("inf"))
            await asyncio.sleep(0.5)


async def mid_load(url: str, at: float, log: dict[str, Any]) -> None:
    """At ``at`` (perf_counter), load MID_LOAD into the served warehouse; then poll the page Gegevens as an
    admin until it lists the load."""
    async with httpx.AsyncClient(base_url=url, timeout=300) as admin:
        await log_in(admin, "benchadmin")
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        log["start"] = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *sdm("load", "allocations", "--source", "bench", str(MID_LOAD)),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await process.communicate()
        log["end"] = time.perf_counter()
        log["returncode"] = process.returncode
        log["said"] = (out + err).decode("utf-8", "replace").strip()[:400]
        while time.perf_counter() - log["end"] < 60:
            page = await admin.get("/gegevens")
            if MID_LOAD.name in page.text:
                log["visible"] = time.perf_counter()
                break
            await asyncio.sleep(0.2)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bench_dashboard(users: int = USERS, seconds: float = 45) -> dict[str, Any]:
    """Run the load against a real ``sdm serve`` and summarise it."""
    prepare(users)
    port = free_port()
    # the users come from their own addresses behind "the municipality's proxy" on 127.0.0.1 (see browse)
    environment = {
        **os.environ,
        "SDM_SECRET_KEY": SECRET,
        "SDM_PORT": str(port),
        "SDM_TRUSTED_PROXY": "127.0.0.1",
    }
    server = psutil.Popen(sdm("serve"), env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    peak = 0
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/gezondheid", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("sdm serve did not start") from None
                time.sleep(0.2)
        timings: list[tuple[float, float]] = []
        cold: list[float] = []
        cold_viewer: list[float] = []
        errors: list[str] = []
        logins: list[float] = []
        answers: list[float] = []
        loading: dict[str, Any] = {}

        async def run() -> None:
            nonlocal peak
            # an analyst (exact figures) and then a viewer (rounded figures: other tables and charts)
            for name, times in (("bench00", cold), ("bench01", cold_viewer)):
                async with httpx.AsyncClient(base_url=url, timeout=120) as first:
                    await log_in(first, name)
                    for path in all_pages():
                        began = time.perf_counter()
                        response = await first.get(path)
                        times.append(time.perf_counter() - began)
                        if response.status_code != 200:
                            errors.append(f"cold {path}: {response.status_code}")
            # each user from its own address, as 50 people behind the municipality's proxy are (the server
            # trusts X-Forwarded-For from 127.0.0.1): one address may have at most 20 password checks at once
            clients = [
                httpx.AsyncClient(
                    base_url=url, timeout=60, headers={"X-Forwarded-For": f"10.0.{i // 250}.{i % 250 + 1}"}
                )
                for i in range(users)
            ]
            try:
                await asyncio.gather(
                    *(timed_login(c, f"bench{i:02d}", logins, errors) for i, c in enumerate(clients))
                )
                until = time.perf_counter() + seconds

                async def sample() -> None:
                    nonlocal peak
                    while time.perf_counter() < until:
                        children = server.children(recursive=True)
                        peak = max(
                            peak, server.memory_info().rss + sum(c.memory_info().rss for c in children)
                        )
                        await asyncio.sleep(0.5)

                await asyncio.gather(
                    monitor(url, until, answers), sample(), mid_load(url, until - seconds / 2, loading),
                    *(browse(c, until, i, timings, errors) for i, c in enumerate(clients)),
                )  # fmt: skip
            finally:
                for c in clients:
                    await c.aclose()

        start = time.perf_counter()
        asyncio.run(run())
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    pages = [t for _, t in timings]
    load_start, load_end = loading.get("start", float("inf")), loading.get("end", float("inf"))
    before = [t for began, t in timings if began < load_start]
    during = [t for began, t in timings if load_start <= began <= load_end]
    after = [t for began, t in timings if began > load_end]  # the caches were dropped: pages computed anew
    return {
        "name": f"dashboard {users} users",
        "seconds": round(elapsed, 1),
        "peak_mb": round(peak / 1e6),
        "cold_pages": len(cold),
        "cold_median_ms": round(statistics.median(cold) * 1000),
        "cold_p95_ms": round(percentile(cold, 0.95) * 1000),
        "cold_total_s": round(sum(cold), 1),
        "cold_viewer_median_ms": round(statistics.median(cold_viewer) * 1000),
        "cold_viewer_p95_ms": round(percentile(cold_viewer, 0.95) * 1000),
        "cold_viewer_total_s": round(sum(cold_viewer), 1),
        "login_median_ms": round(statistics.median(logins) * 1000),
        "login_max_ms": round(max(logins) * 1000),
        "requests": len(pages),
        "requests_per_second": round(len(pages) / seconds, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
        "median_ms": round(statistics.median(pages) * 1000),
        "p95_ms": round(percentile(pages, 0.95) * 1000),
        "max_ms": round(max(pages) * 1000),
        "health_checks": len(answers),
        "health_max_ms": round(max(answers) * 1000),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "mid_load_returncode": loading.get("returncode"),
        "mid_load_s": round(load_end - load_start, 1),
        "mid_load_said": loading.get("said", ""),
        "new_data_visible_after_load_s": round(loading["visible"] - load_end, 1)
        if "visible" in loading
        else None,
        "before_load_requests": len(before),
        "before_load_p95_ms": round(percentile(before, 0.95) * 1000) if before else None,
        "before_load_max_ms": round(max(before) * 1000) if before else None,
        "during_load_requests": len(during),
        "during_load_p95_ms": round(percentile(during, 0.95) * 1000) if during else None,
        "during_load_longest_wait_ms": round(max(during) * 1000) if during else None,
        "after_load_requests": len(after),
        "after_load_p95_ms": round(percentile(after, 0.95) * 1000) if after else None,
        "after_load_max_ms": round(max(after) * 1000) if after else None,
    }


def main_dashboard(quick: bool) -> list[dict[str, Any]]:
    """The dashboard benchmark (``--quick``: 10 users for 15 s)."""
    result = bench_dashboard(10, 15) if quick else bench_dashboard()
    print(result, flush=True)
    return [result]


if __name__ == "__main__":
    main_dashboard("--quick" in sys.argv)
