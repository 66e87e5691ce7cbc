"""Who may act on which customer: the rules every dialect's authenticated route obeys.

A dialect names the customer a request is about in its own way (by customer number, by
internal id, by uuid, or as "me"); `CustomerRef` carries any of them, and
`require_owner` is the one place that decides whether the bearer may act on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from patron.core.domain.errors.forbidden import NotOwner, ScopeMissing
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.errors.unauthorized import InvalidAccessToken, TenantMismatch
from patron.core.domain.model import AccessClaims, Customer
from patron.core.domain.principals import Principal, Reach, Scope, grants_of
from patron.core.domain.tenants import Tenant
from patron.core.ports.customers import CustomerReads
from patron.core.ports.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerRef:
    """A customer as a request names it; all fields None means "the bearer" ("me")."""

    number: str | None = None
    id: int | None = None
    uuid: UUID | None = None

    @classmethod
    def me(cls) -> CustomerRef:
        return _ME

    @classmethod
    def by_number(cls, number: str) -> CustomerRef:
        return cls(number=number)

    @classmethod
    def by_id(cls, customer_id: int) -> CustomerRef:
        return cls(id=customer_id)

    @classmethod
    def by_uuid(cls, customer_uuid: UUID) -> CustomerRef:
        return cls(uuid=customer_uuid)


_ME = CustomerRef()


def is_owner(claims: AccessClaims, ref: CustomerRef) -> bool:
    """True when `ref` names the bearer's own customer (every identifier given must match)."""
    return (
        (ref.number is None or ref.number == claims.customer_number)
        and (ref.id is None or ref.id == claims.customer_id)
        and (ref.uuid is None or ref.uuid == claims.customer_uuid)
    )


def require_owner(claims: AccessClaims, ref: CustomerRef) -> None:
    """Customers act on their own account only; anything else is `NotOwner`."""
    if not is_owner(claims, ref):
        raise NotOwner()


async def load_bearer(customer_reads: CustomerReads, claims: AccessClaims) -> Customer:
    """The customer a token speaks for, read and checked in one statement."""
    found = await customer_reads.bearer(claims.tenant_id, claims.customer_id, claims.session_id)
    return checked_bearer(found, claims)


async def lock_bearer(uow: UnitOfWork, claims: AccessClaims) -> Customer:
    """As `load_bearer`, with the customer row locked until the transaction ends, so the
    writes that follow are decided by one writer at a time."""
    found = await uow.customers.lock_bearer(claims.tenant_id, claims.customer_id, claims.session_id)
    return checked_bearer(found, claims)


def checked_bearer(found: tuple[Customer, bool] | None, claims: AccessClaims) -> Customer:
    """The customer, unless it is gone, its session ended, or the token predates a
    revocation of every token (a password reset, an anonymization)."""
    if found is None:
        raise CustomerNotFound()
    customer, session_live = found
    if not session_live:
        raise InvalidAccessToken("session ended")
    if customer.tokens_valid_after is not None and claims.issued_at < customer.tokens_valid_after:
        raise InvalidAccessToken("revoked")
    if customer.is_anonymized:
        raise CustomerNotFound()
    return customer


def require_scope(principal: Principal, tenant: Tenant, scope: Scope) -> None:
    """Every back-office use case calls this first: the caller must belong to the tenant
    the request is for and hold the scope. `BackOffice.authorize` has already checked the
    credential; this is the use case's own guard, so no dialect can skip it."""
    if principal.tenant_id != tenant.id:
        raise TenantMismatch("another tenant's credential")
    if scope not in principal.scopes:
        raise ScopeMissing(scope)


def within_reach(found: tuple[Customer, frozenset[int]] | None, reach: Reach) -> Customer:
    """The customer (read with its companies), if the caller reaches it; `CustomerNotFound`
    otherwise, as for one that does not exist or is anonymized: a narrowed caller learns
    nothing of the customers beyond its reach."""
    if found is None or found[0].is_anonymized or not reach.admits(*found):
        raise CustomerNotFound()
    return found[0]


def require_reach(principal: Principal, tenant: Tenant, scope: Scope) -> Reach:
    """As `require_scope`, for use cases that act on customers: any grant of `scope`,
    plain or narrowed, lets the caller in; the `Reach` says which customers it may then
    see or change (`ScopeMissing` when it holds no grant of `scope` at all)."""
    if principal.tenant_id != tenant.id:
        raise TenantMismatch("another tenant's credential")
    grants = grants_of(principal.scopes, scope)
    if not grants:
        raise ScopeMissing(scope)
    return Reach(grants, principal.companies)
