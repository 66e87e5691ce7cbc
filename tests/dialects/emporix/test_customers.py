"""Create, read, upsert, patch and delete customers through `/customer/{tenant}/customers`
(reference 2.1-2.4)."""

from __future__ import annotations

import asyncio

import httpx

from patron.core.domain.commands import AddressDraft
from patron.core.domain.model import Salutation
from patron.core.domain.tenants import Tenant
from patron.services import Services
from tests.conftest import registration_for
from tests.dialects.emporix.customer_calls import create, customers_path, fetch, token_of

JOHN = {
    "contactEmail": "john.doe@emporix.com",
    "title": "MR",
    "firstName": "John",
    "lastName": "Doe",
    "contactPhone": "123456789",
    "company": "Emporix",
    "preferredLanguage": "en_US",
    "preferredCurrency": "EUR",
    "preferredSite": "main",
    "b2b": {"companyRegistrationId": "123-456-789"},
}


async def test_a_created_customer_reads_back_in_emporix_shape(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)

    number = await create(http, auth, shop, {**JOHN, "type": "CONTACT", "photoUrl": "https://p"})
    body = await fetch(http, auth, shop, number, expand="accounts")

    assert number == "1"  # the tenant's pattern is "{n}"
    assert body == {
        "id": "1",
        "customerNumber": "1",
        "title": "MR",
        "firstName": "John",
        "lastName": "Doe",
        "contactPhone": "123456789",
        "company": "Emporix",
        "contactEmail": "john.doe@emporix.com",
        "preferredLanguage": "en_US",
        "preferredCurrency": "EUR",
        "preferredSite": "main",
        "type": "CONTACT",
        "photoUrl": "https://p",
        "active": True,
        "onHold": False,
        "businessModel": "B2C",
        "b2b": {"companyRegistrationId": "123-456-789"},
        "metadata": {"version": 1, "mixins": {}},
        "metadataCreatedAt": body["metadataCreatedAt"],
        "accounts": [{"id": "john.doe@emporix.com"}],
    }
    record = await services.core.managed_customers.admin.customer_search.by_number(shop.id, "1")
    assert record is not None and record[0].salutation is Salutation.MR  # Glue sees it too


