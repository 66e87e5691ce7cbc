"""argon2id, run in a worker thread so a hash never blocks other requests; and the foreign
hashes of imported accounts (bcrypt, PBKDF2, SAP Commerce's salted SHA-512), verified until
the first login replaces them."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import re

import bcrypt
from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from patron.core.domain.errors.invalid_input import PasswordHashInvalid
from patron.core.domain.password_migration import LEGACY_HASH_PREFIX, ImportedPassword, LegacyHash


class Argon2Hasher:
    def __init__(self, *, memory_kib: int, time_cost: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            memory_cost=memory_kib, time_cost=time_cost, parallelism=parallelism, type=Type.ID
        )
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.to_thread(self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    async def burn(self, password: str) -> None:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash("patron-timing-equaliser")
        await self.verify(self._dummy_hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


# Emporix' native form, `version:iterations:salt:hash` (reference 8: "1:10000:abcdefgh:
# ijklmnop"); read as PBKDF2-HMAC-SHA256 with base64 salt and hash (docs/decisions).
_PBKDF2 = re.compile(r"1:(\d{1,9}):([A-Za-z0-9+/=]{4,}):([A-Za-z0-9+/=]{4,})")
_PBKDF2_ITERATIONS = range(1_000, 1_000_001)
_PBKDF2_DIGEST_BYTES = range(16, 33)
"""At most one SHA-256 block (each more costs the iterations again, and adds no strength);
at least 16 bytes, or many passwords would match by chance."""
_BCRYPT = re.compile(r"\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}")
_BCRYPT_COSTS = range(4, 15)
_BCRYPT_MAX_BYTES = 72
_ARGON2ID = "$argon2id$"
_ARGON2_MAX_MEMORY_KIB = 64 * 1024
_ARGON2_MAX_TIME_COST = 4
_ARGON2_MAX_PARALLELISM = 8
"""The dearest imported hash a login verifies: an import (of whatever a shop's export
holds) must not make any later login cost seconds of CPU or gigabytes of memory. Hashes
made by Patron itself are not held to these (the operator configures them)."""

HYBRIS_SHA512 = "hybris-sha512-uid-salt"
_HYBRIS_FORM = f"{LEGACY_HASH_PREFIX}{HYBRIS_SHA512}$"
_HYBRIS_PEPPER = "hybris blue pepper can be used for creating delicious noodle meals"
"""SAP Commerce's default system salt (`password.md5.salt` unset), which its salted
encoders put before the password: `<pepper>::<password>::<uid>`."""
_SHA512_BYTES = 64


class MigratingHasher:
    """argon2id for every new hash; the formats a migrating shop brings are verified too,
    and replaced by argon2id at the first login they pass (`needs_rehash`)."""

    def __init__(self, argon2: Argon2Hasher) -> None:
        self._argon2 = argon2

    async def hash(self, password: str) -> str:
        return await self._argon2.hash(password)

    async def burn(self, password: str) -> None:
        await self._argon2.burn(password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.needs_rehash(password_hash)  # true for every foreign format

    async def verify(self, password_hash: str, password: str) -> bool:
        if password_hash.startswith(_ARGON2ID):
            return await self._argon2.verify(password_hash, password)
        return await asyncio.to_thread(_verify_foreign, password_hash, password)

    def stored_form(self, password: ImportedPassword) -> str:
        if password.legacy is not None:
            return _hybris_form(password.legacy)
        value = (password.hash or "").strip()
        if _valid_argon2id(value) or _valid_bcrypt(value) or _pbkdf2_parts(value):
            return value
        raise PasswordHashInvalid()


def _valid_argon2id(value: str) -> bool:
    if not value.startswith(_ARGON2ID):
        return False
    try:
        parameters = extract_parameters(value)
    except InvalidHashError:
        return False
    return (
        parameters.memory_cost <= _ARGON2_MAX_MEMORY_KIB
        and parameters.time_cost <= _ARGON2_MAX_TIME_COST
        and parameters.parallelism <= _ARGON2_MAX_PARALLELISM
    )


def _valid_bcrypt(value: str) -> bool:
    found = _BCRYPT.fullmatch(value)
    return found is not None and int(found[1]) in _BCRYPT_COSTS


def _pbkdf2_parts(value: str) -> tuple[int, bytes, bytes] | None:
    found = _PBKDF2.fullmatch(value)
    if found is None or int(found[1]) not in _PBKDF2_ITERATIONS:
        return None
    try:
        salt = base64.b64decode(found[2], validate=True)
        digest = base64.b64decode(found[3], validate=True)
    except binascii.Error:
        return None
    return (int(found[1]), salt, digest) if salt and len(digest) in _PBKDF2_DIGEST_BYTES else None


def _hybris_form(legacy: LegacyHash) -> str:
    """`$legacy-hybris-sha512-uid-salt$<uid, base64>$<digest, base64>`: self-contained,
    so verifying needs nothing but the stored hash. The digest comes as base64 (Emporix'
    example) or hex (SAP Commerce's own column)."""
    uid = legacy.context.get("originalUid")
    if legacy.algorithm != HYBRIS_SHA512 or not uid:
        raise PasswordHashInvalid()
    digest = _digest_bytes(legacy.hash.strip())
    if digest is None:
        raise PasswordHashInvalid()
    encoded_uid = base64.b64encode(uid.encode()).decode()
    return f"{_HYBRIS_FORM}{encoded_uid}${base64.b64encode(digest).decode()}"


def _digest_bytes(text: str) -> bytes | None:
    try:
        digest = (
            bytes.fromhex(text)
            if len(text) == 2 * _SHA512_BYTES
            else base64.b64decode(text, validate=True)
        )
    except (ValueError, binascii.Error):
        return None
    return digest if len(digest) == _SHA512_BYTES else None


def _verify_foreign(password_hash: str, password: str) -> bool:
    """A foreign hash against a password, in constant time; False for a form it does not
    know (a stored hash is never an error at login)."""
    if _valid_bcrypt(password_hash):
        # bcrypt reads 72 bytes; the systems that made these hashes cut longer ones too.
        secret = password.encode()[:_BCRYPT_MAX_BYTES]
        return bcrypt.checkpw(secret, password_hash.encode())
    if parts := _pbkdf2_parts(password_hash):
        iterations, salt, digest = parts
        derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, len(digest))
        return hmac.compare_digest(derived, digest)
    if password_hash.startswith(_HYBRIS_FORM):
        encoded_uid, _, encoded_digest = password_hash.removeprefix(_HYBRIS_FORM).partition("$")
        uid = base64.b64decode(encoded_uid).decode()
        salted = f"{_HYBRIS_PEPPER}::{password}::{uid}".encode()
        return hmac.compare_digest(
            hashlib.sha512(salted).digest(), base64.b64decode(encoded_digest)
        )
    return False
