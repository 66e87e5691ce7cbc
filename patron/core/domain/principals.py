"""Who acts in the back office: scopes, roles, admin users, API clients, and the principal
a request resolves to. Plain dataclasses, like `model`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from patron.core.domain.model import Customer


class Scope(StrEnum):
    """What a back-office credential may do; every back-office use case names one."""

    CUSTOMERS_READ = "customers:read"
    CUSTOMERS_MANAGE = "customers:manage"
    GROUPS_MANAGE = "groups:manage"
    IMPORTS_READ = "imports:read"
    """Read the password-migration settings (Emporix' `customer.import_read`)."""
    IMPORTS_MANAGE = "imports:manage"
    """Import customers in bulk and set the password migration (`customer.import_manage`)."""


BACK_OFFICE_SCOPES = frozenset(Scope)

OWN_SUFFIX = "_own"
RESTRICTION_SEPARATOR = "--"
_RESTRICTION = re.compile(r"[A-Za-z0-9_.-]{1,16}")


@dataclass(frozen=True, slots=True)
class Grant:
    """One granted scope string, read: `<scope>[_own][--<restriction>]`.

    A plain scope reaches every customer of the tenant. `_own` narrows it to the customers
    of the caller's company (a customer group); `--DE` narrows it to customers whose
    `restriction` is DE (Emporix' site permissions, reference 5.2). Both narrow at once.
    """

    scope: Scope
    own: bool = False
    restriction: str | None = None

    @property
    def is_plain(self) -> bool:
        return not self.own and self.restriction is None

    def covers(self, other: Grant) -> bool:
        """Whether this grant allows all that `other` does: the same scope, narrowed no
        less (a token may be asked for less than its client holds)."""
        return (
            self.scope is other.scope
            and (other.own or not self.own)
            and (self.restriction is None or self.restriction == other.restriction)
        )

    def __str__(self) -> str:
        text = self.scope.value + (OWN_SUFFIX if self.own else "")
        if self.restriction is not None:
            text += RESTRICTION_SEPARATOR + self.restriction
        return text

    @classmethod
    def parse(cls, text: str) -> Grant | None:
        """None when `text` is no grant of a back-office scope."""
        base, separator, restriction = text.partition(RESTRICTION_SEPARATOR)
        if separator and not _RESTRICTION.fullmatch(restriction):
            return None
        own = base.endswith(OWN_SUFFIX)
        if own:
            base = base.removesuffix(OWN_SUFFIX)
        if base not in Scope._value2member_map_:
            return None
        return cls(Scope(base), own, restriction if separator else None)


def within(requested: frozenset[str], held: frozenset[str]) -> frozenset[str]:
    """The requested grants that some held grant covers (`Grant.covers`); a credential
    never carries more than its holder's grant allows, as it stands now."""
    holding = [grant for text in held if (grant := Grant.parse(text)) is not None]
    return frozenset(
        text
        for text in requested
        if (grant := Grant.parse(text)) is not None and any(h.covers(grant) for h in holding)
    )


def grants_of(scopes: frozenset[str], scope: Scope) -> tuple[Grant, ...]:
    """The caller's grants of `scope`, in a stable order."""
    found = (Grant.parse(text) for text in sorted(scopes))
    return tuple(grant for grant in found if grant is not None and grant.scope is scope)


class AdminRole(StrEnum):
    """Medusa's user roles; a role is a label, the scopes decide what a user may do."""

    ADMIN = "admin"
    MEMBER = "member"
    DEVELOPER = "developer"


class PrincipalKind(StrEnum):
    USER = "user"
    CLIENT = "client"
    OPERATOR = "operator"
    """Whoever runs the `patron` command on the server; never holds a token."""


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
    company_id: int | None = None
    """The customer group (company) whose customers `_own` grants reach."""

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
    session: str | None = None
    """A user's token stands in for a back-office session: the hex hash under which the
    session is kept, so a logout ends the token. None: a client's token, which ends only
    with its client."""


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
    companies: frozenset[int] = frozenset()
    """The customer groups (companies) the caller belongs to, for `_own` grants."""


def operator(tenant_id: int, *scopes: Scope) -> Principal:
    """The caller of a `patron` command: they hold the database itself, so the scopes the
    command needs are theirs; the use case checks them as it does anyone's."""
    return Principal(
        tenant_id=tenant_id, kind=PrincipalKind.OPERATOR, id=0, scopes=frozenset(scopes)
    )


@dataclass(frozen=True, slots=True)
class Reach:
    """The customers a caller reaches with one scope: every one (a plain grant), or those
    some narrowed grant lets through (`Grant`: a restriction, `_own` companies, or both).
    Customers without a restriction are reached by no restricted grant."""

    grants: tuple[Grant, ...]
    companies: frozenset[int] = frozenset()
    """The caller's companies (customer group ids), for `_own` grants."""

    @property
    def everything(self) -> bool:
        return any(grant.is_plain for grant in self.grants)

    def admits(self, customer: Customer, customer_companies: frozenset[int]) -> bool:
        """Whether the customer (a member of `customer_companies`) is within reach."""
        return self.admits_values(customer.restriction, customer_companies)

    def admits_values(self, restriction: str | None, customer_companies: frozenset[int]) -> bool:
        """As `admits`, for a customer about to be written with these values."""
        return any(
            (grant.restriction is None or grant.restriction == restriction)
            and (not grant.own or bool(customer_companies & self.companies))
            for grant in self.grants
        )


EVERY_CUSTOMER = Reach((Grant(Scope.CUSTOMERS_READ),))
