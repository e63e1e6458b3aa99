"""The dashboard's own state: users, sessions, locked user names and the audit log, in a SQLite file.

The state is kept apart from the analytics warehouse (as datasette keeps its internal database apart from
the data it serves), so that ``sdm serve`` can open the warehouse read-only and ``sdm load`` can write it
meanwhile. SQLite in WAL mode with a busy timeout tolerates several processes: the server, ``sdm user`` and
a second server may use the file at once. The file sits next to the warehouse (``sdm.duckdb`` ->
``sdm.dashboard.sqlite``) unless ``SDM_DASHBOARD_STATE`` names another, and is readable by its owner only.

Times: ``created_at``, ``password_changed_at`` and ``logged_at`` are Dutch local time as ISO text (like the
warehouse's timestamps); session and lock times are seconds since 1970.

Dashboards of before this store kept the same tables in the warehouse (migrations 0005, 0006 and 0010):
``copy_from_warehouse`` takes them over once, into a store that has never held anything.
"""

from __future__ import annotations

import logging
import os
import sqlite3  # noqa: TID251 - the dashboard's own store is under warehouse/
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb  # noqa: TID251 - reading the old dashboard tables of a warehouse

from sdmonitor.errors import WarehouseError

log = logging.getLogger(__name__)

STATE_VARIABLE = "SDM_DASHBOARD_STATE"
BUSY_TIMEOUT_MS = 10_000
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id             INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,  -- as typed when added, compared case-insensitively
    role                TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    password_hash       TEXT NOT NULL,         -- 'scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>'
    session_epoch       INTEGER NOT NULL DEFAULT 0, -- raised on a password reset: ends every open session
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
-- the cookie holds only a random id; its SHA-256 is kept here, so a logout ends every copy of the cookie
CREATE TABLE IF NOT EXISTS sessions (
    session_hash TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    started_at   REAL NOT NULL,
    seen_at      REAL NOT NULL  -- the last request, written at most once a minute
);
-- user names locked after failed logins from several addresses (lower-case; the name need not exist)
CREATE TABLE IF NOT EXISTS login_locks (
    name         TEXT PRIMARY KEY,
    locked_at    REAL NOT NULL,
    locked_until REAL NOT NULL
);
-- every login, failed or blocked login, logout, download, drill-down and change of users; never client data
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id  INTEGER PRIMARY KEY,
    logged_at TEXT NOT NULL,
    user_name TEXT,
    role      TEXT,
    action    TEXT NOT NULL,
    target    TEXT,
    detail    TEXT,
    client_ip TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log (action, audit_id);
