"""The code lists of a benefit and their Dutch words (issue 14; domain/benefits.py, domain/wording.py)."""

from __future__ import annotations

import pytest

from sdmonitor.domain.benefits import (
    INFLOW_REASONS,
    OUTFLOW_REASONS,
    HouseholdType,
    ReasonGroup,
    Regulation,
    household_type_of,
    inflow_group,
    outflow_group,
    reason_code,
    regulation_of,
)
from sdmonitor.domain.wording import (
    GROUP_NAMES,
    HOUSEHOLD_TYPE_NAMES,
    INFLOW_GROUP_NAMES,
    INFLOW_REASON_NAMES,
    OUTFLOW_GROUP_NAMES,
    OUTFLOW_REASON_NAMES,
    REGULATION_NAMES,
)


def test_every_code_has_a_dutch_label() -> None:
    assert set(REGULATION_NAMES) == set(Regulation)
    assert set(HOUSEHOLD_TYPE_NAMES) == set(HouseholdType)
    assert set(OUTFLOW_REASON_NAMES) == set(OUTFLOW_REASONS)
    assert set(INFLOW_REASON_NAMES) == set(INFLOW_REASONS)
    assert set(OUTFLOW_GROUP_NAMES) == set(INFLOW_GROUP_NAMES) == set(ReasonGroup)
    assert GROUP_NAMES["household_type"]["alleenstaande_ouder"] == "Alleenstaande ouder"


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("11", ReasonGroup.WORK), ("13", ReasonGroup.WORK), ("14", ReasonGroup.BENEFIT),
        ("15", ReasonGroup.BENEFIT), ("03", ReasonGroup.BENEFIT), ("02", ReasonGroup.RELATIONSHIP),
        ("32", ReasonGroup.MOVING), ("33", ReasonGroup.MOVING), ("31", ReasonGroup.OTHER),
        ("98", ReasonGroup.OTHER), ("2", ReasonGroup.RELATIONSHIP), ("X7", ReasonGroup.OTHER),
        (None, ReasonGroup.UNKNOWN), (" ", ReasonGroup.UNKNOWN),
    ],
)  # fmt: skip
def test_outflow_reasons_fall_in_the_cbs_groups(code: str | None, group: ReasonGroup) -> None:
    assert outflow_group(code) is group


def test_every_group_but_unknown_has_an_outflow_and_an_inflow_reason() -> None:
    named = set(ReasonGroup) - {ReasonGroup.UNKNOWN}
    assert set(OUTFLOW_REASONS.values()) == named
    assert set(INFLOW_REASONS.values()) == named
    assert inflow_group("11") is ReasonGroup.WORK and inflow_group("41") is ReasonGroup.OTHER


def test_codes_read_in_their_spellings() -> None:
    assert regulation_of(None) is Regulation.PW
    assert regulation_of("Algemene bijstand") is Regulation.PW
    assert regulation_of("14") is Regulation.BBZ
    assert regulation_of("bijzondere bijstand") is None
    assert household_type_of("Gehuwden / samenwonenden") is HouseholdType.COUPLE
    assert household_type_of("2") is HouseholdType.SINGLE_PARENT
    assert household_type_of("woongroep") is None
    assert (reason_code("7"), reason_code(" 11 "), reason_code("A1"), reason_code("")) == (
        "07",
        "11",
        "A1",
        None,
    )
