"""A customer's own metadata: a dict replaces it, a `MetadataPatch` merges into it under
the row lock."""

from __future__ import annotations

import pytest

from patron.core.domain.commands import MetadataPatch, ProfileChange
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from tests.conftest import registration_for
from tests.fakes import MemoryServices


async def _claims(services: MemoryServices, tenant: Tenant) -> AccessClaims:
    await services.core.accounts.register(
        tenant, registration_for("m@example.com", metadata={"keep": 1, "drop": 2})
    )
    services.store.verify_emails(services.clock())
    _, pair = await services.core.auth.login(tenant, "m@example.com", "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)


async def test_a_patch_merges_and_a_dict_replaces(memory: MemoryServices, tenant: Tenant) -> None:
    claims = await _claims(memory, tenant)
    accounts = memory.core.accounts
    me = CustomerRef.me()

    patched = await accounts.update_own(
        claims,
        me,
        ProfileChange(
            first_name="Mia",
            metadata=MetadataPatch(set={"new": {"a": 1}}, remove=frozenset({"drop", "absent"})),
        ),
    )
    unchanged = await accounts.update_own(
        claims, me, ProfileChange(metadata=MetadataPatch(remove=frozenset({"absent"})))
    )
    replaced = await accounts.update_own(claims, me, ProfileChange(metadata={"only": True}))

    assert patched.metadata == {"keep": 1, "new": {"a": 1}}
    assert patched.first_name == "Mia"
    assert unchanged.version == patched.version  # nothing to write, nothing written
    assert replaced.metadata == {"only": True}


async def test_a_patch_is_bounded_before_and_after_it_is_applied(
    memory: MemoryServices, tenant: Tenant
) -> None:
    claims = await _claims(memory, tenant)
    accounts = memory.core.accounts
    half = "v" * 9000
    await accounts.update_own(
        claims, CustomerRef.me(), ProfileChange(metadata=MetadataPatch(set={"a": half}))
    )

    with pytest.raises(FieldsInvalid) as at_once:
        await accounts.update_own(
            claims,
            CustomerRef.me(),
            ProfileChange(last_name="x" * 101, metadata=MetadataPatch(set={"b": "\x00"})),
        )
    with pytest.raises(FieldsInvalid) as merged:
        await accounts.update_own(
            claims, CustomerRef.me(), ProfileChange(metadata=MetadataPatch(set={"b": half}))
        )

    assert [p.field for p in at_once.value.problems] == ["last_name", "metadata"]
    assert [p.field for p in merged.value.problems] == ["metadata"]
    assert sorted(memory.store.customer_rows()[0].customer.metadata) == [
        "a",
        "drop",
        "keep",
    ]
