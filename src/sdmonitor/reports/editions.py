"""Report editions: every report run is stored, so that a later edition can say which figures changed and why.

An edition records the report (template name and a hash of its file), the period, the data it was made from
(``data_moment``: the newest allocation load it includes; ``--as-of data_moment`` rebuilds it), every table
cell (value and the text the reader saw) and a hash of the values. A later edition of the same report and
period compares its cells with the previous edition's and lists each changed figure with the loads that
changed it: every allocation load between the two data moments is replayed in order (the figures are rebuilt
as known just after it), and a figure is credited to each load after which it differed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sdmonitor import __version__
from sdmonitor.reports.build import ReportModel
from sdmonitor.reports.model import TableModel
from sdmonitor.warehouse import Warehouse, inventory
from sdmonitor.warehouse import editions as stored

# A figure as stored: its label for readers, its value and the text the reader saw.
Figures = dict[str, dict[str, Any]]
FiguresAt = Callable[[datetime], Figures]


@dataclass(frozen=True)
class LoadRef:
    """A load named in a revision note."""

    load_id: int
    kind: str
    source: str
    file_name: str
    known_from: datetime

    def describe(self) -> str:
        """'laadactie 7 (export-2026-03.csv, bron suite, 12-03-2026 14:05)'."""
        return f"laadactie {self.load_id} ({self.file_name}, bron {self.source}, {self.known_from:%d-%m-%Y %H:%M})"


@dataclass(frozen=True)
class Change:
    """One figure that differs from the previous edition."""

    key: str
    label: str
    old_text: str
    new_text: str
    loads: tuple[int, ...]  # the loads that changed it; empty when no single load explains it


@dataclass(frozen=True)
class Revision:
    """What changed against the previous edition of the same report and period."""

    previous_number: int | None
    previous_created_at: datetime | None
    changes: tuple[Change, ...]
    loads: tuple[LoadRef, ...]  # every load between the two editions
    hidden_changes: int = 0  # changed figures that are hidden in both editions (not listed)
    added: int = 0  # figures the previous edition did not have (the template changed)
    removed: int = 0
    template_changed: bool = False

    def load(self, load_id: int) -> LoadRef | None:
        return next((load for load in self.loads if load.load_id == load_id), None)

    def changed_by(self, change: Change, separator: str = ", ") -> str:
        """The loads that changed a figure, described for readers ('' when no load explains it)."""
        return separator.join(
            load.describe() if (load := self.load(i)) is not None else f"laadactie {i}" for i in change.loads
        )


@dataclass(frozen=True, kw_only=True)
class Edition(stored.EditionFacts):
    """A stored report edition: its facts (``warehouse/editions.py``), with the revision and files read."""

    edition_id: int
    previous_id: int | None
    revision: Revision
    files: dict[str, str]  # kind -> path

    def protects_at_least(self, min_count: int, *, rounded: bool) -> bool:
        """Whether this edition was published under at least this protection: a threshold no lower than
        ``min_count`` and, when ``rounded``, counts rounded to fives. Editions of unknown protection (made
        before the settings were recorded) never qualify."""
        if self.min_count is None or self.rounded is None:
            return False
        return self.min_count >= min_count and (self.rounded or not rounded)

    @property
    def reproduce_as_of(self) -> str | None:
        """The --as-of value that rebuilds this edition's figures."""
        return None if self.data_moment is None else self.data_moment.isoformat()


def table_figures(section: str, title: str, table: TableModel) -> Figures:
    """Every value cell of a table, named by section, row labels and column."""
    figures: Figures = {}
    for row in table.rows:
        names = [cell.text for cell in row[: table.key_columns] if cell.text]
        # named by the raw values (a provider's code, not its name), so a renamed provider is the same figure
        raw = [str(cell.value) for cell in row[: table.key_columns] if cell.text]
        for column in range(table.key_columns, len(row)):
            cell = row[column]
            key = "|".join([section, *raw, table.columns[column]])
            label = f"{title}: {' · '.join(names)}, {table.headers[column]}"
            figures[key] = {"label": label, "v": _plain(cell.value), "t": cell.text}
    return figures


