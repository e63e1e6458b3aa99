"""Dashboard users, their sessions, locked user names and the audit log: the rules, on the dashboard's own
state file (``sdmonitor.warehouse.dashboard_state``, a SQLite file next to the warehouse).

The server keeps users, sessions and locks in memory and re-reads them when another process (``sdm user``,
a second server) changed the file: every lookup first asks SQLite whether the file changed, which costs a few
microseconds. ``sdm user`` works while the server runs.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sdmonitor.errors import InputError
from sdmonitor.warehouse.dashboard_state import AuditRow, DashboardState, SessionRow, UserRow
from sdmonitor.web.auth import Role, hash_password, name_problem, password_problem

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now_local() -> datetime:
    """Dutch local time without time zone, like the warehouse's timestamps."""
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
    stored_seen_at: float  # the last time written to the state file


SEEN_WRITE_INTERVAL = 60.0  # seconds: how often a session's last request is written to the state file


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class UserStore:
    """Users, sessions, locks and audit log of one state file, kept in memory under a lock."""

    def __init__(self, state: DashboardState, clock: Callable[[], float] = time.time) -> None:
        self.state = state
        self.clock = clock
        self._lock = threading.Lock()
        self._users: dict[str, User] = {}
        self._sessions: dict[str, Session] = {}
        self._locks: dict[str, float] = {}
        with self._lock:
            self._reload()

    def _reload(self) -> None:
        """Read users, locks and sessions from the file (caller holds the lock). A session's last request
        that is newer in memory than on file (written once a minute) is kept."""
        self._users = {row.name.lower(): _user(row) for row in self.state.users()}
        self._locks = self.state.locks()
        sessions = {}
        for row in self.state.sessions():
            known = self._sessions.get(row.session_hash)
            seen = max(row.seen_at, known.seen_at) if known else row.seen_at
            sessions[row.session_hash] = Session(row.user_id, row.started_at, seen, row.seen_at)
        self._sessions = sessions

    def _current(self) -> None:
        """Re-read when another process changed the file (caller holds the lock)."""
        if self.state.changed_elsewhere():
            self._reload()

    def users(self) -> list[User]:
        """Every user, by name."""
        with self._lock:
            self._current()
            return sorted(self._users.values(), key=lambda u: u.name.lower())

    def find(self, name: str) -> User | None:
        """The user with this name (case-insensitive), or None."""
        with self._lock:
            self._current()
            return self._users.get(name.lower())

    def by_id(self, user_id: int) -> User | None:
        """The user with this id, or None (removed)."""
        with self._lock:
            self._current()
            return next((u for u in self._users.values() if u.user_id == user_id), None)

    def add(self, name: str, role: Role, password: str) -> User:
        """Create a user; InputError (Dutch) for a bad or taken name or a weak password."""
        problem = name_problem(name) or password_problem(password, name)
        if problem:
            raise InputError(problem)
        password_hash = hash_password(password)
        with self._lock:
            if not self.state.insert_user(name, role.value, password_hash, now_local()):
                raise InputError(f"Gebruiker '{name}' bestaat al.")
            self._reload()
            return self._users[name.lower()]

    def remove(self, name: str) -> None:
        """Delete a user (their sessions end at the next request); InputError when unknown."""
        with self._lock:
            self._current()
            user = self._users.get(name.lower())
            if user is None:
                raise InputError(f"Gebruiker '{name}' bestaat niet.")
            self.state.delete_user(user.user_id)
            self._reload()

    def reset_password(self, name: str, password: str) -> None:
        """Set a new password and end the user's open sessions; InputError when unknown or weak."""
        problem = password_problem(password, name)
        if problem:
            raise InputError(problem)
        password_hash = hash_password(password)
        with self._lock:
            self._current()
            user = self._users.get(name.lower())
            if user is None:
                raise InputError(f"Gebruiker '{name}' bestaat niet.")
            self.state.set_password(user.user_id, password_hash, now_local())
            self._reload()

    # --- locked names ---------------------------------------------------------------------------------

    def lock(self, name: str, seconds: float) -> None:
        """Lock a user name (lower-cased; it need not exist) for ``seconds`` from now."""
        key, now = name.lower(), self.clock()
        with self._lock:
            self.state.lock(key, now, now + seconds)
            self._locks = {k: t for k, t in self._locks.items() if t > now}
            self._locks[key] = now + seconds

    def locked_for(self, name: str) -> int:
        """Seconds until a locked name may log in again (0: not locked). From memory, unless the file changed."""
        with self._lock:
            self._current()
            until = self._locks.get(name.lower())
        if until is None:
            return 0
        return max(0, int(until - self.clock() + 0.999))

    def locked_names(self) -> list[tuple[str, int]]:
        """The names locked now, with the seconds each stays locked, by name."""
        now = self.clock()
        with self._lock:
            self._current()
            return sorted(
                (name, int(until - now + 0.999)) for name, until in self._locks.items() if until > now
            )

    def unlock(self, name: str) -> bool:
        """Lift the lock of a name; False when it was not locked."""
        key, now = name.lower(), self.clock()
        with self._lock:
            self._current()
            locked = self._locks.pop(key, 0.0) > now
            self.state.unlock(key)
            return locked

    # --- sessions -------------------------------------------------------------------------------------

    def start_session(self, user_id: int) -> str:
        """A new session of a user; returns the random id that goes into the (signed) cookie."""
        session_id = secrets.token_urlsafe(32)
        key, now = _session_hash(session_id), self.clock()
        with self._lock:
            self.state.insert_session(SessionRow(key, user_id, now, now))
            self._sessions[key] = Session(user_id, now, now, now)
        return session_id

    def session_user_id(self, session_id: str, *, idle_timeout: float, lifetime: float) -> int | None:
        """The user of a live session, counting this request as activity; None (and the session ended)
        when it is unknown, ended, idle longer than ``idle_timeout`` or older than ``lifetime`` seconds.

        The idle time is the server's own record, so a copy of an old cookie cannot extend a session.
        """
        key, now = _session_hash(session_id), self.clock()
        with self._lock:
            self._current()
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.seen_at > idle_timeout or now - session.started_at > lifetime:
                self._sessions.pop(key, None)
                self.state.delete_session(key)
                return None
            session.seen_at = now
            if now - session.stored_seen_at > SEEN_WRITE_INTERVAL:
                session.stored_seen_at = now
                self.state.touch_session(key, now)
            return session.user_id

    def end_session(self, session_id: str) -> None:
        """End one session (logout)."""
        key = _session_hash(session_id)
        with self._lock:
            self._sessions.pop(key, None)
            self.state.delete_session(key)

    def end_expired_sessions(self, *, idle_timeout: float, lifetime: float) -> None:
        """Forget sessions that can no longer be used (at start-up)."""
        now = self.clock()
        with self._lock:
            for key, session in list(self._sessions.items()):
                if now - session.seen_at > idle_timeout or now - session.started_at > lifetime:
                    del self._sessions[key]
            self.state.delete_sessions_before(now - idle_timeout, now - lifetime)

    def audit(
        self, action: str, *, user: str | None, role: str | None = None, target: str | None = None,
        detail: str | None = None, client_ip: str | None = None,
    ) -> None:  # fmt: skip
        """Append one line to the audit log."""
        self.state.append_audit(
            now_local(), user, role, action, target, (detail or "")[:2000] or None, client_ip
        )

    def audit_entries(
        self, *, limit: int = 500, offset: int = 0, action: str | None = None
    ) -> list[AuditRow]:
        """The newest audit lines first, optionally of one action."""
        return self.state.audit_rows(limit=limit, offset=offset, action=action)

    def audit_count(self, action: str | None = None) -> int:
        """How many audit lines there are (of one action)."""
        return self.state.audit_count(action)


def _user(row: UserRow) -> User:
    return User(row.user_id, row.name, Role(row.role), row.password_hash, row.session_epoch, row.created_at,
                row.password_changed_at)  # fmt: skip
