"""The Dutch words of the closed sets: one word per use, the report's words."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.domain.wording import (
    GRAIN_WORDS,
    Trend,
    dutch_date,
    law_name,
    month_text,
    period_text,
    trend_of,
)


def test_a_trend_has_one_arrow_one_word_and_one_verb() -> None:
    assert [(t.arrow, t.word, t.verb) for t in Trend] == [
        ("↑", "stijgend", "gestegen"),
        ("↓", "dalend", "gedaald"),
        ("→", "stabiel", "stabiel gebleven"),
    ]


def test_a_trend_is_stored_as_its_code_in_results_csv_and_json() -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([Trend.UP, Trend.FLAT])
    assert buffer.getvalue().strip() == "up,flat"
    assert json.dumps([Trend.DOWN]) == '["down"]'
    assert Trend.UP == "up" and f"trend-{Trend.UP}" == "trend-up"


def test_a_trend_code_is_read_back_and_anything_else_is_no_trend() -> None:
    assert trend_of("up") is Trend.UP
    assert trend_of(Trend.DOWN) is Trend.DOWN
    assert trend_of(None) is None
    assert trend_of("") is None


def test_laws_have_the_names_readers_know() -> None:
    assert (law_name("WMO"), law_name("JW"), law_name("anders")) == ("Wmo", "Jeugdwet", "anders")


def test_every_grain_has_a_word() -> None:
    assert [GRAIN_WORDS[g] for g in Grain] == ["maand", "kwartaal", "halfjaar", "jaar"]


def test_dates_months_and_periods_read_as_dutch_words() -> None:
    assert dutch_date(date(2026, 11, 23)) == "23 november 2026"
    assert month_text("2018-03") == "maart 2018"
    assert period_text(parse_label("2018-H2")) == "tweede halfjaar 2018"
    assert period_text(parse_label("2023-Q4")) == "vierde kwartaal 2023"
    assert period_text(parse_label("2018-01")) == "januari 2018"
    assert period_text(parse_label("2018")) == "2018"
