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
    """The loads whose data the figures at ``moment`` (None: now) use, and their data-quality notes.

    An allocation load is in use when a version it stored is the known version at ``moment``; a load that
    changed nothing (the same export loaded again, as a second ``make demo`` does) or whose versions were all
    superseded is not, so running the demo twice does not double the appendix's rows. Reference data is
    replaced whole by each load, so only the newest load of each kind is in use.
    """
    rows = warehouse.rows(
        "WITH in_use AS (SELECT DISTINCT load_id FROM allocation_versions WHERE "
        "  (CAST(? AS TIMESTAMP) IS NULL AND superseded_at IS NULL) "
        "  OR (known_from <= ? AND (superseded_at IS NULL OR superseded_at > ?))), "
        "newest_reference AS (SELECT max(load_id) AS load_id FROM loads WHERE kind <> 'allocations' GROUP BY kind) "
        "SELECT load_id, kind, source, file_name, known_from, loaded_at, rows_read, rows_loaded, rows_rejected, "
        "rows_warned FROM loads WHERE load_id IN (SELECT load_id FROM in_use) "
        "OR load_id IN (SELECT load_id FROM newest_reference) ORDER BY kind, source, known_from, load_id",
        [moment, moment, moment],
    )
    loads = tuple(SourceLoad(*row) for row in rows)
    ids = [load.load_id for load in loads]
    notes = warehouse.rows(
        "SELECT severity, code, sum(rows)::BIGINT FROM load_issues WHERE list_contains(?, load_id) "
        "GROUP BY severity, code ORDER BY severity, sum(rows) DESC, code",
        [ids],
    )
    return DataSources(loads, tuple(QualityNote(*row) for row in notes))
