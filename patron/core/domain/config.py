"""Knobs the use cases need, built from `Settings` by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.domain.links import fill_link
from patron.core.domain.tenants import Tenant


@dataclass(frozen=True, slots=True)
class CoreConfig:
    public_url: str = "http://127.0.0.1:8000"
    confirm_url_template: str = "{public_url}/register/confirm?token={token}"
    confirmation_token_ttl_seconds: int = 7 * 24 * 3600
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    password_reset_url_template: str = "{public_url}/password/restore?token={token}"
    password_reset_ttl_seconds: int = 2 * 3600
    email_change_url_template: str = "{public_url}/email/confirm?token={token}"
    deletion_url_template: str = "{public_url}/account/delete?token={token}"
    max_addresses_per_customer: int = 100
    session_ttl_seconds: int = 10 * 3600
    """Cookie sessions and the tokens that stand in for them (Medusa's store JWT)."""
    back_office_token_ttl_seconds: int = 24 * 3600

    def confirm_url(self, tenant: Tenant, token: str, *, email: str = "") -> str:
        """Each storefront has its own pages: the tenant's template, else the global one.
        `email` is the recipient, for templates that name it."""
        template = tenant.settings.confirmation_link or self.confirm_url_template
        return fill_link(template, public_url=self.public_url, token=token, email=email)

    def email_change_url(self, tenant: Tenant, token: str, *, email: str = "") -> str:
        template = tenant.settings.email_change_link or self.email_change_url_template
        return fill_link(template, public_url=self.public_url, token=token, email=email)

    def deletion_url(self, tenant: Tenant, token: str, *, email: str = "") -> str:
        template = tenant.settings.deletion_link or self.deletion_url_template
        return fill_link(template, public_url=self.public_url, token=token, email=email)

    def password_reset_url(self, tenant: Tenant, token: str, *, email: str = "") -> str:
        template = tenant.settings.password_reset_link or self.password_reset_url_template
        return fill_link(template, public_url=self.public_url, token=token, email=email)
