"""Access partners and support plans (issue 13, Lansingerland's figures 4 and 5): ``access`` and
``support_plans`` of metrics/access.py, end to end on loaded requests (worked example A of docs/metrics.md)
and against a simple pure-Python reference on random request histories."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.access import access_from, support_plans_from
from sdmonitor.reports.tables import to_csv
from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows, load_requests_rows, request
from tests.builders import allocation
from tests.metrics.access_tables import halves, quarters, requests, run

COUNT = int(os.environ.get("SDM_REFERENCE_EXAMPLES", "15"))
H1 = {"grain": "half", "start": date(2024, 1, 1), "end": date(2024, 6, 30)}
A_CONTRACT = "new_requests,broad_inquiries,support_plans"


def q(request_id: str, client: str, law: str, kind: str, team: str, received: str, decided: str | None,
      plan: str | None = None, birth: str | None = None, outcome: str | None = None) -> dict[str, Any]:  # fmt: skip
    return request(
        request_id=request_id, client_id=client, law=law, kind=kind, team=team, received_on=received,
        decided_on=decided, plan_on=plan, birth_date=birth, product_category=None,
        outcome=outcome if outcome is not None else ("toegekend" if kind == "aanvraag" and decided else None),
    )  # fmt: skip


EXAMPLE_A = [
    q("q1", "K", "JW", "melding", "CJG", "2024-01-10", "2024-02-07", "2024-02-14"),
    q("q2", "K", "JW", "aanvraag", "CJG", "2024-02-20", "2024-03-12", "2024-02-14"),
    q("q3", "L", "JW", "melding", "CJG", "2024-03-01", None),
    q("q4", "M", "WMO", "melding", "SWL", "2024-02-01", "2024-03-01", birth="1954-01-15"),
    q("q5", "M", "WMO", "aanvraag", "SWL", "2024-03-05", "2024-03-15", "2024-03-04", birth="1954-01-15"),
    q("q6", "N", "WMO", "aanvraag", "SWL", "2024-05-02", "2024-05-10", birth="1990-05-05"),
    q("p1", "P", "JW", "melding", "CJG", "2023-03-01", "2023-03-20", "2023-03-27"),
]


@pytest.fixture
def example_a(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    load_requests_rows(warehouse, tmp_path, EXAMPLE_A, extracted_on=date(2024, 7, 1))
    return warehouse


def figures(warehouse: Warehouse, request: MetricRequest) -> list[tuple[Any, ...]]:
    result = run_metric(warehouse, request)
    return [tuple(row) for row in result.rows]


def test_access_worked_example_half_year_with_last_year(example_a: Warehouse) -> None:
    result = run_metric(example_a, MetricRequest("access", grain="half", start=date(2023, 1, 1),
                                                 end=date(2024, 6, 30)))  # fmt: skip
    columns, rows = result.labelled()
    assert to_csv(columns, rows).splitlines()[0] == f"period,team,{A_CONTRACT},status"
    assert [tuple(row) for row in rows] == [
        ("2023-H1", "CJG", 1, 1, 1, "onvolledig"),  # the look-back of 91 days reaches before 2023-03-01
        ("2024-H1", "CJG", 2, 1, 1, ""),
        ("2024-H1", "SWL", 2, 1, 1, ""),
    ]


def test_an_aanvraag_after_its_melding_is_no_new_request(example_a: Warehouse) -> None:
    """q2 is K's question continued 41 days after q1; with a gap of 30 days it is a new question, and so is q5
    (32 days after M's melding q4)."""
    assert figures(example_a, MetricRequest("access", **H1)) == [
        ("2024-H1", "CJG", 2, 1, 1), ("2024-H1", "SWL", 2, 1, 1),
    ]  # fmt: skip
    wide = MetricRequest("access", by=("team", "law"), options={"request_gap_days": 30}, **H1)
    assert figures(example_a, wide) == [("2024-H1", "CJG", "JW", 3, 1, 1), ("2024-H1", "SWL", "WMO", 3, 1, 1)]


def test_a_request_at_another_team_or_of_another_law_is_a_new_question() -> None:
    t = requests(
        {"request_id": "1", "client_key": "K", "law": "WMO", "kind": "melding", "team": "A", "received_on": "2024-01-02"},
        {"request_id": "2", "client_key": "K", "law": "WMO", "kind": "aanvraag", "team": "B", "received_on": "2024-01-09"},
        {"request_id": "3", "client_key": "K", "law": "JW", "kind": "aanvraag", "team": "B", "received_on": "2024-01-10"},
        {"request_id": "4", "client_key": "K", "law": "JW", "kind": "aanvraag", "team": None, "received_on": "2024-01-11"},
        {"request_id": "5", "client_key": "K", "law": "JW", "kind": "aanvraag", "team": None, "received_on": "2024-04-11"},
    )  # fmt: skip
    rows = run(access_from(t, quarters("2024-01-01", "2024-06-30", ("team",))))
    assert [(r["slot"], r["team"], r["new_requests"]) for r in rows] == [
        ("2024-Q1", "A", 1), ("2024-Q1", "B", 2), ("2024-Q1", "onbekend", 1),
        ("2024-Q2", "onbekend", 0),  # 91 days after request 4: still the same question
    ]  # fmt: skip


def test_one_plan_date_on_melding_and_aanvraag_is_one_plan(example_a: Warehouse) -> None:
    plans = MetricRequest("support_plans", by=("law", "team"), **H1)
    assert figures(example_a, plans) == [("2024-H1", "JW", "CJG", 1), ("2024-H1", "WMO", "SWL", 1)]


def test_a_plan_is_credited_to_the_team_of_the_earliest_request_that_carries_it() -> None:
    t = requests(
        {"request_id": "a", "client_key": "K", "law": "WMO", "kind": "aanvraag", "team": "Consulent",
         "received_on": "2024-02-01", "plan_on": "2024-01-20"},
        {"request_id": "m", "client_key": "K", "law": "WMO", "kind": "melding", "team": "Wijkteam",
         "received_on": "2024-01-05", "plan_on": "2024-01-20"},
    )  # fmt: skip
    rows = run(support_plans_from(t, halves("2024-01-01", "2024-06-30", ("team",))))
    assert [(r["team"], r["support_plans"]) for r in rows] == [("Wijkteam", 1)]


def test_support_plans_by_target_group_follow_the_age_groups_also_for_pw(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """Jeugdwet is jeugd at any age; Wmo and (issue 14) the Participatiewet go by age on the period's last
    day: a PW client of 40 is volwassen, one of 67 ouderen. Without a birth date on the request, the
    client's allocation gives it; without any, ``onbekend``."""
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="W", birth="2010-02-01")])
    rows = [
        q("j", "J", "JW", "aanvraag", "CJG", "2024-01-05", "2024-02-01", "2024-01-20", birth="2004-01-01"),
        q("y", "W", "WMO", "aanvraag", "Consulent", "2024-01-05", "2024-02-01", "2024-01-20"),
        q("p", "P", "PW", "aanvraag", "Werk", "2024-01-05", "2024-02-01", "2024-01-20", birth="1984-03-01"),
        q("o", "O", "PW", "aanvraag", "Werk", "2024-01-05", "2024-02-01", "2024-01-20", birth="1957-03-01"),
        q("u", "U", "WMO", "aanvraag", "Consulent", "2024-01-05", "2024-02-01", "2024-01-20"),
    ]
    load_requests_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 6, 30))
    found = figures(warehouse, MetricRequest("support_plans", by=("target_group", "law"), **H1))
    assert found == [
        ("2024-H1", "jeugd", "JW", 1), ("2024-H1", "jeugd", "WMO", 1), ("2024-H1", "onbekend", "WMO", 1),
        ("2024-H1", "ouderen", "PW", 1), ("2024-H1", "volwassenen", "PW", 1),
    ]  # fmt: skip


