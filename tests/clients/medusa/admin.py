"""A back-office user of the default tenant for the Medusa tests, made through the core (as
`patron admin create-user` and `issue-token` make one)."""

from __future__ import annotations

from patron.services import Services

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-Secret-1"


async def admin_api_token(services: Services) -> str:
    """Create the admin user (every scope) and return their API token
    (Medusa's `x-medusa-access-token`)."""
    raise NotImplementedError("waits for the back-office core (branch bo)")
