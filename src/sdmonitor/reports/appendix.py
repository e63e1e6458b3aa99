"""What a report says about its own data: the loads it was made from and their data-quality notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sdmonitor.ingest.validate import RULES
from sdmonitor.reports.editions import NewEdition
from sdmonitor.warehouse import Warehouse

KIND_NAMES = {
    "allocations": "Toewijzingen",
    "postcode_areas": "Postcodegebieden (wijken)",
    "providers": "Aanbieders",
    "population": "Bevolking",
}


@dataclass(frozen=True)
class SourceLoad:
    """One load a report includes."""

    load_id: int
    kind: str
    source: str
    file_name: str
    known_from: datetime
    loaded_at: datetime
    read: int
    loaded: int
    rejected: int
    warned: int

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)


@dataclass(frozen=True)
class QualityNote:
    """Rows with one problem, summed over the loads a report includes."""

    severity: str  # 'fout' (rejected) or 'waarschuwing' (loaded, with a note)
    code: str
    rows: int

    @property
    def description(self) -> str:
        rule = RULES.get(self.code)
        return rule.description if rule is not None else self.code


@dataclass(frozen=True)
class DataSources:
    """The loads behind a report and what their checks found.

    ``read`` and ``rejected`` count allocation rows only: they feed the data-quality sentence ("Van de ...
    gelezen rijen zijn er ... afgewezen"), which is about the rows the figures are counted from. Reference
    loads (population, areas, providers) are still listed in ``loads``.
    """

    loads: tuple[SourceLoad, ...]
    notes: tuple[QualityNote, ...]

    @property
    def allocation_loads(self) -> tuple[SourceLoad, ...]:
        return tuple(load for load in self.loads if load.kind == "allocations")

    @property
    def rejected(self) -> int:
        return sum(load.rejected for load in self.allocation_loads)

    @property
    def read(self) -> int:
        return sum(load.read for load in self.allocation_loads)


@dataclass(frozen=True)
class ReportContext:
    """What a report shows besides its tables: its edition and its data sources."""

    edition: NewEdition
    sources: DataSources


def data_sources(warehouse: Warehouse, moment: datetime | None) -> DataSources:
    """Allocation loads known at ``moment`` and every reference load (reference data is not versioned)."""
    rows = warehouse.rows(
        "SELECT load_id, kind, source, file_name, known_from, loaded_at, rows_read, rows_loaded, rows_rejected, "
        "rows_warned FROM loads WHERE kind <> 'allocations' OR known_from <= ? ORDER BY kind, known_from, load_id",
        [moment],
    )
    loads = tuple(SourceLoad(*row) for row in rows)
    ids = [load.load_id for load in loads]
    notes = warehouse.rows(
        "SELECT severity, code, sum(rows)::BIGINT FROM load_issues WHERE list_contains(?, load_id) "
        "GROUP BY severity, code ORDER BY severity, sum(rows) DESC, code",
        [ids],
    )
    return DataSources(loads, tuple(QualityNote(*row) for row in notes))
