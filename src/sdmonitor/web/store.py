"""Dashboard users, their sessions, locked user names and the audit log, in the warehouse (migrations 0005,
0006 and 0010).

The server holds the warehouse file open for writing, so no other process can change these tables while
it runs (DuckDB allows one writing process): the users are kept in memory and re-read after every change
made here. ``sdm user`` works on a warehouse that no server has open.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sdmonitor.errors import InputError
from sdmonitor.warehouse import Warehouse
from sdmonitor.web.auth import Role, hash_password, name_problem, password_problem

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now_local() -> datetime:
    """Dutch local time without time zone, like the warehouse's other timestamps."""
    return datetime.now(AMSTERDAM).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class User:
    """A dashboard user; ``session_epoch`` changes when the password is reset (old sessions end)."""

    user_id: int
    name: str
    role: Role
    password_hash: str
    session_epoch: int
    created_at: datetime
    password_changed_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    audit_id: int
    logged_at: datetime
    user_name: str | None
    role: str | None
    action: str
    target: str | None
    detail: str | None
    client_ip: str | None


AUDIT_ACTIONS = {
    "login": "Ingelogd",
    "login_failed": "Inloggen mislukt",
    "login_blocked": "Inloggen geblokkeerd (te veel pogingen)",
    "login_locked": "Gebruikersnaam vergrendeld (mislukte pogingen vanaf meerdere adressen)",
    "user_unlocked": "Gebruikersnaam ontgrendeld",
    "logout": "Uitgelogd",
    "export": "Download",
    "drilldown": "Details op cliëntniveau bekeken",
    "forbidden": "Geen toegang",
    "user_added": "Gebruiker toegevoegd",
    "user_removed": "Gebruiker verwijderd",
    "password_reset": "Wachtwoord opnieuw ingesteld",
}


@dataclass
class Session:
    """A logged-in session as the server knows it (times in seconds since 1970)."""

    user_id: int
    started_at: float
    seen_at: float
    stored_seen_at: float  # the last time written to the warehouse


