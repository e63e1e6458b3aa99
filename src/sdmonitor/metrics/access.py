"""Access and waiting times: requests against their legal terms, waiting for care against the norm.

docs/metrics.md ("decision_time", "open_requests", "waiting", "waiting_list") has the definitions with the
worked examples R and W; docs/design/access.md §2 the reasoning. In short (all days are calendar days, a date
difference: received on 1 March and decided on 15 March is 14 days):

- **Terms and norms** (``resolve_norms``): the most specific norm row wins, provider and category >
  provider > category > neither, and a loaded row beats a shipped default of the same key. A request's
  legal term is the norm of its law and kind (``applies_to`` melding or aanvraag), plus its suspended and
  extended days; an allocation's norm is that of its law, ``waiting``, product category and provider.
- ``decision_time``: requests with a term, not withdrawn, decided in the period: count, mean and median days,
  decided within the term (``decided_on - received_on <= term + suspended + extended``), the share in percent.
- ``open_requests`` on D: requests with a term received on or before D and not closed by D (decided or
  withdrawn after D, or not at all): count, over the term on D, mean days open.
- **The waiting clock** (``wait_rows``): per allocation in kind (ZIN or empty form; not PGB, not deleted,
  not jeugdbescherming or jeugdreclassering 47/48, of a provider that has reported a delivery for that law,
  and no continuation of an allocation at the same provider for the same client, law and category whose
  care had started), from ``max(start_date, decision_date)`` to the earliest delivery start; a start
  before the clock start is a wait of 0 days.
- ``waiting``: allocations whose care started in the period: count, mean, median and p80 of the wait,
  within the norm (wait <= norm), the share in percent.
- ``waiting_list`` on D: allocations running on D, waiting at least ``grace_days`` since their clock start
  and without a delivery start on or before D: count, mean and median days waited, over the norm, the
  share within it in percent, bridged (the client has care on D under another allocation of the same law:
  a running delivery, or a PGB allocation), and the spread over 0-4, 4-8, 8-13, 13-26 and over 26 weeks.

- **Access partners** (``access``, per team; docs/design/access.md §2.7): ``new_requests``, the requests
  received in the period unless the client had a request of the same law at the same team received at most
  ``request_gap_days`` (default 91) days before it (an aanvraag after its melding is the same question);
  ``broad_inquiries``, the meldingen whose onderzoek finished (``decided_on``, not withdrawn) in the period;
  ``support_plans``, one per distinct (client, law, ``plan_on``) with the plan date in the period, credited
  to the team of the earliest request that carries it.
- ``support_plans`` (``--by`` law, target_group, team): the same plans; the target group by the law (Jeugdwet:
  jeugd) and the client's age on the period's last day (from the requests, else the client's allocations or
  benefits; without a birth date ``onbekend``), for the Participatiewet by age as for the Wmo (issue 14).

Every query is Ibis; the functions that take tables (``with_terms``, ``wait_rows``, ``care_intervals``) are
the whole rule, so the tests run them on small in-memory tables and the metrics on the warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import ibis
import pyarrow.compute as pc
from ibis.expr.types import BooleanValue, IntegerValue, Table, Value

from sdmonitor.domain.allocations import Law
from sdmonitor.domain.periods import Period
from sdmonitor.metrics import engine
from sdmonitor.metrics.dimensions import REQUEST, UNKNOWN, AgeBands, age_dimension, age_on

WITHDRAWN = "ingetrokken"  # closes a request but is no decision of the municipality (design §0.4)
WAITING = "waiting"  # norms.applies_to of the norm for waiting for care
IN_KIND = "ZIN"
PGB = "PGB"
NO_WAIT_CATEGORIES = ("47", "48")  # jeugdreclassering, jeugdbescherming: no start messages (design §0.6)
DEFAULT_GRACE_DAYS = 7
DELIVERIES = "deliveries"  # loads.kind of the deliveries
CARRY = (
    "source",
    "decision_date",
)  # what the waiting metrics need of allocation_versions besides engine.facts
# The spread of waiting_list, right-closed in days (28 days is still 0-4 weeks, 29 is 4-8): measure and the
# highest day of its band (None: no upper bound).
SPREAD: tuple[tuple[str, int | None], ...] = (
    ("weeks_0_4", 28),
    ("weeks_4_8", 56),
    ("weeks_8_13", 91),
    ("weeks_13_26", 182),
    ("weeks_over_26", None),
)
DECISION_BY = ("law", *REQUEST, "product_category")
OPEN_BY = ("law", "kind", "team", "product_category")
ACCESS_BY = ("team", "law")
PLANS_BY = ("law", "target_group", "team")
DEFAULT_REQUEST_GAP_DAYS = 91
MELDING = "melding"
WAITING_BY = (
    "law", "product_category", "cbs_group", "provider", "provider_type", "wijk", "target_group",
)  # fmt: skip


def _or_unknown(column: Value) -> Value:
    return ibis.coalesce(column, ibis.literal(UNKNOWN))


# The --by columns of the request metrics: (request facts) -> value.
REQUEST_GROUPS: dict[str, Callable[[Table], Value]] = {
    "law": lambda t: t.law,
    "kind": lambda t: t.kind,
    "team": lambda t: _or_unknown(t.team),
    "outcome": lambda t: _or_unknown(t.outcome),
    "product_category": lambda t: _or_unknown(t.product_category),
}


def _days(later: Value, earlier: Value) -> IntegerValue:
    """Whole calendar days from ``earlier`` to ``later`` (a date difference)."""
    return later.delta(earlier, unit="day").cast("int64")


def _blank(column: Value) -> Value:
    return ibis.coalesce(column.cast("string"), ibis.literal(""))


# --- norms --------------------------------------------------------------------------------------------------


def resolve_norms(keys: Table, norms: Table) -> Table:
    """The norm in days of each distinct key: ``keys`` has law, applies_to, product_category and provider_code
    (null: none); ``norms`` has law, product_category, provider_code (null or '': all), applies_to, days and
    loaded (a loaded row beats a shipped default of the same key).

    Among the rows of the same law and ``applies_to`` whose category and provider are empty or equal to the
    key's, the highest rank wins: 2 x [provider given] + [category given] (design §1.4). Result: law,
    applies_to, norm_category and norm_provider (the key's, '' for none) and norm_days; a key no row matches
    has no row.
    """
    k = keys.select(
        k_law=keys.law,
        k_applies=keys.applies_to,
        norm_category=_blank(keys.product_category),
        norm_provider=_blank(keys.provider_code),
    ).distinct()
    n = norms.select(
        n_law=norms.law,
        n_applies=norms.applies_to,
        n_category=_blank(norms.product_category),
        n_provider=_blank(norms.provider_code),
        norm_days=norms.days.cast("int64"),
        n_loaded=norms.loaded,
    )
    joined = k.join(
        n,
        [
            k.k_law == n.n_law,
            k.k_applies == n.n_applies,
            (n.n_category == "") | (n.n_category == k.norm_category),
            (n.n_provider == "") | (n.n_provider == k.norm_provider),
        ],
    )
    rank = (joined.n_provider != "").cast("int64") * 2 + (joined.n_category != "").cast("int64")
    order = [ibis.desc(rank), ibis.desc(joined.n_loaded)]
    group = ["k_law", "k_applies", "norm_category", "norm_provider"]
    joined = joined.mutate(pick=ibis.row_number().over(group_by=group, order_by=order))
    best = joined.filter(joined.pick == 0)
    return best.select(
        law=best.k_law, applies_to=best.k_applies, norm_category="norm_category", norm_provider="norm_provider",
        norm_days="norm_days",
    )  # fmt: skip


def with_norm(t: Table, norms: Table, applies_to: Value, provider: Value) -> Table:
    """``t`` (with law and product_category) with ``norm_days``: the norm of its law, ``applies_to``, category
    and ``provider`` (null when none applies)."""
    t = t.mutate(k_applies=applies_to, k_category=_blank(t.product_category), k_provider=_blank(provider))
    keys = t.select(
        law="law", applies_to="k_applies", product_category="k_category", provider_code="k_provider"
    )
    resolved = resolve_norms(keys, norms)
    joined = t.left_join(
        resolved,
        [
            t.law == resolved.law,
            t.k_applies == resolved.applies_to,
            t.k_category == resolved.norm_category,
            t.k_provider == resolved.norm_provider,
        ],
    )
    dropped = [
        c for c in ("law_right", "applies_to", "norm_category", "norm_provider") if c in joined.columns
    ]
    return joined.drop("k_applies", "k_category", "k_provider", *dropped)


# --- requests -----------------------------------------------------------------------------------------------


def with_terms(requests: Table, norms: Table) -> Table:
    """Requests with their legal term: ``term_days`` (the norm of their law and kind; null: no term) and
    ``allowed_days`` = term + suspended + extended days, so that the term's last day is ``received_on +
    allowed_days``."""
    t = with_norm(requests, norms, requests.kind, ibis.literal(None, type="string"))
    t = t.rename(term_days="norm_days")
    extra = ibis.coalesce(t.suspended_days, 0) + ibis.coalesce(t.extended_days, 0)
    return t.mutate(allowed_days=t.term_days + extra.cast("int64"))


def _request_groups(t: Table, by: tuple[str, ...]) -> Table:
    return t.mutate(**{name: REQUEST_GROUPS[name](t) for name in by}) if by else t


def decision_time(t: Table, scope: engine.Scope) -> Table:
    """``decision_time``: per slot and group, the requests with a term decided in the slot (withdrawals are no
    decision): decided, decision_mean_days, decision_median_days, within_term (the share is declared)."""
    t = t.filter(t.term_days.notnull() & t.decided_on.notnull())
    t = t.filter(t.outcome.isnull() | (t.outcome != WITHDRAWN))
    t = _request_groups(t, scope.by)
    t = t.mutate(days=_days(t.decided_on, t.received_on))
    rows = engine._events_in_slots(t, "decided_on", scope)
    days = rows.days.cast("float64")
    result = rows.group_by(["slot", *scope.by]).aggregate(
        decided=rows.count(),
        decision_mean_days=days.mean(),
        decision_median_days=days.quantile(0.5),
        within_term=(rows.days <= rows.allowed_days).cast("int64").sum(),
    )
    return result.mutate(
        decision_mean_days=result.decision_mean_days.round(1),
        decision_median_days=result.decision_median_days.round(1),
    )


def open_requests(t: Table, scope: engine.Scope) -> Table:
    """``open_requests``: per date D and group, the requests with a term received on or before D and not closed
    by D (decided or withdrawn after it, or not at all): open, over_term (D after the term's last day),
    mean_days_open."""
    t = _request_groups(t.filter(t.term_days.notnull()), scope.by)
    slots = engine._slot_table(scope)
    rows = t.join(
        slots,
        [t.received_on <= slots.slot_last, t.decided_on.isnull() | (t.decided_on > slots.slot_last)],
    )
    rows = rows.mutate(days_open=_days(rows.slot_last, rows.received_on))
    result = rows.group_by(["slot", *scope.by]).aggregate(
        open=rows.count(),
        over_term=(rows.days_open > rows.allowed_days).cast("int64").sum(),
        mean_days_open=rows.days_open.cast("float64").mean(),
    )
    return result.mutate(mean_days_open=result.mean_days_open.round(1))


# --- access partners and support plans (design §2.7) -------------------------------------------------------


def _request_order(t: Table) -> list[Any]:
    """The order of a client's requests: by receipt, a melding before an aanvraag of the same day, then by
    source and number (a stable tie-break)."""
    return [t.received_on, ibis.ifelse(t.kind == MELDING, 0, 1), t.source, t.request_id]


def with_new_flag(t: Table, gap_days: int) -> Table:
    """Requests with ``is_new``: no earlier request (in ``_request_order``) of the same client and law at the
    same team (empty: ``onbekend``) was received at most ``gap_days`` days before it. ``t`` holds every
    request, also those before the period: the look-back needs them."""
    t = t.mutate(r_team=_or_unknown(t.team))
    window = ibis.window(group_by=[t.client_key, t.law, t.r_team], order_by=_request_order(t))
    before = t.received_on.lag().over(window)
    fresh = before.isnull() | (_days(t.received_on, before) > gap_days)
    return t.mutate(is_new=fresh).drop("r_team")


def support_plan_rows(t: Table) -> Table:
    """One row per support plan: each distinct (client_key, law, plan_on) among the requests, with the team
    (``onbekend`` when empty) of the earliest request (``_request_order``) that carries it."""
    p = t.filter(t.plan_on.notnull())
    window = ibis.window(group_by=[p.client_key, p.law, p.plan_on], order_by=_request_order(p))
    p = p.mutate(pick=ibis.row_number().over(window))
    p = p.filter(p.pick == 0)
    return p.select("client_key", "law", "plan_on", team=_or_unknown(p.team))


def _nullable(value: Value) -> Value:
    return value.cast(value.type().copy(nullable=True))


def access_from(t: Table, scope: engine.Scope, request_gap_days: int = DEFAULT_REQUEST_GAP_DAYS) -> Table:
    """``access``: per slot and group (team, law) new_requests, broad_inquiries and support_plans. A group has
    a row when any request was received in the slot (all of them continuations: new_requests 0), or a
    melding finished, or a plan was drawn up."""
    flagged = with_new_flag(t, request_gap_days)
    zero, one = ibis.literal(0, type="int64"), ibis.literal(1, type="int64")

    def arm(s: Table, day: Value, team: Value, new: Value, inquiry: Value, plan: Value) -> Table:
        values = {"day": day, "team": team, "law": s.law, "new_requests": new, "broad_inquiries": inquiry,
                  "support_plans": plan}  # fmt: skip
        return s.select(**{name: _nullable(value) for name, value in values.items()})

    received = arm(
        flagged, flagged.received_on, _or_unknown(flagged.team), flagged.is_new.cast("int64"), zero, zero
    )
    melding = t.filter(
        (t.kind == MELDING) & t.decided_on.notnull() & (t.outcome.isnull() | (t.outcome != WITHDRAWN))
    )
    inquiries = arm(melding, melding.decided_on, _or_unknown(melding.team), zero, one, zero)
    plans = support_plan_rows(t)
    planned = arm(plans, plans.plan_on, plans.team, zero, zero, one)
    rows = engine._events_in_slots(ibis.union(received, inquiries, planned), "day", scope)
    return rows.group_by(["slot", *scope.by]).aggregate(
        new_requests=rows.new_requests.sum(),
        broad_inquiries=rows.broad_inquiries.sum(),
        support_plans=rows.support_plans.sum(),
    )


def target_group_of(age: Value, law: Value) -> Value:
    """The target group of a support plan: the Jeugdwet is ``jeugd`` at any age; the Wmo and the
    Participatiewet by age (under 18 jeugd, 18-64 volwassenen, 65 and over ouderen, as
    ``dimensions.age_dimension``); ``onbekend`` without an age."""
    by_age = age_dimension("target_group", age, law, AgeBands())
    return ibis.ifelse(
        law == Law.JW.value, ibis.literal("jeugd"), ibis.ifelse(age.isnull(), ibis.literal(UNKNOWN), by_age)
    )


def support_plans_from(t: Table, scope: engine.Scope, births: Table | None = None) -> Table:
    """``support_plans``: per slot and group (law, target_group, team) the plans (``support_plan_rows``) with
    their date in the slot. ``births`` (b_client, b_birth): a birth date per client, for ``target_group``
    (age on the slot's last day); a client without one is ``onbekend``."""
    plans = support_plan_rows(t)
    if births is None:
        plans = plans.mutate(birth=ibis.null().cast("date"))
    else:
        plans = plans.left_join(births, plans.client_key == births.b_client).drop("b_client")
        plans = plans.rename(birth="b_birth")
    rows = engine._events_in_slots(plans, "plan_on", scope)
    if "target_group" in scope.by:
        rows = rows.mutate(target_group=target_group_of(age_on(rows.birth, rows.slot_last), rows.law))
    return rows.group_by(["slot", *scope.by]).aggregate(support_plans=rows.count())


def client_births(backend: Any, requests: Table, as_of: date | datetime | None) -> Table:
    """A birth date per client (b_client, b_birth): the earliest of the client's requests, else the earliest
    of the client's allocations and benefits (applicant or partner) as known at ``as_of``."""
    asked = requests.filter(requests.birth_date.notnull())
    asked = asked.group_by(r_client=asked.client_key).aggregate(r_birth=asked.birth_date.min())
    allocations = engine.known_at(backend.table("allocation_versions"), as_of)
    benefits = engine.known_at(backend.table("benefit_versions"), as_of)
    others = ibis.union(
        allocations.select(
            o_client=_nullable(allocations.client_key), o_birth=_nullable(allocations.birth_date)
        ),
        benefits.select(o_client=_nullable(benefits.client_key), o_birth=_nullable(benefits.birth_date)),
        benefits.select(
            o_client=_nullable(benefits.partner_key), o_birth=_nullable(benefits.partner_birth_date)
        ),
    )
    others = others.filter(others.o_client.notnull() & others.o_birth.notnull())
    others = others.group_by("o_client").aggregate(o_birth=others.o_birth.min())
    both = asked.outer_join(others, asked.r_client == others.o_client)
    return both.select(
        b_client=ibis.coalesce(both.r_client, both.o_client),
        b_birth=ibis.coalesce(both.r_birth, both.o_birth),
    )


def access(t: Table, scope: engine.Scope, request_gap_days: int = DEFAULT_REQUEST_GAP_DAYS) -> Table:
    """The ``access`` metric on the request facts (``access_from``)."""
    return access_from(t, scope, request_gap_days)


def support_plans(t: Table, scope: engine.Scope) -> Table:
    """The ``support_plans`` metric on the request facts (``support_plans_from``); the birth dates are read
    only for ``target_group``."""
    births = client_births(t.get_backend(), t, scope.as_of) if "target_group" in scope.by else None
    return support_plans_from(t, scope, births)


def request_history_start(backend: Any, as_of: date | datetime | None) -> date | None:
    """The earliest receipt of the requests known at ``as_of`` (None: none): before it nothing is known, so
    a period whose look-back (``--request-gap-days``) reaches before it is incomplete."""
    t = engine.known_at(backend.table("request_versions"), as_of)
    value = backend.to_pyarrow(t.aggregate(first=t.received_on.min())).column("first")[0].as_py()
    return value if isinstance(value, date) else None


# --- the waiting clock --------------------------------------------------------------------------------------


def _in_kind(form: Value) -> BooleanValue:
    return form.isnull() | (form == IN_KIND)


def wait_rows(allocations: Table, deliveries: Table, norms: Table, max_gap_days: int = 0) -> Table:
    """One row per allocation that can wait (design §2.4): the columns of ``allocations`` (``engine.facts``
    with source and decision_date) plus ``clock_start``, ``first_start`` (the earliest delivery start; null:
    none yet), ``wait_days`` (null without a start) and ``norm_days``.

    ``deliveries`` (source, allocation_id, start_date) are those known and realised (``delivery_facts``).
    Left out: PGB and other forms than ZIN or empty, categories 47 and 48, allocations of a provider that has
    reported no delivery for that law, and continuations: an allocation of the same client, law, category
    and provider starting (in start order) at most ``max_gap_days`` + 1 days after the end of an earlier one
    whose care had started, or while such a one runs.
    """
    first = deliveries.group_by(f_source=deliveries.source, f_allocation=deliveries.allocation_id).aggregate(
        first_start=deliveries.start_date.min()
    )
    in_kind = allocations.filter(
        _in_kind(allocations.delivery_form)
        & (allocations.product_category.isnull() | ~allocations.product_category.isin(NO_WAIT_CATEGORIES))
    )
    in_kind = in_kind.mutate(r_provider=_blank(in_kind.provider_code))
    # a provider counts per source and law only once a delivery of it is known there: the allocations of a
    # source that sends no start messages (another export, an old system) never start and would wait forever.
    # A semi join on the deliveries, not on the first starts joined below: DuckDB would compute that join twice
    delivered = in_kind.semi_join(
        deliveries,
        [in_kind.source == deliveries.source, in_kind.allocation_id == deliveries.allocation_id],
    )
    reported = delivered.select(p_source="source", p_provider="r_provider", p_law="law").distinct()
    t = in_kind.semi_join(
        reported,
        [
            in_kind.source == reported.p_source,
            in_kind.r_provider == reported.p_provider,
            in_kind.law == reported.p_law,
        ],
    )
    t = t.left_join(first, [t.source == first.f_source, t.allocation_id == first.f_allocation]).drop(
        "f_source", "f_allocation"
    )
    keys = ["client_key", "law", "product_category", "r_provider"]
    window = ibis.window(group_by=keys, order_by=[t.start_date, t.allocation_id], rows=(None, -1))
    started_end = ibis.ifelse(
        t.first_start.notnull(),
        ibis.coalesce(t.end_date, ibis.literal(engine.OPEN_END)),
        ibis.null().cast("date"),
    )
    t = t.mutate(previous_end=started_end.max().over(window))  # the latest end of earlier started ones
    continuation = t.previous_end.notnull() & (_days(t.start_date, t.previous_end) <= max_gap_days + 1)
    t = t.filter(~continuation).drop("previous_end")
    clock = ibis.greatest(t.start_date, ibis.coalesce(t.decision_date, t.start_date))
    t = t.mutate(clock_start=clock)
    t = t.mutate(wait_days=ibis.greatest(_days(t.first_start, t.clock_start), 0))
    # the norm of each distinct (law, category, provider), resolved on the allocations' keys before the window:
    # taken from ``t`` itself, DuckDB would compute the window a second time for the keys
    norm_keys = in_kind.select(
        "law", product_category=_blank(in_kind.product_category), n_provider="r_provider"
    ).distinct()
    normed = with_norm(norm_keys, norms, ibis.literal(WAITING), norm_keys.n_provider)
    t = t.left_join(
        normed,
        [
            t.law == normed.law,
            _blank(t.product_category) == normed.product_category,
            t.r_provider == normed.n_provider,
        ],
    )
    return t.drop(*(c for c in ("law_right", "product_category_right", "n_provider") if c in t.columns)).drop(
        "r_provider"
    )


def care_intervals(allocations: Table, deliveries: Table) -> Table:
    """Care a client has, per allocation: its deliveries (start..end, null end: running) and every PGB
    allocation (start..end), with c_client, c_law, c_source, c_allocation, c_start, c_end (OPEN_END when
    open). A paused allocation has no care between the pause and the restart (design §2.4.6)."""
    a = allocations.select(
        "source", "allocation_id", "client_key", "law", "delivery_form", "start_date", "end_date"
    )
    d = deliveries.select(
        d_source=deliveries.source, d_allocation=deliveries.allocation_id, d_start=deliveries.start_date,
        d_end=deliveries.end_date,
    )  # fmt: skip
    delivered = a.join(d, [a.source == d.d_source, a.allocation_id == d.d_allocation])
    open_end = ibis.literal(engine.OPEN_END)
    columns = ("c_client", "c_law", "c_source", "c_allocation", "c_start", "c_end")

    def arm(t: Table, start: Value, end: Value) -> Table:
        values = (t.client_key, t.law, t.source, t.allocation_id, start, ibis.coalesce(end, open_end))
        # the two arms differ in nullability (NOT NULL columns of a table, a join's): the union needs one
        nullable = [v.cast(v.type().copy(nullable=True)) for v in values]
        return t.select(**dict(zip(columns, nullable, strict=True)))

    pgb = a.filter(a.delivery_form == PGB)
    return ibis.union(
        arm(delivered, delivered.d_start, delivered.d_end), arm(pgb, pgb.start_date, pgb.end_date)
    )


def _waiting_groups(t: Table, scope: engine.Scope) -> Table:
    t = engine.with_static(t, scope)
    return t.mutate(birth=t.birth_date, law_for_age=t.law)


def waiting_from(t: Table, scope: engine.Scope) -> Table:
    """``waiting`` on the rows of ``wait_rows``: per slot and group the allocations whose care started in the
    slot: started, wait_mean_days, wait_median_days, p80_days, within_norm (the share is declared)."""
    t = _waiting_groups(t.filter(t.first_start.notnull()), scope)
    rows = engine._finish(engine._events_in_slots(t, "first_start", scope), scope)
    days = rows.wait_days.cast("float64")
    result = rows.group_by(["slot", *scope.by]).aggregate(
        started=rows.count(),
        wait_mean_days=days.mean(),
        wait_median_days=days.quantile(0.5),
        p80_days=days.quantile(0.8),
        within_norm=(rows.wait_days <= rows.norm_days).fill_null(False).cast("int64").sum(),
    )
    return result.mutate(
        wait_mean_days=result.wait_mean_days.round(1),
        wait_median_days=result.wait_median_days.round(1),
        p80_days=result.p80_days.round(1),
    )


def waiting_now(t: Table, care: Table, scope: engine.Scope, grace_days: int) -> Table:
    """The rows of ``wait_rows`` waiting on each date D of the scope (slot, slot_last, ...): running on D,
    ``days_waited`` = D - clock start of at least ``grace_days``, no delivery start on or before D; with
    ``over_norm`` and ``bridged`` (care on D under another allocation of the client of the same law, from
    ``care_intervals``). The rows of ``waiting_list`` and of who waits now."""
    earliest, latest = scope.first, scope.last
    t = t.filter(
        (t.first_start.isnull() | (t.first_start > earliest))
        & (t.end_date.isnull() | (t.end_date >= earliest))
        & (t.start_date <= latest)
    )
    slots = engine._slot_table(scope)
    rows = t.join(
        slots,
        [
            t.start_date <= slots.slot_last,
            t.end_date.isnull() | (t.end_date >= slots.slot_last),
            t.first_start.isnull() | (t.first_start > slots.slot_last),
            t.clock_start <= slots.slot_last,
        ],
    )
    rows = rows.mutate(days_waited=_days(rows.slot_last, rows.clock_start))
    rows = rows.filter(rows.days_waited >= grace_days)
    rows = rows.mutate(over_norm=(rows.days_waited > rows.norm_days).fill_null(False))
    mine = rows.select(b_slot="slot", b_day="slot_last", b_source="source", b_allocation="allocation_id",
                       b_client="client_key", b_law="law")  # fmt: skip
    hits = mine.join(
        care,
        [
            mine.b_client == care.c_client,
            mine.b_law == care.c_law,
            (mine.b_source != care.c_source) | (mine.b_allocation != care.c_allocation),
            care.c_start <= mine.b_day,
            care.c_end >= mine.b_day,
        ],
    )
    bridged = hits.select("b_slot", "b_source", "b_allocation").distinct()
    rows = rows.left_join(
        bridged,
        [
            rows.slot == bridged.b_slot,
            rows.source == bridged.b_source,
            rows.allocation_id == bridged.b_allocation,
        ],
    )
    rows = rows.mutate(bridged=rows.b_slot.notnull())
    return rows.drop("b_slot", "b_source", "b_allocation")


def waiting_list_from(t: Table, care: Table, scope: engine.Scope, grace_days: int) -> Table:
    """``waiting_list`` on the rows of ``wait_rows``: per date and group waiting, waited_mean_days,
    waited_median_days, over_norm, bridged and the spread (``SPREAD``); the share within the norm is
    declared."""
    rows = waiting_now(_waiting_groups(t, scope), care, scope, grace_days)
    rows = engine._finish(rows, scope)
    days = rows.days_waited.cast("float64")
    spread: dict[str, Value] = {}
    low = -1
    for name, high in SPREAD:
        band = rows.days_waited > low
        if high is not None:
            band = band & (rows.days_waited <= high)
            low = high
        spread[name] = band.cast("int64").sum()
    result = rows.group_by(["slot", *scope.by]).aggregate(
        waiting=rows.count(),
        waited_mean_days=days.mean(),
        waited_median_days=days.quantile(0.5),
        over_norm=rows.over_norm.cast("int64").sum(),
        bridged=rows.bridged.cast("int64").sum(),
        **spread,
    )
    return result.mutate(
        waited_mean_days=result.waited_mean_days.round(1),
        waited_median_days=result.waited_median_days.round(1),
    )


# --- facts and the metric queries (metrics/catalogue.py) -----------------------------------------------------


def norm_table(backend: Any, as_of: date | datetime | None) -> Table:
    """The norms in force at ``as_of`` (a loaded norm replaces the shipped default of its key;
    ``warehouse/access.py``), in the form ``resolve_norms`` reads."""
    from sdmonitor.warehouse.access import norms

    t = norms(backend, None if as_of is None else engine.as_of_cutoff(as_of))
    return t.select(
        "law", "product_category", "provider_code", "applies_to", "days", loaded=ibis.literal(True)
    )


def request_facts(backend: Any, as_of: date | datetime | None, moment: date | None = None) -> Table:
    """The requests as known at ``as_of`` and realised on the data ``moment`` (a request received after it is
    unknown, a decision after it is not taken yet: the request is open, without outcome; a support plan dated
    after it is not drawn up yet), with their terms
    (``with_terms``). Every request metric reads the requests through here."""
    t = engine.known_at(backend.table("request_versions"), as_of)
    if moment is not None:
        day = ibis.literal(moment)
        late = t.decided_on > day
        t = t.filter(t.received_on <= day).mutate(
            decided_on=ibis.ifelse(late, ibis.null().cast("date"), t.decided_on),
            outcome=ibis.ifelse(late, ibis.null().cast("string"), t.outcome),
            plan_on=ibis.ifelse(t.plan_on > day, ibis.null().cast("date"), t.plan_on),
        )
    t = t.select(
        "source", "request_id", "client_key", "law", "kind", "team", "received_on", "decided_on", "outcome",
        "suspended_days", "extended_days", "product_category", "plan_on", "birth_date",
    )  # fmt: skip
    return with_terms(t, norm_table(backend, as_of))


def delivery_facts(backend: Any, as_of: date | datetime | None, moment: date | None = None) -> Table:
    """The deliveries as known at ``as_of`` and realised on the data ``moment``: one starting after it is
    unknown, an end after it is not realised yet (the care runs). Columns: source, allocation_id, start_date,
    end_date, end_reason."""
    t = engine.known_at(backend.table("delivery_versions"), as_of)
    if moment is not None:
        day = ibis.literal(moment)
        t = t.filter(t.start_date <= day).mutate(
            end_date=ibis.ifelse(t.end_date > day, ibis.null().cast("date"), t.end_date)
        )
    return t.select("source", "allocation_id", "start_date", "end_date", "end_reason")


def care_facts(t: Table, scope: engine.Scope) -> tuple[Table, Table]:
    """For the allocation facts ``t`` (``engine.facts`` carrying source and decision_date): the rows that can
    wait (``wait_rows``) and the care intervals (``care_intervals``), with the deliveries and norms as known
    at the scope's as-of and realised on its data moment (a decision after the moment is not known yet)."""
    backend = t.get_backend()
    if scope.moment is not None:
        late = t.decision_date > ibis.literal(scope.moment)
        t = t.mutate(decision_date=ibis.ifelse(late, ibis.null().cast("date"), t.decision_date))
    d = delivery_facts(backend, scope.as_of, scope.moment)
    rows = wait_rows(t, d, norm_table(backend, scope.as_of), scope.max_gap_days)
    return rows, care_intervals(t, d)


def waiting(t: Table, scope: engine.Scope) -> Table:
    """The ``waiting`` metric on the allocation facts (``waiting_from``)."""
    return waiting_from(care_facts(t, scope)[0], scope)


def waiting_list(t: Table, scope: engine.Scope, grace_days: int = DEFAULT_GRACE_DAYS) -> Table:
    """The ``waiting_list`` metric on the allocation facts (``waiting_list_from``)."""
    rows, care = care_facts(t, scope)
    return waiting_list_from(rows, care, scope, grace_days)


WHO_WAITS_COLUMNS = (
    "pseudonym", "age", "law", "product_category", "product_code", "provider", "clock_start", "days_waited",
    "norm_days", "over_norm", "bridged",
)  # fmt: skip


@dataclass(frozen=True)
class WhoWaits:
    """The allocations waiting on a date (``who_waits``): one row each, as many as ``waiting_list`` counts."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def who_waits(
    warehouse: Any,
    on: date,
    values: tuple[tuple[str, str], ...] = (),
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
    bands: AgeBands | None = None,
) -> WhoWaits:
    """Who waits on ``on``, for analysts and admins only (the dashboard's details; never a report or a viewer's
    download): the rows of ``waiting_list`` on that date whose groups equal ``values`` ((column, value)
    pairs), computed with the same expressions (``care_facts``, ``waiting_now``), so their number equals the
    figure. The pseudonym is the client's integer key from the identity table, never a BSN. Realised on the
    data moment of allocations and deliveries; the chosen values are applied to the rows afterwards (filters
    never reach SQL)."""
    from sdmonitor.warehouse.inventory import data_moment

    by = tuple(column for column, _ in values)
    moment = data_moment(warehouse, ("allocations", DELIVERIES))
    scope = engine.Scope((Period(on, on, on.isoformat()),), by, bands or AgeBands(), moment=moment)
    t = engine.facts(warehouse.ibis(), None, by, moment, carry=CARRY)
    rows, care = care_facts(t, scope)
    listed = engine._finish(waiting_now(_waiting_groups(rows, scope), care, scope, grace_days), scope)
    listed = listed.select(
        pseudonym=listed.client_key, age=age_on(listed.birth, listed.slot_last), law=listed.law,
        product_category=listed.product_category, product_code=listed.product_code,
        provider=listed.provider_code, clock_start=listed.clock_start, days_waited=listed.days_waited,
        norm_days=listed.norm_days, over_norm=listed.over_norm, bridged=listed.bridged,
        **{f"by_{column}": listed[column] for column in by},
    )  # fmt: skip
    table = warehouse.ibis().to_pyarrow(listed)
    for column, value in values:
        table = table.filter(pc.equal(table.column(f"by_{column}"), value))
    table = table.select(list(WHO_WAITS_COLUMNS)).sort_by(
        [("days_waited", "descending"), ("pseudonym", "ascending")]
    )
    return WhoWaits(WHO_WAITS_COLUMNS, [tuple(row.values()) for row in table.to_pylist()])


def silent_providers(warehouse: Any, as_of: date | datetime | None = None) -> list[tuple[str, str]]:
    """The (provider, law) pairs with allocations in kind in a source without any delivery of that provider and
    law known there at ``as_of``: those allocations are left out of ``waiting`` and ``waiting_list`` (``wait_rows``), and a report or page names them ("Van
    aanbieder 12345678 (JW) zijn geen leveringen geladen"). Sorted; an allocation without provider is ''."""
    backend = warehouse.ibis()
    t = engine.facts(backend, as_of, (), None, carry=CARRY)
    t = t.filter(_in_kind(t.delivery_form)).mutate(r_provider=_blank(t.provider_code))
    d = delivery_facts(backend, as_of)
    delivered = t.semi_join(d, [t.source == d.source, t.allocation_id == d.allocation_id])
    reported = delivered.select("source", "r_provider", "law").distinct()
    silent = (
        t.select("source", "r_provider", "law")
        .distinct()
        .anti_join(reported, ["source", "r_provider", "law"])
        .select("r_provider", "law")
        .distinct()
    )
    rows = backend.to_pyarrow(silent.order_by(["r_provider", "law"])).to_pylist()
    return [(str(row["r_provider"]), str(row["law"])) for row in rows]
