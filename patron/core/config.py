"""Knobs the use cases need, built from `Settings` by the composition root."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CoreConfig:
    public_url: str = "http://127.0.0.1:8000"
    confirm_url_template: str = "{public_url}/register/confirm?token={token}"
    confirmation_token_ttl_seconds: int = 7 * 24 * 3600
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    password_reset_url_template: str = "{public_url}/password/restore?token={token}"
    password_reset_ttl_seconds: int = 2 * 3600
    max_addresses_per_customer: int = 100

    def confirm_url(self, token: str) -> str:
        return self.confirm_url_template.format(public_url=self.public_url, token=token)

    def password_reset_url(self, token: str) -> str:
        return self.password_reset_url_template.format(public_url=self.public_url, token=token)