def test_the_data_moment_and_as_of_apply(warehouse: Warehouse, tmp_path: Path) -> None:
    """A plan dated after the data moment is not drawn up yet, a melding finished after it is no inquiry yet,
    and ``--as-of`` sees the requests as then known."""
    first = [q("m", "K", "WMO", "melding", "SWL", "2024-05-01", "2024-07-10", "2024-07-12")]
    load_requests_rows(warehouse, tmp_path, first, extracted_on=date(2024, 6, 30))
    second = [*first, q("n", "L", "WMO", "melding", "SWL", "2024-06-01", "2024-06-20", "2024-06-25")]
    load_requests_rows(warehouse, tmp_path, second, extracted_on=date(2024, 6, 30))
    assert figures(warehouse, MetricRequest("access", **H1)) == [("2024-H1", "SWL", 2, 1, 1)]
    earlier = MetricRequest("access", as_of=date(2024, 6, 30), history_from=date(2023, 1, 1), **H1)
    load_requests_rows(warehouse, tmp_path, [*second, q("r", "R", "WMO", "melding", "SWL", "2024-06-02", None)],
                       extracted_on=date(2024, 7, 15))  # fmt: skip
    assert figures(warehouse, earlier) == [("2024-H1", "SWL", 2, 1, 1)]
    later = MetricRequest("access", grain="half", start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert figures(warehouse, later) == [("2024-H1", "SWL", 3, 1, 1), ("2024-H2", "SWL", 0, 1, 1)]


# --- against a simple reference --------------------------------------------------------------------------------

BASE = date(2023, 7, 1)
SLOTS = [(date(2024, 1, 1), date(2024, 3, 31), "2024-Q1"), (date(2024, 4, 1), date(2024, 6, 30), "2024-Q2"),
         (date(2024, 7, 1), date(2024, 9, 30), "2024-Q3"), (date(2024, 10, 1), date(2024, 12, 31), "2024-Q4")]  # fmt: skip


@dataclass(frozen=True)
class Req:
    id: str
    client: str
    law: str
    kind: str
    team: str | None
    received: date
    decided: date | None
    outcome: str | None
    plan: date | None


def slot_of(day: date | None) -> str | None:
    return next((label for first, last, label in SLOTS if day is not None and first <= day <= last), None)


def order(r: Req) -> tuple[Any, ...]:
    return (r.received, 0 if r.kind == "melding" else 1, r.id)


def reference_access(reqs: list[Req], gap: int) -> dict[tuple[str, str, str], list[int]]:
    """Per (quarter, team, law): [new requests, broad inquiries, support plans], literally as defined."""
    out: dict[tuple[str, str, str], list[int]] = {}

    def add(day: date | None, team: str | None, law: str, at: int) -> None:
        label = slot_of(day)
        if label is not None:
            out.setdefault((label, team or "onbekend", law), [0, 0, 0])[at] += 1

    for r in reqs:
        same = [
            o
            for o in reqs
            if (o.client, o.law, o.team or "onbekend") == (r.client, r.law, r.team or "onbekend")
        ]
        earlier = [o for o in same if order(o) < order(r)]
        label = slot_of(r.received)
        if label is not None:
            row = out.setdefault((label, r.team or "onbekend", r.law), [0, 0, 0])
            row[0] += 0 if any((r.received - o.received).days <= gap for o in earlier) else 1
        if r.kind == "melding" and r.decided is not None and r.outcome != "ingetrokken":
            add(r.decided, r.team, r.law, 1)
    for (_client, law, plan), carriers in plans(reqs).items():
        add(plan, min(carriers, key=order).team, law, 2)
    return out


def plans(reqs: list[Req]) -> dict[tuple[str, str, date], list[Req]]:
    found: dict[tuple[str, str, date], list[Req]] = {}
    for r in reqs:
        if r.plan is not None:
            found.setdefault((r.client, r.law, r.plan), []).append(r)
    return found


def reference_plans(reqs: list[Req], births: dict[str, date]) -> dict[tuple[str, str, str], int]:
    """Per (quarter, target group, law): support plans."""
    out: dict[tuple[str, str, str], int] = {}
    for (client, law, plan), _ in plans(reqs).items():
        label = slot_of(plan)
        if label is None:
            continue
        last = next(last for _, last, name in SLOTS if name == label)
        birth = births.get(client)
        if law == "JW":
            group = "jeugd"
        elif birth is None:
            group = "onbekend"
        else:
            age = last.year - birth.year - ((last.month, last.day) < (birth.month, birth.day))
            group = "jeugd" if age < 18 else "volwassenen" if age < 65 else "ouderen"
        out[(label, group, law)] = out.get((label, group, law), 0) + 1
    return out


offsets = st.integers(min_value=0, max_value=560)


@st.composite
def request_histories(draw: st.DrawFn) -> list[Req]:
    reqs: list[Req] = []
    for number in range(draw(st.integers(min_value=1, max_value=12))):
        received = BASE + timedelta(days=draw(offsets))
        if reqs and draw(st.booleans()):  # a follow-up of an earlier question, now and then
            earlier = draw(st.sampled_from(reqs))
            received = earlier.received + timedelta(days=draw(st.sampled_from([0, 30, 91, 92, 120])))
            client, law = earlier.client, earlier.law
        else:
            client, law = draw(st.sampled_from(["A", "B", "C"])), draw(st.sampled_from(["WMO", "JW", "PW"]))
        decided = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=80)))
        plan = draw(st.one_of(st.none(), st.sampled_from([-10, 0, 14, 40])))
        reqs.append(Req(
            f"r{number}", client, law, draw(st.sampled_from(["melding", "aanvraag"])),
            draw(st.sampled_from(["CJG", "SWL", None])), received,
            None if decided is None else received + timedelta(days=decided),
            draw(st.sampled_from([None, "toegekend", "ingetrokken"])),
            None if plan is None else date(2024, 2, 1) + timedelta(days=plan * draw(st.integers(0, 6))),
        ))  # fmt: skip
    return reqs


