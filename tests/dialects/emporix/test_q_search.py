"""Emporix `q` text to customers: the parser's conditions, checked by the core and run by
storage, find what the query says on real PostgreSQL (the HTTP route comes with issue 10)."""

from __future__ import annotations

import asyncpg
import pytest

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.queries import CustomerQuery, Sort
from patron.core.domain.tenants import Tenant
from patron.dialects.emporix.q import parse
from patron.services import Services
from patron.storage.customer_search import PgCustomerSearch
from tests.conftest import registration_for


async def found(pool: asyncpg.Pool, tenant: Tenant, q: str) -> list[str | None]:
    query = CustomerQuery(conditions=parse(q), sort=(Sort("email"),))
    customers, total = await PgCustomerSearch(pool).search(tenant.id, query)
    assert total == len(customers)
    return [customer.email for customer in customers]


@pytest.fixture
async def customers(timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool) -> None:
    for email, first, mixins in (
        ("ann@example.com", "Ann", {"loyalty": {"tier": "gold", "points": 120}}),
        ("bert@example.com", "Bert", {"loyalty": {"tier": "silver", "points": 30}}),
        ("cleo@example.com", "Cleo", {}),
    ):
        registration = registration_for(email, first_name=first, metadata={"mixins": mixins})
        await timed_services.core.accounts.register(tenant, registration)


@pytest.mark.parametrize(
    ("q", "emails"),
    [
        ("contactEmail:ANN@example.com", ["ann@example.com"]),
        ("firstName:(Ann,Cleo)", ["ann@example.com", "cleo@example.com"]),
        ("firstName:~^B", ["bert@example.com"]),
        ("mixins.loyalty.tier:gold", ["ann@example.com"]),
        ("mixins.loyalty.points:(>=30 AND <100)", ["bert@example.com"]),
        ("mixins.loyalty:missing", ["cleo@example.com"]),
        ("mixins.loyalty:exists firstName:Bert", ["bert@example.com"]),
        ('metadataCreatedAt:>"2000-01-01T00:00:00Z" active:true', [
            "ann@example.com", "bert@example.com", "cleo@example.com"
        ]),
        ("lastName:null firstName:Nobody", []),
    ],
)  # fmt: skip
async def test_a_query_finds_what_it_says(
    customers: None, clean_db: asyncpg.Pool, tenant: Tenant, q: str, emails: list[str]
) -> None:
    assert await found(clean_db, tenant, q) == emails


@pytest.mark.parametrize(
    "q",
    ["unknown:1", "firstName:(Ann", "active:>true", "firstName:~(a)\\1", 'firstName:"x'],
)
async def test_a_bad_query_is_refused_before_the_database(
    customers: None, clean_db: asyncpg.Pool, tenant: Tenant, q: str
) -> None:
    with pytest.raises(QueryInvalid):
        await found(clean_db, tenant, q)
