"""Reference tables: postcode areas (PC4 -> wijk), providers (AGB -> type) and population.

Each is small, replaced whole by a new file, and loaded all or nothing: a file with a problem raises
InputError naming the first rows at fault, so a reference table never silently loses rows.
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
from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import normalise_header
from sdmonitor.ingest.readers import detect_encoding, first_line, sniff_delimiter, split_header
from sdmonitor.warehouse import Warehouse


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
        raise InputError(f"Kolom {', '.join(missing)} ontbreekt in {path.name}. Verwacht: {expected}.")
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
                problems.append(f"rij {row}: {column} '{value}' is geen {meaning}")
        key = tuple(values[c][index] for c in spec.key)
        if key in seen:
            problems.append(f"rij {row}: staat ook in rij {seen[key]} ({', '.join(spec.key)})")
        seen.setdefault(key, row)
    if problems:
        more = f"; en {len(problems) - 10} meer" if len(problems) > 10 else ""
        raise InputError(f"{path.name} is niet geladen: " + "; ".join(problems[:10]) + more)
    columns: dict[str, pa.Array] = {
        c: pa.array([None if v is None else int(v) for v in values[c]], pa.int64())
        if c in spec.integers
        else pa.array(values[c], pa.string())
        for c in spec.columns
    }
    if spec is POPULATION:
        low, high = _age_bounds([None if v is None else str(v) for v in values["age"]])
        columns["age"], columns["age_to"] = pa.array(low, pa.int64()), pa.array(high, pa.int64())
    table = pa.table(columns)
    with warehouse.transaction():
        load_id = int(warehouse.value("SELECT nextval('load_ids')"))
        warehouse.execute(f"DELETE FROM {spec.kind}")
        warehouse.execute_on(f"INSERT INTO {spec.kind} BY NAME SELECT * FROM batch", table)
        warehouse.execute(
            "INSERT INTO loads VALUES (?, ?, 'referentie', ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, NULL, ?)",
            [load_id, spec.kind, path.name, hashlib.sha256(path.read_bytes()).hexdigest(), spec.label, now, now,
             table.num_rows, table.num_rows, __version__],
        )  # fmt: skip
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
