"""What several jobs and commands share: the output check, the progress bar's type, the input checks made
before a load asks for the warehouse, and loading one file."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import Mapping
from sdmonitor.ingest.readers import open_source
from sdmonitor.loading import LoadOptions, LoadSummary, load_allocations
from sdmonitor.reference import read_csv_text
from sdmonitor.warehouse import Warehouse

# A progress bar: ``progress(label, total)`` opens one and yields ``advance(n)``, or None when none is shown.
Advance = Callable[[int], None]
Progress = Callable[[str, int], AbstractContextManager[Advance | None]]
Clock = Callable[[], datetime]


def check_output(path: Path, *, folder: bool = False) -> None:
    """Refuse, in Dutch and before any work, an output file or folder that cannot be written.

    The one check for every command that writes (``sdm metric --output``, ``sdm report --out``,
    ``sdm generate OUT_DIR``): a missing folder, a folder where a file is meant (or a file where a folder is
    meant) and missing write permission are a user error (exit 1), not a crash. A missing output folder is
    created by the commands that write a folder, so there the nearest existing folder above it counts.
    """
    what = f"de map {path}" if folder else path
    if path.exists():
        if folder and not path.is_dir():
            raise InputError(f"Kan niet schrijven naar {what}: dat is een bestand, geen map. Kies een map.")
        if not folder and path.is_dir():
            raise InputError(
                f"Kan {what} niet schrijven: dat is een map. Geef een bestandsnaam, zoals {path / 'uitvoer'}."
            )
        if not os.access(path, os.W_OK | (os.X_OK if folder else 0)):
            raise InputError(f"Kan niet schrijven naar {what}: geen schrijfrechten.")
        return
    parent = path.absolute().parent
    if folder:
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
    elif not parent.exists():
        raise InputError(
            f"Kan {what} niet schrijven: de map {parent} bestaat niet. Maak die map eerst of kies een andere."
        )
    if not parent.is_dir():
        raise InputError(f"Kan niet schrijven naar {what}: {parent} is een bestand, geen map.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"Kan niet schrijven naar {what}: geen schrijfrechten in de map {parent}.")


def check_load_files(paths: tuple[Path, ...], mapping: Mapping | None) -> None:
    """Refuse, in Dutch and before the warehouse is opened for writing (which pauses a serving dashboard),
    the allocation files a load would refuse at once: missing, of an unknown type, not text, or without the
    required columns of ``mapping`` (or of any known layout). The rows are checked by the load itself."""
    for path in paths:
        open_source(path, mapping)


def check_reference_file(path: Path) -> None:
    """Refuse, before the warehouse is opened for writing, a reference file that is missing or no CSV."""
    read_csv_text(path)


def load_file(
    warehouse: Warehouse, path: Path, options: LoadOptions, *, now: Clock, progress: Progress
) -> LoadSummary:
    """Load one allocation file (one load), with a progress bar over its bytes."""
    total = path.stat().st_size if path.exists() else 0
    with progress(f"Laden {path.name}", total) as advance:
        return load_allocations(warehouse, path, options, now=now(), progress=advance)
