"""Generate a realistic fictional municipality (or region): allocations, a faulty Dutch export,
population, postcode areas and providers, and its money: declarations, tariffs, budgets and a price index.

``generate(out_dir, GenerateOptions())`` writes, for 120,000 inhabitants over 2015-2024, about 176,000
allocations of some 32,000 clients. Residents are simulated chunk by chunk (``chunk_residents`` at a
time) and their allocations are written as they are made, so memory does not grow with the size: the
whole Netherlands (``inhabitants=17_900_000``) streams into one Parquet file in row groups of a million
rows.
Declarations are made per chunk from the chunk's allocations (``declarations.py``) and written as the
exports a municipality would have loaded: one file up to January of the year before the last, then one
per month (``declaration_snapshots``), each with what was submitted or decided since the previous export;
what arrives after the extraction date goes to ``declaraties_later``. Budgets follow from the generated
costs (``finance.py``). The access files (requests, deliveries, ``access.py``) and the Participatiewet
(benefits and re-integration provisions of the same residents, ``benefits.py``) are made per chunk too; each
kind has a faulty Dutch export with its expected reasons.
The same options and seed give the same bytes. See ``docs/demo.md`` for what is generated and why.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sdmonitor.demo.access import (
    DELIVERIES_FILE,
    DELIVERY_HEADERS,
    REQUEST_HEADERS,
    REQUESTS_FILE,
    AccessPlan,
    AccessTables,
    access_chunk,
    benefit_requests,
    build_access_plan,
    delivery_schema,
    request_schema,
)
from sdmonitor.demo.access_faults import write_faulty_access
from sdmonitor.demo.allocations import generate_chunk
from sdmonitor.demo.arrays import IntArray, day_number, jan_first
from sdmonitor.demo.benefit_faults import write_faulty_benefits
from sdmonitor.demo.benefits import (
    BENEFITS_STEM,
    DUTCH_BENEFIT_HEADERS,
    DUTCH_REINTEGRATION_HEADERS,
    REINTEGRATION_STEM,
    BenefitPlan,
    benefit_chunk,
    dutch_schema,
    to_dutch,
)
from sdmonitor.demo.catalogue import products
from sdmonitor.demo.declaration_faults import write_faulty_declarations
from sdmonitor.demo.declarations import (
    DECLARATION_COLUMNS,
    DeclarationPlan,
    add_costs,
    build_plan,
    declaration_schema,
    declare_chunk,
    versions,
)
from sdmonitor.demo.faults import FaultyFile, faulty_row_count, write_faulty_file
from sdmonitor.demo.finance import (
    FINANCE_DIR,
    CostTotals,
    FinanceFile,
    build_budgets,
    build_tariffs,
    category_lines,
    split_finance,
    write_budgets,
    write_index,
    write_tariffs,
)
from sdmonitor.demo.geography import MAX_MUNICIPALITIES, Municipality, build_region
from sdmonitor.demo.model import AllocationModel, build_model
from sdmonitor.demo.population import (
    AGES,
    NET_GROWTH,
    Residents,
    count_population,
    postcodes,
    simulate_residents,
)
from sdmonitor.demo.providers import Provider, build_providers
from sdmonitor.domain.allocations import COLUMN_NAMES
from sdmonitor.errors import InputError

ALLOCATIONS_STEM = "toewijzingen"
POPULATION_FILE = "bevolking.csv"
POSTCODE_FILE = "postcodegebieden.csv"
PROVIDER_FILE = "aanbieders.csv"
DECLARATION_FOLDER = "declaraties"
DECLARATIONS_STEM = "declaraties"
LATER_STEM = "declaraties_later"
TARIFF_FILE = "tarieven.csv"
BUDGET_FILE = "begroting.csv"
INDEX_FILE = "index.csv"
SNAPSHOT_YEARS = 2  # the last years whose declarations come as monthly exports
DECLARATION_PIECE = 40_000  # allocations declared at once (bounds memory)
FILE_FORMATS = ("parquet", "csv")
ROW_GROUP_ROWS = 1_000_000
MIN_INHABITANTS = 1_000
MAX_INHABITANTS = 50_000_000  # per municipality; keeps ids within their digits
_DATE_COLUMNS = {"birth_date", "start_date", "end_date", "request_date", "decision_date"}

# Random streams, so that changing one part of the generator leaves the others' draws alone.
_STREAM_REGION, _STREAM_RESIDENTS, _STREAM_ALLOCATIONS, _STREAM_FAULTY = 1, 2, 3, 4
_STREAM_FINANCE, _STREAM_DECLARATIONS, _STREAM_DECLARATION_FAULTS = 5, 6, 7
_STREAM_ACCESS, _STREAM_ACCESS_PLAN = 8, 9
_STREAM_BENEFITS, _STREAM_BENEFIT_FAULTS, _STREAM_ACCESS_FAULTS = 10, 11, 12
_STREAM_BENEFIT_REQUESTS = 13
FAULTY_BENEFIT_RESIDENTS = 6_000  # extra residents whose benefits make the faulty benefits file


@dataclass(frozen=True)
class GenerateOptions:
    """What to generate.

    ``inhabitants`` is per municipality (a region's municipalities vary within 30 %); the population
    grows slowly, so the yearly counts stay within a few percent of it. ``chunk_residents`` is the number
    of residents simulated at once: it bounds memory, not the result's size. ``money`` adds declarations,
    tariffs, budgets and the index (about 18 declaration lines per allocation: leave it off for national
    sizes); ``declaration_snapshots`` writes the last two years' declarations as monthly exports instead
    of one file.
    """

    inhabitants: int = 120_000
    first_year: int = 2015
    last_year: int = 2024
    seed: int = 2015
    municipalities: int = 1
    file_format: str = "parquet"
    chunk_residents: int = 200_000
    money: bool = True
    declaration_snapshots: bool = True
    access: bool = True
    benefits: bool = True


@dataclass(frozen=True)
class DeclarationFile:
    """One export of declarations: its file, the day it was extracted and its rows (line versions)."""

    path: Path
    extracted_on: date
    rows: int


@dataclass(frozen=True)
class GeneratedFiles:
    """The files written and how many rows and clients they hold."""

    allocations: tuple[Path, ...]
    faulty: Path
    population: Path
    postcode_areas: Path
    providers: Path
    allocation_rows: int
    faulty_rows: int
    faulty_bad_rows: int
    faulty_expected: Path
    clients: int
    declarations: tuple[DeclarationFile, ...] = ()
    declarations_later: Path | None = None
    declaration_rows: int = 0
    tariffs: Path | None = None
    budgets: Path | None = None
    index: Path | None = None
    finance: tuple[FinanceFile, ...] = ()  # the tariffs, index and budgets as loads over the years, by date
    declarations_faulty: Path | None = None
    declarations_faulty_expected: Path | None = None
    requests: Path | None = None
    deliveries: Path | None = None
    request_rows: int = 0
    delivery_rows: int = 0
    waiting_provider: str = ""  # the GGZ provider whose waiting list grows (access.py)
    benefits: Path | None = None  # the Participatiewet (benefits.py): one export on the extraction date
    reintegration: Path | None = None
    benefit_rows: int = 0
    provision_rows: int = 0
    benefits_faulty: Path | None = None  # uitkeringen_fouten.csv (benefit_faults.py)
    benefits_faulty_expected: Path | None = None
    requests_faulty: Path | None = None  # aanvragen_fouten.csv and leveringen_fouten.csv (access_faults.py)
    requests_faulty_expected: Path | None = None
    deliveries_faulty: Path | None = None
    deliveries_faulty_expected: Path | None = None


def extraction_date(last_year: int) -> date:
    """A realistic export date for data that run to 31 December of ``last_year``: the first working days of
    January after it (6 January). Allocations still running on 31 December have their planned end dates
    after it, as in a real export."""
    return date(last_year + 1, 1, 6)


def allocation_schema() -> pa.Schema:
    """Arrow schema of the allocations file: strings, ``date32`` for dates and float64 for volume."""
    fields = []
    for name in COLUMN_NAMES:
        if name in _DATE_COLUMNS:
            fields.append(pa.field(name, pa.date32()))
        elif name == "volume":
            fields.append(pa.field(name, pa.float64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def validate_options(options: GenerateOptions) -> None:
    """Raise InputError (Dutch message) when the options cannot produce a sensible demo."""
    if not MIN_INHABITANTS <= options.inhabitants <= MAX_INHABITANTS:
        raise InputError(
            f"Aantal inwoners moet tussen {MIN_INHABITANTS:_} en {MAX_INHABITANTS:_} liggen, "
            f"niet {options.inhabitants:_}.".replace("_", ".")
        )
    if options.first_year > options.last_year:
        raise InputError(
            f"Het eerste jaar ({options.first_year}) ligt na het laatste jaar ({options.last_year})."
        )
    if options.first_year < 1990 or options.last_year > 2100:
        raise InputError("Kies jaren tussen 1990 en 2100.")
    if not 1 <= options.municipalities <= MAX_MUNICIPALITIES:
        raise InputError(f"Aantal gemeenten moet tussen 1 en {MAX_MUNICIPALITIES} liggen.")
    if options.file_format not in FILE_FORMATS:
        raise InputError(f"Bestandsformaat moet 'parquet' of 'csv' zijn, niet '{options.file_format}'.")
    if options.chunk_residents < MIN_INHABITANTS:
        raise InputError(f"Blokgrootte moet minstens {MIN_INHABITANTS} inwoners zijn.")


def generate(
    out_dir: Path,
    options: GenerateOptions,
    progress: Callable[[int], None] | None = None,
) -> GeneratedFiles:
    """Write the demo files into ``out_dir`` (created if needed) and return what was written.

    ``progress(n)`` is called with the number of allocation rows just written, once per chunk.
    """
    validate_options(options)
    out_dir.mkdir(parents=True, exist_ok=True)
    region_rng = np.random.default_rng([options.seed, _STREAM_REGION])
    region = build_region(options.inhabitants, options.municipalities, region_rng)
    total_inhabitants = sum(municipality.inhabitants for municipality in region)
    providers = build_providers(total_inhabitants, region_rng)
    model = build_model(options.first_year, options.last_year, products(), providers)
    path = out_dir / f"{ALLOCATIONS_STEM}.{options.file_format}"
    counts: list[IntArray] = []
    rows = 0
    clients = 0
    money = _Money(out_dir, model, options) if options.money else None
    access = _Access(out_dir, model, options) if options.access else None
    benefits = _Benefits(out_dir, options) if options.benefits else None
    with _TableWriter(path, options.file_format, allocation_schema(), COLUMN_NAMES) as writer:
        for municipality in region:
            population = np.zeros(
                (len(municipality.wijken), options.last_year - options.first_year + 1, AGES, 2),
                dtype=np.int64,
            )
            next_resident = 1
            next_allocation = 1
            next_declaration = 1
            for chunk, initial in enumerate(_chunk_sizes(municipality, options)):
                stream = [options.seed, municipality.index, chunk]
                residents = simulate_residents(
                    municipality,
                    initial,
                    next_resident,
                    options.first_year,
                    options.last_year,
                    np.random.default_rng([*stream, _STREAM_RESIDENTS]),
                )
                next_resident += residents.size
                allocation_rng = np.random.default_rng([*stream, _STREAM_ALLOCATIONS])
                resident_postcodes = postcodes(residents, municipality, allocation_rng)
                result = generate_chunk(
                    model,
                    residents,
                    resident_postcodes,
                    municipality.code,
                    next_allocation,
                    allocation_rng,
                )
                next_allocation += result.table.num_rows
                population += count_population(
                    residents, len(municipality.wijken), options.first_year, options.last_year
                )
                writer.write(result.table)
                if money is not None:
                    next_declaration += money.declare(
                        result.table,
                        residents.size,
                        municipality.code,
                        next_declaration,
                        np.random.default_rng([*stream, _STREAM_DECLARATIONS]),
                    )
                if access is not None:
                    access.add(result.table, np.random.default_rng([*stream, _STREAM_ACCESS]))
                if benefits is not None:
                    benefit_table = benefits.add(
                        municipality.code,
                        residents,
                        resident_postcodes,
                        result.table,
                        np.random.default_rng([*stream, _STREAM_BENEFITS]),
                    )
                    if access is not None:  # the Participatiewet aanvragen of these benefits
                        access.add_benefits(
                            benefit_table, np.random.default_rng([*stream, _STREAM_BENEFIT_REQUESTS])
                        )
                rows += result.table.num_rows
                clients += result.clients
                if progress is not None:
                    progress(result.table.num_rows)
            counts.append(population)
    faulty = _write_faulty(out_dir, model, region[0], total_inhabitants, options)
    population_path = _write_population(out_dir, region, counts, options.first_year)
    files = GeneratedFiles(
        allocations=(path,),
        faulty=faulty.path,
        population=population_path,
        postcode_areas=_write_postcode_areas(out_dir, region),
        providers=_write_providers(out_dir, providers),
        allocation_rows=rows,
        faulty_rows=faulty.rows,
        faulty_bad_rows=faulty.bad_rows,
        faulty_expected=faulty.expected,
        clients=clients,
    )
    if access is not None:
        files = access.finish(files)
    if benefits is not None:
        files = benefits.finish(files, region[0])
    return files if money is None else money.finish(files)


class _Access:
    """Requests and deliveries per chunk (``access.py``), written as two canonical CSV files."""

    def __init__(self, out_dir: Path, model: AllocationModel, options: GenerateOptions) -> None:
        extraction = day_number(extraction_date(options.last_year))
        rng = np.random.default_rng([options.seed, _STREAM_ACCESS_PLAN])
        self._plan: AccessPlan = build_access_plan(
            model.providers, extraction, model.range_start, model.range_end, rng
        )
        self._requests_path = out_dir / REQUESTS_FILE
        self._deliveries_path = out_dir / DELIVERIES_FILE
        self._requests = _TableWriter(self._requests_path, "csv", request_schema(), REQUEST_HEADERS)
        self._deliveries = _TableWriter(self._deliveries_path, "csv", delivery_schema(), DELIVERY_HEADERS)
        self._request_rows = 0
        self._delivery_rows = 0
        self._first: AccessTables | None = None  # the first chunk's, for the faulty files
        self._options = options
        self._out_dir = out_dir

    def add(self, allocations: pa.Table, rng: np.random.Generator) -> None:
        """Write the requests and deliveries of one chunk's allocations."""
        tables = access_chunk(self._plan, allocations, rng)
        if self._first is None:
            self._first = tables
        self._requests.write(tables.requests)
        self._deliveries.write(tables.deliveries)
        self._request_rows += tables.requests.num_rows
        self._delivery_rows += tables.deliveries.num_rows

    def add_benefits(self, benefits: pa.Table, rng: np.random.Generator) -> None:
        """Write the Participatiewet aanvragen of one chunk's benefits (canonical columns) to the requests."""
        requests = benefit_requests(self._plan, benefits, rng)
        self._requests.write(requests)
        self._request_rows += requests.num_rows

    def finish(self, files: GeneratedFiles) -> GeneratedFiles:
        """Close both files, write the faulty ones (from the first chunk's rows) and add them to ``files``."""
        self._requests.close()
        self._deliveries.close()
        if self._first is not None:
            faulty = write_faulty_access(
                self._out_dir,
                self._first.requests,
                self._first.deliveries,
                extraction_date(self._options.last_year),
                np.random.default_rng([self._options.seed, _STREAM_ACCESS_FAULTS]),
            )
            files = replace(
                files,
                requests_faulty=faulty.requests.path,
                requests_faulty_expected=faulty.requests.expected,
                deliveries_faulty=faulty.deliveries.path,
                deliveries_faulty_expected=faulty.deliveries.expected,
            )
        return replace(
            files,
            requests=self._requests_path,
            deliveries=self._deliveries_path,
            request_rows=self._request_rows,
            delivery_rows=self._delivery_rows,
            waiting_provider=self._plan.waiting_provider,
        )


class _Benefits:
    """Benefits and re-integration provisions per chunk (``benefits.py``), written as the income system's two
    Dutch exports, dated on the extraction day."""

    def __init__(self, out_dir: Path, options: GenerateOptions) -> None:
        self._options = options
        day = extraction_date(options.last_year).isoformat()
        self._benefits_path = out_dir / f"{BENEFITS_STEM}-{day}.csv"
        self._provisions_path = out_dir / f"{REINTEGRATION_STEM}-{day}.csv"
        self._benefits = _dutch_writer(self._benefits_path, DUTCH_BENEFIT_HEADERS)
        self._provisions = _dutch_writer(self._provisions_path, DUTCH_REINTEGRATION_HEADERS)
        self._benefit_rows = 0
        self._provision_rows = 0

    def add(
        self,
        municipality_code: str,
        residents: Residents,
        resident_postcodes: pa.Array,
        allocations: pa.Table,
        rng: np.random.Generator,
    ) -> pa.Table:
        """Write the benefits and provisions of one chunk of residents; return the benefits (canonical)."""
        tables = benefit_chunk(
            self._plan(municipality_code),
            residents,
            resident_postcodes,
            allocations,
            self._benefit_rows + 1,
            self._provision_rows + 1,
            rng,
        )
        self._benefits.write(to_dutch(tables.benefits, DUTCH_BENEFIT_HEADERS))
        self._provisions.write(to_dutch(tables.provisions, DUTCH_REINTEGRATION_HEADERS))
        self._benefit_rows += tables.benefits.num_rows
        self._provision_rows += tables.provisions.num_rows
        return tables.benefits

    def finish(self, files: GeneratedFiles, municipality: Municipality) -> GeneratedFiles:
        """Close both files, write the faulty benefits file (benefits of extra residents of ``municipality``)
        and add them to ``files``."""
        self._benefits.close()
        self._provisions.close()
        options = self._options
        rng = np.random.default_rng([options.seed, _STREAM_BENEFIT_FAULTS])
        residents = simulate_residents(
            municipality, FAULTY_BENEFIT_RESIDENTS, 90_000_000, options.first_year, options.last_year, rng
        )
        no_allocations = pa.table(
            {"client_id": pa.array([], pa.string()), "product_category": pa.array([], pa.string())}
        )
        tables = benefit_chunk(
            self._plan(municipality.code),
            residents,
            postcodes(residents, municipality, rng),
            no_allocations,
            1,
            1,
            rng,
        )
        faulty = write_faulty_benefits(self._benefits_path.parent, tables.benefits, rng)
        return replace(
            files,
            benefits=self._benefits_path,
            reintegration=self._provisions_path,
            benefit_rows=self._benefit_rows,
            provision_rows=self._provision_rows,
            benefits_faulty=faulty.path,
            benefits_faulty_expected=faulty.expected,
        )

    def _plan(self, municipality_code: str) -> BenefitPlan:
        options = self._options
        last_day = jan_first(options.last_year + 1) - 1
        return BenefitPlan(options.first_year, jan_first(options.first_year), last_day, municipality_code)


def _dutch_writer(path: Path, headers: dict[str, str]) -> _TableWriter:
    """A semicolon-separated CSV writer of a Dutch export (every column text)."""
    return _TableWriter(path, "csv", dutch_schema(headers), tuple(headers.values()), delimiter=";")


def _chunk_sizes(municipality: Municipality, options: GenerateOptions) -> list[int]:
    """Initial residents per chunk, so that the average population over the years is ``inhabitants``."""
    years = options.last_year - options.first_year
    initial = round(municipality.inhabitants / (1 + NET_GROWTH * years / 2))
    chunks = max(1, math.ceil(initial / options.chunk_residents))
    base, extra = divmod(initial, chunks)
    return [base + (1 if chunk < extra else 0) for chunk in range(chunks)]


class _TableWriter:
    """Streams tables of one schema to Parquet (row groups of about a million rows) or CSV."""

    def __init__(
        self, path: Path, file_format: str, schema: pa.Schema, names: tuple[str, ...], delimiter: str = ","
    ) -> None:
        self._schema = schema
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._sink: pa.NativeFile | None = None
        if file_format == "parquet":
            self._parquet = pq.ParquetWriter(path, self._schema, compression="zstd")
        else:
            # a plain header line (Arrow would quote the names); values never need quotes here
            self._sink = pa.OSFile(str(path), "wb")
            self._sink.write((delimiter.join(names) + "\n").encode("utf-8"))
            options = pacsv.WriteOptions(include_header=False, quoting_style="none", delimiter=delimiter)
            self._csv = pacsv.CSVWriter(self._sink, self._schema, write_options=options)

    def __enter__(self) -> _TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, table: pa.Table) -> None:
        """Add one chunk's rows."""
        table = table.cast(self._schema)
        if self._csv is not None:
            self._csv.write_table(table)
            return
        self._buffer.append(table)
        self._buffered += table.num_rows
        if self._buffered >= ROW_GROUP_ROWS:
            self._flush(whole_groups_only=True)

    def _flush(self, whole_groups_only: bool) -> None:
        """Write full row groups of ROW_GROUP_ROWS; the rest too unless ``whole_groups_only``."""
        if self._parquet is None or not self._buffer:
            return
        rows = pa.concat_tables(self._buffer).combine_chunks()
        while rows.num_rows >= ROW_GROUP_ROWS:
            self._parquet.write_table(rows.slice(0, ROW_GROUP_ROWS), row_group_size=ROW_GROUP_ROWS)
            rows = rows.slice(ROW_GROUP_ROWS)
        if rows.num_rows and not whole_groups_only:
            self._parquet.write_table(rows, row_group_size=ROW_GROUP_ROWS)
            rows = rows.slice(rows.num_rows)
        self._buffer = [rows] if rows.num_rows else []
        self._buffered = rows.num_rows

    def close(self) -> None:
        """Write what is buffered and close the file."""
        self._flush(whole_groups_only=False)
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if self._csv is not None:
            self._csv.close()
            self._csv = None
        if self._sink is not None:
            self._sink.close()
            self._sink = None


