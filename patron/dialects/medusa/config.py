"""What a Medusa mount is configured with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from patron.http.body import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH

SESSION_COOKIE = "connect.sid"
"""express-session's default name, which Medusa keeps."""

Api = Literal["admin", "store"]


@dataclass(frozen=True, slots=True)
class MedusaConfig:
    public_url: str
    tenant_code: str = "default"
    mount_path: str = "/medusa"
    max_body_bytes: int = DEFAULT_MAX_BYTES
    max_body_depth: int = DEFAULT_MAX_DEPTH
    require_confirmation: bool = False
    """Medusa has no confirmation step: by default its customers log in unconfirmed, even
    where the tenant asks Glue's customers to confirm first."""
    session_seconds: int = 10 * 3600
    """The cookie's Max-Age: the core's session lifetime (Medusa's is 10 hours)."""
    admin_cors_origins: tuple[str, ...] = ()
    """Origins whose browsers may call `/admin` with credentials (Medusa's `admin_cors`)."""
    store_cors_origins: tuple[str, ...] = ()
    """Origins whose browsers may call `/store` with credentials (Medusa's `store_cors`)."""

    @property
    def base_url(self) -> str:
        return f"{self.public_url}{self.mount_path}"

    @property
    def secure_cookies(self) -> bool:
        """Served over https: cookies are `Secure; SameSite=None`, as Medusa sets them in
        production, so a storefront on another site can still send them."""
        return self.public_url.startswith("https://")

    def cookie_path(self, api: Api) -> str:
        """Where a session cookie is sent: only to its own API. Medusa keeps an admin and a
        shopper on one express session; Patron keeps two sessions, so each gets a cookie
        scoped to its API's path and one browser can be both at once."""
        return f"{urlsplit(self.base_url).path}/{api}"
