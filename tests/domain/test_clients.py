from __future__ import annotations

import base64
import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.domain.clients import (
    PSEUDONYM_LENGTH,
    contains_bsn,
    fingerprint_matches,
    is_slow_fingerprint,
    is_valid_bsn,
    key_fingerprint,
    key_weakness,
    legacy_key_fingerprint,
    mask_bsns_in_text,
    normalise_bsn,
    pseudonymise,
)


def reference_elfproef(text: str) -> bool:
    """The 11-check written out the long way: 9 ASCII digits, weights 9..2 and -1, not all zeros."""
    if len(text) == 8:
        text = "0" + text
    if len(text) != 9 or any(c not in "0123456789" for c in text) or set(text) == {"0"}:
        return False
    total = 0
    for position, char in enumerate(text):
        weight = 9 - position if position < 8 else -1
        total += weight * (ord(char) - ord("0"))
    return total % 11 == 0


def test_known_valid_and_invalid_bsns() -> None:
    assert is_valid_bsn("999900018")
    assert is_valid_bsn("999990019")
    assert not is_valid_bsn("123456789")
    assert not is_valid_bsn("000000000")
    assert not is_valid_bsn("11122233")  # 011122233 fails the check
    assert not is_valid_bsn("abcdefghi")
    assert not is_valid_bsn("9999000180")


def test_eight_digit_bsn_gets_a_leading_zero() -> None:
    assert normalise_bsn(" 12345672 ") == "012345672"
    assert is_valid_bsn("12345672") == reference_elfproef("012345672")


@given(st.text(alphabet="0123456789", min_size=7, max_size=10))
def test_bsn_check_matches_reference_on_digit_strings(text: str) -> None:
    assert is_valid_bsn(text) == reference_elfproef(text)


@given(st.text(max_size=12))
def test_bsn_check_matches_reference_on_any_text(text: str) -> None:
    assert is_valid_bsn(text) == reference_elfproef(text.strip())


@given(st.integers(min_value=0, max_value=99_999_999))
def test_changing_one_digit_breaks_a_valid_bsn(prefix: int) -> None:
    digits = f"{prefix:08d}"
    weighted = sum(int(d) * (9 - i) for i, d in enumerate(digits)) % 11
    if weighted == 10 or digits == "00000000":
        return  # no check digit makes this prefix valid
    bsn = digits + str(weighted)
    assert is_valid_bsn(bsn)
    changed = digits + str((weighted + 1) % 10)
    assert not is_valid_bsn(changed)


def test_pseudonym_is_keyed_stable_and_hides_the_bsn() -> None:
    first = pseudonymise("999990019", b"key-one-0123456789")
    assert first == pseudonymise("999990019", b"key-one-0123456789")
    assert first == pseudonymise("999990019 ", b"key-one-0123456789")
    assert first != pseudonymise("999990019", b"key-two-0123456789")
    assert first != pseudonymise("999990020", b"key-one-0123456789")
    assert len(first) == PSEUDONYM_LENGTH
    assert "999990019" not in first


def test_key_fingerprint_tells_keys_apart_without_showing_them() -> None:
    key, salt = b"a-secret-key-0123456789", bytes(16)
    stored = key_fingerprint(key, salt)
    assert fingerprint_matches(key, stored)
    assert not fingerprint_matches(b"another-secret-key-0123", stored)
    assert key.hex() not in stored and key.decode() not in stored
    assert key_fingerprint(key, b"\x01" * 16) != stored  # salted: equal keys do not give equal fingerprints


def test_the_key_fingerprint_is_a_slow_salted_hash() -> None:
    stored = key_fingerprint(b"a-secret-key-0123456789", bytes(16))
    scheme, log_n, r, p, salt, _ = stored.split("$")
    assert (scheme, salt) == ("scrypt", "00" * 16)
    # at least scrypt's interactive-login cost (2**14, 8, 1): a guess costs 16 MiB and tens of milliseconds
    assert int(log_n) >= 14 and int(r) >= 8 and int(p) >= 1
    started = time.perf_counter()
    fingerprint_matches(b"a-guess-0123456789abcdefgh", stored)
    assert time.perf_counter() - started > 0.01


def test_a_legacy_fingerprint_is_still_recognised() -> None:
    key = b"a-secret-key-0123456789"
    assert fingerprint_matches(key, legacy_key_fingerprint(key))
    assert not is_slow_fingerprint(legacy_key_fingerprint(key))
    assert not fingerprint_matches(b"another-secret-key-0123", legacy_key_fingerprint(key))


@pytest.mark.parametrize(
    "key",
    [
        b"sdmonitor-demo-key-fictional-data-only",
        b"test-key-0123456789abcdef",
        b"aaaaaaaaaaaaaaaa",
        b"Welkom01Welkom01",
        b"mijn-geheime-sleutel-voor-2024",
        b"xK9#qLm2-abcdefgh-Zp",
        b"short-Key-1",
    ],
)
def test_weak_and_published_keys_are_recognised(key: bytes) -> None:
    assert key_weakness(key) is not None


def test_keys_made_as_documented_are_never_called_weak() -> None:
    # what secrets.token_urlsafe(32) and secrets.token_hex(32) make, from seeded random bytes (not flaky)
    generator = random.Random(2024)
    for _ in range(5_000):
        random_bytes = generator.randbytes(32)
        assert key_weakness(base64.urlsafe_b64encode(random_bytes).rstrip(b"=")) is None
        assert key_weakness(random_bytes.hex().encode()) is None


@given(st.binary(min_size=1, max_size=100), st.lists(st.text(alphabet="0123456789", min_size=9, max_size=9)))
def test_bulk_pseudonyms_equal_the_standard_hmac(key: bytes, bsns: list[str]) -> None:
    from sdmonitor.domain.clients import pseudonymiser

    assert pseudonymiser(key)([b.encode() for b in bsns]) == [pseudonymise(b, key) for b in bsns]


def test_a_bsn_is_masked_wherever_it_stands_in_a_text() -> None:
    assert mask_bsns_in_text("AGB-code '999939701' is geen code van 8 cijfers") == (
        "AGB-code '[verwijderd]' is geen code van 8 cijfers"
    )
    assert mask_bsns_in_text("9999.39.701 en 999 939 701") == "[verwijderd] en [verwijderd]"
    # numbers that fail the 11-check, longer numbers and dates stay
    assert mask_bsns_in_text("123456789, 9999397010, 05-01-2018") == "123456789, 9999397010, 05-01-2018"
    assert contains_bsn("Zorg 999939701 BV") and not contains_bsn("Zorg BV")
