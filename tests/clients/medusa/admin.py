"""A back-office user of the default tenant for the Medusa tests, made through the core (as
`patron admin create-user` and `patron admin issue-token` make one)."""

from __future__ import annotations

from patron.services import Services

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-Secret-1"


async def admin_api_token(services: Services) -> str:
    """Create the admin user (every back-office scope) and return their API token, Medusa's
    `x-medusa-access-token`."""
    tenant = await services.core.tenants.get("default")
    staff = services.core.staff_accounts
    await staff.create_user(
        tenant, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, first_name="Ada", last_name="Admin"
    )
    return await staff.issue_api_token(tenant, ADMIN_EMAIL)
