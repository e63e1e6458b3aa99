"""Helpers for the demo tests: a generated run and readers for its files."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sdmonitor.demo import GeneratedFiles


@dataclass(frozen=True)
class Run:
    """A generated demo: the result, the allocations as rows (dicts) and the output folder."""

    files: GeneratedFiles
    table: pa.Table
    rows: list[dict[str, object]]
    folder: Path


def read_allocations(path: Path) -> pa.Table:
    """The allocation file as an Arrow table (CSV read with every column as text)."""
    if path.suffix == ".parquet":
        return pq.read_table(path)
    names = pacsv.open_csv(path).schema.names
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    return pacsv.read_csv(path, convert_options=convert)


def read_csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    """A small CSV file as a list of dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def as_date(value: object) -> date:
    """A date from a Parquet value (date) or a CSV value (ISO text)."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def age_on(birth: date, day: date) -> int:
    """Completed years on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
