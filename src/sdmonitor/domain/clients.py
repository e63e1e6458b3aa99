"""Clients (cliënten): the BSN 11-check and keyed pseudonyms.

A raw BSN never leaves this module's callers unpseudonymised: loaders replace it by ``pseudonymise(bsn, key)``
before anything is stored, logged or echoed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from itertools import pairwise

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

# What replaces a BSN in any text a user reads or the warehouse stores.
MASKED = "[verwijderd]"

# The characters people put between the groups of a BSN: space, dot, dash, slash.
BSN_SEPARATORS = " ./-"

# A number that may be a BSN inside a longer text: 8 or 9 digits not touching other digits, or 9 digits
# written in the groups people use (1234.56.789, 123 456 789, 999-900-031, 9999/00/043). A date is never
# 9 digits in such groups (05-01-2018; 20180105 has 8 digits but is then checked like any 8-digit number),
# and AGB codes (8 digits) are only masked when they pass the 11-check.
_GROUPED = r"[0-9]{4}[ ./-][0-9]{2}[ ./-][0-9]{3}|[0-9]{3}[ ./-][0-9]{3}[ ./-][0-9]{3}"
BSN_IN_TEXT = re.compile(rf"(?<![0-9])(?:[0-9]{{8,9}}|{_GROUPED})(?![0-9])")
_WHOLE_GROUPED = re.compile(rf"(?:{_GROUPED})")

# Length of a pseudonym in hex characters: 128 bits, collision-free at national scale.
PSEUDONYM_LENGTH = 32


def normalise_bsn(value: str) -> str:
    """BSN as 9 digits: surrounding spaces removed, an 8-digit BSN padded with a leading zero.

    Example: ' 11122333' -> '011122333'. Any other input is returned trimmed, unchanged.
    """
    text = value.strip()
    if len(text) == 8 and text.isdigit():
        return "0" + text
    return text


def is_valid_bsn(value: str) -> bool:
    """Whether ``value`` is a BSN that passes the 11-check (elfproef).

    Assumes the BRP rule: 9 digits d1..d9 (8 digits get a leading zero) with
    9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11, and not all zeros. Example: '999900018' is valid.
    """
    text = normalise_bsn(value)
    if len(text) != 9 or not text.isascii() or not text.isdigit() or text == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(text, _WEIGHTS, strict=True)) % 11 == 0


def _digits_only(text: str) -> str:
    return text.translate({ord(c): None for c in BSN_SEPARATORS})


def identifier_as_bsn(value: str) -> str:
    """An identifier cell in the form a BSN would have: trimmed, groups joined, 8 digits padded.

    Example: ' 999-900-031 ' -> '999900031', '1234.56.789' -> '123456789', '99993970' -> '099993970'; any other
    text is returned trimmed. The cell is a BSN as a whole when ``is_valid_bsn`` holds for the result.
    """
    text = value.strip()
    if _WHOLE_GROUPED.fullmatch(text):
        return _digits_only(text)
    return normalise_bsn(text)


def contains_bsn(text: str) -> bool:
    """Whether ``text`` holds a number that passes the 11-check anywhere in it.

    Example: 'Zorg 999900067 BV' -> True; 'Thuiszorg West' -> False; '9999.00.067' -> True (999900067
    passes). The whole text may be the number ('999900067', ' 999 900 067 ').
    """
    return any(is_valid_bsn(_digits_only(m.group())) for m in BSN_IN_TEXT.finditer(text))


def mask_bsns_in_text(text: str) -> str:
    """``text`` with every number that passes the 11-check replaced by ``[verwijderd]``.

    The one masking rule for every message, report cell and stored text. Example:
    "AGB-code '999900067' is geen code van 8 cijfers" -> "AGB-code '[verwijderd]' is geen code van 8 cijfers".
    """

    def replace(match: re.Match[str]) -> str:
        return MASKED if is_valid_bsn(_digits_only(match.group())) else match.group()

    return BSN_IN_TEXT.sub(replace, text)


def pseudonymise(bsn: str, key: bytes) -> str:
    """Keyed pseudonym of a (normalised) BSN: HMAC-SHA256 with ``key``, first 128 bits as hex."""
    digest = hmac.digest(key, normalise_bsn(bsn).encode("ascii"), hashlib.sha256)
    return digest.hex()[:PSEUDONYM_LENGTH]


def pseudonymiser(key: bytes) -> Callable[[Iterable[bytes]], list[str]]:
    """A fast bulk form of ``pseudonymise`` for normalised BSNs given as ASCII bytes.

    The same HMAC-SHA256 (RFC 2104), with the key's inner and outer pads hashed once instead of per BSN;
    about three times faster in CPython. Example: ``pseudonymiser(key)([b"999990019"])``.
    """
    block = 64
    padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def pseudonyms(bsns: Iterable[bytes]) -> list[str]:
        result = []
        for bsn in bsns:
            step = inner.copy()
            step.update(bsn)
            final = outer.copy()
            final.update(step.digest())
            result.append(final.hexdigest()[:PSEUDONYM_LENGTH])
        return result

    return pseudonyms


# Pseudonym keys published in this repository (demo, tests, benchmarks): fine for fictional BSNs, never for
# real ones. Anyone can read them, so a warehouse made with one can be reversed in minutes.
PUBLISHED_KEYS = frozenset(
    {
        b"sdmonitor-demo-key-fictional-data-only",
        b"test-key-0123456789abcdef",
        b"cli-test-key-0123456789",
        b"benchmark-key-0123456789abcdef",
        b"another-key-0123456789",
    }
)
# The range of fictional BSNs the demo and the tests use; no real person has one.
FICTIONAL_BSN_PREFIX = "9999"
_KEY_WORDS = (
    "sdmonitor", "password", "wachtwoord", "sleutel", "secret", "geheim", "changeme", "voorbeeld",
    "example", "fictional", "fictief", "welkom", "welcome",
)  # fmt: skip
_KEY_RUN = 7  # 'abcdefg', '0123456', '7777777': made by a person, not by a generator


def key_weakness(key: bytes) -> str | None:
    """Why ``key`` is too weak or too public for real BSNs (Dutch), or None when it looks random.

    Refused: a key published in this repository, fewer than 16 characters, fewer than 10 different
    characters, a common word, or a run of 7 characters that go up, down or repeat ('0123456').
    A key from ``secrets.token_urlsafe(32)`` or ``secrets.token_hex(32)`` passes (the chance that one does not
    is below one in ten thousand). Example: b'aaaaaaaaaaaaaaaa' -> 'minder dan 10 verschillende tekens'.
    """
    if key in PUBLISHED_KEYS:
        return "deze sleutel staat openbaar in de broncode van sdmonitor"
    text = key.decode("utf-8", "replace")
    if len(text) < 16:
        return "korter dan 16 tekens"
    if len(set(text)) < 10:
        return "minder dan 10 verschillende tekens"
    lowered = text.lower()
    for word in _KEY_WORDS:
        if word in lowered:
            return f"bevat het woord '{word}'"
    steps = [ord(b) - ord(a) for a, b in pairwise(text)]
    for start in range(len(text) - _KEY_RUN + 1):
        window = set(steps[start : start + _KEY_RUN - 1])
        if len(window) == 1 and window <= {-1, 0, 1}:
            return f"bevat de reeks '{text[start : start + _KEY_RUN]}'"
    return None


def is_fictional_bsn(bsn: str) -> bool:
    """Whether a (valid) BSN is in the fictional range 9999xxxxx of the demo and the tests."""
    return normalise_bsn(bsn).startswith(FICTIONAL_BSN_PREFIX)


def real_bsn_in_text(text: str) -> bool:
    """Whether ``text`` holds a number passing the 11-check outside the fictional range (``is_fictional_bsn``)."""
    for match in BSN_IN_TEXT.finditer(text):
        number = _digits_only(match.group())
        if is_valid_bsn(number) and not is_fictional_bsn(number):
            return True
    return False


# scrypt cost of the key fingerprint: 2**15 x 8 x 128 bytes = 32 MiB and about 0.1 s per guess, so the
# stored fingerprint lets nobody test key guesses faster than that.
_SCRYPT_LOG_N, _SCRYPT_R, _SCRYPT_P = 15, 8, 1


def _scrypt(key: bytes, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    n = 1 << log_n
    return hashlib.scrypt(key, salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * r * n * p + (1 << 20), dklen=32)


def key_fingerprint(key: bytes, salt: bytes) -> str:
    """A fingerprint that tells two pseudonym keys apart without revealing either: salted scrypt.

    Format ``scrypt$<log2 n>$<r>$<p>$<salt hex>$<hash hex>``; the caller gives a random ``salt`` of 16 bytes.
    """
    digest = _scrypt(key, salt, _SCRYPT_LOG_N, _SCRYPT_R, _SCRYPT_P)
    return f"scrypt${_SCRYPT_LOG_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def legacy_key_fingerprint(key: bytes) -> str:
    """The fingerprint of sdmonitor 0.x (HMAC-SHA256, fast): only to recognise and replace a stored one."""
    return hmac.digest(key, b"sdmonitor key fingerprint v1", hashlib.sha256).hex()[:16]


def is_slow_fingerprint(stored: str) -> bool:
    """Whether a stored fingerprint is the salted scrypt form (not the fast legacy one)."""
    return stored.startswith("scrypt$")


def fingerprint_matches(key: bytes, stored: str) -> bool:
    """Whether ``key`` is the key ``stored`` (``key_fingerprint`` or the legacy form) was made from."""
    if not is_slow_fingerprint(stored):
        return hmac.compare_digest(stored, legacy_key_fingerprint(key))
    try:
        _, log_n, r, p, salt, digest = stored.split("$")
        expected = _scrypt(key, bytes.fromhex(salt), int(log_n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(expected.hex(), digest)