def report_figures(report: ReportModel) -> Figures:
    """Every figure of the report (both tables of a section that has a comparison)."""
    figures: Figures = {}
    for section in report.sections:
        name, title = section.section.name, section.section.title
        figures.update(table_figures(name, title, section.table))
        if section.compare is not None:
            figures.update(
                table_figures(f"{name}~vergelijking", f"{title} (ter vergelijking)", section.compare)
            )
    for kind, group in (("Kerncijfer", report.summary), ("KPI", report.kpis)):
        for figure in group:
            if figure.has_data:
                figures[f"{kind.lower()}|{figure.kpi.name}"] = {
                    "label": f"{kind}: {figure.kpi.title}, {report.period.label}",
                    "v": _plain(figure.value),
                    "t": figure.value_text,
                    "hidden": figure.value is None and figure.value_text != "–",
                }
    return figures


def _plain(value: Any) -> Any:
    """A JSON value that hashes the same every time (floats rounded to 10 decimals)."""
    if isinstance(value, float):
        return round(value, 10)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def figures_hash(figures: Mapping[str, Mapping[str, Any]], policy: str = "") -> str:
    """SHA-256 of what the edition publishes: the values of shown cells, the text of hidden ones, and the
    privacy policy. Hidden values are left out on purpose: the printed hash must not let anyone test
    guesses of a hidden count."""
    published = {
        key: figures[key]["t"] if _is_hidden(figures[key]) else figures[key]["v"] for key in sorted(figures)
    }
    text = json.dumps({"policy": policy, "figures": published}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def data_moment(warehouse: Warehouse, cutoff: datetime | None) -> datetime | None:
    """The newest allocation load known before ``cutoff`` (None: all loads)."""
    return inventory.allocation_moment(warehouse, before=cutoff)


def data_upto(warehouse: Warehouse, cutoff: datetime | None = None) -> datetime | None:
    """The newest load of versioned data known before ``cutoff`` (None: all): allocations, declarations,
    tariffs, budgets and index series. A report's figures include these, not only the allocations up to
    its data moment, so a revision replays and credits them up to this moment."""
    return inventory.versioned_moment(warehouse, before=cutoff)


def loads_between(
    warehouse: Warehouse, after: datetime | None, upto: datetime | None, since: datetime | None = None
) -> list[LoadRef]:
    """Loads of versioned data (allocations, declarations, tariffs, budgets, index series) with
    ``after < known_from <= upto``, oldest first; with ``since``, also loads made after that moment that
    describe an earlier moment (a late export, or another source behind)."""
    if upto is None:
        return []
    found = inventory.versioned_loads_between(warehouse, after, upto, since)
    return [LoadRef(a.load_id, a.kind, a.source, a.file_name, a.known_from) for a in found]


def reference_loads_since(warehouse: Warehouse, moment: datetime) -> list[LoadRef]:
    """Loads of reference data (population, providers, areas) after ``moment``: not versioned, so they
    change figures of earlier periods too."""
    found = inventory.reference_loads_since(warehouse, moment)
    return [LoadRef(a.load_id, a.kind, a.source, a.file_name, a.loaded_at) for a in found]


def _changed(old: Figures, new: Figures, *, include_new: bool = True) -> list[str]:
    """Figures whose value differs; with ``include_new`` also figures that appeared or went (a new provider,
    a month with flows for the first time). When the template changed, appeared figures are its doing."""
    changed = [key for key in new if key in old and old[key]["v"] != new[key]["v"]]
    if include_new:
        changed += [key for key in new if key not in old] + [key for key in old if key not in new]
    return changed


def _is_hidden(figure: Mapping[str, Any] | None) -> bool:
    if figure is None:
        return False
    if "hidden" in figure:
        return bool(figure["hidden"])
    return figure["t"] != "" and (figure["t"] == "x" or str(figure["t"]).startswith("<"))


def revise(
    warehouse: Warehouse,
    previous: Edition | None,
    previous_figures: Figures,
    figures: Figures,
    moment: datetime | None,
    template_hash: str,
    figures_at: FiguresAt,
    data_upto: datetime | None = None,
) -> Revision:
    """Compare with the previous edition and credit each change to the loads that made it.

    Loads describing the same moment are replayed together (and credited together); loads made after the
    previous edition that describe an earlier moment (late) are credited first, with reference loads.
    ``data_upto``: the newest moment of versioned data the figures include (``inventory.versioned_moment``;
    default ``moment``, the newest allocation load): declaration and finance loads after the allocations'
    moment are in the figures, so they are replayed and credited too. A load the previous edition already
    included (made before it, which was not a reproduction) is not a change since it.
    """
    if previous is None:
        return Revision(None, None, (), ())
    upto = moment if data_upto is None or (moment is not None and moment > data_upto) else data_upto
    loads = loads_between(warehouse, previous.data_moment, upto, since=previous.created_at)
    if previous.as_of is None and previous.last_load_id is not None:
        loads = [load for load in loads if load.load_id > previous.last_load_id]
    late = [
        load for load in loads if previous.data_moment is not None and load.known_from <= previous.data_moment
    ]
    timely = [load for load in loads if load not in late]
    references = reference_loads_since(warehouse, previous.created_at)
    template_changed = template_hash != previous.template_hash
    changed = _changed(previous_figures, figures, include_new=not template_changed)
    credited: dict[str, list[int]] = {key: [] for key in changed}

    def credit(before: Figures, after: Figures, load_ids: list[int]) -> None:
        for key in changed:
            old, new = before.get(key), after.get(key)
            if (old is None) != (new is None) or (
                old is not None and new is not None and old["v"] != new["v"]
            ):
                credited[key].extend(load_ids)

    if changed:
        before = previous_figures
        if (late or references or template_changed) and previous.data_moment is not None:
            # late loads and reference data (not versioned): the old moment rebuilt today tells their share
            base = figures_at(previous.data_moment) if timely else figures
            credit(before, base, [load.load_id for load in (*late, *references)])
            before = base
        moments = sorted({load.known_from for load in timely})
        for at in moments:
            after = figures if at == moments[-1] else figures_at(at)
            credit(before, after, [load.load_id for load in timely if load.known_from == at])
            before = after
    listed = []
    hidden = 0
    for key in changed:
        old, new = previous_figures.get(key), figures.get(key)
        if (old is None or _is_hidden(old)) and (new is None or _is_hidden(new)):
            hidden += 1  # listing it would tell that a hidden cell moved; count it only
            continue
        label = (new or old or {}).get("label", key)
        listed.append(
            Change(
                key,
                label,
                "–" if old is None else old["t"],
                "–" if new is None else new["t"],
                tuple(credited[key]),
            )
        )
    return Revision(
        previous_number=previous.number,
        previous_created_at=previous.created_at,
        changes=tuple(listed),
        loads=tuple(loads + references),
        hidden_changes=hidden,
        added=sum(1 for key in figures if key not in previous_figures),
        removed=sum(1 for key in previous_figures if key not in figures),
        template_changed=template_changed,
    )


# --- storage ----------------------------------------------------------------------------------------------


def _revision_json(revision: Revision) -> str:
    return json.dumps(
        {
            "previous_number": revision.previous_number,
            "previous_created_at": None
            if revision.previous_created_at is None
            else revision.previous_created_at.isoformat(),
            "changes": [
                {"key": c.key, "label": c.label, "old": c.old_text, "new": c.new_text, "loads": list(c.loads)}
                for c in revision.changes
            ],
            "loads": [
                {
                    "load_id": load.load_id,
                    "kind": load.kind,
                    "source": load.source,
                    "file_name": load.file_name,
                    "known_from": load.known_from.isoformat(),
                }
                for load in revision.loads
            ],
            "hidden_changes": revision.hidden_changes,
            "added": revision.added,
            "removed": revision.removed,
            "template_changed": revision.template_changed,
        },
        ensure_ascii=False,
    )


def _revision_of(text: str) -> Revision:
    data = json.loads(text)
    return Revision(
        previous_number=data["previous_number"],
        previous_created_at=None
        if data["previous_created_at"] is None
        else datetime.fromisoformat(data["previous_created_at"]),
        changes=tuple(
            Change(c["key"], c["label"], c["old"], c["new"], tuple(c["loads"])) for c in data["changes"]
        ),
        loads=tuple(
            LoadRef(
                load["load_id"],
                load["kind"],
                load["source"],
                load["file_name"],
                datetime.fromisoformat(load["known_from"]),
            )
            for load in data["loads"]
        ),
        hidden_changes=data["hidden_changes"],
        added=data["added"],
        removed=data["removed"],
        template_changed=data["template_changed"],
    )


def _edition(record: stored.EditionRecord) -> Edition:
    return Edition(
        **stored.facts_of(record),
        edition_id=record.edition_id,
        previous_id=record.previous_id,
        revision=_revision_of(record.revision),
        files=json.loads(record.files),
    )


def list_editions(
    warehouse: Warehouse, template: str | None = None, period: str | None = None
) -> list[Edition]:
    """Stored editions, newest (last stored) first, optionally of one template and/or period."""
    return [_edition(record) for record in stored.list_editions(warehouse, template, period)]


def get_edition(warehouse: Warehouse, edition_id: int) -> Edition | None:
    """One stored edition."""
    record = stored.get_edition(warehouse, edition_id)
    return None if record is None else _edition(record)


def edition_figures(warehouse: Warehouse, edition_id: int) -> Figures:
    """The stored figures of an edition."""
    text = stored.edition_figures(warehouse, edition_id)
    return {} if text is None else dict(json.loads(text))


def previous_edition(
    warehouse: Warehouse, template: str, period: str, moment: datetime | None, *, reproduction: bool = False,
    min_count: int | None = None, rounded: bool = False,
) -> Edition | None:  # fmt: skip
    """The edition a new one compares with: the newest of the same report and period made from data no newer
    than ``moment``; a reproduction (made with --as-of) only when the new one is a reproduction too.

    With ``min_count``, only an edition published under at least the new one's protection
    (``Edition.protects_at_least``): the revision quotes the old texts, and a protected edition must not
    quote exact small counts of a less protected one."""
    for edition in list_editions(warehouse, template, period):
        older = moment is None or edition.data_moment is None or edition.data_moment <= moment
        protected = min_count is None or edition.protects_at_least(min_count, rounded=rounded)
        if older and protected and (edition.as_of is None or reproduction):
            return edition
    return None


def next_number(warehouse: Warehouse, template: str, period: str) -> int:
    """The number of the next edition of ``template`` for ``period`` (1 for the first)."""
    return stored.next_number(warehouse, template, period)


@dataclass(frozen=True, kw_only=True)
class NewEdition(stored.EditionFacts):
    """An edition about to be stored: its facts, figures, previous edition and revision; everything but the
    files."""

    figures: Figures
    previous: Edition | None
    revision: Revision


def store_edition(warehouse: Warehouse, edition: NewEdition, files: Mapping[str, str]) -> int:
    """Store an edition; returns its id."""
    record = stored.NewEditionRecord(
        **stored.facts_of(edition),
        previous_id=None if edition.previous is None else edition.previous.edition_id,
        revision=_revision_json(edition.revision),
        files=json.dumps(dict(files), ensure_ascii=False),
        figures=json.dumps(edition.figures, ensure_ascii=False),
        sdm_version=__version__,
    )
    return stored.insert_edition(warehouse, record)


def compare_editions(warehouse: Warehouse, old: Edition, new: Edition) -> Revision:
    """The changes between any two stored editions of the same report (loads between them, not per figure)."""
    old_figures, new_figures = (
        edition_figures(warehouse, old.edition_id),
        edition_figures(warehouse, new.edition_id),
    )
    if old.as_of is None and new.as_of is None and None not in (old.last_load_id, new.last_load_id):
        # both made from the data as loaded: the versioned loads made between them, declarations and finance
        # loads after the allocations' moment too
        made = range((old.last_load_id or 0) + 1, (new.last_load_id or 0) + 1)
        loads = [
            load for load in loads_between(warehouse, None, data_upto(warehouse)) if load.load_id in made
        ]
    else:
        loads = loads_between(warehouse, old.data_moment, new.data_moment)
    changed = _changed(old_figures, new_figures)
    listed = [
        Change(key, new_figures[key]["label"], old_figures[key]["t"], new_figures[key]["t"], ())
        for key in changed
        if not (_is_hidden(old_figures[key]) and _is_hidden(new_figures[key]))
    ]
    return Revision(
        previous_number=old.number,
        previous_created_at=old.created_at,
        changes=tuple(listed),
        loads=tuple(loads),
        hidden_changes=len(changed) - len(listed),
        added=sum(1 for key in new_figures if key not in old_figures),
        removed=sum(1 for key in old_figures if key not in new_figures),
        template_changed=old.template_hash != new.template_hash,
    )


def template_hash(text: bytes) -> str:
    """SHA-256 of a template file."""
    return hashlib.sha256(text).hexdigest()
