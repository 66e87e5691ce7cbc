"""The credential a back-office request presents, and the checks every staff credential
passes: a live principal of a live tenant, grantable scopes, a sane client id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.unauthorized import InvalidAccessToken, TenantMismatch
from patron.core.domain.principals import (
    AdminUser,
    ApiClient,
    BackOfficeClaims,
    Grant,
    Principal,
    PrincipalKind,
)
from patron.core.domain.tenants import Tenant


class CredentialKind(StrEnum):
    BEARER = "bearer"
    """A back-office JWT (`issue_token`, `client_token`)."""
    API_TOKEN = "api_token"
    """A user's long-lived API token (`issue_api_token`)."""
    SESSION = "session"
    """A cookie session (`start_session`)."""


@dataclass(frozen=True, slots=True)
class BackOfficeCredential:
    """What a back-office request presented, as the dialect found it."""

    kind: CredentialKind
    value: str


def token_session_hash(claims: BackOfficeClaims) -> bytes | None:
    """The hash a token's session is kept under; None when it names none it could."""
    try:
        return bytes.fromhex(claims.session) if claims.session else None
    except ValueError:
        return None


def may_name_client(client_id: str) -> bool:
    """Whether `client_id` could be one we issued: not too long, and no NUL (which no
    PostgreSQL text holds, so looking it up would fail rather than find nothing)."""
    return len(client_id) <= MAX_CLIENT_ID_LENGTH and "\x00" not in client_id


def grantable(scopes: Iterable[str]) -> frozenset[str]:
    """Only grants of the back office's own scopes (`Grant`: plain, `_own`, or
    `--restriction`); `ScopeMissing` names another."""
    granted = frozenset(scopes)
    if unknown := sorted(text for text in granted if Grant.parse(text) is None):
        raise ScopeMissing(unknown[0])
    return granted


def check_live(tenant: Tenant, principal: AdminUser | ApiClient, issued_at: datetime) -> None:
    if principal.tenant_id != tenant.id:
        raise TenantMismatch("another tenant's principal")
    if principal.is_disabled:
        raise InvalidAccessToken("disabled")
    if principal.tokens_valid_after is not None and issued_at < principal.tokens_valid_after:
        raise InvalidAccessToken("revoked")


def user_principal(
    tenant: Tenant, user: AdminUser, issued_at: datetime, scopes: frozenset[str]
) -> Principal:
    check_live(tenant, user, issued_at)
    return Principal(
        tenant_id=user.tenant_id, kind=PrincipalKind.USER, id=user.id, scopes=scopes, user=user
    )


MAX_CLIENT_ID_LENGTH = 64