def as_table(reqs: list[Req], births: dict[str, date]) -> Any:
    return requests(
        *(
            {"request_id": r.id, "client_key": r.client, "law": r.law, "kind": r.kind, "team": r.team,
             "received_on": r.received, "decided_on": r.decided, "outcome": r.outcome, "plan_on": r.plan,
             "birth_date": births.get(r.client)}
            for r in reqs
        )
    )  # fmt: skip


@settings(max_examples=COUNT, deadline=None)
@given(request_histories(), st.sampled_from([0, 30, 91]))
def test_access_matches_a_simple_reference(reqs: list[Req], gap: int) -> None:
    rows = run(access_from(as_table(reqs, {}), quarters("2024-01-01", "2024-12-31", ("team", "law")), gap))
    found = {(r["slot"], r["team"], r["law"]): [r["new_requests"], r["broad_inquiries"], r["support_plans"]]
             for r in rows}  # fmt: skip
    assert found == reference_access(reqs, gap)


@settings(max_examples=COUNT, deadline=None)
@given(request_histories(), st.dictionaries(st.sampled_from(["A", "B"]), st.sampled_from(
    [date(1950, 7, 1), date(1959, 8, 15), date(2007, 3, 1), date(1990, 1, 1)])))  # fmt: skip
def test_support_plans_by_target_group_match_a_simple_reference(
    reqs: list[Req], births: dict[str, date]
) -> None:
    births_table = ibis.memtable(
        pa.table({"b_client": pa.array(list(births), pa.string()),
                  "b_birth": pa.array(list(births.values()), pa.date32())})
    )  # fmt: skip
    scope = quarters("2024-01-01", "2024-12-31", ("target_group", "law"))
    rows = run(support_plans_from(as_table(reqs, {}), scope, births_table))
    assert {(r["slot"], r["target_group"], r["law"]): r["support_plans"] for r in rows} == reference_plans(
        reqs, births
    )
