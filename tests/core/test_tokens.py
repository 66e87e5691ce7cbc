"""Token lifecycles with a controlled clock."""

from __future__ import annotations

import pytest

from patron.core.domain.errors.base import ErrorCode
from patron.core.domain.errors.invalid_input import ConfirmationInvalid
from patron.core.domain.errors.unauthorized import (
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
    TenantMismatch,
)
from patron.core.domain.model import Audience, TokenPair
from patron.core.domain.tenants import Tenant, TenantSettings
from tests.conftest import FrozenClock, registration_for
from tests.fakes import MemoryServices


async def _confirmed(services: MemoryServices, tenant: Tenant, email: str) -> None:
    await services.core.accounts.register(tenant, registration_for(email))
    services.store.verify_emails(services.clock())


async def _logged_in(services: MemoryServices, tenant: Tenant) -> TokenPair:
    await _confirmed(services, tenant, "t@example.com")
    _, pair = await services.core.auth.login(tenant, "t@example.com", "change123", client_ip=None)
    return pair


async def test_access_tokens_expire_after_their_lifetime(
    memory: MemoryServices, tenant: Tenant, clock: FrozenClock
) -> None:
    pair = await _logged_in(memory, tenant)

    clock.advance(seconds=pair.expires_in - 1)
    claims = memory.core.auth.verify(pair.access_token, tenant)
    clock.advance(seconds=1)

    assert claims.customer_number == "DE--1"
    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(pair.access_token, tenant)


async def test_refresh_tokens_expire_after_their_lifetime(
    memory: MemoryServices, tenant: Tenant, clock: FrozenClock
) -> None:
    pair = await _logged_in(memory, tenant)

    clock.advance(days=30)

    with pytest.raises(InvalidRefreshToken):
        await memory.core.auth.refresh(tenant, pair.refresh_token)


async def test_confirmation_keys_expire(
    memory: MemoryServices, tenant: Tenant, clock: FrozenClock
) -> None:
    import re

    await memory.core.accounts.register(tenant, registration_for("c@example.com"))
    body = memory.store.mails()[-1].body
    match = re.search(r"token=([\w-]+)", body)
    assert match is not None

    clock.advance(days=8)

    with pytest.raises(ConfirmationInvalid):
        await memory.core.accounts.confirm(tenant, match.group(1))


async def test_a_token_signed_with_another_key_is_refused(
    memory: MemoryServices, tenant: Tenant
) -> None:
    import jwt

    forged = jwt.encode(
        {
            "iss": "patron",
            "sub": "00000000-0000-0000-0000-000000000000",
            "ref": "DE--1",
            "tid": tenant.id,
            "iat": 1,
            "exp": 4_000_000_000,
        },
        b"k" * 64,
        algorithm="HS256",
    )

    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(forged, tenant)


async def test_a_genuine_token_of_another_tenant_is_a_tenant_mismatch_a_forged_one_is_not(
    memory: MemoryServices, tenant: Tenant
) -> None:
    """Emporix answers the mismatch apart (400); its code is the invalid token's, so every
    other dialect answers it as one. A token whose signature fails never gets that far."""
    pair = await _logged_in(memory, tenant)
    other = await memory.core.tenant_admin.create("othershop", "Other", TenantSettings())
    auth = memory.core.auth

    with pytest.raises(TenantMismatch) as mismatch:
        auth.verify(pair.access_token, other)
    with pytest.raises(TenantMismatch):
        auth.verify_for_no_tenant(pair.access_token)
    for verify in (
        lambda token: auth.verify(token, other),
        auth.verify_for_no_tenant,
    ):
        with pytest.raises(InvalidAccessToken) as forged:
            token = pair.access_token
            verify(token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:])
        assert not isinstance(forged.value, TenantMismatch)

    assert mismatch.value.code is ErrorCode.INVALID_ACCESS_TOKEN


