"""Profile edits: partial, versioned."""

from __future__ import annotations

import asyncpg
import pytest

from patron.core.domain.commands import ProfileChange
from patron.core.domain.errors.conflict import VersionConflict
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import registration_for


async def _claims(services: Services, tenant: Tenant, pool: asyncpg.Pool) -> AccessClaims:
    await services.core.accounts.register(tenant, registration_for("v@example.com"))
    await pool.execute("UPDATE customers SET email_verified_at = now()")
    pair = await services.core.auth.login(tenant, "v@example.com", "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)


async def test_a_write_against_a_stale_version_is_refused_and_changes_nothing(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    claims = await _claims(timed_services, tenant, clean_db)
    accounts = timed_services.core.accounts
    current = await accounts.get_own(claims, CustomerRef.by_number(claims.customer_number))

    updated = await accounts.update_own(
        claims,
        CustomerRef.by_number(claims.customer_number),
        ProfileChange(first_name="Vera"),
        expected_version=current.version,
    )
    with pytest.raises(VersionConflict) as conflict:
        await accounts.update_own(
            claims,
            CustomerRef.by_number(claims.customer_number),
            ProfileChange(first_name="Stale"),
            expected_version=current.version,
        )

    assert updated.version == current.version + 1
    assert conflict.value.current_version == updated.version
    stored = await clean_db.fetchval("SELECT first_name FROM customers")
    assert stored == "Vera"


@pytest.mark.parametrize("pattern", ["DE--", "DE--{x}", "{n"])
def test_a_reference_pattern_must_number_customers(pattern: str) -> None:
    with pytest.raises(ValueError):
        TenantSettings(reference_pattern=pattern)