SEEN_WRITE_INTERVAL = 60.0  # seconds: how often a session's last request is written to the warehouse


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class UserStore:
    """Users, sessions and audit log on one warehouse cursor, used under a lock (writes are short)."""

    def __init__(self, warehouse: Warehouse, clock: Callable[[], float] = time.time) -> None:
        self.warehouse = warehouse
        self.clock = clock
        self._lock = threading.Lock()
        self._users: dict[str, User] = {}
        self._sessions: dict[str, Session] = {}
        self._refresh()
        rows = self.warehouse.rows("SELECT name, locked_until FROM web_login_locks")
        self._locks: dict[str, float] = {str(name): float(until) for name, until in rows}
        rows = self.warehouse.rows("SELECT session_hash, user_id, started_at, seen_at FROM web_sessions")
        self._sessions = {str(h): Session(int(u), float(s), float(n), float(n)) for h, u, s, n in rows}

    def _refresh(self) -> None:
        rows = self.warehouse.rows(
            "SELECT user_id, name, role, password_hash, session_epoch, created_at, password_changed_at "
            "FROM web_users ORDER BY name"
        )
        self._users = {str(row[1]).lower(): _user(row) for row in rows}

    def users(self) -> list[User]:
        """Every user, by name."""
        with self._lock:
            return sorted(self._users.values(), key=lambda u: u.name.lower())

    def find(self, name: str) -> User | None:
        """The user with this name (case-insensitive), or None."""
        with self._lock:
            return self._users.get(name.lower())

    def by_id(self, user_id: int) -> User | None:
        """The user with this id, or None (removed)."""
        with self._lock:
            return next((u for u in self._users.values() if u.user_id == user_id), None)

    def add(self, name: str, role: Role, password: str) -> User:
        """Create a user; InputError (Dutch) for a bad or taken name or a weak password."""
        problem = name_problem(name) or password_problem(password, name)
        if problem:
            raise InputError(problem)
        password_hash = hash_password(password)
        with self._lock:
            if name.lower() in self._users:
                raise InputError(f"Gebruiker '{name}' bestaat al.")
            now = now_local()
            self.warehouse.execute(
                "INSERT INTO web_users (name, role, password_hash, created_at, password_changed_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [name, role.value, password_hash, now, now],
            )
            self._refresh()
            return self._users[name.lower()]

    def remove(self, name: str) -> None:
        """Delete a user (their sessions end at the next request); InputError when unknown."""
        with self._lock:
            user = self._users.get(name.lower())
            if user is None:
                raise InputError(f"Gebruiker '{name}' bestaat niet.")
            self.warehouse.execute("DELETE FROM web_users WHERE user_id = ?", [user.user_id])
            self._end_sessions_of(user.user_id)
            self._refresh()

    def reset_password(self, name: str, password: str) -> None:
        """Set a new password and end the user's open sessions; InputError when unknown or weak."""
        problem = password_problem(password, name)
        if problem:
            raise InputError(problem)
        password_hash = hash_password(password)
        with self._lock:
            user = self._users.get(name.lower())
            if user is None:
                raise InputError(f"Gebruiker '{name}' bestaat niet.")
            self.warehouse.execute(
                "UPDATE web_users SET password_hash = ?, session_epoch = session_epoch + 1, "
                "password_changed_at = ? WHERE user_id = ?",
                [password_hash, now_local(), user.user_id],
            )
            self._end_sessions_of(user.user_id)
            self._refresh()

    # --- locked names ---------------------------------------------------------------------------------

    def lock(self, name: str, seconds: float) -> None:
        """Lock a user name (lower-cased; it need not exist) for ``seconds`` from now."""
        key, now = name.lower(), self.clock()
        with self._lock:
            self.warehouse.execute(
                "DELETE FROM web_login_locks WHERE name = ? OR locked_until <= ?", [key, now]
            )
            self.warehouse.execute(
                "INSERT INTO web_login_locks (name, locked_at, locked_until) VALUES (?, ?, ?)",
                [key, now, now + seconds],
            )
            self._locks = {k: t for k, t in self._locks.items() if t > now}
            self._locks[key] = now + seconds

    def locked_for(self, name: str) -> int:
        """Seconds until a locked name may log in again (0: not locked). Read from memory, no query."""
        with self._lock:
            until = self._locks.get(name.lower())
        if until is None:
            return 0
        return max(0, int(until - self.clock() + 0.999))

    def locked_names(self) -> list[tuple[str, int]]:
        """The names locked now, with the seconds each stays locked, by name."""
        now = self.clock()
        with self._lock:
            return sorted(
                (name, int(until - now + 0.999)) for name, until in self._locks.items() if until > now
            )

    def unlock(self, name: str) -> bool:
        """Lift the lock of a name; False when it was not locked."""
        key, now = name.lower(), self.clock()
        with self._lock:
            locked = self._locks.pop(key, 0.0) > now
            self.warehouse.execute("DELETE FROM web_login_locks WHERE name = ?", [key])
            return locked

    # --- sessions -------------------------------------------------------------------------------------

    def start_session(self, user_id: int) -> str:
        """A new session of a user; returns the random id that goes into the (signed) cookie."""
        session_id = secrets.token_urlsafe(32)
        key, now = _session_hash(session_id), self.clock()
        with self._lock:
            self.warehouse.execute(
                "INSERT INTO web_sessions (session_hash, user_id, started_at, seen_at) VALUES (?, ?, ?, ?)",
                [key, user_id, now, now],
            )
            self._sessions[key] = Session(user_id, now, now, now)
        return session_id

    def session_user_id(self, session_id: str, *, idle_timeout: float, lifetime: float) -> int | None:
        """The user of a live session, counting this request as activity; None (and the session ended)
        when it is unknown, ended, idle longer than ``idle_timeout`` or older than ``lifetime`` seconds.

        The idle time is the server's own record, so a copy of an old cookie cannot extend a session.
        """
        key, now = _session_hash(session_id), self.clock()
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.seen_at > idle_timeout or now - session.started_at > lifetime:
                self._sessions.pop(key, None)
                self.warehouse.execute("DELETE FROM web_sessions WHERE session_hash = ?", [key])
                return None
            session.seen_at = now
            if now - session.stored_seen_at > SEEN_WRITE_INTERVAL:
                session.stored_seen_at = now
                self.warehouse.execute(
                    "UPDATE web_sessions SET seen_at = ? WHERE session_hash = ?", [now, key]
                )
            return session.user_id

    def end_session(self, session_id: str) -> None:
        """End one session (logout)."""
        key = _session_hash(session_id)
        with self._lock:
            self._sessions.pop(key, None)
            self.warehouse.execute("DELETE FROM web_sessions WHERE session_hash = ?", [key])

    def end_expired_sessions(self, *, idle_timeout: float, lifetime: float) -> None:
        """Forget sessions that can no longer be used (at start-up)."""
        now = self.clock()
        with self._lock:
            for key, session in list(self._sessions.items()):
                if now - session.seen_at > idle_timeout or now - session.started_at > lifetime:
                    del self._sessions[key]
            self.warehouse.execute(
                "DELETE FROM web_sessions WHERE seen_at < ? OR started_at < ?",
                [now - idle_timeout, now - lifetime],
            )

    def _end_sessions_of(self, user_id: int) -> None:
        """End every session of a user (caller holds the lock)."""
        self.warehouse.execute("DELETE FROM web_sessions WHERE user_id = ?", [user_id])
        for key in [k for k, s in self._sessions.items() if s.user_id == user_id]:
            del self._sessions[key]

    def audit(
        self, action: str, *, user: str | None, role: str | None = None, target: str | None = None,
        detail: str | None = None, client_ip: str | None = None,
    ) -> None:  # fmt: skip
        """Append one line to the audit log."""
        with self._lock:
            self.warehouse.execute(
                "INSERT INTO audit_log (logged_at, user_name, role, action, target, detail, client_ip) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [now_local(), user, role, action, target, (detail or "")[:2000] or None, client_ip],
            )

    def audit_entries(
        self, *, limit: int = 500, offset: int = 0, action: str | None = None
    ) -> list[AuditEntry]:
        """The newest audit lines first, optionally of one action."""
        where, parameters = ("WHERE action = ?", [action]) if action else ("", [])
        with self._lock:
            rows = self.warehouse.rows(
                "SELECT audit_id, logged_at, user_name, role, action, target, detail, client_ip FROM audit_log "
                f"{where} ORDER BY audit_id DESC LIMIT ? OFFSET ?",
                [*parameters, limit, offset],
            )
        return [AuditEntry(*row) for row in rows]

    def audit_count(self, action: str | None = None) -> int:
        """How many audit lines there are (of one action)."""
        where, parameters = ("WHERE action = ?", [action]) if action else ("", [])
        with self._lock:
            return int(self.warehouse.value(f"SELECT count(*) FROM audit_log {where}", parameters))


def _user(row: tuple[Any, ...]) -> User:
    return User(int(row[0]), str(row[1]), Role(row[2]), str(row[3]), int(row[4]), row[5], row[6])
