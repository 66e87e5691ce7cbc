"""Profile edits: partial, versioned."""

from __future__ import annotations

import pytest

from patron.core.domain.commands import ProfileChange
from patron.core.domain.errors.conflict import VersionConflict
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.identity.access import CustomerRef
from tests.conftest import registration_for
from tests.fakes import MemoryServices


async def _claims(services: MemoryServices, tenant: Tenant) -> AccessClaims:
    await services.core.accounts.register(tenant, registration_for("v@example.com"))
    services.store.verify_emails(services.clock())
    _, pair = await services.core.auth.login(tenant, "v@example.com", "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)


async def test_a_write_against_a_stale_version_is_refused_and_changes_nothing(
    memory: MemoryServices, tenant: Tenant
) -> None:
    claims = await _claims(memory, tenant)
    accounts = memory.core.accounts
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
    assert memory.store.customer_row(claims.customer_id).customer.first_name == "Vera"


@pytest.mark.parametrize("pattern", ["DE--", "DE--{x}", "{n"])
def test_a_reference_pattern_must_number_customers(pattern: str) -> None:
    with pytest.raises(ValueError):
        TenantSettings(reference_pattern=pattern)
