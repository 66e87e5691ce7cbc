"""Glue `access-tokens`, `refresh-tokens`, OAuth `token`, and login lockout."""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.glue.helpers import (
    JSON_API,
    PASSWORD,
    bearer,
    document,
    error_codes,
    login,
    register,
    signed_up,
)
from tests.helpers import app_client, dialect_client

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def refresh_body(token: str) -> dict[str, object]:
    return document("refresh-tokens", refreshToken=token)


async def test_login_returns_bearer_tokens(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await signed_up(client, clean_db)

    response = await client.post(
        "/glue/access-tokens",
        json=document("access-tokens", username="SONIA@spryker.com", password=PASSWORD),
    )

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["type"] == "access-tokens"
    assert data["id"] is None
    assert data["links"] == {"self": "http://testserver/glue/access-tokens"}
    assert set(data["attributes"]) == {"tokenType", "expiresIn", "accessToken", "refreshToken"}
    assert data["attributes"]["tokenType"] == "Bearer"
    assert data["attributes"]["expiresIn"] == 28800


async def test_sparse_fieldsets_apply_to_tokens_too(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await signed_up(client, clean_db)

    response = await client.post(
        "/glue/access-tokens?fields[access-tokens]=accessToken,expiresIn",
        json=document("access-tokens", username="sonia@spryker.com", password=PASSWORD),
    )

    assert response.status_code == 201
    assert set(response.json()["data"]["attributes"]) == {"accessToken", "expiresIn"}


async def test_tokens_are_stored_only_as_hashes(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    _, tokens = await signed_up(client, clean_db)

    stored = await clean_db.fetch("SELECT token_hash FROM refresh_tokens")

    assert len(stored) == 1
    assert tokens["refreshToken"].encode() not in stored[0]["token_hash"]


@pytest.mark.parametrize(
    ("attributes", "detail"),
    [
        (
            {"username": "nope", "password": "x"},
            "username => This value is not a valid email address.",
        ),
        ({"username": "a@b.de", "password": ""}, "password => This value should not be blank."),
    ],
)
async def test_login_validation_gets_901(
    client: httpx.AsyncClient, attributes: dict[str, str], detail: str
) -> None:
    response = await client.post(
        "/glue/access-tokens", json=document("access-tokens", **attributes)
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [{"status": 422, "code": "901", "detail": detail}]


async def test_wrong_password_and_unknown_account_answer_alike(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await signed_up(client, clean_db)

    wrong = await client.post(
        "/glue/access-tokens",
        json=document("access-tokens", username="sonia@spryker.com", password="wrong-pass"),
    )
    unknown = await client.post(
        "/glue/access-tokens",
        json=document("access-tokens", username="nobody@spryker.com", password="wrong-pass"),
    )

    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {"errors": [{"status": 401, "code": "003", "detail": "Failed to authenticate user."}]}
    )


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    _, tokens = await signed_up(client, clean_db)

    first = await client.post("/glue/refresh-tokens", json=refresh_body(tokens["refreshToken"]))
    rotated = first.json()["data"]["attributes"]
    replay = await client.post("/glue/refresh-tokens", json=refresh_body(tokens["refreshToken"]))
    after_replay = await client.post(
        "/glue/refresh-tokens", json=refresh_body(rotated["refreshToken"])
    )

    assert first.status_code == 201
    assert first.json()["data"]["type"] == "refresh-tokens"
    assert rotated["refreshToken"] != tokens["refreshToken"]
    assert replay.json() == {
        "errors": [{"status": 401, "code": "004", "detail": "Failed to refresh token."}]
    }
    assert error_codes(after_replay) == [(401, "004")]  # the thief's copy died with it
    me = await client.get("/glue/customers", headers=bearer(rotated))
    assert error_codes(me) == [(401, "001")]  # the session ended: its access tokens with it


async def test_refresh_needs_a_token(client: httpx.AsyncClient) -> None:
    blank = await client.post("/glue/refresh-tokens", json=refresh_body(""))
    unknown = await client.post("/glue/refresh-tokens", json=refresh_body("made-up"))

    assert error_codes(blank) == [(422, "901")]
    assert error_codes(unknown) == [(401, "004")]


async def test_revoking_one_refresh_token(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    _, tokens = await signed_up(client, clean_db)
    other = await login(client, "sonia@spryker.com")

    # The unknown one first: revoking its own refresh token ends the caller's session.
    unknown = await client.delete("/glue/refresh-tokens/no-such-token", headers=bearer(tokens))
    revoked = await client.delete(
        f"/glue/refresh-tokens/{tokens['refreshToken']}", headers=bearer(tokens)
    )

    assert revoked.status_code == unknown.status_code == 204
    dead = await client.post("/glue/refresh-tokens", json=refresh_body(tokens["refreshToken"]))
    alive = await client.post("/glue/refresh-tokens", json=refresh_body(other["refreshToken"]))
    assert error_codes(dead) == [(401, "004")]
    assert alive.status_code == 201


async def test_a_customer_cannot_revoke_someone_elses_token(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    _, victim = await signed_up(client, clean_db, "victim@example.com")
    _, attacker = await signed_up(client, clean_db, "attacker@example.com")

    response = await client.delete(
        f"/glue/refresh-tokens/{victim['refreshToken']}", headers=bearer(attacker)
    )

    assert response.status_code == 204
    still = await client.post("/glue/refresh-tokens", json=refresh_body(victim["refreshToken"]))
    assert still.status_code == 201


async def test_revoking_mine_revokes_every_session(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    _, tokens = await signed_up(client, clean_db)
    second = await login(client, "sonia@spryker.com")

    response = await client.delete("/glue/refresh-tokens/mine", headers=bearer(tokens))

    assert response.status_code == 204
    for token in (tokens["refreshToken"], second["refreshToken"]):
        refreshed = await client.post("/glue/refresh-tokens", json=refresh_body(token))
        assert error_codes(refreshed) == [(401, "004")]


async def test_revocation_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.delete("/glue/refresh-tokens/mine")

    assert error_codes(response) == [(403, "002")]


async def test_oauth_password_and_refresh_grants(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await signed_up(client, clean_db)

    password = await client.post(
        "/glue/token",
        content="grant_type=password&username=sonia%40spryker.com&password=change123",
        headers=FORM,
    )
    body = password.json()
    refreshed = await client.post(
        "/glue/token",
        data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
    )

    assert password.status_code == 200
    assert password.headers["content-type"] == "application/json"
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "Bearer"
    assert refreshed.status_code == 200
    assert refreshed.json()["refresh_token"] != body["refresh_token"]
    me = await client.get(
        "/glue/customers", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200


async def test_oauth_errors(client: httpx.AsyncClient, clean_db: asyncpg.Pool) -> None:
    await signed_up(client, clean_db)

    bad_grant = await client.post("/glue/token", data={"grant_type": "client_credentials"})
    bad_password = await client.post(
        "/glue/token",
        data={"grant_type": "password", "username": "sonia@spryker.com", "password": "nope-nope"},
    )
    bad_refresh = await client.post(
        "/glue/token", data={"grant_type": "refresh_token", "refresh_token": "junk"}
    )
    missing = await client.post("/glue/token", data={"grant_type": "password"})
    json_body = await client.post("/glue/token", json={"grant_type": "password"})

    assert bad_grant.status_code == bad_password.status_code == 400
    assert bad_grant.json()["error"] == bad_password.json()["error"] == "invalid_grant"
    assert bad_grant.json()["error_description"].startswith("The provided authorization grant")
    assert (bad_refresh.status_code, bad_refresh.json()["error"]) == (400, "invalid_request")
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    assert (json_body.status_code, json_body.json()["error"]) == (400, "invalid_request")


async def _fail_logins(client: httpx.AsyncClient, email: str, times: int) -> list[httpx.Response]:
    body = document("access-tokens", username=email, password="wrong-password")
    return [await client.post("/glue/access-tokens", json=body) for _ in range(times)]


async def test_lockout_after_ten_failures_without_revealing_the_account(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await signed_up(client, clean_db)

    known = await _fail_logins(client, "sonia@spryker.com", 11)
    right_password = await client.post(
        "/glue/access-tokens",
        json=document("access-tokens", username="sonia@spryker.com", password=PASSWORD),
    )

    assert [r.status_code for r in known] == [401] * 10 + [429]
    assert known[-1].json() == {
        "errors": [
            {
                "status": 429,
                "code": "4401",
                "detail": "Too many log in attempts from your address. "
                "Please wait 15 minutes before trying again.",
            }
        ]
    }
    assert right_password.status_code == 429  # blocked means blocked


async def test_an_unknown_account_is_locked_out_exactly_alike(
    services: Services, settings: Settings
) -> None:
    from patron.app import create_app

    app = create_app(settings, services)
    outcomes = []
    for index, email in enumerate(("sonia@spryker.com", "ghost@spryker.com")):
        async with app_client(
            app, peer=f"198.51.100.{index}", headers={"Accept": JSON_API}
        ) as http:
            if index == 0:
                await register(http, email)
            responses = await _fail_logins(http, email, 11)
            outcomes.append([(r.status_code, r.json()) for r in responses])

    assert outcomes[0] == outcomes[1]


async def test_lockout_is_per_client_address_too(services: Services, settings: Settings) -> None:
    async with dialect_client(
        services, settings, peer="192.0.2.50", headers={"Accept": JSON_API}
    ) as http:
        responses = [(await _fail_logins(http, f"user{n}@example.com", 1))[0] for n in range(11)]

    assert [r.status_code for r in responses] == [401] * 10 + [429]


@pytest.mark.redis
async def test_lockout_is_shared_through_redis(
    clean_db: asyncpg.Pool, database_url: str, redis_url: str
) -> None:
    from redis.asyncio import Redis

    settings = cheap_settings(redis_url=redis_url, login_max_failures=3, login_block_seconds=120)
    prefix_cleanup = Redis.from_url(redis_url)
    async for key in prefix_cleanup.scan_iter("patron:throttle:*"):
        await prefix_cleanup.delete(key)
    await prefix_cleanup.aclose()

    async def failures_through_a_new_worker(count: int) -> list[int]:
        services = await Services.build(settings, database_url, clean_db)
        try:
            async with dialect_client(
                services, settings, peer="192.0.2.9", headers={"Accept": JSON_API}
            ) as http:
                return [
                    r.status_code for r in await _fail_logins(http, "shared@example.com", count)
                ]
        finally:
            await services.close(keep_pool=True)

    first_worker = await failures_through_a_new_worker(2)
    second_worker = await failures_through_a_new_worker(2)

    assert first_worker == [401, 401]
    assert second_worker == [401, 429]  # the third failure, counted in Redis, blocked the key


async def test_refresh_token_deletion_without_an_id(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    _, tokens = await signed_up(client, clean_db)

    response = await client.delete("/glue/refresh-tokens", headers=bearer(tokens))

    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"status": 400, "detail": "Resource id is not specified."}]
    }


async def test_access_tokens_carry_sprykers_claim_layout(
    client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    """Spryker's storefront (Oryx) reads `JSON.parse(payload.sub).customer_reference`."""
    import base64
    import json

    reference, tokens = await signed_up(client, clean_db)
    _, payload, _ = tokens["accessToken"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    subject = json.loads(claims["sub"])
    customer_id = await clean_db.fetchval("SELECT id FROM customers")

    assert subject == {
        "id_company_user": None,
        "id_agent": None,
        "customer_reference": reference,
        "id_customer": customer_id,
        "permissions": {"permissions": []},
    }
    assert claims["aud"] == "frontend"
    assert claims["scopes"] == ["customer"]
    assert len(claims["jti"]) == 32
    assert claims["exp"] - claims["nbf"] == 28800
