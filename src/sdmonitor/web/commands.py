"""``sdm serve`` (the dashboard) and ``sdm user`` (its users), added to the ``sdm`` group by cli/__init__.py.

The warehouse path comes from the main group (``sdm --db PATH``). The server opens the warehouse read-only
and never migrates it; it lets go while a writer (``sdm load``) writes (``warehouse.sharing``). Users live in
the dashboard's own state file (``--state``, ``SDM_DASHBOARD_STATE``; beside the warehouse by default), so
``sdm user`` works while the server runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from sdmonitor.errors import InputError, WarehouseError
from sdmonitor.warehouse.dashboard_state import STATE_VARIABLE, open_dashboard_state
from sdmonitor.web.auth import Role, parse_proxies, password_problem
from sdmonitor.web.settings import WebSettings, secret_key_from_environment
from sdmonitor.web.store import UserStore

ROLES = click.Choice([role.value for role in Role])


def _db(ctx: click.Context) -> Path:
    state: Any = ctx.find_root().obj
    return Path(state.db)


def _existing(db: Path) -> Path:
    if not db.exists():
        raise WarehouseError(f"Warehouse {db} bestaat nog niet. Maak het met 'sdm init' of 'sdm demo'.")
    return db


def _open_store(db: Path, state: Path | None) -> UserStore:
    """The users of the dashboard of ``db``; the first time, those of an older warehouse are taken over."""
    opened, copied = open_dashboard_state(_existing(db), state)
    if copied is not None:
        click.echo(
            f"Gebruikers van het dashboard overgenomen uit het warehouse naar {opened.path}: {copied.users} "
            f"gebruikers, {copied.audit_lines} regels auditlog.",
            err=True,
        )
    return UserStore(opened)


@contextmanager
def _store(ctx: click.Context, state: Path | None) -> Iterator[UserStore]:
    store = _open_store(_db(ctx), state)
    try:
        yield store
    finally:
        store.state.close()


_STATE_OPTION = click.option(
    "--state",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar=STATE_VARIABLE,
    show_envvar=True,
    help="SQLite-bestand met de gebruikers, sessies en auditlog van het dashboard. Standaard naast het "
    "warehouse: sdm.duckdb -> sdm.dashboard.sqlite.",
)


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="SDM_HOST",
    show_envvar=True,
    help="Adres waarop de server luistert; 127.0.0.1 is alleen deze computer.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    envvar="SDM_PORT",
    show_envvar=True,
    help="Poort van de server.",
)
@click.option(
    "--municipality-name",
    default="",
    envvar="SDM_MUNICIPALITY_NAME",
    show_envvar=True,
    help="Naam van de gemeente in de kop van het dashboard.",
)
@click.option(
    "--segments",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="SDM_SEGMENTS",
    show_envvar=True,
    help="YAML-bestand met segmenten (doelgroepen) voor het filter Segment.",
)
@click.option(
    "--idle-minutes",
    type=click.IntRange(1, 24 * 60),
    default=480,
    show_default=True,
    envvar="SDM_IDLE_MINUTES",
    show_envvar=True,
    help="Een sessie eindigt na zoveel minuten zonder activiteit.",
)
@click.option(
    "--min-count",
    "threshold",
    type=click.IntRange(2, 100),
    default=5,
    show_default=True,
    envvar="SDM_MIN_COUNT",
    show_envvar=True,
    help="Kijkers zien geen aantallen kleiner dan dit getal (de overige afgerond op vijftallen).",
)
@click.option(
    "--https-only",
    is_flag=True,
    envvar="SDM_HTTPS_ONLY",
    show_envvar=True,
    help="Stuur het sessiecookie alleen over https (achter een TLS-proxy).",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    metavar="ADRES",
    envvar="SDM_TRUSTED_PROXY",
    show_envvar=True,
    help="IP-adres of netwerk van de eigen proxy (nginx, Apache) waarvan de server X-Forwarded-For "
    "gelooft; herhaalbaar (in de variabele gescheiden door spaties). Standaard: geen, de kop wordt genegeerd.",
)
@_STATE_OPTION
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, municipality_name: str, segments: Path | None, idle_minutes: int,
    threshold: int, https_only: bool, trusted_proxies: tuple[str, ...], state: Path | None,
) -> None:  # fmt: skip
    """Start het dashboard (vraagt SDM_SECRET_KEY in de omgeving; zie docs/dashboard.md)."""
    import uvicorn

    from sdmonitor.metrics.dimensions import read_segments
    from sdmonitor.web.app import create_app
    from sdmonitor.web.dashboard import Dashboard

    secret = secret_key_from_environment()
    try:
        proxies = parse_proxies(trusted_proxies)
    except ValueError as exc:
        raise InputError(f"--trusted-proxy: {exc}") from None
    db = _existing(_db(ctx))
    settings = WebSettings(
        secret_key=secret, municipality_name=municipality_name, idle_timeout=idle_minutes * 60,
        threshold=threshold, https_only=https_only, segments=read_segments(segments) if segments else (),
        segments_file=segments, trusted_proxies=proxies, state_file=state,
    )  # fmt: skip
    store = _open_store(db, state)
    try:
        dashboard = Dashboard(
            db, settings, store
        )  # the warehouse read-only; refused when it needs 'sdm init'
    except BaseException:
        store.state.close()
        raise
    try:
        if not dashboard.store.users():
            click.echo("Er zijn nog geen gebruikers. Maak er een met 'sdm user add NAAM --role admin' "
                       "(dat kan terwijl de server draait).", err=True)  # fmt: skip
        if host not in ("127.0.0.1", "localhost", "::1") and not https_only:
            click.echo("Let op: de server is van buiten bereikbaar zonder https. Zet er een TLS-proxy voor "
                       "en start met --https-only.", err=True)  # fmt: skip
        click.echo(f"Dashboard op http://{host}:{port}/ (Ctrl-C stopt de server)")
        uvicorn.run(
            # uvicorn's own proxy handling would believe X-Forwarded-For from 127.0.0.1 without checking
            # it; the application decides (client_address, --trusted-proxy)
            create_app(dashboard, close_on_shutdown=True), host=host, port=port, log_level="info",
            proxy_headers=False,
            server_header=False, timeout_graceful_shutdown=5,
        )  # fmt: skip
    finally:  # the application closes it on shutdown (also after SIGTERM); this covers a failed start
        dashboard.close()


@click.group()
def user() -> None:
    """Beheer de gebruikers van het dashboard (ook terwijl de server draait)."""


def _new_password(name: str) -> str:
    """From SDM_PASSWORD (scripts), else asked twice without echo."""
    password = os.environ.get("SDM_PASSWORD")
    if password is None:
        password = str(
            click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
        )
    problem = password_problem(password, name)
    if problem:
        raise InputError(problem)
    return password


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=ROLES,
    required=True,
    envvar="SDM_ROLE",
    show_envvar=True,
    help="viewer (kijker), analyst (analist) of admin (beheerder).",
)
@_STATE_OPTION
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, state: Path | None) -> None:
    """Voeg een gebruiker toe; het wachtwoord wordt twee keer gevraagd (of komt uit SDM_PASSWORD)."""
    password = _new_password(name)
    with _store(ctx, state) as store:
        added = store.add(name, Role(role), password)
        store.audit("user_added", user="(sdm user)", target=f"{added.name} ({added.role.value})")
    click.echo(f"Gebruiker {added.name} toegevoegd als {added.role.label}.")


@user.command("list")
@_STATE_OPTION
@click.pass_context
def user_list(ctx: click.Context, state: Path | None) -> None:
    """Toon de gebruikers met hun rol."""
    with _store(ctx, state) as store:
        users = store.users()
    if not users:
        click.echo("Nog geen gebruikers; voeg er een toe met 'sdm user add NAAM --role admin'.")
        return
    width = max(len(u.name) for u in users)
    click.echo(f"{'naam'.ljust(width)}  rol        aangemaakt        wachtwoord gewijzigd")
    for u in users:
        click.echo(
            f"{u.name.ljust(width)}  {u.role.value.ljust(9)}  {u.created_at:%Y-%m-%d %H:%M}  "
            f"{u.password_changed_at:%Y-%m-%d %H:%M}"
        )


@user.command("remove")
@click.argument("name")
@_STATE_OPTION
@click.pass_context
def user_remove(ctx: click.Context, name: str, state: Path | None) -> None:
    """Verwijder een gebruiker."""
    with _store(ctx, state) as store:
        store.remove(name)
        store.audit("user_removed", user="(sdm user)", target=name)
    click.echo(f"Gebruiker {name} verwijderd.")


@user.command("reset-password")
@click.argument("name")
@_STATE_OPTION
@click.pass_context
def user_reset_password(ctx: click.Context, name: str, state: Path | None) -> None:
    """Stel een nieuw wachtwoord in (gevraagd, of uit SDM_PASSWORD); open sessies eindigen."""
    with _store(ctx, state) as store:
        if store.find(name) is None:
            raise InputError(f"Gebruiker '{name}' bestaat niet.")
        store.reset_password(name, _new_password(name))
        store.audit("password_reset", user="(sdm user)", target=name)
    click.echo(f"Wachtwoord van {name} opnieuw ingesteld.")


@user.command("unlock")
@click.argument("name")
@_STATE_OPTION
@click.pass_context
def user_unlock(ctx: click.Context, name: str, state: Path | None) -> None:
    """Hef de vergrendeling van een gebruikersnaam op (na mislukte aanmeldingen vanaf meerdere adressen)."""
    with _store(ctx, state) as store:
        unlocked = store.unlock(name)
        if unlocked:
            store.audit("user_unlocked", user="(sdm user)", target=name)
    if unlocked:
        click.echo(f"Gebruikersnaam {name} is ontgrendeld; aanmelden kan weer.")
    else:
        click.echo(f"Gebruikersnaam {name} was niet vergrendeld.")
