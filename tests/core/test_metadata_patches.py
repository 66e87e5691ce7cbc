"""A customer's own metadata: a dict replaces it, a `MetadataPatch` merges into it under
the row lock."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from patron.core.domain.commands import MetadataPatch, ProfileChange
from patron.core.domain.errors.invalid_input import FieldsInvalid
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import registration_for


async def _claims(services: Services, tenant: Tenant, pool: asyncpg.Pool) -> AccessClaims:
    await services.core.accounts.register(
        tenant, registration_for("m@example.com", metadata={"keep": 1, "drop": 2})
    )
    await pool.execute("UPDATE customers SET email_verified_at = now()")
    pair = await services.core.auth.login(tenant, "m@example.com", "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)


async def test_a_patch_merges_and_a_dict_replaces(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    claims = await _claims(timed_services, tenant, clean_db)
    accounts = timed_services.core.accounts
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


async def test_racing_patches_of_different_keys_all_land(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    claims = await _claims(timed_services, tenant, clean_db)
    accounts = timed_services.core.accounts

    await asyncio.gather(
        *(
            accounts.update_own(
                claims, CustomerRef.me(), ProfileChange(metadata=MetadataPatch(set={f"k{n}": n}))
            )
            for n in range(10)
        )
    )

    stored = await clean_db.fetchval("SELECT metadata FROM customers")
    assert stored == {"keep": 1, "drop": 2, **{f"k{n}": n for n in range(10)}}


async def test_a_patch_is_bounded_before_and_after_it_is_applied(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    claims = await _claims(timed_services, tenant, clean_db)
    accounts = timed_services.core.accounts
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
    assert sorted(await clean_db.fetchval("SELECT metadata FROM customers")) == [
        "a",
        "drop",
        "keep",
    ]