async def test_a_custom_id_becomes_the_number_and_duplicates_are_conflicts(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    assert await create(http, auth, shop, {**JOHN, "id": "CUST_01-a"}) == "CUST_01-a"

    same_email = await http.post(customers_path(shop), json={**JOHN, "id": "other"}, headers=auth)
    same_id = await http.post(
        customers_path(shop), json={**JOHN, "contactEmail": "x@example.com", "id": "CUST_01-a"},
        headers=auth,
    )  # fmt: skip
    bad_id = await http.post(
        customers_path(shop), json={**JOHN, "contactEmail": "y@example.com", "id": "a b"},
        headers=auth,
    )  # fmt: skip

    assert same_email.status_code == 409
    assert same_email.json() == {
        "type": "conflict_resource",
        "status": 409,
        "message": "Duplicate account 'john.doe@emporix.com' for tenant 'shop'.",
    }
    assert same_id.status_code == 409 and same_id.json()["type"] == "conflict_resource"
    assert bad_id.status_code == 400 and bad_id.json()["type"] == "validation_failure"
    assert await create(http, auth, shop, {"contactEmail": "next@example.com"}) == "1"


async def test_generated_numbers_skip_the_ones_callers_chose(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    await create(http, auth, shop, {"contactEmail": "a@example.com", "id": "1"})
    await create(http, auth, shop, {"contactEmail": "b@example.com", "id": "2"})

    assert await create(http, auth, shop, {"contactEmail": "c@example.com"}) == "3"


async def test_creation_mails_a_reset_link_unless_told_not_to(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    await services.core.tenant_admin.change_settings(
        "shop", {"password_reset_link": "https://shop.example/reset?t={token}"}
    )
    auth = await token_of(http, services, shop)

    await create(http, auth, shop, {"contactEmail": "mailed@example.com"}, reset_mail=True)
    await create(http, auth, shop, {"contactEmail": "quiet@example.com"}, reset_mail=False)
    default = await http.post(
        customers_path(shop), json={"contactEmail": "default@example.com"}, headers=auth
    )

    assert default.status_code == 201
    (mail,) = await services.outbox.recent(recipient="mailed@example.com")
    assert "https://shop.example/reset?t=" in mail.body
    assert await services.outbox.recent(recipient="quiet@example.com") == []
    assert len(await services.outbox.recent(recipient="default@example.com")) == 1


async def test_an_initial_password_logs_in(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    await create(http, auth, shop, {"contactEmail": "pw@example.com", "password": "initial-pw-1"})

    _, tokens = await services.core.auth.login(
        shop, "pw@example.com", "initial-pw-1", client_ip=None, require_confirmation=False
    )

    assert tokens.access_token


async def test_a_bad_body_is_a_validation_failure_and_stores_nothing(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    cases = [
        {"firstName": "No email"},
        {**JOHN, "preferredCurrency": "EURO"},
        {**JOHN, "active": "yes", "type": "ROBOT"},
        {**JOHN, "firstName": 5},
        {**JOHN, "restriction": "FR"},
        {**JOHN, "password": "short"},
        {**JOHN, "firstName": "x" * 500},
    ]
    for body in cases:
        answer = await http.post(customers_path(shop), json=body, headers=auth)
        assert answer.status_code == 400, (body, answer.text)
        assert answer.json()["type"] == "validation_failure"
    not_json = await http.post(customers_path(shop), content=b"{", headers=auth)
    assert not_json.status_code == 400
    assert await services.pool.fetchval("SELECT count(*) FROM customers") == 0


async def test_restriction_is_checked_and_follows_the_site_where_the_tenant_syncs(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    await services.core.tenant_admin.change_settings("shop", {"sync_restriction_with_site": True})
    auth = await token_of(http, services, shop)

    synced = await create(
        http, auth, shop, {"contactEmail": "s@example.com", "preferredSite": "PL"}
    )
    given = await create(
        http, auth, shop,
        {"contactEmail": "g@example.com", "preferredSite": "PL", "restriction": "DE"},
    )  # fmt: skip
    no_site = await create(
        http, auth, shop, {"contactEmail": "n@example.com", "preferredSite": "main"}
    )
    moved = await http.patch(
        customers_path(shop, synced), json={"preferredSite": "DE"}, headers=auth
    )

    assert (await fetch(http, auth, shop, synced))["restriction"] == "DE"
    assert moved.status_code == 200
    assert (await fetch(http, auth, shop, given))["restriction"] == "DE"
    assert "restriction" not in await fetch(http, auth, shop, no_site)


async def test_mixins_show_only_when_expanded(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    number = await create(
        http, auth, shop,
        {
            "contactEmail": "m@example.com",
            "mixins": {"loyalty": {"level": "gold", "points": 12}, "notes": {"text": "hi"}},
            "metadata": {"mixins": {"loyalty": "https://schema/loyalty.json"}},
        },
    )  # fmt: skip

    plain = await fetch(http, auth, shop, number)
    every = await fetch(http, auth, shop, number, expand="mixin:*")
    one = await fetch(http, auth, shop, number, expand="mixin:loyalty,addresses")

    assert "mixins" not in plain
    assert plain["metadata"] == {"version": 1, "mixins": {"loyalty": "https://schema/loyalty.json"}}
    assert every["mixins"] == {"loyalty": {"level": "gold", "points": 12}, "notes": {"text": "hi"}}
    assert one["mixins"] == {"loyalty": {"level": "gold", "points": 12}}
    assert one["addresses"] == [] and "defaultAddress" not in one


async def test_put_creates_then_replaces_and_merge_patch_merges(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    path = customers_path(shop, "C-7")

    created = await http.put(path, json={**JOHN, "mixins": {"a": {"x": 1, "y": 2}}}, headers=auth)
    replaced = await http.put(
        path, json={"firstName": "Jon", "mixins": {"b": {"z": 1}}}, headers=auth
    )
    after_put = await fetch(http, auth, shop, "C-7", expand="mixin:*")
    merged = await http.put(
        path,
        content=b'{"lastName": "Roe", "mixins": {"b": {"z": null, "w": 2}, "c": {"k": 1}}}',
        headers={**auth, "Content-Type": "application/merge-patch+json"},
    )
    after_merge = await fetch(http, auth, shop, "C-7", expand="mixin:*")

    assert created.status_code == 201 and created.json() == {"id": "C-7"}
    assert replaced.status_code == 204 and replaced.content == b""
    assert after_put["firstName"] == "Jon" and "lastName" not in after_put
    assert after_put["contactEmail"] == JOHN["contactEmail"]  # kept: the login
    assert "b2b" not in after_put and "title" not in after_put
    assert after_put["mixins"] == {"b": {"z": 1}}
    assert merged.status_code == 204
    assert after_merge["firstName"] == "Jon" and after_merge["lastName"] == "Roe"
    assert after_merge["mixins"] == {"b": {"w": 2}, "c": {"k": 1}}
    assert after_merge["metadata"]["version"] == 3


async def test_put_without_an_email_creates_nothing(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)

    answer = await http.put(customers_path(shop, "new1"), json={"firstName": "A"}, headers=auth)
    odd_type = await http.put(
        customers_path(shop, "new1"), json=JOHN, headers={**auth, "Content-Type": "text/plain"}
    )

    assert answer.status_code == 400 and answer.json()["type"] == "validation_failure"
    assert odd_type.status_code == 400
    assert await services.pool.fetchval("SELECT count(*) FROM customers") == 0


async def test_patch_changes_only_what_it_names_and_keeps_the_contact_email(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    number = await create(http, auth, shop, JOHN)
    path = customers_path(shop, number)

    patched = await http.patch(
        path, json={"active": False, "onHold": True, "title": "Prof."}, headers=auth
    )
    unset = await http.patch(path, json={"contactEmail": None}, headers=auth)
    emptied = await http.patch(path, json={"contactEmail": ""}, headers=auth)
    moved = await http.patch(path, json={"contactEmail": "new@example.com"}, headers=auth)
    body = await fetch(http, auth, shop, number)

    assert patched.status_code == 200
    for refused in (unset, emptied):
        assert refused.status_code == 400
        assert refused.json()["details"][0]["field"] == "contactEmail"
    assert moved.status_code == 200
    assert body["active"] is False and body["onHold"] is True and body["title"] == "Prof."
    assert body["firstName"] == "John" and body["contactEmail"] == "new@example.com"
    assert body["metadata"]["version"] == 3


async def test_a_stale_version_is_a_conflict_and_no_version_no_check(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    number = await create(http, auth, shop, JOHN)
    path = customers_path(shop, number)

    first = await http.patch(
        path, json={"firstName": "A", "metadata": {"version": 1}}, headers=auth
    )
    stale = await http.patch(
        path, json={"firstName": "B", "metadata": {"version": 1}}, headers=auth
    )
    stale_put = await http.put(
        path, json={"firstName": "C", "metadata": {"version": 1}}, headers=auth
    )
    unchecked = await http.patch(path, json={"firstName": "D"}, headers=auth)

    assert first.status_code == 200
    for refused in (stale, stale_put):
        assert refused.status_code == 409
        assert refused.json() == {
            "type": "conflict_resource",
            "status": 409,
            "message": "Customer update cannot be done. Update version is not valid.",
        }
    assert unchecked.status_code == 200
    body = await fetch(http, auth, shop, number)
    assert body["firstName"] == "D" and body["metadata"]["version"] == 3


async def test_every_write_through_any_dialect_moves_the_version(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    registered = await services.core.accounts.register(shop, registration_for("g@example.com"))
    auth = await token_of(http, services, shop)

    before = await fetch(http, auth, shop, registered.customer_number)
    await http.patch(
        customers_path(shop, registered.customer_number), json={"company": "X"}, headers=auth
    )
    after = await fetch(http, auth, shop, registered.customer_number)

    assert before["metadata"]["version"] == 1 and after["metadata"]["version"] == 2


async def test_delete_anonymizes_and_the_number_is_not_given_again(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    number = await create(http, auth, shop, {**JOHN, "id": "gone"})
    path = customers_path(shop, number)

    deleted = await http.delete(path, headers=auth)
    read = await http.get(path, headers=auth)
    again = await http.delete(path, headers=auth)
    reuse = await http.post(customers_path(shop), json={**JOHN, "id": "gone"}, headers=auth)

    assert deleted.status_code == 202
    assert read.status_code == 404
    assert read.json() == {
        "status": 404,
        "type": "application/json",
        "message": "Customer not Found",
        "details": [{"message": "Couldn't find a customer with customerNumber 'gone'"}],
    }
    assert again.status_code == 404
    assert reuse.status_code == 409
    row = await services.pool.fetchrow("SELECT email, first_name FROM customers")
    assert row is not None
    assert row["first_name"] is None and row["email"] != JOHN["contactEmail"]


async def test_a_deleted_customers_number_is_given_again_where_the_tenant_allows_it(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    await services.core.tenant_admin.change_settings("shop", {"recreate_deleted_customers": True})
    auth = await token_of(http, services, shop)
    await create(http, auth, shop, {**JOHN, "id": "gone"})
    assert (await http.delete(customers_path(shop, "gone"), headers=auth)).status_code == 202

    assert await create(http, auth, shop, {**JOHN, "id": "gone"}) == "gone"
    assert (await fetch(http, auth, shop, "gone"))["metadata"]["version"] == 1
    assert await services.pool.fetchval("SELECT count(*) FROM customers") == 2


async def test_a_refused_field_is_named_as_emporix_names_it(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)

    answer = await http.post(
        customers_path(shop),
        json={**JOHN, "b2b": {"companyRegistrationId": "x" * 65}},
        headers=auth,
    )
    number = await create(http, auth, shop, JOHN)
    patched = await http.patch(
        customers_path(shop, number), json={"photoUrl": "x" * 300}, headers=auth
    )

    assert answer.status_code == 400
    assert [d["field"] for d in answer.json()["details"]] == ["b2b.companyRegistrationId"]
    assert patched.status_code == 400
    assert patched.json()["details"][0]["field"] == "photoUrl"


async def test_expand_addresses_shows_them_and_the_default_one(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    billing = AddressDraft(
        first_name="John", last_name="Doe", address1="Platz", city="Berlin", country_code="DE"
    )
    customer = await services.core.accounts.register(
        shop, registration_for("addr@example.com"), billing=billing
    )
    auth = await token_of(http, services, shop)

    body = await fetch(http, auth, shop, customer.customer_number, expand="addresses")

    (address,) = body["addresses"]
    assert address["contactName"] == "John Doe" and address["street"] == "Platz"
    assert address["isDefault"] is True and "BILLING" in address["tags"]
    assert body["defaultAddress"] == address


async def test_racing_upserts_of_one_new_number_create_it_once_then_update_it(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    path = customers_path(shop, "twin")

    answers = await asyncio.gather(
        *(
            http.put(path, json={"contactEmail": f"t{i}@example.com"}, headers=auth)
            for i in range(2)
        )
    )

    assert sorted(answer.status_code for answer in answers) == [201, 204]
    assert await services.pool.fetchval("SELECT count(*) FROM customers") == 1


async def test_an_email_another_customer_has_is_a_duplicate_account(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    auth = await token_of(http, services, shop)
    await create(http, auth, shop, {"contactEmail": "taken@example.com"})
    number = await create(http, auth, shop, {"contactEmail": "mine@example.com"})

    answer = await http.patch(
        customers_path(shop, number), json={"contactEmail": "TAKEN@example.com"}, headers=auth
    )

    assert answer.status_code == 409
    assert answer.json() == {
        "type": "conflict_resource",
        "status": 409,
        "message": "Duplicate account 'TAKEN@example.com' for tenant 'shop'.",
    }
    assert (await fetch(http, auth, shop, number))["contactEmail"] == "mine@example.com"
