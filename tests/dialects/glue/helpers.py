"""Small steps the Glue tests share: register, read the mail, confirm, log in."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.outbox import CONFIRMATION, mailed_key

JSON_API = "application/vnd.api+json"
PASSWORD = "change123"
Customer = tuple[str, dict[str, str]]
"""A signed-up customer: its reference and its bearer header."""


def document(type_: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": type_, "attributes": attributes}}


def registration(email: str = "sonia@spryker.com", **overrides: Any) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "salutation": "Mrs",
        "firstName": "Sonia",
        "lastName": "Wagner",
        "email": email,
        "gender": "Female",
        "password": PASSWORD,
        "confirmPassword": PASSWORD,
        "acceptedTerms": True,
        **overrides,
    }
    return document("customers", **attributes)


async def register(
    client: httpx.AsyncClient, email: str = "sonia@spryker.com", **overrides: Any
) -> dict[str, Any]:
    response = await client.post("/glue/customers", json=registration(email, **overrides))
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def confirmation_key(pool: asyncpg.Pool, email: str) -> str:
    return await mailed_key(pool, email, CONFIRMATION)


async def confirm(client: httpx.AsyncClient, pool: asyncpg.Pool, email: str) -> None:
    key = await confirmation_key(pool, email)
    response = await client.post(
        "/glue/customer-confirmation", json=document("customer-confirmation", registrationKey=key)
    )
    assert response.status_code == 204, response.text


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post(
        "/glue/access-tokens", json=document("access-tokens", username=email, password=password)
    )
    assert response.status_code == 201, response.text
    attributes: dict[str, Any] = response.json()["data"]["attributes"]
    return attributes


async def signed_up(
    client: httpx.AsyncClient, pool: asyncpg.Pool, email: str = "sonia@spryker.com"
) -> tuple[str, dict[str, Any]]:
    """A registered, confirmed, logged-in customer: (reference, token attributes)."""
    data = await register(client, email)
    await confirm(client, pool, email)
    return data["id"], await login(client, email)


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['accessToken']}"}


def error_codes(response: httpx.Response) -> list[tuple[int, str | None]]:
    return [(e["status"], e.get("code")) for e in response.json()["errors"]]
