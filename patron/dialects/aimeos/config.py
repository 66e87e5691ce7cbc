"""What an Aimeos mount is configured with."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from patron.http.mount import TenantMountConfig

SESSION_COOKIE = "aimeos_session"
"""One cookie per browser: a customer's session, or an anonymous visitor's random value;
either way the CSRF token is derived from it."""


@dataclass(frozen=True, slots=True)
class AimeosConfig(TenantMountConfig):
    """The URL, tenant and body limits of every mount (`TenantMountConfig`), and Aimeos' own."""

    mount_path: str = "/jsonapi"
    require_confirmation: bool = False
    """Aimeos logs a new customer in without a confirmation step: by default unconfirmed
    customers log in here, even where the tenant asks Glue's customers to confirm first."""
    session_seconds: int = 10 * 3600
    """The cookie's Max-Age: the core's session lifetime."""
    cors_origins: tuple[str, ...] = ()
    signup_limit_count: int = 3
    signup_limit_seconds: int = 14400
    """Aimeos' `controller/frontend/customer/limit-count` and `limit-seconds`."""
    currency: str = "EUR"
    """`locale.currencyid` of the root document (Patron keeps no prices)."""

    @property
    def cookie_path(self) -> str:
        return urlsplit(self.base_url).path or "/"
