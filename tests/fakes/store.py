"""The committed rows of the fake, table by table, and the sequences that number them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from patron.core.domain.model import (
    Address,
    Customer,
    CustomerGroup,
    CustomerProperty,
    ListItem,
    OutgoingMail,
    Product,
    Subscription,
)
from patron.core.domain.password_migration import MigrationWindow
from patron.core.domain.principals import AdminUser, ApiClient
from patron.core.domain.tenants import Tenant, TenantSettings

DEFAULT_TENANT_SETTINGS: dict[str, Any] = {
    "reference_pattern": "DE--{n}",
    "store_code": "DE",
    "password_policy": "compatible",
    "confirmation_required": True,
    "active_on_creation": True,
    "on_hold_on_creation": False,
    "default_locale": "en_US",
    "locales": ["en_US", "de_DE"],
}
"""What migration 0001 gives the `default` tenant (the contract test compares the two)."""


@dataclass(frozen=True, slots=True)
class TenantRow:
    tenant: Tenant
    next_customer_number: int = 1


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """A customer and what the `Customer` record never carries: its password hash."""

    customer: Customer
    password_hash: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OneTimeRow:
    customer_id: int
    purpose: str
    token_hash: bytes
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RefreshRow:
    id: int
    customer_id: int
    family_id: UUID
    token_hash: bytes
    expires_at: datetime
    created_at: datetime
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxRow:
    tenant_id: int
    mail: OutgoingMail
    status: str = "pending"
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class AdminRow:
    user: AdminUser
    password_hash: str | None


@dataclass(frozen=True, slots=True)
class ClientRow:
    client: ApiClient
    secret_hash: str


@dataclass(frozen=True, slots=True)
class ApiTokenRow:
    token_hash: bytes
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    group_id: int
    customer_id: int
    created_at: datetime


@dataclass(slots=True)
class Tables:
    """Every table as a dict of immutable rows by id: a shallow copy is a snapshot."""

    tenants: dict[int, TenantRow] = field(default_factory=dict)
    customers: dict[int, CustomerRow] = field(default_factory=dict)
    one_time_tokens: dict[int, OneTimeRow] = field(default_factory=dict)
    refresh_tokens: dict[int, RefreshRow] = field(default_factory=dict)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    addresses: dict[int, Address] = field(default_factory=dict)
    migration_windows: dict[int, MigrationWindow] = field(default_factory=dict)
    products: dict[tuple[int, str], Product] = field(default_factory=dict)
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    properties: dict[int, CustomerProperty] = field(default_factory=dict)
    list_items: dict[int, ListItem] = field(default_factory=dict)
    groups: dict[int, CustomerGroup] = field(default_factory=dict)
    admin_users: dict[int, AdminRow] = field(default_factory=dict)
    api_clients: dict[int, ClientRow] = field(default_factory=dict)
    api_tokens: dict[int, ApiTokenRow] = field(default_factory=dict)
    """A user's one API token, by user id."""
    memberships: dict[int, Membership] = field(default_factory=dict)
    """Group memberships by their id, which comes from the list items' sequence."""

    def copy(self) -> Tables:
        return Tables(**{f.name: dict(getattr(self, f.name)) for f in fields(self)})

    def publish(self, base: Tables, onto: Tables) -> None:
        """Write onto `onto` the rows this copy changed since `base`, row by row: a unit of
        work that committed meanwhile keeps the rows it wrote, as in SQL (on one row, the
        last commit wins; the fake has no locks to make it wait)."""
        for f in fields(self):
            mine, before, target = (getattr(t, f.name) for t in (self, base, onto))
            for key in before.keys() - mine.keys():
                target.pop(key, None)
            for key, row in mine.items():
                if before.get(key) is not row:
                    target[key] = row

    def tenant_customers(self, tenant_id: int) -> Iterator[CustomerRow]:
        return (row for row in self.customers.values() if row.customer.tenant_id == tenant_id)


class MemoryStore:
    """What a database holds between transactions. Ids come from sequences that, as in
    PostgreSQL, a rollback does not give back."""

    def __init__(self, now: datetime) -> None:
        self.tables = Tables()
        self._sequences: dict[str, Iterator[int]] = {}
        default = Tenant(
            id=self.next_id("tenants"),
            code="default",
            name="Default",
            settings=TenantSettings.from_json(DEFAULT_TENANT_SETTINGS),
        )
        self.tables.tenants[default.id] = TenantRow(default)
        self.created_at = now

    @property
    def default_tenant(self) -> Tenant:
        return self.tables.tenants[1].tenant

    def next_id(self, table: str) -> int:
        return next(self._sequences.setdefault(table, itertools.count(1)))

    def customer_rows(self) -> list[CustomerRow]:
        """The committed customers, oldest first."""
        return [row for _, row in sorted(self.tables.customers.items())]

    def addresses(self) -> list[Address]:
        """The committed addresses, oldest first."""
        return [address for _, address in sorted(self.tables.addresses.items())]

    def password_hash_of(self, email: str) -> str | None:
        """The hash of the committed customer with exactly this email."""
        (row,) = (row for row in self.customer_rows() if row.customer.email == email)
        return row.password_hash

    def customer_row(self, customer_id: int) -> CustomerRow:
        """The committed row a test expects to be there."""
        return self.tables.customers[customer_id]

    def set_customers(self, **values: Any) -> None:
        """Write `values` onto every customer, as a test's `UPDATE customers SET ...` would
        (no version bump: the test stages a state, the core did not change it)."""
        for customer_id, row in self.tables.customers.items():
            customer = replace(row.customer, **values)
            self.tables.customers[customer_id] = replace(row, customer=customer)

    def set_admin_users(self, **values: Any) -> None:
        """Write `values` onto every admin user, as a test's `UPDATE admin_users` would."""
        for user_id, row in self.tables.admin_users.items():
            self.tables.admin_users[user_id] = replace(row, user=replace(row.user, **values))

    def verify_emails(self, at: datetime) -> None:
        """Every customer's email counts as confirmed (tests that start from a login)."""
        self.set_customers(email_verified_at=at)

    def mails(self, template: str | None = None) -> list[OutgoingMail]:
        """The outbox, oldest first, of one template or all."""
        return [
            row.mail
            for _, row in sorted(self.tables.outbox.items())
            if template is None or row.mail.template == template
        ]

    def latest_mail(self, email: str, template: str) -> str | None:
        """As `tests.outbox.latest_mail`: the body of the latest such mail, if any."""
        bodies = [
            mail.body for mail in self.mails(template) if mail.recipient.lower() == email.lower()
        ]
        return bodies[-1] if bodies else None