def _write_faulty(
    out_dir: Path,
    model: AllocationModel,
    municipality: Municipality,
    total_inhabitants: int,
    options: GenerateOptions,
) -> FaultyFile:
    """Allocations of extra clients of the first municipality, written as the faulty Dutch export."""
    rows = faulty_row_count(total_inhabitants)
    residents_needed = max(2_000, 2 * rows)
    rng = np.random.default_rng([options.seed, _STREAM_FAULTY])
    while True:
        residents = simulate_residents(
            municipality, residents_needed, 90_000_000, options.first_year, options.last_year, rng
        )
        chunk = generate_chunk(
            model,
            residents,
            postcodes(residents, municipality, rng),
            municipality.code,
            800_000_000,
            rng,
        )
        try:
            return write_faulty_file(out_dir, chunk.table, rows, rng)
        except ValueError:
            if residents_needed > 50 * rows:
                raise
            residents_needed *= 2


def _write_population(
    out_dir: Path, region: list[Municipality], counts: list[IntArray], first_year: int
) -> Path:
    """bevolking.csv: residents on 1 January per municipality, wijk, year, age (0..100) and sex."""
    path = out_dir / POPULATION_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["municipality_code", "wijk_code", "year", "age", "sex", "count"])
        for municipality, population in zip(region, counts, strict=True):
            for w, wijk in enumerate(municipality.wijken):
                for offset in range(population.shape[1]):
                    year = first_year + offset
                    for age in range(AGES):
                        for sex in (1, 2):
                            count = int(population[w, offset, age, sex - 1])
                            writer.writerow([municipality.code, wijk.code, year, age, sex, count])
    return path


