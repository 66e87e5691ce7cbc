"""The back office's customer list at the core, on real PostgreSQL: `q`, filters, sort, pages."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from patron.core.domain.commands import CustomerAdminChange, ProfileChange
from patron.core.domain.errors.not_found import CustomerNotFound
from patron.core.domain.model import Customer
from patron.core.domain.queries import Comparison, CustomerQuery, Page, Sort, TimeBound
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import CustomerRef
from patron.services import Services
from tests.conftest import FrozenClock, registration_for
from tests.core.back_office_callers import admin_guest, principal_of


async def _people(services: Services, tenant: Tenant) -> dict[str, Customer]:
    """Five customers (two guests), all created at one frozen instant: only the id
    tiebreak orders them by time."""
    accounts = services.core.accounts
    return {
        "anna": await accounts.register(
            tenant, registration_for("anna.berg@example.com", first_name="Anna", last_name="Berg")
        ),
        "bert": await accounts.register(
            tenant,
            registration_for("bert@webshop.example.org", first_name="Bert", last_name="Annaberg"),
        ),
        "carl": await admin_guest(
            services.core.customer_admin,
            tenant,
            "carl@example.com",
            first_name="Carl",
            last_name="Stein",
        ),
        "dora": await accounts.register(
            tenant, registration_for("dora@example.com", first_name="DORA", last_name="Klein")
        ),
        "edda": await admin_guest(
            services.core.customer_admin,
            tenant,
            "edda_100%@example.com",
            first_name="Edda",
            last_name="Weiss",
        ),
    }


async def _search(services: Services, tenant: Tenant, **query: object) -> tuple[list[str], int]:
    """The first names on the page (anonymized: the number) and the count."""
    found, count = await services.core.customer_admin.search(
        principal_of(tenant),
        tenant,
        CustomerQuery(**query),  # type: ignore[arg-type]
    )
    return [c.first_name or c.customer_number for c in found], count


async def test_q_matches_a_substring_of_email_first_or_last_name_in_any_case(
    timed_services: Services, tenant: Tenant
) -> None:
    await _people(timed_services, tenant)

    by_name = await _search(timed_services, tenant, text="ANNA", sort=(Sort("id"),))
    by_email = await _search(timed_services, tenant, text="WebShop.EXAMPLE", sort=(Sort("id"),))
    by_last = await _search(timed_services, tenant, text="kLeIn")
    by_first = await _search(timed_services, tenant, text="dora")
    across_fields = await _search(timed_services, tenant, text="annaberg")
    spanning = await _search(timed_services, tenant, text="carlstein")

    assert by_name == (["Anna", "Bert"], 2)
    assert by_email == (["Bert"], 1)
    assert by_last == (["DORA"], 1)
    assert by_first == (["DORA"], 1)
    assert across_fields == (["Bert"], 1)
    assert spanning == ([], 0)  # never a match running from one field into the next


async def test_pattern_characters_in_q_are_literal(
    timed_services: Services, tenant: Tenant
) -> None:
    await _people(timed_services, tenant)

    assert await _search(timed_services, tenant, text="_100%") == (["Edda"], 1)
    assert await _search(timed_services, tenant, text="%") == (["Edda"], 1)
    assert await _search(timed_services, tenant, text="a_b") == ([], 0)
    assert await _search(timed_services, tenant, text="\\") == ([], 0)
    assert await _search(timed_services, tenant, text="carl\x1fstein") == ([], 0)


async def test_filters_on_account_groups_and_times_combine(
    timed_services: Services, tenant: Tenant, clock: FrozenClock, clean_db: asyncpg.Pool
) -> None:
    start = clock.now
    people = await _people(timed_services, tenant)
    admin = principal_of(tenant)
    groups = timed_services.core.groups
    vip = await groups.create(admin, tenant, name="VIP")
    staff = await groups.create(admin, tenant, name="Staff")
    await groups.add_customers(admin, tenant, vip.uuid, [people["anna"].uuid, people["carl"].uuid])
    await groups.add_customers(
        admin, tenant, staff.uuid, [people["anna"].uuid, people["dora"].uuid]
    )
    clock.advance(hours=1)
    await timed_services.core.customer_admin.update(
        admin, tenant, people["edda"].uuid, CustomerAdminChange(profile=ProfileChange(phone="1"))
    )

    guests = await _search(timed_services, tenant, has_account=False, sort=(Sort("id"),))
    registered = await _search(timed_services, tenant, has_account=True, sort=(Sort("id"),))
    in_groups = await _search(
        timed_services, tenant, group_uuids=(vip.uuid, staff.uuid), sort=(Sort("id"),)
    )
    vip_guests = await _search(timed_services, tenant, group_uuids=(vip.uuid,), has_account=False)
    vip_with_q = await _search(timed_services, tenant, group_uuids=(vip.uuid,), text="BERG")
    changed_late = await _search(
        timed_services, tenant, updated=(TimeBound(Comparison.GT, start + timedelta(minutes=30)),)
    )
    window = await _search(
        timed_services,
        tenant,
        created=(
            TimeBound(Comparison.GTE, start),
            TimeBound(Comparison.LTE, start),
        ),
    )
    none_before = await _search(timed_services, tenant, created=(TimeBound(Comparison.LT, start),))

    assert guests == (["Carl", "Edda"], 2)
    assert registered == (["Anna", "Bert", "DORA"], 3)
    assert in_groups == (["Anna", "Carl", "DORA"], 3)  # members of either, each once
    assert vip_guests == (["Carl"], 1)
    assert vip_with_q == (["Anna"], 1)
    assert changed_late == (["Edda"], 1)
    assert window[1] == 5
    assert none_before == ([], 0)


async def test_sort_breaks_ties_by_id_in_the_same_direction_and_pages_add_up(
    timed_services: Services, tenant: Tenant
) -> None:
    await _people(timed_services, tenant)  # all created at the same frozen instant

    newest = await _search(timed_services, tenant)
    oldest = await _search(timed_services, tenant, sort=(Sort("created_at"),))
    by_last = await _search(timed_services, tenant, sort=(Sort("last_name", descending=True),))
    pages = [
        await _search(timed_services, tenant, page=Page(offset=offset, limit=2))
        for offset in (0, 2, 4, 6)
    ]
    nothing = await _search(timed_services, tenant, page=Page(limit=0))

    assert newest == (["Edda", "DORA", "Carl", "Bert", "Anna"], 5)
    assert oldest == (["Anna", "Bert", "Carl", "DORA", "Edda"], 5)
    assert by_last[0] == ["Edda", "Carl", "DORA", "Anna", "Bert"]
    assert [names for names, _ in pages] == [["Edda", "DORA"], ["Carl", "Bert"], ["Anna"], []]
    assert {count for _, count in pages} == {5}
    assert nothing == ([], 5)


async def test_the_list_keeps_anonymized_customers_and_drops_deleted_ones(
    timed_services: Services, tenant: Tenant, clean_db: asyncpg.Pool
) -> None:
    people = await _people(timed_services, tenant)
    await clean_db.execute("UPDATE customers SET email_verified_at = now()")
    _, pair = await timed_services.core.auth.login(
        tenant, "dora@example.com", "change123", client_ip=None
    )
    claims = timed_services.core.auth.verify(pair.access_token, tenant)
    await timed_services.core.accounts.anonymize_own(claims, CustomerRef.me())
    await clean_db.execute(
        "UPDATE customers SET deleted_at = now() WHERE id = $1", people["bert"].id
    )

    names, count = await _search(timed_services, tenant, sort=(Sort("id"),))

    assert names == ["Anna", "Carl", people["dora"].customer_number, "Edda"]
    assert count == 4
    with pytest.raises(CustomerNotFound):
        await timed_services.core.customer_admin.get(
            principal_of(tenant), tenant, people["bert"].uuid
        )
