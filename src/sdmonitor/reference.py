"""Reference tables: postcode areas (PC4 -> wijk), providers (AGB -> type) and population.

Each is small, replaced whole by a new file, and loaded all or nothing: a file with a problem raises
InputError naming the first rows at fault, so a reference table never silently loses rows. A load keeps a copy
of the table it replaces until one small final write marks it complete, so a killed load is undone at the
next open (``sdmonitor.warehouse.loads``, docs/guarantees.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv

from sdmonitor import __version__
from sdmonitor.domain.clients import mask_bsns_in_text
from sdmonitor.domain.formatting import dutch_int
from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import missing_columns, normalise_header
from sdmonitor.ingest.readers import detect_encoding, first_line, sniff_delimiter, split_header
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.loads import (
    LoadCounts,
    LoadStart,
    complete_load,
    replace_reference_table,
    start_load,
    undo_load,
)
from sdmonitor.warehouse.population import MixedYear, mixed_years


@dataclass(frozen=True)
class ReferenceTable:
    """How one reference file maps to its warehouse table.

    ``columns``: warehouse column -> accepted headers (lower case); ``patterns``: column -> (regex, what it
    should be); ``key``: columns that must be unique together.
    """

    kind: str
    label: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    key: tuple[str, ...]
    patterns: dict[str, tuple[str, str]]
    integers: tuple[str, ...] = ()


POSTCODE_AREAS = ReferenceTable(
    kind="postcode_areas",
    label="postcodegebieden",
    columns={
        "pc4": ("pc4", "postcode"),
        "wijk_code": ("wijk_code", "wijkcode"),
        "wijk_name": ("wijk_name", "wijknaam", "wijk"),
        "municipality_code": ("municipality_code", "gemeentecode"),
    },
    required=("pc4", "wijk_code", "wijk_name"),
    key=("pc4",),
    patterns={"pc4": (r"[1-9][0-9]{3}", "een PC4 (1234)"), "municipality_code": (r"[0-9]{4}", "4 cijfers")},
)
PROVIDERS = ReferenceTable(
    kind="providers",
    label="aanbieders",
    columns={
        "provider_code": ("provider_code", "agb-code", "agb code", "agb"),
        "provider_name": ("provider_name", "naam", "aanbieder"),
        "provider_type": ("provider_type", "type", "soort aanbieder"),
    },
    required=("provider_code", "provider_name", "provider_type"),
    key=("provider_code",),
    patterns={"provider_code": (r"[0-9]{8}", "een AGB-code van 8 cijfers")},
)
POPULATION = ReferenceTable(
    kind="population",
    label="bevolking",
    columns={
        "municipality_code": ("municipality_code", "gemeentecode"),
        "wijk_code": ("wijk_code", "wijkcode"),
        "year": ("year", "jaar"),
        "age": ("age", "leeftijd", "age_band", "leeftijdsklasse"),
        "sex": ("sex", "geslacht"),
        "inhabitants": ("inhabitants", "count", "aantal", "inwoners"),
    },
    required=("municipality_code", "year", "age", "sex", "inhabitants"),
    key=("municipality_code", "wijk_code", "year", "age", "sex"),
    patterns={
        "municipality_code": (r"[0-9]{4}", "4 cijfers"),
        "year": (r"(19|20)[0-9]{2}", "een jaartal"),
        "age": (r"[0-9]{1,3}(-[0-9]{1,3}|\+)?", "een leeftijd (7) of leeftijdsklasse (0-17, 65+)"),
        "sex": (r"[012]", "0, 1 of 2"),
        "inhabitants": (r"[0-9]+", "een aantal"),
    },
    integers=("year", "inhabitants"),
)
TABLES = {t.kind: t for t in (POSTCODE_AREAS, PROVIDERS, POPULATION)}


def read_csv_text(path: Path) -> pa.Table:
    """A small CSV file as text columns, read like an allocation file (encoding and delimiter detected)."""
    if not path.is_file():
        raise InputError(f"Bestand {path} bestaat niet of is geen bestand.")
    encoding = detect_encoding(path)
    header = first_line(path, encoding)
    delimiter = sniff_delimiter(header)
    headers = split_header(header, delimiter)
    try:
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(encoding=encoding, column_names=headers, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter=delimiter),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(headers, pa.string())),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        row = re.search(r"Row #(\d+)", str(exc))  # pyarrow's message is English: only its row number is used
        where = f" (rond regel {int(row.group(1)) + 1})" if row else ""
        raise InputError(
            f"{path.name} is geen leesbare CSV{where}: een regel heeft niet evenveel velden als de kopregel, een "
            "aanhalingsteken sluit niet op zijn regel, of er staan tekens in die geen tekst zijn. Een "
            "referentietabel wordt alleen helemaal geladen: herstel het bestand. Er is niets geladen."
        ) from exc


def load_reference(warehouse: Warehouse, spec: ReferenceTable, path: Path, *, now: datetime) -> int:
    """Replace the reference table ``spec`` with the rows of ``path``; the number of rows loaded."""
    source = read_csv_text(path)
    by_header = {normalise_header(h): h for h in source.column_names}
    found = {
        column: next((by_header[a] for a in accepted if a in by_header), None)
        for column, accepted in spec.columns.items()
    }
    missing = [c for c in spec.required if found[c] is None]
    if missing:
        expected = ", ".join(
            f"{c} (of {', '.join(spec.columns[c][1:])})" if spec.columns[c][1:] else c for c in spec.required
        )
        raise InputError(f"{missing_columns(missing)} in {path.name}. Verwacht: {expected}.")
    values = {
        column: [None if v is None or not v.strip() else v.strip() for v in source.column(header).to_pylist()]
        if header is not None
        else [None] * source.num_rows
        for column, header in found.items()
    }
    problems: list[str] = []
    seen: dict[tuple[str | None, ...], int] = {}
    for index in range(source.num_rows):
        row = index + 2
        for column in spec.required:
            if values[column][index] is None:
                problems.append(f"rij {row}: {column} is leeg")
        for column, (pattern, meaning) in spec.patterns.items():
            value = values[column][index]
            if value is not None and not re.fullmatch(pattern, value):
                problems.append(f"rij {row}: {column} '{value}' klopt niet, verwacht {meaning}")
        key = tuple(values[c][index] for c in spec.key)
        if key in seen:
            problems.append(f"rij {row}: staat ook in rij {seen[key]} ({', '.join(spec.key)})")
        seen.setdefault(key, row)
    if problems:
        more = f"; en {len(problems) - 10} meer" if len(problems) > 10 else ""
        # a value in the wrong column may be a BSN: the message never quotes one
        raise InputError(
            mask_bsns_in_text(f"{path.name} is niet geladen: " + "; ".join(problems[:10]) + more)
        )
    # free text (names, types) never keeps a number passing the 11-check; codes with a pattern are checked above
    columns: dict[str, pa.Array] = {
        c: pa.array([None if v is None else int(v) for v in values[c]], pa.int64())
        if c in spec.integers
        else pa.array(values[c], pa.string())
        if c in spec.patterns
        else pa.array([None if v is None else mask_bsns_in_text(v) for v in values[c]], pa.string())
        for c in spec.columns
    }
    if spec is POPULATION:
        low, high = _age_bounds([None if v is None else str(v) for v in values["age"]])
        columns["age"], columns["age_to"] = pa.array(low, pa.int64()), pa.array(high, pa.int64())
    table = pa.table(columns)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    start = LoadStart(spec.kind, "referentie", path.name, sha256, spec.label, now, now, __version__)
    load_id = start_load(warehouse, start)
    try:
        replace_reference_table(warehouse, spec.kind, table)
    except BaseException:
        undo_load(warehouse, load_id)
        raise
    complete_load(warehouse, load_id, LoadCounts(read=table.num_rows, loaded=table.num_rows), None)
    return int(table.num_rows)


def _age_bounds(ages: list[str | None]) -> tuple[list[int | None], list[int | None]]:
    """Lower and upper bounds of ages or bands: '7' -> (7, 7), '18-64' -> (18, 64), '65+' -> (65, None)."""
    lows: list[int | None] = []
    highs: list[int | None] = []
    for age in ages:
        if age is None:
            lows.append(None)
            highs.append(None)
        elif age.endswith("+"):
            lows.append(int(age[:-1]))
            highs.append(None)
        else:
            low, _, high = age.partition("-")
            lows.append(int(low))
            highs.append(int(high or low))
    return lows, highs


DETAILED = 3  # municipality-years described one by one after a population load
# which rows a rate divides by (warehouse.population.counted_population), said of one municipality-year or many
_WHICH_ROWS = (
    "Een cijfer per 1.000 of 10.000 inwoners deelt door de rijen zonder wijkcode (de hele gemeente), met --by "
    "wijk door de rijen per wijk; samen opgeteld worden ze nooit."
)


def population_notes(warehouse: Warehouse) -> list[str]:
    """Dutch lines after ``sdm load population``: for each municipality and year with both rows without a wijk
    code and rows per wijk, which rows count for what (``warehouse.population.counted_population``: never
    both summed) and how the wijken compare with the municipality's own count. More than ``DETAILED`` of them
    (a file of many years): one line for all, and a line for each whose wijken count more than the municipality.
    """
    mixed = mixed_years(warehouse)
    if len(mixed) <= DETAILED:
        return [_mixed_year_note(m) for m in mixed]
    codes = sorted({m.municipality_code for m in mixed})
    years = sorted({m.year for m in mixed})
    municipalities = ", ".join(codes[:5]) + (f" en {len(codes) - 5} meer" if len(codes) > 5 else "")
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    exact = sum(m.wijk_total == m.total for m in mixed)
    fewer = sum(m.wijk_total < m.total for m in mixed)
    more = [m for m in mixed if m.wijk_total > m.total]
    summary = (
        f"{dutch_int(len(mixed))} combinaties van gemeente en jaar (gemeente {municipalities}; {span}) hebben rijen "
        f"zonder wijkcode en rijen met wijkcode. {_WHICH_ROWS} De "
        f"wijken tellen precies op tot de gemeente in {dutch_int(exact)}, minder in {dutch_int(fewer)}, meer in "
        f"{dutch_int(len(more))}."
    )
    return [summary, *(_mixed_year_note(m) for m in more[:DETAILED])] + (
        [f"En nog {dutch_int(len(more) - DETAILED)} waarin de wijken meer tellen dan de gemeente."]
        if len(more) > DETAILED
        else []
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{dutch_int(n)} {one if n == 1 else many}"


def _mixed_year_note(m: MixedYear) -> str:
    text = (
        f"Gemeente {m.municipality_code}, {m.year}: {_count(m.total_rows, 'rij', 'rijen')} zonder wijkcode "
        f"({_count(m.total, 'inwoner', 'inwoners')}) en {_count(m.wijk_rows, 'rij', 'rijen')} met wijkcode "
        f"({_count(m.wijken, 'wijk', 'wijken')}, {_count(m.wijk_total, 'inwoner', 'inwoners')}). {_WHICH_ROWS}"
    )
    difference = m.wijk_total - m.total
    if difference == 0:
        return text + " De wijken tellen precies op tot de gemeente."
    if difference < 0:
        return text + (
            f" De wijken tellen {_count(-difference, 'inwoner', 'inwoners')} minder dan de gemeente (inwoners "
            "buiten deze wijken of zonder wijk)."
        )
    return text + (
        f" Let op: de wijken tellen {_count(difference, 'inwoner', 'inwoners')} meer dan de gemeente; controleer "
        "of de wijken elkaar overlappen of van een ander peilmoment zijn (afronding per wijk kan een klein "
        "verschil geven)."
    )