async def test_inactive_and_on_hold_customers_cannot_log_in(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await _confirmed(memory, tenant, "t@example.com")

    memory.store.set_customers(on_hold=True)
    with pytest.raises(InvalidCredentials):
        await memory.core.auth.login(tenant, "t@example.com", "change123", client_ip=None)
    memory.store.set_customers(on_hold=False, is_active=False)
    with pytest.raises(InvalidCredentials):
        await memory.core.auth.login(tenant, "t@example.com", "change123", client_ip=None)


def _signed(services: MemoryServices, claims: dict[str, object]) -> str:
    """A token signed with the service's real key: only its claims are wrong."""
    import jwt

    return jwt.encode(claims, services.secret, algorithm="HS256")


def _own(tenant: Tenant, **changes: object) -> dict[str, object]:
    return {
        "aud": "customer",
        "tid": tenant.id,
        "cid": 1,
        "cus": "00000000-0000-0000-0000-000000000001",
        "ref": "DE--1",
        "sid": "00000000-0000-0000-0000-000000000002",
        "scp": ["customer"],
        **changes,
    }


@pytest.mark.parametrize("exp", ["inf", "nan", "4000000000", True, None, [1]])
async def test_a_token_whose_expiry_is_not_a_finite_number_is_refused(
    memory: MemoryServices, tenant: Tenant, exp: object
) -> None:
    claims: dict[str, object] = {"iss": "patron", "iat": 1, "patron": _own(tenant)}
    if exp is not None:
        claims["exp"] = exp

    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(_signed(memory, claims), tenant)


@pytest.mark.parametrize(
    "own",
    [
        {"aud": "back-office"},
        {"aud": "nobody"},
        {"scp": ["orders"]},
        {"tid": "1"},
        {"cid": True},
        {"sid": "not-a-uuid"},
        {"scp": {"customer": 1}},
    ],
)
async def test_malformed_or_foreign_claims_are_refused(
    memory: MemoryServices, tenant: Tenant, own: dict[str, object]
) -> None:
    claims = {"iss": "patron", "iat": 1, "exp": 4_000_000_000, "patron": _own(tenant, **own)}

    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(_signed(memory, claims), tenant)


async def test_a_customer_token_never_opens_a_back_office_route(
    memory: MemoryServices, tenant: Tenant
) -> None:
    pair = await _logged_in(memory, tenant)

    claims = memory.core.auth.verify(pair.access_token, tenant)

    assert claims.audience is Audience.CUSTOMER
    assert claims.scopes == frozenset({"customer"})
    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(pair.access_token, tenant, audience=Audience.BACK_OFFICE)
    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(pair.access_token, tenant, scope="customers.manage")


async def test_a_token_is_valid_on_its_own_tenant_only(
    memory: MemoryServices, tenant: Tenant
) -> None:
    pair = await _logged_in(memory, tenant)
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())

    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(pair.access_token, other)


async def test_a_dialect_may_not_overwrite_patrons_own_claims(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await _confirmed(memory, tenant, "t@example.com")

    with pytest.raises(ValueError, match="exp"):
        await memory.core.auth.login(
            tenant,
            "t@example.com",
            "change123",
            client_ip=None,
            vendor_claims=lambda customer: {"exp": 4_000_000_000},
        )


@pytest.mark.parametrize(
    "times", [{"iat": 1e20}, {"iat": -1e20}, {"nbf": 4_000_000_000}, {"iat": 4_000_000_000}]
)
async def test_a_token_from_the_future_or_out_of_range_is_refused(
    memory: MemoryServices, tenant: Tenant, times: dict[str, float]
) -> None:
    """A future `iat` would pass for a token issued after every revocation."""
    claims = {"iss": "patron", "iat": 1, "exp": 4_000_000_000, "patron": _own(tenant), **times}

    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(_signed(memory, claims), tenant)


async def test_a_holder_refreshes_its_own_refresh_token_only(
    memory: MemoryServices, tenant: Tenant
) -> None:
    auth = memory.core.auth
    await _confirmed(memory, tenant, "a@example.com")
    await _confirmed(memory, tenant, "b@example.com")
    _, a = await auth.login(tenant, "a@example.com", "change123", client_ip=None)
    _, b = await auth.login(tenant, "b@example.com", "change123", client_ip=None)
    a_claims = auth.verify(a.access_token, tenant)

    with pytest.raises(InvalidRefreshToken):
        await auth.refresh(tenant, b.refresh_token, holder=a_claims)
    rotated = await auth.refresh(
        tenant, b.refresh_token, holder=auth.verify(b.access_token, tenant)
    )

    assert auth.verify(rotated.access_token, tenant).customer_number != a_claims.customer_number
    await auth.refresh(tenant, a.refresh_token, holder=a_claims)
