"""A password set from a live session, a reset that names its email, and the `{email}` link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest

from patron.core.domain.errors.invalid_input import PasswordPolicyViolation, ResetKeyInvalid
from patron.core.domain.errors.unauthorized import (
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
)
from patron.core.domain.links import check_link_template, fill_link
from patron.core.domain.model import AccessClaims, TokenPair
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import registration_for

EMAIL = "Pat.Doe+shop@example.com"
RESET_LINK = "https://shop.example/reset-password?token={token}&email={email}"


async def _login(services: Services, tenant: Tenant) -> tuple[TokenPair, AccessClaims]:
    pair = await services.core.auth.login(tenant, EMAIL, "change123", client_ip=None)
    return pair, services.core.auth.verify(pair.access_token, tenant)


async def _reset_link(services: Services, tenant: Tenant, pool: asyncpg.Pool) -> str:
    await services.core.passwords.request_reset(tenant, EMAIL).run()
    body = await pool.fetchval(
        "SELECT body FROM outbox WHERE template = 'customer_password_reset' "
        "ORDER BY id DESC LIMIT 1"
    )
    match = re.search(r"^https?://\S+$", body, re.M)
    assert match, body
    return match.group(0)


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


@pytest.fixture
async def medusa_shop(timed_services: Services, clean_db: asyncpg.Pool) -> Tenant:
    tenant = await timed_services.core.tenant_admin.change_settings(
        "default", {"password_reset_link": RESET_LINK}
    )
    await timed_services.core.accounts.register(tenant, registration_for(EMAIL))
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    return tenant


async def test_set_own_keeps_the_callers_session_and_ends_the_others(
    timed_services: Services, medusa_shop: Tenant, clean_db: asyncpg.Pool
) -> None:
    tenant = medusa_shop
    mine, my_claims = await _login(timed_services, tenant)
    theirs, their_claims = await _login(timed_services, tenant)
    await _reset_link(timed_services, tenant, clean_db)

    await timed_services.core.passwords.set_own(tenant, my_claims, "brand-new-1")

    assert (await timed_services.core.accounts.get_own(my_claims, CustomerRef.me())).email == EMAIL
    await timed_services.core.auth.refresh(tenant, mine.refresh_token)
    with pytest.raises(InvalidAccessToken):
        await timed_services.core.accounts.get_own(their_claims, CustomerRef.me())
    with pytest.raises(InvalidRefreshToken):
        await timed_services.core.auth.refresh(tenant, theirs.refresh_token)
    with pytest.raises(InvalidCredentials):
        await timed_services.core.auth.login(tenant, EMAIL, "change123", client_ip=None)
    assert await timed_services.core.auth.login(tenant, EMAIL, "brand-new-1", client_ip=None)
    assert not await clean_db.fetchval(
        "SELECT count(*) FROM one_time_tokens WHERE purpose = 'reset_password'"
    )


async def test_set_own_follows_the_policy_and_needs_a_live_session(
    timed_services: Services, medusa_shop: Tenant, clean_db: asyncpg.Pool
) -> None:
    tenant = medusa_shop
    _, claims = await _login(timed_services, tenant)
    before = await clean_db.fetchval("SELECT password_hash FROM customers")

    with pytest.raises(PasswordPolicyViolation):
        await timed_services.core.passwords.set_own(tenant, claims, "short")
    await timed_services.core.auth.revoke(claims, None)
    with pytest.raises(InvalidAccessToken):
        await timed_services.core.passwords.set_own(tenant, claims, "brand-new-1")

    assert await clean_db.fetchval("SELECT password_hash FROM customers") == before


async def test_the_reset_link_names_the_email_encoded(
    timed_services: Services, medusa_shop: Tenant, clean_db: asyncpg.Pool
) -> None:
    link = await _reset_link(timed_services, medusa_shop, clean_db)

    assert link.startswith("https://shop.example/reset-password?token=")
    assert "&email=Pat.Doe%2Bshop%40example.com" in link
    assert parse_qs(urlsplit(link).query)["email"] == [EMAIL]


async def test_restore_with_the_keys_own_email_in_any_case_returns_the_customer(
    timed_services: Services, medusa_shop: Tenant, clean_db: asyncpg.Pool
) -> None:
    tenant = medusa_shop
    _, claims = await _login(timed_services, tenant)
    key = _token(await _reset_link(timed_services, tenant, clean_db))

    customer = await timed_services.core.passwords.restore(
        tenant, key, "brand-new-1", email=EMAIL.upper()
    )

    assert customer.email == EMAIL
    assert customer.id == claims.customer_id
    assert customer.tokens_valid_after is not None
    with pytest.raises(InvalidAccessToken):
        await timed_services.core.accounts.get_own(claims, CustomerRef.me())
    assert await timed_services.core.auth.login(tenant, EMAIL, "brand-new-1", client_ip=None)


async def test_restore_with_another_email_is_refused_and_the_key_stays(
    timed_services: Services, medusa_shop: Tenant, clean_db: asyncpg.Pool
) -> None:
    tenant = medusa_shop
    await timed_services.core.accounts.register(tenant, registration_for("mallory@example.com"))
    key = _token(await _reset_link(timed_services, tenant, clean_db))
    before = await clean_db.fetchval("SELECT password_hash FROM customers WHERE email = $1", EMAIL)

    with pytest.raises(ResetKeyInvalid):
        await timed_services.core.passwords.restore(
            tenant, key, "brand-new-1", email="mallory@example.com"
        )

    after = await clean_db.fetchval("SELECT password_hash FROM customers WHERE email = $1", EMAIL)
    assert after == before
    restored = await timed_services.core.passwords.restore(tenant, key, "brand-new-1", email=EMAIL)
    assert restored.email == EMAIL
    with pytest.raises(ResetKeyInvalid):  # spent now
        await timed_services.core.passwords.restore(tenant, key, "brand-new-2", email=EMAIL)


def test_an_email_placeholder_is_allowed_and_filled_encoded() -> None:
    check_link_template("password_reset_link", RESET_LINK)

    filled = fill_link(RESET_LINK, public_url="http://x", token="t0k", email="a&b=c/d@example.com")

    assert (
        filled == "https://shop.example/reset-password?token=t0k&email=a%26b%3Dc%2Fd%40example.com"
    )
