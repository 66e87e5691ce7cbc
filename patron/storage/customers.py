"""Customers in SQL: the repository used inside a unit of work, and the hot-path reads."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg

from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.errors.conflict import (
    CodeTaken,
    CustomerNumberTaken,
    EmailTaken,
    GuestExists,
)
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.model import Credentials, Customer, Gender, Salutation
from patron.core.ports.customers import Anonymization, NewCustomer
from patron.storage.database import Connection
from patron.storage.versioned import db_value, update_versioned

COLUMNS = (
    "id, uuid, tenant_id, customer_number, email, has_account, salutation, title, first_name, "
    "middle_name, last_name, gender, birth_date, company, vat_id, phone, language, currency, "
    "site, metadata, is_active, on_hold, email_verified_at, terms_accepted_at, version, "
    "created_at, updated_at, anonymized_at, last_login_at, tokens_valid_after, code, mobile, "
    "fax, website, latitude, longitude, label, restriction, contact_email, "
    "password_set_by_staff"
)


# Fields a profile change may write; names are the core's and the columns'.
WRITABLE = frozenset(
    {
        "email",
        "salutation",
        "title",
        "first_name",
        "middle_name",
        "last_name",
        "gender",
        "birth_date",
        "company",
        "vat_id",
        "phone",
        "language",
        "currency",
        "site",
        "metadata",
        "email_verified_at",
        "is_active",
        "on_hold",
        "code",
        "mobile",
        "fax",
        "website",
        "latitude",
        "longitude",
        "label",
        "restriction",
        "contact_email",
    }
)

EMAIL_INDEX = "customers_account_email_unique"
GUEST_EMAIL_INDEX = "customers_guest_email_unique"
CODE_INDEX = "customers_code_unique"
NUMBER_INDEX = "customers_number_unique"
# What an anonymization deletes besides the row's own personal values.
ERASED_WITH_CUSTOMER = (
    "addresses",
    "customer_properties",
    "customer_list_items",
    "customer_group_members",
)

# The customer a token speaks for, and whether its login session (refresh-token family) is
# still open: one index probe more on the statement every authenticated request runs anyway.
BEARER = (
    f"SELECT {COLUMNS}, EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = $3 "
    "AND t.customer_id = customers.id AND t.revoked_at IS NULL) AS session_live "
    "FROM customers WHERE id = $2 AND tenant_id = $1"
)


def row_to_customer(row: asyncpg.Record) -> Customer:
    return Customer(
        id=row["id"],
        uuid=row["uuid"],
        tenant_id=row["tenant_id"],
        customer_number=row["customer_number"],
        email=row["email"],
        has_account=row["has_account"],
        salutation=Salutation(row["salutation"]) if row["salutation"] else None,
        title=row["title"],
        first_name=row["first_name"],
        middle_name=row["middle_name"],
        last_name=row["last_name"],
        gender=Gender(row["gender"]) if row["gender"] else None,
        birth_date=row["birth_date"],
        company=row["company"],
        vat_id=row["vat_id"],
        phone=row["phone"],
        language=row["language"],
        currency=row["currency"],
        site=row["site"],
        metadata=row["metadata"],
        is_active=row["is_active"],
        on_hold=row["on_hold"],
        email_verified_at=row["email_verified_at"],
        terms_accepted_at=row["terms_accepted_at"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        anonymized_at=row["anonymized_at"],
        last_login_at=row["last_login_at"],
        tokens_valid_after=row["tokens_valid_after"],
        code=row["code"],
        mobile=row["mobile"],
        fax=row["fax"],
        website=row["website"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        label=row["label"],
        restriction=row["restriction"],
        contact_email=row["contact_email"],
        password_set_by_staff=row["password_set_by_staff"],
    )


def _translate_unique_violation(error: asyncpg.UniqueViolationError) -> Exception:
    constraint: str | None = error.constraint_name
    if constraint == EMAIL_INDEX:
        return EmailTaken()
    if constraint == GUEST_EMAIL_INDEX:
        return GuestExists()
    if constraint == CODE_INDEX:
        return CodeTaken()
    if constraint == NUMBER_INDEX:
        return CustomerNumberTaken()
    return error


class PgCustomers:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def next_number(self, tenant_id: int) -> int:
        # The row lock is held to commit, so numbers are gapless and never reused.
        value: int = await self._db.fetchval(
            "UPDATE tenants SET next_customer_number = next_customer_number + 1 "
            "WHERE id = $1 RETURNING next_customer_number - 1",
            tenant_id,
        )
        return value

    async def add(self, new: NewCustomer) -> Customer:
        r = new.registration
        try:
            row = await self._db.fetchrow(
                f"""
                INSERT INTO customers (
                    uuid, tenant_id, customer_number, email, password_hash, salutation, title,
                    first_name, middle_name, last_name, gender, birth_date, company, vat_id,
                    phone, language, currency, site, metadata, is_active, on_hold,
                    terms_accepted_at, created_at, updated_at, has_account, code, mobile, fax,
                    website, latitude, longitude, label, restriction, contact_email,
                    email_verified_at, password_set_by_staff)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                        $17, $18, $19, $20, $21, $22, $23, $23, $24, $25, $26, $27, $28, $29,
                        $30, $31, $32, $33, $34, $35)
                RETURNING {COLUMNS}
                """,
                new.uuid,
                new.tenant_id,
                new.customer_number,
                new.email,
                new.password_hash,
                db_value(r.salutation),
                r.title,
                r.first_name,
                r.middle_name,
                r.last_name,
                db_value(r.gender),
                r.birth_date,
                r.company,
                r.vat_id,
                r.phone,
                r.language,
                r.currency,
                r.site,
                r.metadata,
                new.is_active,
                new.on_hold,
                new.terms_accepted_at,
                new.now,
                new.has_account,
                r.code,
                r.mobile,
                r.fax,
                r.website,
                r.latitude,
                r.longitude,
                r.label,
                r.restriction,
                r.contact_email,
                new.email_verified_at,
                new.password_set_by_staff,
            )
        except asyncpg.UniqueViolationError as error:
            raise _translate_unique_violation(error) from None
        if row is None:
            raise RuntimeError("INSERT ... RETURNING returned no row")
        return row_to_customer(row)

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None:
        return await self._one("id = $1", customer_id, for_update=for_update)

    async def by_number(
        self, tenant_id: int, number: str, *, for_update: bool = False
    ) -> Customer | None:
        return await self._one(
            "tenant_id = $1 AND customer_number = $2 AND deleted_at IS NULL",
            tenant_id,
            number,
            for_update=for_update,
        )

    async def free_number(self, customer_id: int) -> None:
        # `~` is in no pattern's text and no caller's id: nobody can ask for this number.
        await self._db.execute(
            "UPDATE customers SET customer_number = customer_number || '~' || id WHERE id = $1",
            customer_id,
        )

    async def get_by_uuid(
        self, tenant_id: int, customer_uuid: UUID, *, for_update: bool = False
    ) -> Customer | None:
        return await self._one(
            "uuid = $2 AND tenant_id = $1 AND deleted_at IS NULL",
            tenant_id,
            customer_uuid,
            for_update=for_update,
        )

    async def _one(self, where: str, *args: object, for_update: bool) -> Customer | None:
        """The customer `where` picks, row-locked when the caller will change it."""
        lock = " FOR UPDATE" if for_update else ""
        row = await self._db.fetchrow(f"SELECT {COLUMNS} FROM customers WHERE {where}{lock}", *args)
        return row_to_customer(row) if row else None

    async def lock_bearer(
        self, tenant_id: int, customer_id: int, session_id: UUID
    ) -> tuple[Customer, bool] | None:
        row = await self._db.fetchrow(BEARER + " FOR UPDATE", tenant_id, customer_id, session_id)
        return (row_to_customer(row), row["session_live"]) if row else None

    async def update(
        self, customer_id: int, changes: CustomerChanges, *, now: datetime
    ) -> Customer:
        if changes.is_empty:  # a change kept elsewhere (its groups): the row still moves on
            row = await self._db.fetchrow(
                "UPDATE customers SET updated_at = $2, version = version + 1 "
                f"WHERE id = $1 RETURNING {COLUMNS}",
                customer_id,
                now,
            )
            if row is None:
                raise CustomerNotFound()
            return row_to_customer(row)
        try:
            row = await update_versioned(
                self._db,
                "customers",
                customer_id,
                changes.written(),
                writable=WRITABLE,
                returning=COLUMNS,
                now=now,
            )
        except asyncpg.UniqueViolationError as error:
            raise _translate_unique_violation(error) from None
        if row is None:
            raise CustomerNotFound()
        return row_to_customer(row)

    async def set_password_hash(self, customer_id: int, password_hash: str) -> None:
        await self._db.execute(
            "UPDATE customers SET password_hash = $2 WHERE id = $1", customer_id, password_hash
        )

    async def change_password(
        self,
        customer_id: int,
        password_hash: str,
        *,
        now: datetime,
        end_sessions: bool,
        by_staff: bool = False,
    ) -> None:
        await self._db.execute(
            "UPDATE customers SET password_hash = $2, updated_at = $3, version = version + 1, "
            "tokens_valid_after = CASE WHEN $4 THEN $3 ELSE tokens_valid_after END, "
            "password_set_by_staff = $5 WHERE id = $1",
            customer_id,
            password_hash,
            now,
            end_sessions,
            by_staff,
        )

    async def mark_email_verified(self, customer_id: int, tenant_id: int, now: datetime) -> bool:
        verified: bool = await self._db.fetchval(
            "UPDATE customers SET email_verified_at = $3, updated_at = $3, version = version + 1 "
            "WHERE id = $1 AND tenant_id = $2 RETURNING true",
            customer_id,
            tenant_id,
            now,
        )
        return bool(verified)

    async def record_login(self, customer_id: int, now: datetime) -> None:
        await self._db.execute(
            "UPDATE customers SET last_login_at = $2 WHERE id = $1", customer_id, now
        )

    async def anonymize(self, customer_id: int, anonymization: Anonymization) -> None:
        await self._db.execute(
            """
            UPDATE customers SET
                email = $2, contact_email = NULL, password_hash = NULL,
                password_set_by_staff = false, email_verified_at = NULL,
                salutation = NULL, title = NULL, first_name = NULL, middle_name = NULL,
                last_name = NULL, gender = NULL, birth_date = NULL, phone = NULL,
                code = NULL, mobile = NULL, fax = NULL, website = NULL, latitude = NULL,
                longitude = NULL, label = NULL, metadata = '{}', anonymized_at = $3,
                tokens_valid_after = $3, updated_at = $3, version = version + 1
            WHERE id = $1
            """,
            customer_id,
            anonymization.replacement_email,
            anonymization.now,
        )
        for table in ERASED_WITH_CUSTOMER:
            await self._db.execute(f"DELETE FROM {table} WHERE customer_id = $1", customer_id)


class PgCustomerReads:
    """One statement each, straight from the pool: no transaction round trips."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def bearer(
        self, tenant_id: int, customer_id: int, session_id: UUID
    ) -> tuple[Customer, bool] | None:
        row = await self._pool.fetchrow(BEARER, tenant_id, customer_id, session_id)
        return (row_to_customer(row), row["session_live"]) if row else None

    async def password_hash(self, customer_id: int) -> str | None:
        value: str | None = await self._pool.fetchval(
            "SELECT password_hash FROM customers WHERE id = $1", customer_id
        )
        return value

    async def credentials_by_email(
        self, tenant_id: int, email: str, *, confirmation_required: bool
    ) -> Credentials | None:
        row = await self._pool.fetchrow(
            f"""
            SELECT {COLUMNS}, password_hash,
                   is_active AND NOT on_hold AND anonymized_at IS NULL
                   AND (NOT $3 OR email_verified_at IS NOT NULL) AS may_log_in,
                   (SELECT ends_on FROM password_migration_windows w
                    WHERE w.tenant_id = customers.tenant_id) AS migration_ends
            FROM customers
            WHERE tenant_id = $1 AND lower(email) = lower($2)
              AND has_account AND deleted_at IS NULL
            """,
            tenant_id,
            email.strip(),
            confirmation_required,
        )
        if row is None:
            return None
        return Credentials(
            customer=row_to_customer(row),
            password_hash=row["password_hash"],
            may_log_in=row["may_log_in"],
            migration_ends=row["migration_ends"],
        )
