"""The dashboard of one warehouse: figures, users, the values filters may take, and defaults.

The warehouse is read through a pool of read-only cursors that lets go while a writer loads
(``warehouse.sharing``); every cache of figures and pages is tagged with ``data_version`` and dropped when
the warehouse reopens. Users, sessions and the audit log are in the dashboard's own state file
(``warehouse.dashboard_state``), never in the warehouse.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sdmonitor.domain.periods import Grain, Period, cut, period_of
from sdmonitor.domain.wording import sources_text
from sdmonitor.metrics import MetricRequest
from sdmonitor.metrics.dimensions import AgeBands
from sdmonitor.reports.editions import Edition
from sdmonitor.reports.model import show
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse import inventory
from sdmonitor.warehouse.dashboard_state import open_dashboard_state
from sdmonitor.web.auth import Role
from sdmonitor.web.figures import DataRange, Figures
from sdmonitor.web.filters import SEXES, TARGET_GROUPS, Choices, Filters
from sdmonitor.web.settings import WebSettings
from sdmonitor.web.store import User, UserStore

T = TypeVar("T")

PROFILE_AGE_BANDS = AgeBands((0, 12, 18, 23, 45, 65, 75, 85))


@dataclass(frozen=True)
class Viewer:
    """Who asks: the user, the privacy rule that applies (None: exact figures) and what they may open."""

    user: User

    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def may_drill(self) -> bool:
        return self.user.role.allows(Role.ANALYST)

    @property
    def is_admin(self) -> bool:
        return self.user.role is Role.ADMIN

    def policy(self, threshold: int) -> Policy | None:
        """Viewers: counts 1..threshold-1 hidden, the others rounded to fives, so that differencing two
        selections cannot give an exact small count. Analysts and admins see exact figures."""
        return Policy(threshold=threshold, round_to_5=True) if self.user.role is Role.VIEWER else None

    def may_download(self, edition: Edition, threshold: int) -> bool:
        """One rule for everything a viewer reaches: a report edition only when it was published under at
        least the protection of the dashboard's own pages (``policy``); analysts and admins get every one."""
        policy = self.policy(threshold)
        return policy is None or edition.protects_at_least(policy.threshold, rounded=policy.round_to_5)


