"""Who may act on which customer: one rule for every identifier a dialect uses."""

from __future__ import annotations

import uuid

import pytest

from patron.core.domain.commands import AddressChange, ProfileChange
from patron.core.domain.errors.forbidden import NotOwner
from patron.core.domain.errors.unauthorized import InvalidAccessToken
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef, is_owner, require_owner
from patron.core.identity.password_changes import PasswordChange
from tests.conftest import registration_for
from tests.core.test_addresses import draft
from tests.fakes import MemoryServices


@pytest.fixture
async def claims(memory: MemoryServices, tenant: Tenant) -> AccessClaims:
    await memory.core.accounts.register(tenant, registration_for("own@example.com"))
    memory.store.verify_emails(memory.clock())
    _, pair = await memory.core.auth.login(tenant, "own@example.com", "change123", client_ip=None)
    return memory.core.auth.verify(pair.access_token, tenant)


def test_the_bearer_may_act_on_itself_by_any_identifier(claims: AccessClaims) -> None:
    for ref in (
        CustomerRef.me(),
        CustomerRef.by_number(claims.customer_number),
        CustomerRef.by_id(claims.customer_id),
        CustomerRef.by_uuid(claims.customer_uuid),
        CustomerRef(number=claims.customer_number, id=claims.customer_id),
    ):
        assert is_owner(claims, ref)
        require_owner(claims, ref)


def test_any_other_identifier_is_not_the_bearers(claims: AccessClaims) -> None:
    for ref in (
        CustomerRef.by_number("DE--999"),
        CustomerRef.by_number(claims.customer_number.lower()),
        CustomerRef.by_id(claims.customer_id + 1),
        CustomerRef.by_uuid(uuid.uuid4()),
        CustomerRef(number=claims.customer_number, id=claims.customer_id + 1),
    ):
        assert not is_owner(claims, ref)
        with pytest.raises(NotOwner):
            require_owner(claims, ref)


@pytest.mark.parametrize("kind", ["number", "id", "uuid"])
async def test_every_owned_use_case_refuses_another_customer(
    memory: MemoryServices, tenant: Tenant, claims: AccessClaims, kind: str
) -> None:
    core = memory.core
    other = {
        "number": CustomerRef.by_number("DE--999"),
        "id": CustomerRef.by_id(claims.customer_id + 1),
        "uuid": CustomerRef.by_uuid(uuid.uuid4()),
    }[kind]
    some_address = uuid.uuid4()

    for attempt in (
        core.accounts.get_own(claims, other),
        core.accounts.update_own(claims, other, ProfileChange(first_name="X")),
        core.accounts.anonymize_own(claims, other),
        core.addresses.list_own(claims, other),
        core.addresses.get_own(claims, other, some_address),
        core.addresses.add_own(claims, other, draft()),
        core.addresses.update_own(claims, other, some_address, AddressChange(city="X")),
        core.addresses.delete_own(claims, other, some_address),
        core.availability.list_own(claims, other),
        core.passwords.change_own(tenant, claims, other, PasswordChange("change123", "x" * 9)),
    ):
        with pytest.raises(NotOwner):
            await attempt


async def test_an_ended_session_reaches_nothing(
    memory: MemoryServices, claims: AccessClaims
) -> None:
    core = memory.core

    await core.auth.revoke(claims, None)

    for attempt in (
        core.accounts.get_own(claims, CustomerRef.me()),
        core.addresses.list_own(claims, CustomerRef.me()),
        core.availability.list_for_bearer(claims),
        core.auth.revoke(claims, None),  # a stolen token cannot keep logging its owner out
    ):
        with pytest.raises(InvalidAccessToken):
            await attempt
