"""A password set from a live session, a reset that names its email, and the `{email}` link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

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
from tests.conftest import registration_for
from tests.fakes import MemoryServices

EMAIL = "Pat.Doe+shop@example.com"
RESET_LINK = "https://shop.example/reset-password?token={token}&email={email}"


async def _login(services: MemoryServices, tenant: Tenant) -> tuple[TokenPair, AccessClaims]:
    _, pair = await services.core.auth.login(tenant, EMAIL, "change123", client_ip=None)
    return pair, services.core.auth.verify(pair.access_token, tenant)


async def _reset_link(services: MemoryServices, tenant: Tenant) -> str:
    await services.core.passwords.request_reset(tenant, EMAIL).run()
    body = services.store.mails("customer_password_reset")[-1].body
    match = re.search(r"^https?://\S+$", body, re.M)
    assert match, body
    return match.group(0)


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


@pytest.fixture
async def medusa_shop(memory: MemoryServices) -> Tenant:
    tenant = await memory.core.tenant_admin.change_settings(
        "default", {"password_reset_link": RESET_LINK}
    )
    await memory.core.accounts.register(tenant, registration_for(EMAIL))
    memory.store.verify_emails(memory.clock())
    return tenant


async def test_set_own_keeps_the_callers_session_and_ends_the_others(
    memory: MemoryServices, medusa_shop: Tenant
) -> None:
    tenant = medusa_shop
    mine, my_claims = await _login(memory, tenant)
    theirs, their_claims = await _login(memory, tenant)
    await _reset_link(memory, tenant)

    await memory.core.passwords.set_own(tenant, my_claims, "brand-new-1")

    assert (await memory.core.accounts.get_own(my_claims, CustomerRef.me())).email == EMAIL
    await memory.core.auth.refresh(tenant, mine.refresh_token)
    with pytest.raises(InvalidAccessToken):
        await memory.core.accounts.get_own(their_claims, CustomerRef.me())
    with pytest.raises(InvalidRefreshToken):
        await memory.core.auth.refresh(tenant, theirs.refresh_token)
    with pytest.raises(InvalidCredentials):
        await memory.core.auth.login(tenant, EMAIL, "change123", client_ip=None)
    assert await memory.core.auth.login(tenant, EMAIL, "brand-new-1", client_ip=None)
    tokens = memory.store.tables.one_time_tokens.values()
    assert not [token for token in tokens if token.purpose == "reset_password"]


async def test_set_own_follows_the_policy_and_needs_a_live_session(
    memory: MemoryServices, medusa_shop: Tenant
) -> None:
    tenant = medusa_shop
    _, claims = await _login(memory, tenant)
    before = memory.store.customer_rows()[0].password_hash

    with pytest.raises(PasswordPolicyViolation):
        await memory.core.passwords.set_own(tenant, claims, "short")
    await memory.core.auth.revoke(claims, None)
    with pytest.raises(InvalidAccessToken):
        await memory.core.passwords.set_own(tenant, claims, "brand-new-1")

    assert memory.store.customer_rows()[0].password_hash == before


async def test_the_reset_link_names_the_email_encoded(
    memory: MemoryServices, medusa_shop: Tenant
) -> None:
    link = await _reset_link(memory, medusa_shop)

    assert link.startswith("https://shop.example/reset-password?token=")
    assert "&email=Pat.Doe%2Bshop%40example.com" in link
    assert parse_qs(urlsplit(link).query)["email"] == [EMAIL]


async def test_restore_with_the_keys_own_email_in_any_case_returns_the_customer(
    memory: MemoryServices, medusa_shop: Tenant
) -> None:
    tenant = medusa_shop
    _, claims = await _login(memory, tenant)
    key = _token(await _reset_link(memory, tenant))

    customer = await memory.core.passwords.restore(tenant, key, "brand-new-1", email=EMAIL.upper())

    assert customer.email == EMAIL
    assert customer.id == claims.customer_id
    assert customer.tokens_valid_after is not None
    with pytest.raises(InvalidAccessToken):
        await memory.core.accounts.get_own(claims, CustomerRef.me())
    assert await memory.core.auth.login(tenant, EMAIL, "brand-new-1", client_ip=None)


async def test_restore_with_another_email_is_refused_and_the_key_stays(
    memory: MemoryServices, medusa_shop: Tenant
) -> None:
    tenant = medusa_shop
    await memory.core.accounts.register(tenant, registration_for("mallory@example.com"))
    key = _token(await _reset_link(memory, tenant))
    before = memory.store.password_hash_of(EMAIL)

    with pytest.raises(ResetKeyInvalid):
        await memory.core.passwords.restore(tenant, key, "brand-new-1", email="mallory@example.com")

    after = memory.store.password_hash_of(EMAIL)
    assert after == before
    restored = await memory.core.passwords.restore(tenant, key, "brand-new-1", email=EMAIL)
    assert restored.email == EMAIL
    with pytest.raises(ResetKeyInvalid):  # spent now
        await memory.core.passwords.restore(tenant, key, "brand-new-2", email=EMAIL)


def test_an_email_placeholder_is_allowed_and_filled_encoded() -> None:
    check_link_template("password_reset_link", RESET_LINK)

    filled = fill_link(RESET_LINK, public_url="http://x", token="t0k", email="a&b=c/d@example.com")

    assert (
        filled == "https://shop.example/reset-password?token=t0k&email=a%26b%3Dc%2Fd%40example.com"
    )
