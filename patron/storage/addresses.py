"""Addresses in SQL: the repository used inside a unit of work, and the reads for lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from patron.core.domain.commands import AddressChange
from patron.core.domain.errors.conflict import AddressConflict, AddressIdTaken
from patron.core.domain.errors.not_found import AddressNotFound
from patron.core.domain.model import Address, Salutation
from patron.core.ports.customers import AddressKey, AddressSummary, NewAddress
from patron.storage.database import Connection
from patron.storage.versioned import db_value, update_versioned

COLUMNS = (
    "id, uuid, customer_id, salutation, title, first_name, last_name, company, address1, "
    "address2, address3, zip_code, city, region, country_code, phone, comment, "
    "is_default_shipping, is_default_billing, metadata, version, created_at, updated_at, "
    "vat_id, language, fax, mobile, email, website, latitude, longitude, birth_date, tags, code"
)

BY_UUID = f"SELECT {COLUMNS} FROM addresses WHERE customer_id = $1 AND uuid = $2"
# A chosen id first, then the uuid (a chosen id may look like another address's uuid
# only if that address is gone: adding one refuses it).
BY_KEY = (
    f"SELECT {COLUMNS} FROM addresses WHERE customer_id = $1 AND (code = $2 OR uuid = $3) "
    "ORDER BY code IS NOT DISTINCT FROM $2 DESC LIMIT 1"
)
CODE_INDEX = "addresses_code_unique"

# Fields an address change may write; names are the core's and the columns'.
WRITABLE = frozenset(
    {
        "salutation",
        "title",
        "first_name",
        "last_name",
        "company",
        "address1",
        "address2",
        "address3",
        "zip_code",
        "city",
        "region",
        "country_code",
        "phone",
        "comment",
        "is_default_shipping",
        "is_default_billing",
        "metadata",
        "vat_id",
        "language",
        "fax",
        "mobile",
        "email",
        "website",
        "latitude",
        "longitude",
        "birth_date",
        "tags",
    }
)

DEFAULT_INDEXES = frozenset({"addresses_one_default_shipping", "addresses_one_default_billing"})


def row_to_address(row: asyncpg.Record) -> Address:
    return Address(
        id=row["id"],
        uuid=row["uuid"],
        customer_id=row["customer_id"],
        salutation=Salutation(row["salutation"]) if row["salutation"] else None,
        title=row["title"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        company=row["company"],
        address1=row["address1"],
        address2=row["address2"],
        address3=row["address3"],
        zip_code=row["zip_code"],
        city=row["city"],
        region=row["region"],
        country_code=row["country_code"],
        phone=row["phone"],
        comment=row["comment"],
        is_default_shipping=row["is_default_shipping"],
        is_default_billing=row["is_default_billing"],
        metadata=row["metadata"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        vat_id=row["vat_id"],
        language=row["language"],
        fax=row["fax"],
        mobile=row["mobile"],
        email=row["email"],
        website=row["website"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        birth_date=row["birth_date"],
        tags=tuple(row["tags"]),
        code=row["code"],
    )


def _translate_unique_violation(
    error: asyncpg.UniqueViolationError, code: str | None = None
) -> Exception:
    """A second default (or chosen id) slipped past the customer-row lock: refuse it,
    never answer 500."""
    if error.constraint_name in DEFAULT_INDEXES:
        return AddressConflict()
    if error.constraint_name == CODE_INDEX and code is not None:
        return AddressIdTaken(code)
    return error


class PgAddresses:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def summary(self, customer_id: int) -> AddressSummary:
        (row,) = await self._db.fetch(  # an aggregate: always exactly one row
            "SELECT count(*) AS count, "
            "coalesce(bool_or(is_default_shipping), false) AS shipping, "
            "coalesce(bool_or(is_default_billing), false) AS billing "
            "FROM addresses WHERE customer_id = $1",
            customer_id,
        )
        return AddressSummary(row["count"], row["shipping"], row["billing"])

    async def get(self, customer_id: int, address_uuid: UUID) -> Address | None:
        row = await self._db.fetchrow(BY_UUID, customer_id, address_uuid)
        return row_to_address(row) if row else None

    async def find(self, customer_id: int, key: AddressKey) -> Address | None:
        row = await self._db.fetchrow(BY_KEY, customer_id, key.text, key.uuid)
        return row_to_address(row) if row else None

    async def default_billing(self, customer_id: int) -> Address | None:
        row = await self._db.fetchrow(
            f"SELECT {COLUMNS} FROM addresses WHERE customer_id = $1 AND is_default_billing",
            customer_id,
        )
        return row_to_address(row) if row else None

    async def add(self, new: NewAddress) -> Address:
        d = new.draft
        try:
            row = await self._db.fetchrow(
                f"""
                INSERT INTO addresses (
                    uuid, customer_id, salutation, title, first_name, last_name, company,
                    address1, address2, address3, zip_code, city, region, country_code, phone,
                    comment, is_default_shipping, is_default_billing, metadata, created_at,
                    updated_at, vat_id, language, fax, mobile, email, website, latitude,
                    longitude, birth_date, tags, code)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                        $17, $18, $19, $20, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29,
                        $30, $31)
                RETURNING {COLUMNS}
                """,
                new.uuid,
                new.customer_id,
                db_value(d.salutation),
                d.title,
                d.first_name,
                d.last_name,
                d.company,
                d.address1,
                d.address2,
                d.address3,
                d.zip_code,
                d.city,
                d.region,
                d.country_code,
                d.phone,
                d.comment,
                d.is_default_shipping,
                d.is_default_billing,
                d.metadata,
                new.now,
                d.vat_id,
                d.language,
                d.fax,
                d.mobile,
                d.email,
                d.website,
                d.latitude,
                d.longitude,
                d.birth_date,
                list(d.tags),
                d.code,
            )
        except asyncpg.UniqueViolationError as error:
            raise _translate_unique_violation(error, d.code) from None
        if row is None:
            raise RuntimeError("INSERT ... RETURNING returned no row")
        return row_to_address(row)

    async def update(self, address_id: int, change: AddressChange, *, now: datetime) -> Address:
        changes = change.changed_fields()
        if "tags" in changes:
            changes["tags"] = list(changes["tags"])
        try:
            row = await update_versioned(
                self._db,
                "addresses",
                address_id,
                changes,
                writable=WRITABLE,
                returning=COLUMNS,
                now=now,
            )
        except asyncpg.UniqueViolationError as error:
            raise _translate_unique_violation(error) from None
        if row is None:
            raise AddressNotFound()
        return row_to_address(row)

    async def clear_defaults(
        self,
        customer_id: int,
        *,
        shipping: bool,
        billing: bool,
        now: datetime,
        keep: int | None = None,
    ) -> None:
        await self._db.execute(
            """
            UPDATE addresses SET
                is_default_shipping = is_default_shipping AND NOT $2,
                is_default_billing = is_default_billing AND NOT $3,
                updated_at = $4, version = version + 1
            WHERE customer_id = $1 AND id IS DISTINCT FROM $5
              AND (($2 AND is_default_shipping) OR ($3 AND is_default_billing))
            """,
            customer_id,
            shipping,
            billing,
            now,
            keep,
        )

    async def delete(self, customer_id: int, address_uuid: UUID) -> bool:
        deleted = await self._db.fetchval(
            "DELETE FROM addresses WHERE customer_id = $1 AND uuid = $2 RETURNING true",
            customer_id,
            address_uuid,
        )
        return bool(deleted)

    async def delete_many(self, customer_id: int, address_uuids: Sequence[UUID]) -> None:
        await self._db.execute(
            "DELETE FROM addresses WHERE customer_id = $1 AND uuid = ANY($2::uuid[])",
            customer_id,
            list(address_uuids),
        )


class PgAddressReads:
    """One statement each, straight from the pool: no transaction round trips."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def addresses_of(self, customer_ids: Sequence[int]) -> dict[int, list[Address]]:
        found: dict[int, list[Address]] = {customer_id: [] for customer_id in customer_ids}
        if not found:
            return found
        rows = await self._pool.fetch(
            f"SELECT {COLUMNS} FROM addresses WHERE customer_id = ANY($1::bigint[]) "
            "ORDER BY customer_id, id",
            list(found),
        )
        for row in rows:
            found[row["customer_id"]].append(row_to_address(row))
        return found

    async def address_of(self, customer_id: int, address_uuid: UUID) -> Address | None:
        row = await self._pool.fetchrow(BY_UUID, customer_id, address_uuid)
        return row_to_address(row) if row else None

    async def find(self, customer_id: int, key: AddressKey) -> Address | None:
        row = await self._pool.fetchrow(BY_KEY, customer_id, key.text, key.uuid)
        return row_to_address(row) if row else None
