"""The group ``sdm``, what its commands share, and the entry point ``main``.

A user error (``SdmError``) prints one line and exits 1; any other exception writes its traceback to a log
file, prints that file's path and exits 2.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from sdmonitor import __version__, clitext, config
from sdmonitor.domain.clients import mask_bsns_in_text
from sdmonitor.domain.dates import parse_date
from sdmonitor.errors import InputError, SdmError
from sdmonitor.masking import mask_log_handlers
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.warehouse.database import storage_failure
from sdmonitor.warehouse.sharing import open_for_writing

clitext.install()  # click's own errors and help texts in Dutch
log = logging.getLogger("sdmonitor")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


_opened: list[Path] = []  # the warehouse files this run opened, to name one in an error message


class _State:
    def __init__(self, db: Path, quiet: bool) -> None:
        self.db = db
        self.quiet = quiet

    def open(self, *, read_only: bool = False) -> Warehouse:
        """Open the warehouse; read-only where reading suffices (a read-only file can still be queried).

        The one writable open of every command: when a serving dashboard holds the warehouse, it is asked to
        let go and the command waits (``warehouse.sharing.open_for_writing``), saying so on stderr. So a command
        checks its input first and opens for writing only for what it writes (``sdm report``: the edition)."""
        _opened.append(self.db)
        if read_only:
            warehouse = open_warehouse(self.db, read_only=True)
        else:
            warehouse = open_for_writing(self.db, on_wait=_tell_waiting)
        if warehouse.repaired_loads:
            numbers = ", ".join(map(str, warehouse.repaired_loads))
            Console(stderr=True, highlight=False).print(
                f"Let op: laadactie {numbers} is niet afgemaakt (het proces is afgebroken) en is teruggedraaid; "
                "het warehouse is weer zoals ervoor. Laad dat bestand opnieuw.",
                soft_wrap=True,
            )
        return warehouse

    @property
    def show_progress(self) -> bool:
        return not self.quiet and sys.stderr.isatty()

    @contextmanager
    def progress(self, label: str, total: int) -> Iterator[Callable[[int], None] | None]:
        """A progress bar on stderr, or nothing when quiet or not on a terminal."""
        if not self.show_progress:
            yield None
            return
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)


def _tell_waiting(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, soft_wrap=True)


class _OutputPath(click.Path):
    """A file or folder to write: shown as FILE or MAP in the usage, checked by ``check_output`` (exit 1)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return self.coerce_path_result(os.fsdecode(value) if isinstance(value, bytes) else value)


def _table_output(default_file: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options ``--format table|csv|json|xlsx`` and ``--output`` of a command that writes a table."""

    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--output",
            type=_OutputPath(path_type=Path, dir_okay=False),
            help=f"Schrijf naar dit bestand (nodig voor xlsx; standaard {default_file}).",
        )(command)
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(["table", "csv", "json", "xlsx"]),
            default="table",
            show_default=True,
            envvar="SDM_FORMAT_OUT",
            help="Uitvoerformaat.",
        )(command)

    return apply


def _now() -> datetime:
    """Dutch local time: a load at 00:30 belongs to that day, also for --as-of and --known-on."""
    return datetime.now(AMSTERDAM).replace(tzinfo=None, microsecond=0)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False, readable=False),
    envvar="SDM_DB",
    default=config.DEFAULT_DB,
    show_default=True,
    help="Het warehouse-bestand (DuckDB).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    envvar="SDM_QUIET",
    help="Geen voortgangsbalk.",
)
@click.version_option(__version__, prog_name="sdm")
@click.pass_context
def cli(ctx: click.Context, db: Path, quiet: bool) -> None:
    """Sociaal Domein Monitor: stuurinformatie over Wmo, Jeugdwet en Participatiewet uit registratiegegevens."""
    ctx.obj = _State(db, quiet)


def _date_option(value: str | None) -> date | None:
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise InputError(f"'{value}' is geen geldige datum; gebruik JJJJ-MM-DD of DD-MM-JJJJ.")
    return parsed


def _as_of_option(value: str | None) -> date | datetime | None:
    """--as-of: a date (known at the end of that day) or a moment such as 2026-11-23T14:05:00."""
    if value is not None and ("T" in value or " " in value.strip()):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise InputError(
                f"'{value}' is geen geldig moment; gebruik JJJJ-MM-DD of JJJJ-MM-DDTUU:MM:SS."
            ) from exc
    return _date_option(value)


def _environment_variables(group: click.Group) -> None:
    """Give every option without one the variable ``SDM_<NAME>``, and show them all in --help."""
    for command in group.commands.values():
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help", "version"):
                if param.envvar is None:
                    param.envvar = f"SDM_{(param.name or '').upper()}"
                param.show_envvar = True
        if isinstance(command, click.Group):
            _environment_variables(command)


def write_crash_log(text: str) -> Path:
    """Write a traceback to a new file in the temp folder, readable by its owner only (0600), and return it.

    The name is unique (``sdm-crash-<date-time>-<random>.log``): two crashes in one second never collide,
    and an existing file or link of that name is never followed.
    """
    handle, name = tempfile.mkstemp(prefix=f"sdm-crash-{_now():%Y%m%d-%H%M%S}-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as crash:
        crash.write(text)
    return Path(name)


def main() -> None:
    """Entry point: run the CLI with Dutch one-line errors and a crash log for bugs."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    mask_log_handlers(logging.getLogger())
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        console.print("Afgebroken.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SdmError as exc:
        Console(stderr=True, highlight=False).print(f"Fout: {mask_bsns_in_text(str(exc))}", soft_wrap=True)
        sys.exit(1)
    except Exception as exc:
        failure = storage_failure(exc, _opened[-1] if _opened else None)
        if failure is not None:  # the warehouse file itself failed (damaged, disk full): not a bug of sdm
            Console(stderr=True, highlight=False).print(f"Fout: {failure}", soft_wrap=True)
            sys.exit(1)
        crash = write_crash_log(mask_bsns_in_text(traceback.format_exc()))
        Console(stderr=True).print(f"Onverwachte fout in sdm {__version__}; details staan in {crash}")
        sys.exit(2)
