"""What a report says about its own data: the loads it was made from and their data-quality notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sdmonitor.domain.rules import rule_of
from sdmonitor.reports.editions import NewEdition
from sdmonitor.warehouse import Warehouse, inventory

KIND_NAMES = {
    "allocations": "Toewijzingen",
    "postcode_areas": "Postcodegebieden (wijken)",
    "providers": "Aanbieders",
    "population": "Bevolking",
    "declarations": "Declaraties",
    "tariffs": "Tarieven",
    "budgets": "Begroting",
    "index": "Indexreeksen",
    "benefits": "Uitkeringen (Participatiewet)",
    "reintegration": "Re-integratievoorzieningen",
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
        rule = rule_of(self.code)
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
    loads = tuple(
        SourceLoad(
            load_id=a.load_id,
            kind=a.kind,
            source=a.source,
            file_name=a.file_name,
            known_from=a.known_from,
            loaded_at=a.loaded_at,
            read=a.rows_read,
            loaded=a.rows_loaded,
            rejected=a.rows_rejected,
            warned=a.rows_warned,
        )
        for a in inventory.loads_in_use(warehouse, moment)
    )
    notes = inventory.issue_totals(warehouse, [load.load_id for load in loads])
    return DataSources(loads, tuple(QualityNote(n.severity, n.code, n.rows) for n in notes))