def _write_postcode_areas(out_dir: Path, region: list[Municipality]) -> Path:
    """postcodegebieden.csv: each PC4 with its wijk and municipality."""
    path = out_dir / POSTCODE_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["pc4", "wijk_code", "wijk_name", "municipality_code"])
        for municipality in region:
            for wijk in municipality.wijken:
                for pc4 in wijk.pc4s:
                    writer.writerow([pc4, wijk.code, wijk.name, municipality.code])
    return path


def _write_providers(out_dir: Path, providers: list[Provider]) -> Path:
    """aanbieders.csv: AGB-like code, name and provider type of every provider in the region."""
    path = out_dir / PROVIDER_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["provider_code", "provider_name", "provider_type"])
        for provider in providers:
            writer.writerow([provider.code, provider.name, provider.provider_type])
    return path


class _Money:
    """Declarations per chunk, written as the exports a municipality loads, and the tariffs, index and
    budgets (the budgets after the last chunk, from the costs made)."""

    def __init__(self, out_dir: Path, model: AllocationModel, options: GenerateOptions) -> None:
        self._out_dir = out_dir
        self._options = options
        self._rng = np.random.default_rng([options.seed, _STREAM_FINANCE])
        self._tariffs = build_tariffs(
            model.catalogue,
            model.providers,
            model.provider_cumulative,
            options.first_year,
            options.last_year,
            self._rng,
        )
        self._plan: DeclarationPlan = build_plan(model, self._tariffs, category_lines(), self._rng)
        self._model = model
        self._extraction = day_number(extraction_date(options.last_year))
        self._totals = CostTotals(options.last_year - options.first_year + 1, len(model.providers))
        folder = out_dir / DECLARATION_FOLDER
        folder.mkdir(exist_ok=True)
        extracted = export_dates(options.first_year, options.last_year, options.declaration_snapshots)
        suffix = options.file_format
        self._windows: list[tuple[int | None, int | None, Path, date | None]] = []
        previous: int | None = None
        for day in extracted:
            path = folder / f"{DECLARATIONS_STEM}-{day.isoformat()}.{suffix}"
            self._windows.append((previous, day_number(day), path, day))
            previous = day_number(day)
        self._windows.append((previous, None, out_dir / f"{LATER_STEM}.{suffix}", None))
        self._writers: dict[Path, _TableWriter] = {}
        self._rows: dict[Path, int] = {}
        self._approved: pa.Table | None = None  # lines of the first piece, for the faulty file

    def declare(
        self,
        allocations: pa.Table,
        residents: int,
        municipality_code: str,
        first_number: int,
        rng: np.random.Generator,
    ) -> int:
        """Declare one chunk's allocations, write the lines to the exports; returns the numbers used.

        The chunk is declared in pieces of about DECLARATION_PIECE allocations, split by client so that
        clients with costs add up over the pieces; this bounds memory (about 9 lines per allocation).
        """
        pieces = max(1, math.ceil(allocations.num_rows / DECLARATION_PIECE))
        client = pc.dictionary_encode(allocations["client_id"]).combine_chunks().indices.to_numpy()
        used = 0
        for piece in range(pieces):
            part = allocations.filter(pa.array(client % pieces == piece))
            used += self._declare(part, residents // pieces, municipality_code, first_number + used, rng)
        return used

    def _declare(
        self,
        allocations: pa.Table,
        residents: int,
        municipality_code: str,
        first_number: int,
        rng: np.random.Generator,
    ) -> int:
        lines = declare_chunk(self._plan, allocations, residents, municipality_code, first_number, rng)
        add_costs(self._totals, self._plan, lines, self._extraction)
        if self._approved is None:
            known = versions(lines, None, self._extraction)
            keep = pc.and_(
                pc.and_(pc.equal(known["status"], "toegekend"), pc.equal(known["debit_credit"], "D")),
                pc.and_(pc.equal(known["delivery_form"], "ZIN"), pc.is_valid(known["allocation_id"])),
            )
            self._approved = known.filter(keep)
        for after, until, path, _ in self._windows:
            table = versions(lines, after, until)
            if table.num_rows == 0:
                continue
            if path not in self._writers:
                self._writers[path] = _TableWriter(
                    path, self._options.file_format, declaration_schema(), DECLARATION_COLUMNS
                )
                self._rows[path] = 0
            self._writers[path].write(table)
            self._rows[path] += table.num_rows
        return lines.ids_used

    def finish(self, files: GeneratedFiles) -> GeneratedFiles:
        """Close the exports, write tariffs, index and budgets, and add them to ``files``."""
        for writer in self._writers.values():
            writer.close()
        options = self._options
        model = self._model
        tariffs = self._out_dir / TARIFF_FILE
        write_tariffs(tariffs, self._tariffs, model.catalogue, model.providers)
        index = self._out_dir / INDEX_FILE
        write_index(index, options.first_year, options.last_year)
        budgets = self._out_dir / BUDGET_FILE
        write_budgets(budgets, build_budgets(self._totals, model.providers, options.first_year, self._rng))
        finance = split_finance(self._out_dir / FINANCE_DIR, tariffs, index, budgets)
        exports = tuple(
            DeclarationFile(path, day, self._rows[path])
            for _, _, path, day in self._windows
            if day is not None and path in self._rows
        )
        faulty = None
        if self._approved is not None:
            faulty = write_faulty_declarations(
                self._out_dir,
                self._approved,
                extraction_date(options.last_year),
                np.random.default_rng([options.seed, _STREAM_DECLARATION_FAULTS]),
            )
        later = self._windows[-1][2]
        if later not in self._rows:  # nothing came later: an empty file says so
            _TableWriter(later, options.file_format, declaration_schema(), DECLARATION_COLUMNS).close()
        return replace(
            files,
            declarations=exports,
            declarations_later=later,
            declaration_rows=sum(export.rows for export in exports),
            tariffs=tariffs,
            budgets=budgets,
            index=index,
            finance=finance,
            declarations_faulty=None if faulty is None else faulty.path,
            declarations_faulty_expected=None if faulty is None else faulty.expected,
        )


def export_dates(first_year: int, last_year: int, snapshots: bool) -> list[date]:
    """Extraction days of the declaration exports: the 6th of every month of the last two years (the
    first one holding everything before it), or only the final extraction date."""
    final = extraction_date(last_year)
    if not snapshots:
        return [final]
    first = max(first_year, last_year - SNAPSHOT_YEARS + 1)
    days = [
        date(first + month // 12, month % 12 + 1, final.day) for month in range(12 * (last_year - first + 1))
    ]
    days.append(final)
    return [day for day in days if day > date(first_year, 1, 31)] or [final]
