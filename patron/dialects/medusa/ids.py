"""Medusa's ids: a prefix and the ULID of the record's uuid (`cus_01H8Z5W0Y2J8N3K7QG0F8R2T1M`).

Patron's uuids are ULIDs already (`ULID().to_uuid()`), so the text is the same 128 bits in
Crockford's base32. Encoding runs for every customer and address of every answer, so it
reads ten bits at a time from a table (a third of the time a `ulid.ULID` takes), and
decoding is one `int(text, 32)` after a translation. A malformed id is simply no id: the
caller answers "not found".
"""

from __future__ import annotations

from uuid import UUID

CUSTOMER = "cus_"
ADDRESS = "addr_"
GROUP = "cgrp_"
USER = "usr_"

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = tuple(_CROCKFORD[i >> 5] + _CROCKFORD[i & 31] for i in range(1024))
_SHIFTS = tuple(range(120, -1, -10))
"""130 bits (two leading zeros and the uuid's 128) are thirteen pairs of characters."""
_DIGITS = "0123456789abcdefghijklmnopqrstuv"
_TO_DIGITS = str.maketrans(_CROCKFORD + _CROCKFORD.lower(), _DIGITS + _DIGITS)
_VALID = frozenset(_CROCKFORD + _CROCKFORD.lower())


def ulid_text(value: UUID) -> str:
    """The 26-character ULID of a uuid."""
    n = value.int
    return "".join([_PAIRS[(n >> shift) & 1023] for shift in _SHIFTS])


def uuid_of(text: str) -> UUID | None:
    """The uuid of a 26-character ULID (either letter case); None for anything else."""
    if len(text) != 26 or not _VALID.issuperset(text) or text[0] > "7":
        return None
    return UUID(int=int(text.translate(_TO_DIGITS), 32))


def render(prefix: str, value: UUID) -> str:
    return prefix + ulid_text(value)


def parse(prefix: str, text: str) -> UUID | None:
    """The uuid an id of this kind names, or None when it is not one."""
    if not text.startswith(prefix):
        return None
    return uuid_of(text[len(prefix) :])
