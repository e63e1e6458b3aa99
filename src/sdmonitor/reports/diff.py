"""Compare two editions of a report (``sdm report diff``): the shown figures that changed, and which loads
changed them.

``pick_editions`` chooses the editions from the stored ones (pure); ``diff_editions`` reads them and returns
an ``EditionDiff`` whose table and notes the CLI prints as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sdmonitor.errors import InputError
from sdmonitor.reports.editions import Edition, Revision, compare_editions, list_editions
from sdmonitor.warehouse import Warehouse


@dataclass(frozen=True)
class EditionDiff:
    """An edition against the previous one or a chosen one (``revision`` None: it is the first edition)."""

    template: str
    period: str
    number: int
    revision: Revision | None
    chosen: bool = False  # compared with an edition the user chose: the loads between them are listed
    privacy: str = ""  # said first when the two editions were published under different privacy settings

    @property
    def headers(self) -> tuple[str, str, str, str]:
        previous = None if self.revision is None else self.revision.previous_number
        return ("cijfer", f"editie {previous}", f"editie {self.number}", "gewijzigd door")

    @property
    def rows(self) -> list[tuple[str, str, str, str]]:
        """One row per changed figure that is shown in at least one edition."""
        if self.revision is None:
            return []
        revision = self.revision
        return [(c.label, c.old_text, c.new_text, revision.changed_by(c, "; ")) for c in revision.changes]

    @property
    def title(self) -> str:
        previous = None if self.revision is None else self.revision.previous_number
        return f"{self.template} {self.period}: editie {self.number} tegenover editie {previous}"

    def notes(self) -> list[str]:
        """The lines under the table: how many figures changed, hidden changes, template and loads."""
        if self.revision is None:
            return [f"Editie {self.number} is de eerste editie van {self.template} {self.period}."]
        revision = self.revision
        notes = [
            *([self.privacy] if self.privacy else []),
            f"{len(revision.changes)} getoonde cijfers gewijzigd.",
        ]
        if revision.hidden_changes:
            notes.append(
                f"Daarnaast {revision.hidden_changes} cijfers die in beide edities verborgen zijn (< 5 of x)."
            )
        if revision.template_changed:
            notes.append(
                f"Het sjabloon is gewijzigd: {revision.added} cijfers nieuw, {revision.removed} vervallen."
            )
        if self.chosen and revision.loads:
            notes.append(
                "Laadacties tussen beide edities: " + "; ".join(load.describe() for load in revision.loads)
            )
        return notes


def protection_text(edition: Edition) -> str:
    """How an edition protects privacy, in Dutch: 'aantallen onder 5 verborgen, afgerond op vijftallen'."""
    if edition.min_count is None or edition.rounded is None:
        return "onbekend (gemaakt voordat de instellingen werden vastgelegd)"
    rounding = "afgerond op vijftallen" if edition.rounded else "niet afgerond"
    return f"aantallen onder {edition.min_count} verborgen, {rounding}"


def privacy_note(old: Edition, new: Edition) -> str:
    """The warning that two editions were published under different privacy settings (--round-to-5, the
    threshold): their figures then differ without any change in the data. Empty when the settings agree."""
    if (old.min_count, old.rounded) == (new.min_count, new.rounded):
        return ""
    return (
        f"Let op: de privacy-instellingen verschillen. Editie {old.number}: {protection_text(old)}; editie "
        f"{new.number}: {protection_text(new)}. Cijfers verschillen daardoor ook waar de gegevens gelijk zijn."
    )


def pick_editions(
    editions: Sequence[Edition], period: str, number: int | None, against: int | None
) -> tuple[Edition, Edition | None]:
    """The edition to show (``number``, or the newest) and the one to compare it with (``against``, or None
    for the previous edition), from the stored editions of one period, newest first; Dutch errors."""
    if not editions:
        raise InputError(f"Er zijn geen edities over {period}. Zie sdm report editions.")
    templates = sorted({e.template for e in editions})
    if len(templates) > 1:
        raise InputError(
            f"Er zijn edities van {', '.join(templates)} over {period}; kies er een met --template."
        )
    by_number = {e.number: e for e in editions}
    existing = ", ".join(map(str, sorted(by_number)))
    edition = by_number.get(number) if number is not None else editions[0]
    if edition is None:
        raise InputError(f"Editie {number} bestaat niet; er zijn edities {existing}.")
    if against is None:
        return edition, None
    old = by_number.get(against)
    if old is None:
        raise InputError(f"Editie {against} bestaat niet; er zijn edities {existing}.")
    return edition, old


def diff_editions(
    warehouse: Warehouse, period: str, template: str | None, number: int | None, against: int | None
) -> EditionDiff:
    """Edition ``number`` (default the newest) of a report over ``period`` against edition ``against``
    (default the previous one: the revision stored with it)."""
    editions = list_editions(warehouse, template, period)
    edition, old = pick_editions(editions, period, number, against)
    if old is not None:
        revision = compare_editions(warehouse, old, edition)
    elif edition.previous_id is not None:
        revision = edition.revision
    else:
        return EditionDiff(edition.template, period, edition.number, None)
    previous = old or next((e for e in editions if e.edition_id == edition.previous_id), None)
    privacy = "" if previous is None else privacy_note(previous, edition)
    return EditionDiff(
        edition.template, period, edition.number, revision, chosen=old is not None, privacy=privacy
    )
