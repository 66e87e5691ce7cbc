"""Glue `customer-password`, `customer-forgotten-password`, `customer-restore-password`."""

from __future__ import annotations

import re
from typing import Any

import asyncpg
import httpx
import pytest

from patron.core.domain.errors.base import DomainError
from patron.core.domain.errors.conflict import PasswordChangeFailed
from patron.core.domain.errors.invalid_input import (
    PasswordPolicyViolation,
    PasswordRule,
    PasswordViolation,
)
from patron.dialects.glue.errors import translate
from tests.dialects.glue.helpers import (
    PASSWORD,
    bearer,
    confirm,
    document,
    error_codes,
    login,
    register,
    signed_up,
)

NEW_PASSWORD = "321egnahc"
STRONG = "Tr0ub4dor&3-Horse"
STRICT = 'UPDATE tenants SET settings = settings || \'{"password_policy": "strict"}\''


def change(current: str = PASSWORD, new: str = NEW_PASSWORD, confirm: str | None = None) -> Any:
    return document(
        "customer-password",
        password=current,
        newPassword=new,
        confirmPassword=new if confirm is None else confirm,
    )


def restore(key: str, password: str = NEW_PASSWORD, confirm: str | None = None) -> Any:
    return document(
        "customer-restore-password",
        restorePasswordKey=key,
        password=password,
        confirmPassword=password if confirm is None else confirm,
    )