-- facts about the store itself, e.g. when the old tables of the warehouse were taken over
CREATE TABLE IF NOT EXISTS store_facts (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
COPIED_FACT = "copied_from_warehouse"


def state_path(warehouse_path: Path) -> Path:
    """Where the dashboard state of a warehouse is kept: ``SDM_DASHBOARD_STATE``, or next to the warehouse
    (``data/sdm.duckdb`` -> ``data/sdm.dashboard.sqlite``)."""
    chosen = os.environ.get(STATE_VARIABLE)
    if chosen:
        return Path(chosen)
    return warehouse_path.with_name(f"{warehouse_path.stem}.dashboard.sqlite")


@dataclass(frozen=True)
class UserRow:
    """One stored user (the role as its text)."""

    user_id: int
    name: str
    role: str
    password_hash: str
    session_epoch: int
    created_at: datetime
    password_changed_at: datetime


@dataclass(frozen=True)
class SessionRow:
    """One stored session: the hash of its id, its user and its times (seconds since 1970)."""

    session_hash: str
    user_id: int
    started_at: float
    seen_at: float


@dataclass(frozen=True)
class AuditRow:
    """One stored line of the audit log."""

    audit_id: int
    logged_at: datetime
    user_name: str | None
    role: str | None
    action: str
    target: str | None
    detail: str | None
    client_ip: str | None


@dataclass(frozen=True)
class OldState:
    """The dashboard tables of a warehouse of before the separate store (all empty when it had none)."""

    users: tuple[UserRow, ...]
    sessions: tuple[SessionRow, ...]
    locks: tuple[tuple[str, float, float], ...]
    audit: tuple[AuditRow, ...]


@dataclass(frozen=True)
class Copied:
    """What ``copy_from_warehouse`` took over."""

    users: int
    audit_lines: int


def _time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _text(value: datetime) -> str:
    return value.isoformat(sep=" ")


class DashboardState:
    """An open state file: one SQLite connection, used under a lock (every statement is short)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._connection = _connect(path)
        self._seen_version = self._data_version()

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> DashboardState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction (``BEGIN IMMEDIATE``: it waits for another process's write, up to the busy timeout)."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def _data_version(self) -> int:
        with self._lock:
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def backup(self, target: Path) -> None:
        """A consistent copy of the state at ``target`` (SQLite's online backup; the server may keep running)."""
        with self._lock, sqlite3.connect(target) as copy:
            self._connection.backup(copy)
        copy.close()
        target.chmod(0o600)

    def changed_elsewhere(self) -> bool:
        """Whether another connection (``sdm user``, a second server) committed since the last call."""
        version = self._data_version()
        changed, self._seen_version = version != self._seen_version, version
        return changed

    # --- users ----------------------------------------------------------------------------------------

    def users(self) -> list[UserRow]:
        """Every user, by name."""
        rows = self._rows(
            "SELECT user_id, name, role, password_hash, session_epoch, created_at, password_changed_at "
            "FROM users ORDER BY name"
        )
        return [UserRow(int(r[0]), r[1], r[2], r[3], int(r[4]), _time(r[5]), _time(r[6])) for r in rows]

    def insert_user(self, name: str, role: str, password_hash: str, now: datetime) -> bool:
        """Add a user; False when the name (case-insensitive) is taken."""
        with self._write() as connection:
            if connection.execute("SELECT 1 FROM users WHERE lower(name) = lower(?)", [name]).fetchone():
                return False
            connection.execute(
                "INSERT INTO users (name, role, password_hash, created_at, password_changed_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [name, role, password_hash, _text(now), _text(now)],
            )
        return True

    def delete_user(self, user_id: int) -> None:
        """Remove a user and their sessions."""
        with self._write() as connection:
            connection.execute("DELETE FROM users WHERE user_id = ?", [user_id])
            connection.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])

    def set_password(self, user_id: int, password_hash: str, now: datetime) -> None:
        """Store a new password hash, raise the session epoch and end the user's sessions."""
        with self._write() as connection:
            connection.execute(
                "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1, password_changed_at = ? "
                "WHERE user_id = ?",
                [password_hash, _text(now), user_id],
            )
            connection.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])

    # --- locked names ---------------------------------------------------------------------------------

    def locks(self) -> dict[str, float]:
        """Locked name -> until when (seconds since 1970), including locks that have passed."""
        return {
            str(name): float(until)
            for name, until in self._rows("SELECT name, locked_until FROM login_locks")
        }

    def lock(self, name: str, now: float, until: float) -> None:
        """Lock ``name`` until ``until``; forget locks that have passed."""
        with self._write() as connection:
            connection.execute("DELETE FROM login_locks WHERE name = ? OR locked_until <= ?", [name, now])
            connection.execute("INSERT INTO login_locks VALUES (?, ?, ?)", [name, now, until])

    def unlock(self, name: str) -> None:
        with self._write() as connection:
            connection.execute("DELETE FROM login_locks WHERE name = ?", [name])

    # --- sessions -------------------------------------------------------------------------------------

    def sessions(self) -> list[SessionRow]:
        rows = self._rows("SELECT session_hash, user_id, started_at, seen_at FROM sessions")
        return [SessionRow(str(h), int(u), float(s), float(n)) for h, u, s, n in rows]

    def insert_session(self, session: SessionRow) -> None:
        with self._write() as connection:
            connection.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                [session.session_hash, session.user_id, session.started_at, session.seen_at],
            )

    def touch_session(self, session_hash: str, seen_at: float) -> None:
        with self._write() as connection:
            connection.execute(
                "UPDATE sessions SET seen_at = ? WHERE session_hash = ?", [seen_at, session_hash]
            )

    def delete_session(self, session_hash: str) -> None:
        with self._write() as connection:
            connection.execute("DELETE FROM sessions WHERE session_hash = ?", [session_hash])

    def delete_sessions_before(self, seen_before: float, started_before: float) -> None:
        """Remove sessions idle since ``seen_before`` or started before ``started_before``."""
        with self._write() as connection:
            connection.execute(
                "DELETE FROM sessions WHERE seen_at < ? OR started_at < ?", [seen_before, started_before]
            )

    # --- audit log ------------------------------------------------------------------------------------

    def append_audit(
        self, logged_at: datetime, user_name: str | None, role: str | None, action: str, target: str | None,
        detail: str | None, client_ip: str | None,
    ) -> None:  # fmt: skip
        with self._write() as connection:
            connection.execute(
                "INSERT INTO audit_log (logged_at, user_name, role, action, target, detail, client_ip) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [_text(logged_at), user_name, role, action, target, detail, client_ip],
            )

    def audit_rows(self, *, limit: int, offset: int, action: str | None) -> list[AuditRow]:
        """The newest lines first, optionally of one action."""
        where, parameters = ("WHERE action = ?", [action]) if action else ("", [])
        rows = self._rows(
            "SELECT audit_id, logged_at, user_name, role, action, target, detail, client_ip FROM audit_log "
            f"{where} ORDER BY audit_id DESC LIMIT ? OFFSET ?",
            [*parameters, limit, offset],
        )
        return [AuditRow(int(r[0]), _time(r[1]), *r[2:]) for r in rows]

    def audit_count(self, action: str | None) -> int:
        where, parameters = ("WHERE action = ?", [action]) if action else ("", [])
        return int(self._rows(f"SELECT count(*) FROM audit_log {where}", parameters)[0][0])

    # --- taking over the tables of an older warehouse ----------------------------------------------------

    def is_untouched(self) -> bool:
        """Whether the store never held anything and never took over a warehouse's tables."""
        counts = self._rows(
            "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_log) + "
            "(SELECT count(*) FROM store_facts WHERE name = ?)",
            [COPIED_FACT],
        )
        return int(counts[0][0]) == 0

    def copy_from_warehouse(self, old: OldState, now: datetime) -> Copied | None:
        """Take over the dashboard tables of an older warehouse, keeping user ids (sessions refer to them),
        password hashes, roles and session epochs; None when the store is not untouched (then nothing)."""
        with self._write() as connection:
            if not self.is_untouched():
                return None
            connection.executemany(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(u.user_id, u.name, u.role, u.password_hash, u.session_epoch, _text(u.created_at),
                  _text(u.password_changed_at)) for u in old.users],
            )  # fmt: skip
            connection.executemany(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)",
                [(s.session_hash, s.user_id, s.started_at, s.seen_at) for s in old.sessions],
            )
            connection.executemany("INSERT INTO login_locks VALUES (?, ?, ?)", old.locks)
            connection.executemany(
                "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.audit_id, _text(a.logged_at), a.user_name, a.role, a.action, a.target, a.detail,
                  a.client_ip) for a in old.audit],
            )  # fmt: skip
            connection.execute(
                "INSERT INTO store_facts VALUES (?, ?)",
                [COPIED_FACT, f"{_text(now)}: {len(old.users)} users, {len(old.audit)} audit lines"],
            )
        return Copied(len(old.users), len(old.audit))