class Dashboard:
    """Everything the pages need from the warehouse at ``path`` (opened read-only, never migrated) and from
    the dashboard's users (``store``; by default the state file beside the warehouse)."""

    def __init__(self, path: Path, settings: WebSettings, store: UserStore | None = None) -> None:
        self.path = path
        self.settings = settings
        self._memo: dict[str, Any] = {}
        self._memo_lock = threading.Lock()
        self.warm_up: Callable[[Dashboard], None] | None = None  # set by the app: computes the default pages
        self.store = (
            store if store is not None else UserStore(open_dashboard_state(path, settings.state_file)[0])
        )
        try:
            self.figures = Figures(path, settings.pool_size, on_reopen=self._reopened)
        except BaseException:
            self.store.state.close()
            raise

    def close(self) -> None:
        self.figures.close()
        self.store.state.close()

    @property
    def data_version(self) -> int:
        """Counts the loads since the server started; part of every cache key of a page."""
        return self.figures.data_version

    def _reopened(self, version: int) -> None:
        """After a load: forget what was computed and, as at start-up, compute the default pages again."""
        with self._memo_lock:
            self._memo.clear()
        if self.warm_up is not None:
            threading.Thread(target=self.warm_up, args=(self,), name="warm-up", daemon=True).start()

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A value computed once per version of the data (``data_version``)."""
        with self._memo_lock:
            if key in self._memo:
                return self._memo[key]  # type: ignore[no-any-return]
        version = self.data_version
        value = compute()
        with self._memo_lock:
            if version != self.data_version:  # a load came in meanwhile: do not keep the old value
                return value
            return self._memo.setdefault(key, value)  # type: ignore[no-any-return]

    # --- what the data covers -------------------------------------------------------------------------

    def data_range(self) -> DataRange | None:
        return self.memo("range", self.figures.data_range)

    def sources(self, kinds: Iterable[str] | None = None) -> str:
        """Where the figures come from, for the footer of a page: the sources of the kinds of data loaded
        ('gemeentelijke registratie van toewijzingen (Wmo 2015, Jeugdwet) en inkomensadministratie (...)'),
        of ``kinds`` only when given (the page's ``PageDeclaration.sources``)."""
        loaded = self.memo(
            "loaded kinds", lambda: frozenset(load.kind for load in self.figures.read(inventory.list_loads))
        )
        wanted = loaded if kinds is None else loaded & set(kinds)
        return sources_text(wanted)

    def default_filters(self) -> Filters | None:
        """Half-years from the first year with data to the last half-year the data covers."""
        covered = self.data_range()
        if covered is None:
            return None
        start = date(covered.first.year, 1, 1)
        return Filters(start, covered.last_complete(Grain.HALF), Grain.HALF)

    def periods(self, grain: Grain) -> list[Period]:
        """Every period of ``grain`` the data covers, oldest first."""
        covered = self.data_range()
        if covered is None:
            return []
        return cut(date(covered.first.year, 1, 1), covered.last_complete(grain), grain)

    def latest(self, grain: Grain) -> Period | None:
        covered = self.data_range()
        return None if covered is None else period_of(covered.last_complete(grain), grain)

    def provider_names(self) -> dict[str, str]:
        """AGB code -> name, from the providers reference table (``sdm load providers``)."""
        return self.memo("provider_names", lambda: self.figures.read(inventory.provider_names))

    def choices(self) -> Choices:
        """The values each filter can take: those that occur in the data (as the metrics name them)."""
        return self.memo("choices", self._choices)

    def _choices(self) -> Choices:
        covered = self.data_range()
        options: dict[str, list[tuple[str, str]]] = {
            "target_group": [(g, g) for g in TARGET_GROUPS],
            "sex": [(s, s) for s in SEXES],
            "segment": [(s.name, s.name) for s in self.settings.segments],
        }
        if covered is not None:
            columns = ("law", "cbs_group", "provider", "provider_type", "wijk")
            result = self.figures.metric(
                MetricRequest("allocations", grain="year", start=covered.first, end=covered.last, by=columns)
            )
            names = self.provider_names()
            rows = result.records()
            for column in columns:
                values = sorted({str(row[column]) for row in rows})
                if column == "provider":  # as the reports name a provider: 'name (code)'
                    labelled = [(v, f"{names[v]} ({v})" if v in names else v) for v in values]
                    options[column] = sorted(labelled, key=lambda pair: pair[1].lower())
                else:
                    options[column] = [(v, show(column, v)) for v in values]
        return Choices(options, self.settings.segments)

    def client_choices(self) -> Choices:
        """The values the filters of the pages about clients take (Cliënten en stromen, Profiel, Details): as
        ``choices``, but the law filter offers every law with clients in the metric ``clients``, so also the
        Participatiewet ('PW') once benefits are loaded (a person on a benefit is a client of law PW)."""
        return self.memo("client_choices", self._client_choices)

    def _client_choices(self) -> Choices:
        choices = self.choices()
        covered = self.data_range()
        if covered is None:
            return choices
        result = self.figures.metric(
            MetricRequest("clients", grain="year", start=covered.first, end=covered.last, by=("law",))
        )
        laws = sorted({*choices.values("law"), *(str(row["law"]) for row in result.records())})
        return replace(choices, options={**choices.options, "law": [(law, show("law", law)) for law in laws]})

    def label(self, column: str, value: Any) -> str:
        """How a group value reads on a page: as in the reports (``reports.model.show``: law names, 'onbekend'),
        except a provider (its name alone: the AGB code has a column of its own) and a period (its label)."""
        if column == "provider":
            return self.provider_names().get(str(value), str(value))
        if column == "period":
            return "" if value is None else str(value)
        return show(column, value)

    def user_of(self, user_id: int, epoch: int) -> User | None:
        """The user of a session, if they still exist and their password was not reset since."""
        user = self.store.by_id(user_id)
        return user if user is not None and user.session_epoch == epoch else None
