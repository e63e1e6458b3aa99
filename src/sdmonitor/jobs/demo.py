"""The demo: generate a fictional municipality, load it into the warehouse, count clients, make a report.

``generate_files`` is ``sdm generate``; ``run_demo`` is ``sdm demo``: it refuses a warehouse that holds other
data or another pseudonym key before anything is generated or replaced, loads the allocations, then the
requests and deliveries (issue 13) and the benefits and re-integration provisions (issue 14), all with the
same extraction date, then the money (tariffs, index, budgets and the declaration exports, each with its own
extraction date), and returns what the CLI prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sdmonitor import config
from sdmonitor.demo import GeneratedFiles, GenerateOptions, extraction_date, generate
from sdmonitor.demo.finance import FINANCE_FILES, FinanceFile
from sdmonitor.demo.generate import DeclarationFile
from sdmonitor.domain.allocations import Law
from sdmonitor.domain.formatting import dutch_int
from sdmonitor.domain.periods import Grain
from sdmonitor.domain.wording import GRAIN_WORDS, law_name
from sdmonitor.errors import InputError, SdmError
from sdmonitor.finance_loading import FinanceLoadSummary, load_finance
from sdmonitor.jobs.common import Clock, Progress, check_output, load_file
from sdmonitor.loading import (
    BENEFIT_TABLE,
    DELIVERY_TABLE,
    REINTEGRATION_TABLE,
    REQUEST_TABLE,
    FileKind,
    LoadOptions,
    LoadSummary,
    check_key,
    load_declarations,
    load_table,
)
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.reference import POPULATION, POSTCODE_AREAS, PROVIDERS, load_reference
from sdmonitor.reports.render_html import Branding
from sdmonitor.reports.run import ReportFiles, make_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import count_loads, list_loads

DEMO_SETTING = "demo_warehouse"  # set by `sdm demo`: this warehouse holds the fictional municipality
DEMO_YEARS = "2015-2024"
DEMO_PERIOD = "2024-H2"  # the half year the demo's report covers
DEMO_SOURCE = "demo"
# The last two years' declarations as 24 monthly exports (real load history for replay and the backtest)
# or as one file: see docs/demo.md "Money" for what each costs in `sdm demo`.
DEMO_SNAPSHOTS = True
MONEY_MAX_INHABITANTS = 2_000_000
FINANCE_KINDS = frozenset(
    kind for kind, _ in FINANCE_FILES
)  # `sdm generate` writes money by default up to this many inhabitants


def generate_files(
    out_dir: Path,
    inhabitants: int,
    years: str,
    seed: int,
    municipalities: int,
    file_format: str,
    *,
    progress: Progress,
    money: bool | None = None,
    snapshots: bool = True,
) -> GeneratedFiles:
    """Check the options (Dutch errors) and write the fictional municipality's files into ``out_dir``.

    ``money`` None: declarations, tariffs and budgets up to MONEY_MAX_INHABITANTS in total (about 8
    declaration lines per allocation; a national run would write some 200 million).
    """
    check_output(out_dir, folder=True)
    first, _, last = years.partition("-")
    if not (first.isdigit() and last.isdigit() and int(first) <= int(last)):
        raise InputError(f"--years '{years}' is geen bereik als 2015-2024.")
    if inhabitants < 1000 or municipalities < 1:
        raise InputError("--inhabitants moet minstens 1000 zijn en --municipalities minstens 1.")
    options = GenerateOptions(
        inhabitants=inhabitants,
        first_year=int(first),
        last_year=int(last),
        seed=seed,
        municipalities=municipalities,
        file_format=file_format,
        money=inhabitants * municipalities <= MONEY_MAX_INHABITANTS if money is None else money,
        declaration_snapshots=snapshots,
    )
    estimate = int(inhabitants * municipalities * 1.7 * (int(last) - int(first) + 1) / 10)
    with progress("Genereren", estimate) as advance:
        return generate(out_dir, options, progress=advance)


def check_demo_target(warehouse: Warehouse, key: bytes) -> None:
    """Refuse to run the demo in a warehouse with other data, or with another pseudonym key, before touching it.

    The demo replaces the wijken, providers and population: only an empty warehouse or one made by the demo
    may receive it.
    """
    loads = count_loads(warehouse)
    if loads and warehouse.setting(DEMO_SETTING) is None:
        raise InputError(
            f"Warehouse {warehouse.path} bevat al gegevens ({dutch_int(loads)} laadacties) en is niet door "
            "'sdm demo' gemaakt. De demo zou de wijken, aanbieders en bevolking daarin vervangen door fictieve; "
            "er is niets gewijzigd. Start de demo in een eigen bestand, bijvoorbeeld: sdm --db demo.duckdb demo"
        )
    try:
        check_key(warehouse, key)
    except SdmError as exc:
        raise type(exc)(
            f"{exc} Er is niets gewijzigd. De demo gebruikt SDM_PSEUDONYM_KEY, of zonder die variabele de "
            "demosleutel; start de demo anders in een eigen bestand, bijvoorbeeld: sdm --db demo.duckdb demo"
        ) from exc


@dataclass(frozen=True)
class ClientsPerLaw:
    """One row of the demo's table: unique clients in a half year, per law and in total (a client of two laws
    counts in both columns and once in the total). ``pw``: persons on a running benefit (law ``PW``, issue 14)
    once the ``clients`` metric counts them."""

    period: str
    wmo: int
    jw: int
    pw: int
    total: int


PW_LAW = "PW"  # the law value of the Participatiewet in the clients metrics (issue 14)
# The demo table's headers, in the order of ClientsPerLaw's fields: 'Halfjaar', 'Wmo', 'Jeugdwet',
# 'Participatiewet', 'Totaal'.
CLIENTS_HEADERS = (
    GRAIN_WORDS[Grain.HALF].capitalize(),
    law_name(Law.WMO),
    law_name(Law.JW),
    "Participatiewet",
    "Totaal",
)


@dataclass(frozen=True)
class DemoResult:
    """What the demo did: the loads (allocations, then declarations), the clients per law per half year, the
    half-year report and the loads of tariffs, index and budgets."""

    loads: tuple[LoadSummary, ...]
    clients: tuple[ClientsPerLaw, ...]
    report: ReportFiles
    finance: tuple[FinanceLoadSummary, ...] = ()


def run_demo(
    db: Path,
    data_dir: Path | None,
    inhabitants: int,
    seed: int,
    *,
    open_warehouse: Callable[[], Warehouse],
    now: Clock,
    progress: Progress,
    on_load: Callable[[LoadSummary], None] = lambda _: None,
    on_finance: Callable[[FinanceLoadSummary], None] = lambda _: None,
) -> DemoResult:
    """Generate the demo files (next to the warehouse ``db`` unless ``data_dir``), load them, count clients
    per law per half year and make the half-year report over the second half of 2024.

    ``on_load`` sees each load of allocations or declarations as it finishes, ``on_finance`` each load of
    tariffs, index or budgets (the CLI prints them at once).
    """
    out_dir = data_dir or db.parent / "demo-data"
    extracted = extraction_date(2024)  # a realistic export date shortly after the end of the data
    key = config.pseudonym_key() or config.DEMO_PSEUDONYM_KEY
    with open_warehouse() as warehouse:
        check_demo_target(warehouse, key)  # before anything is generated or replaced
    files = generate_files(
        out_dir, inhabitants, DEMO_YEARS, seed, 1, "parquet", progress=progress, snapshots=DEMO_SNAPSHOTS
    )
    loads = []
    finance = []
    with open_warehouse() as warehouse:
        check_demo_target(warehouse, key)
        warehouse.set_setting(DEMO_SETTING, "1")
        for spec, path in (
            (POSTCODE_AREAS, files.postcode_areas),
            (PROVIDERS, files.providers),
            (POPULATION, files.population),
        ):
            load_reference(warehouse, spec, path, now=now())
        # the faulty file stands for an export of another system (Dutch layout, BSNs): its own source
        for path, source in [*((p, DEMO_SOURCE) for p in files.allocations), (files.faulty, "demo-export")]:
            options = LoadOptions(source=source, pseudonym_key=key, extracted_on=extracted)
            loads.append(load_file(warehouse, path, options, now=now, progress=progress))
            on_load(loads[-1])
        # requests and deliveries after the allocations they lead to, then the Participatiewet (the income
        # system's exports of benefits and re-integration provisions), all with the same extraction date
        for table, access_path in (
            (REQUEST_TABLE, files.requests),
            (DELIVERY_TABLE, files.deliveries),
            (BENEFIT_TABLE, files.benefits),
            (REINTEGRATION_TABLE, files.reintegration),
        ):
            if access_path is not None:
                options = LoadOptions(source=DEMO_SOURCE, pseudonym_key=key, extracted_on=extracted)
                loads.append(_load_access(warehouse, access_path, options, table, now=now, progress=progress))
                on_load(loads[-1])
        # as the municipality received them over the years, each load with its own day (in date order: a
        # load older than the newest of its kind would count as known only after it)
        for finance_file in _finance_to_load(warehouse, files.finance):
            finance.append(
                load_finance(
                    warehouse,
                    finance_file.kind,
                    finance_file.path,
                    now=now(),
                    extracted_on=finance_file.extracted_on,
                )
            )
            on_finance(finance[-1])
        for export in _exports_to_load(warehouse, files.declarations):
            options = LoadOptions(source=DEMO_SOURCE, pseudonym_key=key, extracted_on=export.extracted_on)
            loads.append(_load_declarations(warehouse, export.path, options, now=now, progress=progress))
            on_load(loads[-1])
        clients = _clients_per_law(warehouse)
    with open_warehouse() as warehouse:
        # published as the dashboard shows viewers (rounded to fives), so that viewers may download it too
        report = make_report(
            warehouse,
            read_template(builtin_path("halfjaar")),
            DEMO_PERIOD,
            db.parent / "rapporten",
            now=now(),
            branding=Branding("Demogemeente (fictief)"),
            policy=Policy(threshold=5, round_to_5=True),
        )
    return DemoResult(tuple(loads), clients, report, tuple(finance))


def _exports_to_load(warehouse: Warehouse, exports: tuple[DeclarationFile, ...]) -> list[DeclarationFile]:
    """The declaration exports in order of extraction, without those older than the newest one this
    warehouse already has from the demo (a second run: loading them again would be refused as older
    exports; the newest is loaded again and changes nothing)."""
    loaded = [
        load.extracted_on
        for load in list_loads(warehouse)
        if load.kind == "declarations" and load.source == DEMO_SOURCE and load.extracted_on is not None
    ]
    newest = max(loaded, default=None)
    ordered = sorted(exports, key=lambda export: export.extracted_on)
    return [export for export in ordered if newest is None or export.extracted_on >= newest]


def _finance_to_load(warehouse: Warehouse, loads: tuple[FinanceFile, ...]) -> list[FinanceFile]:
    """The loads of tariffs, index and budgets in date order, without those older than the newest of their
    kind this warehouse already has (a second run: the older tariffs would undo the mid-year change until the
    newest load restored it; the newest is loaded again and changes nothing)."""
    newest: dict[str, date] = {}
    for load in list_loads(warehouse):
        if load.kind in FINANCE_KINDS and load.extracted_on is not None:
            newest[load.kind] = max(load.extracted_on, newest.get(load.kind, load.extracted_on))
    ordered = sorted(loads, key=lambda load: load.extracted_on)  # stable: the kinds keep their order of a day
    return [load for load in ordered if load.kind not in newest or load.extracted_on >= newest[load.kind]]


def _load_declarations(
    warehouse: Warehouse, path: Path, options: LoadOptions, *, now: Clock, progress: Progress
) -> LoadSummary:
    """Load one declarations export (one load), with a progress bar over its bytes."""
    with progress(f"Laden {path.name}", path.stat().st_size) as advance:
        return load_declarations(warehouse, path, options, now=now(), progress=advance)


def _load_access(
    warehouse: Warehouse, path: Path, options: LoadOptions, table: FileKind, *, now: Clock, progress: Progress
) -> LoadSummary:
    """Load the demo's requests, deliveries, benefits or provisions (one load), with a progress bar over its
    bytes."""
    with progress(f"Laden {path.name}", path.stat().st_size) as advance:
        return load_table(warehouse, path, options, table, now=now(), progress=advance)


def _clients_per_law(warehouse: Warehouse) -> tuple[ClientsPerLaw, ...]:
    """Unique clients per law and in total, per half year of the demo's years."""
    years: dict[str, Any] = {"grain": "half", "start": date(2015, 1, 1), "end": date(2024, 12, 31)}
    by_law = run_metric(warehouse, MetricRequest("clients", by=("law",), **years)).records()
    counts = {(row["period"], row["law"]): row["clients"] for row in by_law}
    return tuple(
        ClientsPerLaw(
            row["period"],
            counts.get((row["period"], Law.WMO), 0),
            counts.get((row["period"], Law.JW), 0),
            counts.get((row["period"], PW_LAW), 0),
            row["clients"],
        )
        for row in run_metric(warehouse, MetricRequest("clients", **years)).records()
    )
