"""What a Glue mount is configured with."""

from __future__ import annotations

from dataclasses import dataclass

from patron.http.body import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH


@dataclass(frozen=True, slots=True)
class GlueConfig:
    public_url: str
    tenant_code: str = "default"
    mount_path: str = "/glue"
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BYTES
    max_body_depth: int = DEFAULT_MAX_DEPTH
    send_confirmation_mail: bool = True
    """Spryker mails a double opt-in link on every registration."""

    @property
    def base_url(self) -> str:
        return f"{self.public_url}{self.mount_path}"
