"""Customers in memory: `PgCustomers` and `PgCustomerReads` without SQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.errors.conflict import (
    CodeTaken,
    CustomerNumberTaken,
    EmailTaken,
    GuestExists,
)
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.model import Credentials, Customer
from patron.core.ports.customers import Anonymization, NewCustomer
from tests.fakes.store import CustomerRow, MemoryStore, Tables


def _same_email(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.lower() == b.lower()


def check_unique(tables: Tables, customer: Customer) -> None:
    """The unique indexes of `customers`, raising the core errors storage translates
    their violations into."""
    for row in tables.tenant_customers(customer.tenant_id):
        other = row.customer
        if other.id == customer.id:
            continue
        if other.customer_number == customer.customer_number:
            raise CustomerNumberTaken()
        if _same_email(other.email, customer.email) and other.has_account == customer.has_account:
            raise EmailTaken() if customer.has_account else GuestExists()
        if customer.code is not None and other.code == customer.code:
            raise CodeTaken()


def _session_live(tables: Tables, customer_id: int, session_id: UUID) -> bool:
    return any(
        token.family_id == session_id and token.customer_id == customer_id
        for token in tables.refresh_tokens.values()
        if token.revoked_at is None
    )


def bearer(
    tables: Tables, tenant_id: int, customer_id: int, session_id: UUID
) -> tuple[Customer, bool] | None:
    row = tables.customers.get(customer_id)
    if row is None or row.customer.tenant_id != tenant_id:
        return None
    return row.customer, _session_live(tables, customer_id, session_id)


class MemoryCustomers:
    """Implements `CustomerRepository` on a unit of work's tables."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    def _write(self, customer_id: int, change: Callable[[CustomerRow], CustomerRow]) -> Customer:
        row = self._tables.customers.get(customer_id)
        if row is None:
            raise CustomerNotFound()
        written = change(row)
        self._tables.customers[customer_id] = written
        return written.customer

    def _bump(self, customer: Customer, now: datetime, **changes: Any) -> Customer:
        return replace(customer, **changes, updated_at=now, version=customer.version + 1)

    async def next_number(self, tenant_id: int) -> int:
        row = self._tables.tenants[tenant_id]
        self._tables.tenants[tenant_id] = replace(
            row, next_customer_number=row.next_customer_number + 1
        )
        return row.next_customer_number

    async def add(self, new: NewCustomer) -> Customer:
        r = new.registration
        customer = Customer(
            id=self._store.next_id("customers"),
            uuid=new.uuid,
            tenant_id=new.tenant_id,
            customer_number=new.customer_number,
            email=new.email,
            has_account=new.has_account,
            salutation=r.salutation,
            title=r.title,
            first_name=r.first_name,
            middle_name=r.middle_name,
            last_name=r.last_name,
            gender=r.gender,
            birth_date=r.birth_date,
            company=r.company,
            vat_id=r.vat_id,
            phone=r.phone,
            language=r.language,
            currency=r.currency,
            site=r.site,
            metadata=r.metadata,
            is_active=new.is_active,
            on_hold=new.on_hold,
            email_verified_at=new.email_verified_at,
            terms_accepted_at=new.terms_accepted_at,
            version=1,
            created_at=new.now,
            updated_at=new.now,
            code=r.code,
            mobile=r.mobile,
            fax=r.fax,
            website=r.website,
            latitude=r.latitude,
            longitude=r.longitude,
            label=r.label,
            restriction=r.restriction,
            contact_email=r.contact_email,
            password_set_by_staff=new.password_set_by_staff,
        )
        check_unique(self._tables, customer)
        self._tables.customers[customer.id] = CustomerRow(customer, new.password_hash)
        return customer

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None:
        row = self._tables.customers.get(customer_id)
        return row.customer if row else None

    async def by_number(
        self, tenant_id: int, number: str, *, for_update: bool = False
    ) -> Customer | None:
        return next(
            (
                row.customer
                for row in self._tables.tenant_customers(tenant_id)
                if row.customer.customer_number == number
            ),
            None,
        )

    async def free_number(self, customer_id: int) -> None:
        self._write(
            customer_id,
            lambda row: replace(
                row,
                customer=replace(
                    row.customer, customer_number=f"{row.customer.customer_number}~{customer_id}"
                ),
            ),
        )

    async def get_by_uuid(
        self, tenant_id: int, customer_uuid: UUID, *, for_update: bool = False
    ) -> Customer | None:
        return next(
            (
                row.customer
                for row in self._tables.tenant_customers(tenant_id)
                if row.customer.uuid == customer_uuid
            ),
            None,
        )

    async def lock_bearer(
        self, tenant_id: int, customer_id: int, session_id: UUID
    ) -> tuple[Customer, bool] | None:
        return bearer(self._tables, tenant_id, customer_id, session_id)

    async def update(
        self, customer_id: int, changes: CustomerChanges, *, now: datetime
    ) -> Customer:
        written = changes.written()  # empty: the row still moves on, as in storage

        def change(row: CustomerRow) -> CustomerRow:
            customer = self._bump(row.customer, now, **written)
            check_unique(self._tables, customer)
            return replace(row, customer=customer)

        return self._write(customer_id, change)

    async def set_password_hash(self, customer_id: int, password_hash: str) -> None:
        self._write(customer_id, lambda row: replace(row, password_hash=password_hash))

    async def change_password(
        self,
        customer_id: int,
        password_hash: str,
        *,
        now: datetime,
        end_sessions: bool,
        by_staff: bool = False,
    ) -> None:
        def change(row: CustomerRow) -> CustomerRow:
            valid_after = now if end_sessions else row.customer.tokens_valid_after
            customer = self._bump(
                row.customer,
                now,
                tokens_valid_after=valid_after,
                password_set_by_staff=by_staff,
            )
            return CustomerRow(customer, password_hash)

        self._write(customer_id, change)

    async def mark_email_verified(self, customer_id: int, tenant_id: int, now: datetime) -> bool:
        row = self._tables.customers.get(customer_id)
        if row is None or row.customer.tenant_id != tenant_id:
            return False
        customer = self._bump(row.customer, now, email_verified_at=now)
        self._tables.customers[customer_id] = replace(row, customer=customer)
        return True

    async def record_login(self, customer_id: int, now: datetime) -> None:
        self._write(
            customer_id,
            lambda row: replace(row, customer=replace(row.customer, last_login_at=now)),
        )

    async def anonymize(self, customer_id: int, anonymization: Anonymization) -> None:
        now = anonymization.now
        erased = dict.fromkeys(
            [
                "contact_email",
                "salutation",
                "title",
                "first_name",
                "middle_name",
                "last_name",
                "gender",
                "birth_date",
                "phone",
                "code",
                "mobile",
                "fax",
                "website",
                "latitude",
                "longitude",
                "label",
            ]
        )
        self._write(
            customer_id,
            lambda row: CustomerRow(
                self._bump(
                    row.customer,
                    now,
                    **erased,
                    email=anonymization.replacement_email,
                    password_set_by_staff=False,
                    email_verified_at=None,
                    metadata={},
                    anonymized_at=now,
                    tokens_valid_after=now,
                ),
                None,
            ),
        )
        t = self._tables  # what `ERASED_WITH_CUSTOMER` names in SQL
        t.addresses = {k: a for k, a in t.addresses.items() if a.customer_id != customer_id}
        t.properties = {k: p for k, p in t.properties.items() if p.customer_id != customer_id}
        t.list_items = {k: i for k, i in t.list_items.items() if i.customer_id != customer_id}
        t.memberships = {k: m for k, m in t.memberships.items() if m.customer_id != customer_id}


class MemoryCustomerReads:
    """Implements `CustomerReads` on the committed rows."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def bearer(
        self, tenant_id: int, customer_id: int, session_id: UUID
    ) -> tuple[Customer, bool] | None:
        return bearer(self._store.tables, tenant_id, customer_id, session_id)

    async def password_hash(self, customer_id: int) -> str | None:
        row = self._store.tables.customers.get(customer_id)
        return row.password_hash if row else None

    async def credentials_by_email(
        self, tenant_id: int, email: str, *, confirmation_required: bool
    ) -> Credentials | None:
        tables = self._store.tables
        row = next(
            (
                row
                for row in tables.tenant_customers(tenant_id)
                if row.customer.has_account and _same_email(row.customer.email, email.strip())
            ),
            None,
        )
        if row is None:
            return None
        c = row.customer
        window = tables.migration_windows.get(tenant_id)
        return Credentials(
            customer=c,
            password_hash=row.password_hash,
            may_log_in=c.is_active
            and not c.on_hold
            and c.anonymized_at is None
            and (not confirmation_required or c.email_verified_at is not None),
            migration_ends=window.ends_on if window else None,
        )
