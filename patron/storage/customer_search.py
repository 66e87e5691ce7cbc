"""The back office's customer list: filters, sort and `q` in one statement each."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.principals import Reach
from patron.core.domain.queries import CustomerQuery
from patron.storage.customer_conditions import add_conditions
from patron.storage.customers import COLUMNS, row_to_customer
from patron.storage.database import qualified
from patron.storage.listing import Filters, page_and_count

SEARCH_TEXT = (
    "lower(coalesce(c.email, '') || chr(31) || coalesce(c.first_name, '') || chr(31) "
    "|| coalesce(c.last_name, ''))"
)
"""Exactly the expression `customers_search_trgm` (migration 0005) indexes, or the
planner cannot use the trigram index for `q`."""
SEPARATOR = "\x1f"
SORT_COLUMNS = {
    "id": "c.id",
    "created_at": "c.created_at",
    "updated_at": "c.updated_at",
    "email": "c.email",
    "contact_email": "coalesce(c.contact_email, c.email)",
    "first_name": "c.first_name",
    "middle_name": "c.middle_name",
    "last_name": "c.last_name",
    "customer_number": "c.customer_number",
    "title": "c.title",
    "company": "c.company",
    "phone": "c.phone",
    "language": "c.language",
    "currency": "c.currency",
    "site": "c.site",
    "restriction": "c.restriction",
    "is_active": "c.is_active",
    "on_hold": "c.on_hold",
}
IN_COMPANIES = (
    "EXISTS (SELECT 1 FROM customer_group_members m "
    "WHERE m.customer_id = c.id AND m.group_id = ANY({}::bigint[]))"
)
_COLUMNS = qualified(COLUMNS, "c")
GROUPS_OF_C = (
    "(SELECT coalesce(jsonb_agg(to_jsonb(g) ORDER BY g.id), '[]') "
    "FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id "
    "WHERE m.customer_id = c.id) AS groups"
)
"""A page's customers' groups in the page's own statement: no second round trip."""


def like_pattern(text: str) -> str:
    """`text` as a literal inside a LIKE pattern: `\\`, `%` and `_` escaped (the default
    escape character is the backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def add_reach(where: Filters, reach: Reach) -> None:
    """The customers any of a narrowed caller's grants lets through (`Reach.admits` in
    SQL): a restriction must equal the customer's (NULL equals none), `_own` needs a
    membership in one of the caller's companies."""
    alternatives: list[str] = []
    values: list[Any] = []
    for grant in reach.grants:
        parts = []
        if grant.restriction is not None:
            parts.append(f"c.restriction = {{{len(values)}}}")
            values.append(grant.restriction)
        if grant.own:
            parts.append(IN_COMPANIES.replace("{}", f"{{{len(values)}}}"))
            values.append(sorted(reach.companies))
        alternatives.append(" AND ".join(parts) or "true")
    where.add("(" + " OR ".join(f"({part})" for part in alternatives) + ")", *values)


def _groups(found: list[dict[str, Any]]) -> list[CustomerGroup]:
    """Groups as `to_jsonb` wrote them (uuid and times as text)."""
    return [
        CustomerGroup(
            id=group["id"],
            uuid=UUID(group["uuid"]),
            tenant_id=group["tenant_id"],
            name=group["name"],
            metadata=group["metadata"],
            created_at=datetime.fromisoformat(group["created_at"]),
            updated_at=datetime.fromisoformat(group["updated_at"]),
        )
        for group in found
    ]


class PgCustomerSearch:
    """Guests and anonymized customers included (orders refer to them); deleted ones not."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def search(self, tenant_id: int, query: CustomerQuery) -> tuple[list[Customer], int]:
        rows, total = await self._page(tenant_id, query, _COLUMNS)
        return [row_to_customer(row) for row in rows], total

    async def search_with_groups(
        self, tenant_id: int, query: CustomerQuery
    ) -> tuple[list[tuple[Customer, list[CustomerGroup]]], int]:
        rows, total = await self._page(tenant_id, query, f"{_COLUMNS}, {GROUPS_OF_C}")
        return [(row_to_customer(row), _groups(row["groups"])) for row in rows], total

    async def _page(
        self, tenant_id: int, query: CustomerQuery, columns: str
    ) -> tuple[list[asyncpg.Record], int]:
        where = Filters("c.tenant_id = $1 AND c.deleted_at IS NULL", [tenant_id])
        if query.text:
            if SEPARATOR in query.text:  # would match across two fields
                return [], 0
            # lower() on both sides in SQL, so both follow the database's case rules.
            where.add(f"{SEARCH_TEXT} LIKE '%' || lower({{}}) || '%'", like_pattern(query.text))
        if query.has_account is not None:
            where.add("c.has_account = {}", query.has_account)
        if query.group_uuids:
            where.add(
                "EXISTS (SELECT 1 FROM customer_group_members m "
                "JOIN customer_groups g ON g.id = m.group_id "
                "WHERE m.customer_id = c.id AND g.tenant_id = c.tenant_id "
                "AND g.uuid = ANY({}::uuid[]))",
                list(query.group_uuids),
            )
        where.add_bounds("c.created_at", query.created)
        where.add_bounds("c.updated_at", query.updated)
        add_conditions(where, query.conditions)
        if not query.with_anonymized:
            where.add("c.anonymized_at IS NULL")
        if query.reach is not None and not query.reach.everything:
            add_reach(where, query.reach)
        try:
            rows, total = await page_and_count(
                self._pool,
                columns=columns,
                source="customers c",
                where=where,
                order=[(SORT_COLUMNS[key.field], key.descending) for key in query.sort],
                tiebreak="c.id",
                page=query.page,
            )
        except asyncpg.InvalidRegularExpressionError as error:  # the core's check missed one
            raise QueryInvalid(f"the pattern is not one the database can run ({error})") from None
        return rows, total

    async def by_uuid(self, tenant_id: int, customer_uuid: UUID) -> Customer | None:
        row = await self._pool.fetchrow(
            f"SELECT {COLUMNS} FROM customers "
            "WHERE uuid = $2 AND tenant_id = $1 AND deleted_at IS NULL",
            tenant_id,
            customer_uuid,
        )
        return row_to_customer(row) if row else None

    async def by_number(
        self, tenant_id: int, number: str
    ) -> tuple[Customer, frozenset[int]] | None:
        row = await self._pool.fetchrow(
            f"SELECT {COLUMNS}, ARRAY(SELECT m.group_id FROM customer_group_members m "
            "WHERE m.customer_id = customers.id) AS group_ids FROM customers "
            "WHERE tenant_id = $1 AND customer_number = $2 AND deleted_at IS NULL",
            tenant_id,
            number,
        )
        return (row_to_customer(row), frozenset(row["group_ids"])) if row else None
