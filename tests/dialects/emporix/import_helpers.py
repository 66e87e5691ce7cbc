"""What the import tests share: hashes in each format a migrating shop brings, made here
from a known password, and import items in Emporix' shape."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import bcrypt
from argon2 import PasswordHasher, Type

PASSWORD = "Old-shop-pass1"
HYBRIS_PEPPER = "hybris blue pepper can be used for creating delicious noodle meals"
UID = "15TE2000007AE9TOUEILLE 61359"


def bcrypt_hash(password: str = PASSWORD, prefix: str = "$2y$") -> str:
    made = bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode()
    return prefix + made.removeprefix("$2b$")


def pbkdf2_hash(password: str = PASSWORD, iterations: int = 10_000) -> str:
    """Emporix' native `version:iterations:salt:hash`, read as PBKDF2-HMAC-SHA256."""
    salt = b"abcdefgh-salt"
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, 32)
    encode = base64.b64encode
    return f"1:{iterations}:{encode(salt).decode()}:{encode(digest).decode()}"


def argon2id_hash(password: str = PASSWORD) -> str:
    return PasswordHasher(memory_cost=1024, time_cost=1, parallelism=1, type=Type.ID).hash(password)


def hybris_digest(password: str = PASSWORD, uid: str = UID) -> bytes:
    """SAP Commerce's `sha512` encoder: SHA-512 of `<pepper>::<password>::<uid>`."""
    return hashlib.sha512(f"{HYBRIS_PEPPER}::{password}::{uid}".encode()).digest()


def legacy_auth(password: str = PASSWORD, uid: str = UID) -> dict[str, Any]:
    return {
        "algorithm": "hybris-sha512-uid-salt",
        "hash": base64.b64encode(hybris_digest(password, uid)).decode(),
        "context": {"originalUid": uid},
    }


def item(email: str, **account: Any) -> dict[str, Any]:
    """An import item: the profile of reference 8's example, and `account` as given."""
    return {
        "contactEmail": email,
        "firstName": "Jane",
        "lastName": "Doe",
        "preferredLanguage": "en_US",
        "preferredCurrency": "EUR",
        "preferredSite": "main",
        "account": {"email": email, **account},
    }
