"""The hashes a migrating shop brings: each verifies the right password only, asks to be
replaced, and an import of a malformed one is refused before anything is stored."""

from __future__ import annotations

import pytest

from patron.core.domain.errors.invalid_input import PasswordHashInvalid
from patron.core.domain.password_migration import ImportedPassword, LegacyHash, is_legacy
from patron.security.hashing import Argon2Hasher, MigratingHasher
from tests.dialects.emporix.import_helpers import (
    PASSWORD,
    UID,
    argon2id_hash,
    bcrypt_hash,
    hybris_digest,
    pbkdf2_hash,
)

HASHER = MigratingHasher(Argon2Hasher(memory_kib=1024, time_cost=1, parallelism=1))


def hybris(digest: str, uid: str = UID) -> ImportedPassword:
    return ImportedPassword(
        legacy=LegacyHash("hybris-sha512-uid-salt", digest, {"originalUid": uid})
    )


@pytest.mark.parametrize(
    "imported",
    [
        ImportedPassword(hash=bcrypt_hash(prefix="$2a$")),
        ImportedPassword(hash=bcrypt_hash(prefix="$2b$")),
        ImportedPassword(hash=bcrypt_hash(prefix="$2y$")),
        ImportedPassword(hash=pbkdf2_hash()),
        ImportedPassword(hash=argon2id_hash()),
        hybris(hybris_digest().hex()),
        hybris(hybris_digest().hex().upper()),
    ],
)
async def test_an_imported_hash_verifies_its_password_only_and_asks_to_be_replaced(
    imported: ImportedPassword,
) -> None:
    stored = HASHER.stored_form(imported)

    assert await HASHER.verify(stored, PASSWORD)
    assert not await HASHER.verify(stored, PASSWORD + "x")
    assert not await HASHER.verify(stored, PASSWORD.lower())
    foreign = imported.hash is None or not imported.hash.startswith("$argon2id$")
    assert HASHER.needs_rehash(stored) is foreign
    assert is_legacy(stored) is (imported.legacy is not None)


async def test_a_hybris_hash_is_salted_with_the_original_uid() -> None:
    stored = HASHER.stored_form(hybris(hybris_digest().hex(), uid="someone.else"))

    assert not await HASHER.verify(stored, PASSWORD)


async def test_bcrypt_reads_the_first_72_bytes_as_the_systems_that_made_it() -> None:
    long = "p" * 80
    made_elsewhere = bcrypt_hash(long[:72])  # what PHP's password_hash stores for `long`
    stored = HASHER.stored_form(ImportedPassword(hash=made_elsewhere))

    assert await HASHER.verify(stored, long)
    assert not await HASHER.verify(stored, "p" * 71)


@pytest.mark.parametrize(
    "imported",
    [
        ImportedPassword(hash="plain-text-password"),
        ImportedPassword(hash="1:10000:abcdefgh:ijklmnop:extra"),
        ImportedPassword(hash="1:10:c2FsdA==:aGFzaA=="),  # too few iterations
        ImportedPassword(hash="1:99999999:c2FsdA==:aGFzaA=="),  # too many to verify
        ImportedPassword(hash="2:10000:c2FsdA==:aGFzaA=="),  # an unknown version
        ImportedPassword(hash="1:10000:not*base64:aGFzaA=="),
        ImportedPassword(hash="$2y$03$" + "a" * 53),  # cost below bcrypt's range
        ImportedPassword(hash="$2x$10$" + "a" * 53),
        ImportedPassword(hash="$argon2id$v=19$m=garbage"),
        ImportedPassword(hash="$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"),
        ImportedPassword(hash="$legacy-hybris-sha512-uid-salt$dWlk$AAAA"),  # not importable
        hybris("too-short"),
        hybris(hybris_digest().hex()[:-2]),
        hybris(hybris_digest().hex(), uid=""),
        ImportedPassword(legacy=LegacyHash("md5", hybris_digest().hex(), {"originalUid": UID})),
    ],
)
def test_a_hash_in_no_known_form_is_refused(imported: ImportedPassword) -> None:
    with pytest.raises(PasswordHashInvalid):
        HASHER.stored_form(imported)


async def test_a_stored_hash_of_no_known_form_fails_without_an_error() -> None:
    assert not await HASHER.verify("garbage", PASSWORD)
