"""Back-office callers for the core tests: principals as `BackOffice.authorize` would
hand them over, a second tenant to prove isolation against, and guests."""

from __future__ import annotations

from patron.core.back_office.customers import CustomerAdministration
from patron.core.back_office.tenants import TenantAdministration
from patron.core.domain.commands import Registration
from patron.core.domain.model import Customer
from patron.core.domain.principals import BACK_OFFICE_SCOPES, Principal, PrincipalKind, Scope
from patron.core.domain.tenants import Tenant, TenantSettings


def principal_of(tenant: Tenant, *scopes: Scope) -> Principal:
    """A user of `tenant` holding `scopes` (every back-office scope when none is named)."""
    granted = frozenset(scopes) if scopes else BACK_OFFICE_SCOPES
    return Principal(tenant_id=tenant.id, kind=PrincipalKind.USER, id=1, scopes=granted)


async def second_tenant(admin: TenantAdministration, code: str = "other") -> Tenant:
    return await admin.create(code, code.title(), TenantSettings())


async def admin_guest(
    customer_admin: CustomerAdministration, tenant: Tenant, email: str, **profile: str
) -> Customer:
    """A guest (no password) created from the back office."""
    registration = Registration(email=email, **profile)  # type: ignore[arg-type]
    return await customer_admin.create(principal_of(tenant), tenant, registration)
