"""What a Glue mount is configured with."""

from __future__ import annotations

from dataclasses import dataclass

from patron.http.mount import TenantMountConfig


@dataclass(frozen=True, slots=True)
class GlueConfig(TenantMountConfig):
    """The URL, tenant and body limits of every mount (`TenantMountConfig`), and Glue's own."""

    mount_path: str = "/glue"
    cors_origins: tuple[str, ...] = ()
    send_confirmation_mail: bool = True
    """Spryker mails a double opt-in link on every registration."""
