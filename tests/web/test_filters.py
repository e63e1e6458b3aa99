"""Filters: query parameters checked against the values in the data, then turned into metric requests."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

import pytest

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.errors import InputError
from sdmonitor.metrics import CATALOGUE, MetricResult
from sdmonitor.metrics.catalogue import header
from sdmonitor.metrics.dimensions import Segment
from sdmonitor.web.filters import (
    BREAKDOWNS,
    BY_COLUMN,
    DIMENSIONS,
    FILTERS,
    Choices,
    Filters,
    parse_filters,
    parse_period,
)

CHOICES = Choices(
    {
        "law": [("WMO", "Wmo"), ("JW", "Jeugdwet")],
        "target_group": [("jeugd", "jeugd"), ("volwassenen", "volwassenen"), ("ouderen", "ouderen")],
        "cbs_group": [("hulp bij het huishouden", "hulp bij het huishouden")],
        "provider": [("99012521", "De Korenbloem (99012521)")],
        "provider_type": [("ggz", "ggz")],
        "wijk": [("Centrum", "Centrum"), ("De Akkers", "De Akkers")],
        "segment": [("dementie", "dementie")],
    },
    segments=(Segment("dementie", product_codes=("02D01",)),),
)
DEFAULT = Filters(date(2015, 1, 1), date(2024, 12, 31), Grain.HALF)


def test_no_parameters_give_the_default_selection() -> None:
    assert parse_filters({}, CHOICES, DEFAULT) == DEFAULT


def test_known_values_become_by_columns_of_the_request() -> None:
    params = {"van": "2018-01-01", "tot": "31-12-2019", "periode": "jaar", "wijk": "De Akkers", "wet": "JW",
              "uitsplitsen": "leeftijd"}  # fmt: skip
    filters = parse_filters(params, CHOICES, DEFAULT)
    assert filters == Filters(
        date(2018, 1, 1), date(2019, 12, 31), Grain.YEAR, (("law", "JW"), ("wijk", "De Akkers")), "age_band"
    )
    request = filters.request("clients", CHOICES, growth=True)
    assert (request.name, request.grain, request.by, request.growth) == (
        "clients", "year", ("law", "wijk", "age_band"), True,
    )  # fmt: skip
    assert request.segments == ()


def test_a_breakdown_by_a_filtered_column_is_not_asked_twice() -> None:
    filters = parse_filters({"wet": "WMO", "uitsplitsen": "wet"}, CHOICES, DEFAULT)
    assert filters.columns == ("law",)


def test_segments_go_with_the_request_only_when_asked_for() -> None:
    filters = parse_filters({"segment": "dementie"}, CHOICES, DEFAULT)
    assert filters.request("clients", CHOICES).segments == CHOICES.segments


@pytest.mark.parametrize(
    "params, message",
    [
        ({"wet": "WLZ"}, "Onbekende waarde 'WLZ' voor wet"),
        ({"wijk": "Centrum'; DROP TABLE loads; --"}, "Onbekende waarde"),
        ({"van": "2018-02-30"}, "geen geldige datum"),
        ({"van": "1850-01-01"}, "geen geldige datum"),
        ({"van": "2019-01-01", "tot": "2018-01-01"}, "ligt voor de begindatum"),
        ({"van": "1990-01-01", "tot": "2100-12-31", "periode": "maand"}, "hoogstens 240 perioden"),
        ({"periode": "week"}, "Onbekende periode 'week'"),
        ({"uitsplitsen": "bsn"}, "Onbekende uitsplitsing 'bsn'"),
    ],
)
def test_unknown_or_impossible_values_are_refused_in_dutch(params: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_filters(params, CHOICES, DEFAULT)


def test_a_segment_filter_needs_configured_segments() -> None:
    without = Choices({"law": [("WMO", "Wmo")]})
    assert parse_filters({"segment": "dementie"}, without, DEFAULT).values == ()  # ignored: not offered
    assert [d.column for d in without.breakdowns()].count("segment") == 0


def test_rows_are_picked_by_the_chosen_values() -> None:
    filters = Filters(date(2018, 1, 1), date(2018, 12, 31), Grain.HALF, (("law", "JW"),), "wijk")
    columns = ("period", "law", "wijk", "clients")
    rows = [
        ("2018-H1", "JW", "Centrum", 7),
        ("2018-H1", "WMO", "Centrum", 9),
        ("2018-H2", "JW", "De Akkers", 3),
    ]
    assert filters.select(columns, rows) == [rows[0], rows[2]]


def test_the_query_string_gives_back_the_same_filters() -> None:
    filters = Filters(date(2018, 1, 1), date(2019, 6, 30), Grain.QUARTER, (("law", "JW"), ("wijk", "De Akkers")),
                      "sex")  # fmt: skip
    assert parse_filters(dict(parse_qsl(filters.query())), CHOICES, DEFAULT) == filters
    assert filters.describe(CHOICES) == "2018-Q1 t/m 2019-Q2; Wet: Jeugdwet; Wijk: De Akkers"


def test_a_period_label_must_be_one_the_data_covers() -> None:
    allowed = [parse_label("2024-H1"), parse_label("2024-H2")]
    assert parse_period("2024-h2", allowed, allowed[0]) == allowed[1]
    assert parse_period(None, allowed, allowed[0]) == allowed[0]
    with pytest.raises(InputError, match="buiten de gegevens"):
        parse_period("2023-H2", allowed, allowed[0])
    with pytest.raises(InputError, match="Onbekende periode"):
        parse_period("H2-2024", allowed, allowed[0])


def test_a_filter_and_a_breakdown_are_labelled_as_the_reports_head_their_column() -> None:
    assert [d.column for d in FILTERS] == [d.column for d in DIMENSIONS if d.is_filter]
    assert [d.column for d in BREAKDOWNS] == [d.column for d in DIMENSIONS if d.is_breakdown]
    assert all(d.label == header(d.column) for d in DIMENSIONS)
    assert BY_COLUMN["cbs_group"].label == "Vorm van ondersteuning"  # the form once said 'Productgroep'
    assert BY_COLUMN["age_band"].label == "Leeftijd"  # and 'Leeftijdsklasse'
    with pytest.raises(InputError, match="Onbekende waarde 'zorg' voor vorm van ondersteuning"):
        parse_filters({"productgroep": "zorg"}, CHOICES, DEFAULT)


def test_a_result_is_read_by_column_name_whatever_the_by_columns() -> None:
    result = MetricResult(CATALOGUE["clients"], ("period", "law", "clients"), [("2018-H1", "JW", 7)], None)
    assert result.records() == [{"period": "2018-H1", "law": "JW", "clients": 7}]
