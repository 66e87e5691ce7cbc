"""Who acts in the back office: scopes, roles, admin users, API clients, and the principal
a request resolves to. Plain dataclasses, like `model`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Scope(StrEnum):
    """What a back-office credential may do; every back-office use case names one."""

    CUSTOMERS_READ = "customers:read"
    CUSTOMERS_MANAGE = "customers:manage"
    GROUPS_MANAGE = "groups:manage"


BACK_OFFICE_SCOPES = frozenset(Scope)


class AdminRole(StrEnum):
    """Medusa's user roles; a role is a label, the scopes decide what a user may do."""

    ADMIN = "admin"
    MEMBER = "member"
    DEVELOPER = "developer"


class PrincipalKind(StrEnum):
    USER = "user"
    CLIENT = "client"


@dataclass(frozen=True, slots=True)
class AdminUser:
    """A back-office person of one tenant (email + password, or an API token)."""

    id: int
    uuid: UUID
    tenant_id: int
    email: str
    first_name: str | None
    last_name: str | None
    role: AdminRole
    scopes: frozenset[str]
    metadata: dict[str, Any]
    disabled_at: datetime | None
    tokens_valid_after: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None


@dataclass(frozen=True, slots=True)
class ApiClient:
    """A machine caller of one tenant: a public `client_id` and a secret kept as a hash."""

    id: int
    tenant_id: int
    client_id: str
    name: str
    scopes: frozenset[str]
    disabled_at: datetime | None
    tokens_valid_after: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class BackOfficeClaims:
    """What a verified back-office access token says (before the principal is re-read)."""

    tenant_id: int
    kind: PrincipalKind
    principal_id: int
    issued_at: datetime
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """A back-office caller after `BackOffice.authorize`: authenticated, of `tenant_id`,
    enabled, its credential not revoked. `scopes` is what both the credential and the
    principal's current grant allow. `user` is set for users (Medusa shows it)."""

    tenant_id: int
    kind: PrincipalKind
    id: int
    scopes: frozenset[str]
    user: AdminUser | None = None