def _connect(path: Path) -> sqlite3.Connection:
    """Open (and create, readable by its owner only) the state file in WAL mode."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # SQLite gives its -wal file the same mode
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                     check_same_thread=False)  # fmt: skip
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            connection.close()
            raise WarehouseError(
                f"Het bestand {path} met de gebruikers van het dashboard is van een nieuwere versie van "
                "sdmonitor. Werk sdmonitor bij."
            )
        if version < SCHEMA_VERSION:
            connection.executescript(
                f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
    except (OSError, sqlite3.Error) as exc:
        log.debug("opening %s failed: %s", path, exc)
        raise WarehouseError(
            f"Kan het bestand {path} met de gebruikers van het dashboard niet openen of maken ({exc}). Kies met "
            f"{STATE_VARIABLE} een bestand op een plek waar u mag schrijven."
        ) from exc
    return connection


def read_old_state(warehouse_path: Path) -> OldState:
    """The dashboard tables (web_users, web_sessions, web_login_locks, audit_log) of a warehouse of before the
    separate store; empty tuples for tables it does not have. Opens the file read-only and changes nothing.
    """
    from sdmonitor.warehouse.database import connection_config, open_failure

    try:
        connection = duckdb.connect(str(warehouse_path), read_only=True, config=connection_config())
    except duckdb.Error as exc:
        raise open_failure(warehouse_path, exc, read_only=True) from exc
    try:
        present = {str(r[0]) for r in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()}

        def rows(table: str, sql: str) -> list[tuple[Any, ...]]:
            return connection.execute(sql).fetchall() if table in present else []

        users = rows(
            "web_users",
            "SELECT user_id, name, role, password_hash, session_epoch, created_at, password_changed_at "
            "FROM web_users ORDER BY user_id",
        )
        sessions = rows("web_sessions", "SELECT session_hash, user_id, started_at, seen_at FROM web_sessions")
        locks = rows("web_login_locks", "SELECT name, locked_at, locked_until FROM web_login_locks")
        audit = rows(
            "audit_log",
            "SELECT audit_id, logged_at, user_name, role, action, target, detail, client_ip FROM audit_log "
            "ORDER BY audit_id",
        )
    finally:
        connection.close()
    return OldState(
        users=tuple(UserRow(int(r[0]), r[1], r[2], r[3], int(r[4]), _time(r[5]), _time(r[6])) for r in users),
        sessions=tuple(SessionRow(str(h), int(u), float(s), float(n)) for h, u, s, n in sessions),
        locks=tuple((str(n), float(a), float(u)) for n, a, u in locks),
        audit=tuple(AuditRow(int(r[0]), _time(r[1]), *r[2:]) for r in audit),
    )


def open_dashboard_state(
    warehouse_path: Path, path: Path | None = None
) -> tuple[DashboardState, Copied | None]:
    """Open the state of the dashboard of ``warehouse_path`` (at ``path``, or ``state_path``), taking over the
    tables of an older warehouse the first time (then the second value says what was taken over)."""
    state = DashboardState(path or state_path(warehouse_path))
    try:
        copied = None
        if state.is_untouched() and warehouse_path.exists():
            now = datetime.now(ZoneInfo("Europe/Amsterdam")).replace(tzinfo=None, microsecond=0)
            copied = state.copy_from_warehouse(read_old_state(warehouse_path), now)
            if copied is not None and (copied.users or copied.audit_lines):
                log.info("took over %d users and %d audit lines from %s", copied.users, copied.audit_lines,
                         warehouse_path)  # fmt: skip
    except BaseException:
        state.close()
        raise
    return state, copied if copied is not None and (copied.users or copied.audit_lines) else None
