"""What a Medusa mount is configured with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from patron.http.mount import TenantMountConfig
from patron.http.origins import origin_of

SESSION_COOKIE = "connect.sid"
"""express-session's default name, which Medusa keeps."""

Api = Literal["admin", "store"]


@dataclass(frozen=True, slots=True)
class MedusaConfig(TenantMountConfig):
    """The URL, tenant and body limits of every mount (`TenantMountConfig`), and Medusa's
    own; cookies are `Secure` over https, as Medusa sets them in production."""

    mount_path: str = "/medusa"
    require_confirmation: bool = False
    """Medusa has no confirmation step: by default its customers log in unconfirmed, even
    where the tenant asks Glue's customers to confirm first."""
    session_seconds: int = 10 * 3600
    """The cookie's Max-Age: the core's session lifetime (Medusa's is 10 hours)."""
    admin_cors_origins: tuple[str, ...] = ()
    """Origins whose browsers may call `/admin` with credentials (Medusa's `admin_cors`)."""
    store_cors_origins: tuple[str, ...] = ()
    """Origins whose browsers may call `/store` with credentials (Medusa's `store_cors`)."""

    def cors_origins(self, api: Api) -> tuple[str, ...]:
        """The origins `api` lets in cross-origin, with credentials, as browsers write
        them. `*` is no wildcard, as in Medusa v1 (its `cors` package compares the entries
        of a list as written): every origin is named."""
        listed = self.admin_cors_origins if api == "admin" else self.store_cors_origins
        named = (origin_of(entry) for entry in listed if entry.strip() != "*")
        return tuple(dict.fromkeys(origin for origin in named if origin is not None))

    def trusted_origins(self, api: Api) -> frozenset[str]:
        """The pages that may write with `api`'s session cookie: Patron's own origin and
        the API's CORS origins."""
        own = origin_of(self.public_url)
        return frozenset((*self.cors_origins(api), *((own,) if own else ())))

    def same_site(self, api: Api) -> Literal["lax", "none"]:
        """`SameSite=None` (Medusa's production setting) only where a page of another site
        needs the cookie: over https, on an API with CORS origins. Else `Lax`, and a page
        of another site cannot make the browser send it on a write at all."""
        return "none" if self.secure_cookies and self.cors_origins(api) else "lax"

    def cookie_path(self, api: Api) -> str:
        """Where a session cookie is sent: only to its own API. Medusa keeps an admin and a
        shopper on one express session; Patron keeps two sessions, so each gets a cookie
        scoped to its API's path and one browser can be both at once."""
        return f"{urlsplit(self.base_url).path}/{api}"