async def forgot(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(
        "/glue/customer-forgotten-password",
        json=document("customer-forgotten-password", email=email),
    )


async def reset_mails(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    return await pool.fetch(
        "SELECT recipient, subject, body FROM outbox "
        "WHERE template = 'customer_password_reset' ORDER BY id"
    )


def key_in(body: str) -> str:
    match = re.search(r"/password/restore\?token=([\w-]+)", body)
    assert match, body
    return match.group(1)


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post(
        "/glue/refresh-tokens", json=document("refresh-tokens", refreshToken=refresh_token)
    )


async def strict_signed_up(client: httpx.AsyncClient, pool: asyncpg.Pool) -> tuple[str, Any]:
    """A customer of a strict-policy tenant (set before the first request: tenants are
    cached briefly)."""
    await pool.execute(STRICT)
    reference = (await register(client, password=STRONG, confirmPassword=STRONG))["id"]
    await confirm(client, pool, "sonia@spryker.com")
    return reference, await login(client, "sonia@spryker.com", STRONG)


def _login_doc(password: str) -> Any:
    return document("access-tokens", username="sonia@spryker.com", password=password)


# --- PATCH /customer-password/{ref} ---------------------------------------------------------


async def test_change_password_keeps_this_session_and_ends_the_others(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, session = await signed_up(client, clean_db)
    other_session = await login(client, "sonia@spryker.com")
    body = change()
    body["data"]["id"] = reference  # as in Spryker's sample

    response = await client.patch(
        f"/glue/customer-password/{reference}", json=body, headers=bearer(session)
    )

    assert response.status_code == 204, response.text
    assert response.content == b""
    assert (await refresh(client, session["refreshToken"])).status_code == 201
    assert error_codes(await refresh(client, other_session["refreshToken"])) == [(401, "004")]
    old = await client.post("/glue/access-tokens", json=_login_doc(PASSWORD))
    new = await client.post("/glue/access-tokens", json=_login_doc(NEW_PASSWORD))
    assert (old.status_code, new.status_code) == (401, 201)


async def test_change_password_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.patch("/glue/customer-password/DE--1", json=change())

    assert error_codes(response) == [(403, "002")]


async def test_change_password_of_someone_else_is_unauthorized(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    other, _ = await signed_up(client, clean_db, "other@example.com")
    _, session = await signed_up(client, clean_db)

    response = await client.patch(
        f"/glue/customer-password/{other}", json=change(), headers=bearer(session)
    )

    assert response.json()["errors"] == [
        {"status": 403, "code": "411", "detail": "Unauthorized request."}
    ]


async def test_change_password_for_a_vanished_bearer_is_customer_not_found(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, session = await signed_up(client, clean_db)
    await clean_db.execute("DELETE FROM customers")

    response = await client.patch(
        f"/glue/customer-password/{reference}", json=change(), headers=bearer(session)
    )

    assert response.json()["errors"] == [
        {"status": 404, "code": "402", "detail": "Customer not found."}
    ]


async def test_change_password_errors_in_spryker_order(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, session = await signed_up(client, clean_db)
    url = f"/glue/customer-password/{reference}"

    mismatch = await client.patch(
        url, json=change("wrong-current", confirm="different1"), headers=bearer(session)
    )
    wrong_current = await client.patch(url, json=change("wrong-current"), headers=bearer(session))

    assert mismatch.json()["errors"] == [
        {
            "status": 422,
            "code": "406",
            "detail": "Value in field newPassword should be identical to value in the "
            "confirmPassword field.",
        }
    ]
    assert wrong_current.json()["errors"] == [
        {"status": 400, "code": "408", "detail": "Invalid password"}
    ]


async def test_change_password_validation(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, session = await signed_up(client, clean_db)

    response = await client.patch(
        f"/glue/customer-password/{reference}",
        json=document("customer-password", password="", newPassword="short"),
        headers=bearer(session),
    )

    assert response.status_code == 422
    assert [(e["code"], e["detail"]) for e in response.json()["errors"]] == [
        ("901", "password => This value should not be blank."),
        ("901", "newPassword => This value is too short. It should have 8 characters or more."),
        ("901", "confirmPassword => This field is missing."),
    ]


@pytest.mark.parametrize(
    ("new_password", "code", "detail"),
    [
        ("onlylowercase12", "420", "The password character set is invalid."),
        ("Aaaaa-bcd-123", "421", "The password contains sequence of the same character."),
        ("Qwerty123456!", "422", "The password is listed as common."),
    ],
)
async def test_change_password_policy_errors(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool, new_password: str, code: str, detail: str
) -> None:
    reference, session = await strict_signed_up(client, clean_db)

    response = await client.patch(
        f"/glue/customer-password/{reference}",
        json=change(STRONG, new=new_password),
        headers=bearer(session),
    )

    assert response.json()["errors"] == [{"status": 400, "code": code, "detail": detail}]


async def test_change_password_wrong_type_and_missing_reference(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, session = await signed_up(client, clean_db)

    wrong_type = await client.patch(
        f"/glue/customer-password/{reference}",
        json=document("customers", password=PASSWORD),
        headers=bearer(session),
    )
    no_reference = await client.patch(
        "/glue/customer-password", json=change(), headers=bearer(session)
    )

    assert wrong_type.json()["errors"] == [{"status": 400, "detail": "Invalid type."}]
    assert no_reference.json()["errors"] == [
        {"status": 400, "detail": "Resource id is not specified."}
    ]


# --- POST /customer-forgotten-password ------------------------------------------------------


async def test_forgotten_password_mails_a_hashed_key_for_known_addresses_only(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client)

    known = await forgot(client, "Sonia@Spryker.com")
    unknown = await forgot(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 204
    assert known.content == unknown.content == b""
    mails = await reset_mails(clean_db)
    assert [m["recipient"] for m in mails] == ["sonia@spryker.com"]
    assert "http://testserver/password/restore?token=" in mails[0]["body"]
    key = key_in(mails[0]["body"])
    stored = await clean_db.fetch(
        "SELECT token_hash, expires_at - created_at AS ttl FROM one_time_tokens "
        "WHERE purpose = 'reset_password'"
    )
    assert len(stored) == 1
    assert key.encode() not in stored[0]["token_hash"]
    assert stored[0]["ttl"].total_seconds() == pytest.approx(7200, abs=5)


async def test_forgotten_password_validation(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/glue/customer-forgotten-password",
        json=document("customer-forgotten-password", email="not-an-email"),
    )

    assert response.json()["errors"] == [
        {
            "status": 422,
            "code": "901",
            "detail": "email => This value is not a valid email address.",
        }
    ]


async def test_a_new_reset_key_spends_the_older_ones(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client)
    await forgot(client, "sonia@spryker.com")
    await forgot(client, "sonia@spryker.com")
    first, second = (key_in(m["body"]) for m in await reset_mails(clean_db))

    stale = await client.patch(f"/glue/customer-restore-password/{first}", json=restore(first))
    fresh = await client.patch(f"/glue/customer-restore-password/{second}", json=restore(second))

    assert error_codes(stale) == [(422, "415")]
    assert fresh.status_code == 204


# --- PATCH /customer-restore-password/{key} -------------------------------------------------


async def test_restore_sets_the_password_once_and_ends_every_session(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    reference, session = await signed_up(client, clean_db)
    await forgot(client, "sonia@spryker.com")
    key = key_in((await reset_mails(clean_db))[0]["body"])

    # The path segment may be anything: Spryker uses the key in the attributes.
    response = await client.patch("/glue/customer-restore-password/anything", json=restore(key))
    again = await client.patch(f"/glue/customer-restore-password/{key}", json=restore(key))

    assert response.status_code == 204, response.text
    assert again.json()["errors"] == [
        {"status": 422, "code": "415", "detail": "Restore password key is not valid."}
    ]
    stale_read = await client.get(f"/glue/customers/{reference}", headers=bearer(session))
    assert error_codes(stale_read) == [(401, "001")]
    assert error_codes(await refresh(client, session["refreshToken"])) == [(401, "004")]
    fresh = await login(client, "sonia@spryker.com", NEW_PASSWORD)
    read = await client.get(f"/glue/customers/{reference}", headers=bearer(fresh))
    assert read.status_code == 200


async def test_restore_confirms_an_unconfirmed_address(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client)
    await forgot(client, "sonia@spryker.com")
    key = key_in((await reset_mails(clean_db))[0]["body"])

    await client.patch(f"/glue/customer-restore-password/{key}", json=restore(key))

    assert (await login(client, "sonia@spryker.com", NEW_PASSWORD))["accessToken"]


async def test_restore_errors(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> None:
    await strict_signed_up(client, clean_db)
    await forgot(client, "sonia@spryker.com")
    key = key_in((await reset_mails(clean_db))[0]["body"])
    url = f"/glue/customer-restore-password/{key}"

    mismatch = await client.patch(url, json=restore(key, STRONG, confirm=STRONG + "?"))
    unknown = await client.patch(url, json=restore("not-a-key", STRONG))
    blank = await client.patch(url, json=restore("", STRONG))
    no_key = await client.patch("/glue/customer-restore-password", json=restore(key, STRONG))
    common = await client.patch(url, json=restore(key, "Qwerty123456!"))
    still_valid = await client.patch(url, json=restore(key, "Another-Str0ng-One"))

    assert mismatch.json()["errors"] == [
        {
            "status": 422,
            "code": "406",
            "detail": "Value in field password should be identical to value in the "
            "confirmPassword field.",
        }
    ]
    assert error_codes(unknown) == [(422, "415")]
    assert blank.json()["errors"] == [
        {
            "status": 422,
            "code": "901",
            "detail": "restorePasswordKey => This value should not be blank.",
        }
    ]
    assert no_key.json()["errors"] == [{"status": 400, "detail": "Resource id is not specified."}]
    assert error_codes(common) == [(400, "422")]
    assert still_valid.status_code == 204  # a refused password leaves the key unspent


async def test_expired_reset_key_is_refused(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client)
    await forgot(client, "sonia@spryker.com")
    key = key_in((await reset_mails(clean_db))[0]["body"])
    await clean_db.execute("UPDATE one_time_tokens SET expires_at = now() - interval '1 second'")

    response = await client.patch(f"/glue/customer-restore-password/{key}", json=restore(key))

    assert error_codes(response) == [(422, "415")]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PasswordChangeFailed(), (400, "407", "Failed to change password.")),
        (
            PasswordPolicyViolation([PasswordViolation(PasswordRule.TOO_SHORT, 8)]),
            (400, "418", "The password is too short."),
        ),
        (
            PasswordPolicyViolation([PasswordViolation(PasswordRule.TOO_LONG, 64)]),
            (400, "419", "The password is too long."),
        ),
    ],
)
def test_core_failures_that_validation_usually_preempts_keep_spryker_codes(
    error: DomainError, expected: tuple[int, str, str]
) -> None:
    """Reached only when validation lets them through (see docs/decisions.md 28 and 30)."""
    (translated,) = translate(error)

    assert (translated.status, translated.code, translated.detail) == expected
