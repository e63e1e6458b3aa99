"""The column-at-a-time parsers agree with the scalar definitions in sdmonitor.domain."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.domain.clients import (
    BSN_IN_TEXT,
    contains_bsn,
    identifier_as_bsn,
    is_fictional_bsn,
    is_valid_bsn,
    mask_bsns_in_text,
    normalise_bsn,
    pseudonymise,
    real_bsn_in_text,
)
from sdmonitor.domain.dates import parse_date
from sdmonitor.domain.formatting import csv_text
from sdmonitor.ingest.vectorised import (
    bsn_candidates,
    contains_bsns,
    defuse_formulas,
    holds_real_bsns,
    identifiers_as_bsns,
    is_whole_bsn,
    mask_bsns,
    normalise_bsns,
    parse_dates,
    pseudonymise_all,
    pseudonymise_identifiers,
    valid_bsns,
)

date_like = st.one_of(
    st.dates(min_value=date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.dates(min_value=date(1000, 1, 1)).map(lambda d: f"{d.day}-{d.month}-{d.year}"),
    st.from_regex(r"\A[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}( [0-9]{2}:[0-9]{2})?\Z"),
    st.text(alphabet="0123456789-/ :T.", max_size=20),
)


@settings(deadline=None)  # the first call compiles kernels: 450 ms on a loaded machine
@given(st.lists(date_like, max_size=40))
def test_vectorised_dates_match_the_scalar_parser(texts: list[str]) -> None:
    stripped = [t.strip() for t in texts]
    got = parse_dates(pa.array(stripped, pa.string())).to_pylist()
    assert got == [parse_date(t) for t in stripped]


plain_iso_like = st.one_of(
    st.dates(min_value=date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.none(),
)


@settings(deadline=None)
@given(
    st.lists(plain_iso_like, max_size=40), st.sampled_from([(), ("DD-MM-YYYY",), ("YYYYMMDD", "D/M/YYYY")])
)
def test_a_column_of_plain_iso_dates_reads_as_the_scalar_parser_reads_it(
    texts: list[str | None], formats: tuple[str, ...]
) -> None:
    # every cell 'YYYY-MM-DD' (or null): the fast path that reads the digits straight from the Arrow buffers
    sliced = pa.array(["1999-01-01", *texts], pa.string()).slice(1)
    expected = [None if t is None else parse_date(t) for t in texts]
    assert parse_dates(sliced, formats).to_pylist() == expected


def test_vectorised_dates_keep_nulls_and_handle_chunks() -> None:
    chunked = pa.chunked_array([["2018-01-01", None], ["31-12-2018"]], pa.string())
    assert parse_dates(chunked).to_pylist() == [date(2018, 1, 1), None, date(2018, 12, 31)]


bsn_like = st.one_of(
    st.text(alphabet="0123456789", min_size=8, max_size=10),
    st.integers(min_value=0, max_value=99_999_999).map(
        lambda n: f"{n:08d}" + str(sum(int(d) * (9 - i) for i, d in enumerate(f"{n:08d}")) % 11 % 10)
    ),
    st.text(alphabet="0123456789ab ", max_size=10),
)

# A BSN-like number written in the groups people use, with any of the separators (space, dot, dash, slash).
grouped_bsn_like = st.tuples(
    bsn_like.filter(lambda v: len(v) == 9 and v.isdigit()),
    st.sampled_from([(4, 6), (3, 6)]),
    st.lists(st.sampled_from(" ./-"), min_size=2, max_size=2),
).map(lambda t: t[0][: t[1][0]] + t[2][0] + t[0][t[1][0] : t[1][1]] + t[2][1] + t[0][t[1][1] :])


@given(st.lists(st.one_of(st.none(), bsn_like), max_size=40))
def test_vectorised_bsn_check_matches_the_scalar_check(values: list[str | None]) -> None:
    trimmed = [None if v is None else v.strip() for v in values]
    normalised = normalise_bsns(pa.array(trimmed, pa.string()))
    assert normalised.to_pylist() == [None if v is None else normalise_bsn(v) for v in trimmed]
    got = valid_bsns(normalised).to_pylist()
    assert got == [None if v is None else is_valid_bsn(v) for v in trimmed]


def test_vectorised_pseudonyms_match_the_scalar_ones() -> None:
    key = b"k" * 20
    assert pseudonymise_all(pa.array(["999990019", None]), key).to_pylist() == [
        pseudonymise("999990019", key),
        None,
    ]


@given(st.lists(st.one_of(st.none(), st.text(alphabet="0123456789", min_size=9, max_size=9)), max_size=30))
def test_vectorised_pseudonyms_keep_positions_and_nulls(values: list[str | None]) -> None:
    key = b"another-key-0123456789"
    got = pseudonymise_all(pa.array(values, pa.string()), key).to_pylist()
    assert got == [None if v is None else pseudonymise(v, key) for v in values]


text_with_numbers = st.lists(
    st.one_of(
        bsn_like, grouped_bsn_like, st.sampled_from([" ", "'", "Zorg ", "-", ".", "/", "A", "01-01-2018"])
    ),
    max_size=4,
).map("".join)


@given(st.lists(st.one_of(st.none(), text_with_numbers), max_size=30))
def test_vectorised_masking_matches_the_scalar_masking(values: list[str | None]) -> None:
    trimmed = [None if v is None else v.strip() for v in values]
    column = pa.array(trimmed, pa.string())
    assert contains_bsns(column).to_pylist() == [v is not None and contains_bsn(v) for v in trimmed]
    masked = mask_bsns(column).to_pylist()
    assert masked == [None if v is None else mask_bsns_in_text(v) for v in trimmed]
    assert not any(contains_bsn(v) for v in masked if v is not None)


def test_an_identifier_that_is_a_bsn_gets_the_pseudonym_of_that_bsn() -> None:
    key = b"another-key-0123456789"
    column = pa.array(["99999001 9", "99999001", "999990019", "K999990019", "C1", None])
    got, count = pseudonymise_identifiers(column, key)
    # '99999001 9' holds no 8/9-digit group, '99999001' fails the check after padding
    assert count == 2
    assert got.to_pylist() == [
        "99999001 9", "99999001", pseudonymise("999990019", key), pseudonymise("K999990019", key), "C1", None,
    ]  # fmt: skip


@given(st.lists(st.one_of(st.none(), bsn_like, grouped_bsn_like, text_with_numbers), max_size=30))
def test_vectorised_whole_bsn_check_matches_the_scalar_check(values: list[str | None]) -> None:
    column = pa.array(values, pa.string())
    assert identifiers_as_bsns(column).to_pylist() == [
        None if v is None else identifier_as_bsn(v) for v in values
    ]
    assert is_whole_bsn(column).to_pylist() == [
        v is not None and is_valid_bsn(identifier_as_bsn(v)) for v in values
    ]


def test_a_bsn_written_with_dashes_or_slashes_is_masked_but_a_date_is_not() -> None:
    texts = [
        "999-900-031",
        "Zorg 9999-00-043 BV",
        "AGB '9999/00/043'",
        "999/900/055",
        "01-01-2018",
        "12-34-5678",
    ]
    assert [mask_bsns_in_text(t) for t in texts] == [
        "[verwijderd]", "Zorg [verwijderd] BV", "AGB '[verwijderd]'", "[verwijderd]", "01-01-2018", "12-34-5678",
    ]  # fmt: skip
    assert mask_bsns(pa.array(texts)).to_pylist() == [mask_bsns_in_text(t) for t in texts]


def test_an_identifier_that_is_a_bsn_in_groups_gets_the_pseudonym_of_that_bsn() -> None:
    key = b"another-key-0123456789"
    column = pa.array(["999-900-031", " 999/900/055 ", "9999.00.043", "999900031"])
    got, count = pseudonymise_identifiers(column, key)
    assert count == 4
    assert got.to_pylist() == [
        pseudonymise("999900031", key), pseudonymise("999900055", key), pseudonymise("999900043", key),
        pseudonymise("999900031", key),
    ]  # fmt: skip


@given(st.lists(st.one_of(st.none(), st.text(alphabet="=+-@\t\r\nab1 '", max_size=6)), max_size=30))
def test_vectorised_formula_defusing_matches_the_dashboards(values: list[str | None]) -> None:
    got = defuse_formulas(pa.array(values, pa.string())).to_pylist()
    assert got == [None if v is None else csv_text(v) for v in values]


# Text with BSN-like numbers in every written form: plain, 8 digits, in groups with spaces, dots, dashes or
# slashes, next to dates, words, padding and digits of other scripts (which are no BSN digits).
bsn_in_any_form = st.lists(
    st.one_of(
        bsn_like,
        grouped_bsn_like,
        st.sampled_from(
            [" ", "  ", "'", "Zorg ", "-", ".", "/", "A", "01-01-2018", "2018-01-31", "1234567", "١٢"]
        ),
    ),
    max_size=5,
).map("".join)


@given(st.lists(st.one_of(st.none(), bsn_in_any_form), max_size=30))
def test_a_cell_without_eight_digits_is_never_a_bsn(values: list[str | None]) -> None:
    candidates = bsn_candidates(pa.array(values, pa.string())).tolist()
    for value, candidate in zip(values, candidates, strict=True):
        if value is None or not candidate:
            assert value is None or not (
                BSN_IN_TEXT.search(value) or is_valid_bsn(identifier_as_bsn(value)) or contains_bsn(value)
            )
        else:
            assert sum(c in "0123456789" for c in value) >= 8


@settings(deadline=None)
@given(st.lists(st.one_of(st.none(), bsn_in_any_form), max_size=30), st.integers(0, 5))
def test_prefiltered_bsn_recognisers_match_the_scalar_ones_on_any_slice(
    values: list[str | None], skip: int
) -> None:
    # a slice starts inside the buffers: the digit count must use the slice's offsets
    column = pa.array([*(["999990019", None, "x"] * 2)[:skip], *values], pa.string()).slice(skip)
    assert contains_bsns(column).to_pylist() == [v is not None and contains_bsn(v) for v in values]
    assert mask_bsns(column).to_pylist() == [None if v is None else mask_bsns_in_text(v) for v in values]
    assert is_whole_bsn(column).to_pylist() == [
        v is not None and is_valid_bsn(identifier_as_bsn(v)) for v in values
    ]
    whole_real = [
        v is not None and is_valid_bsn(identifier_as_bsn(v)) and not is_fictional_bsn(identifier_as_bsn(v))
        for v in values
    ]
    expected = any(whole_real) or any(real_bsn_in_text(v) for v in values if v is not None)
    assert holds_real_bsns(column) == expected
