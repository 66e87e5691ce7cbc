"""Volume against `/jsonapi`: the sign-up limit of a client address (reference 3.4), alone
and under racing requests, across workers sharing Redis; login throttling; and writes that
race each other on one account.
"""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.aimeos.black_box import (
    ADDRESSES,
    PROPERTIES,
    RELATIONSHIPS,
    assert_clean_error,
    attributes,
    body,
    fixture_user,
    signed_in,
    titles,
    token,
)
from tests.dialects.aimeos.helpers import CUSTOMER, PASSWORD, AimeosBrowser, NewShop
from tests.helpers import dialect_client


async def test_a_fourth_account_from_one_address_is_refused(
    new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    shop = await new_shop("192.0.2.60")
    for number in range(3):
        await shop.sign_up(f"user{number}@example.com")

    fourth = await shop.write(
        "POST", CUSTOMER, json=attributes(**{"customer.email": "user3@example.com"})
    )
    elsewhere = await (await new_shop("192.0.2.61")).sign_up("user4@example.com")

    assert assert_clean_error(fourth, 403) == ["Temporary limit reached"]
    assert body(fourth)["meta"]["total"] == 0
    assert elsewhere
    emails = await clean_db.fetch("SELECT email FROM customers ORDER BY id")
    assert [row["email"] for row in emails] == [f"user{n}@example.com" for n in (0, 1, 2, 4)]


async def racing_sign_up(browser: AimeosBrowser, number: int) -> httpx.Response:
    values = {"customer.email": f"racer{number}@example.com", "customer.password": PASSWORD}
    return await browser.write("POST", CUSTOMER, json=attributes(**values))


async def test_racing_sign_ups_from_one_address_create_exactly_three(
    new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    browsers = [await new_shop("192.0.2.70") for _ in range(8)]
    await asyncio.gather(*(browser.options() for browser in browsers))

    answers = await asyncio.gather(*(racing_sign_up(b, n) for n, b in enumerate(browsers)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] * 3 + [403] * 5, [a.text for a in answers]
    for answer in answers:
        if answer.status_code == 403:
            assert titles(answer) == ["Temporary limit reached"]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 3


@pytest.mark.redis
async def test_racing_sign_ups_through_two_workers_sharing_redis_create_exactly_three(
    clean_db: asyncpg.Pool, database_url: str, redis_url: str
) -> None:
    """The limit holds across workers (and hosts) when the counters live in Redis."""
    settings = cheap_settings(redis_url=redis_url)
    redis = Redis.from_url(redis_url)
    async for key in redis.scan_iter("patron:throttle:*"):
        await redis.delete(key)
    await redis.aclose()
    workers = [await Services.build(settings, database_url, clean_db) for _ in range(2)]
    browsers = [
        AimeosBrowser(dialect_client(workers[n % 2], settings, peer="192.0.2.75")) for n in range(8)
    ]
    try:
        await asyncio.gather(*(browser.options() for browser in browsers))
        answers = await asyncio.gather(*(racing_sign_up(b, n) for n, b in enumerate(browsers)))
    finally:
        for browser in browsers:
            await browser.http.aclose()
        for worker in workers:
            await worker.close(keep_pool=True)

    assert sorted(a.status_code for a in answers) == [201] * 3 + [403] * 5
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 3


async def test_logins_are_throttled(
    shop: AimeosBrowser, new_shop: NewShop, settings: Settings
) -> None:
    await (await new_shop("192.0.2.80")).sign_up("sonia@example.com")
    for _ in range(settings.login_max_failures):
        wrong = await shop.login("sonia@example.com", "not-her-password")
        assert (wrong.status_code, titles(wrong)) == (
            401,
            ["These credentials do not match our records."],
        )
    blocked = await shop.login("sonia@example.com", PASSWORD)

    assert blocked.status_code == 429, blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    assert titles(blocked)
    assert body(await shop.get(CUSTOMER))["data"]["id"] is None


async def test_failed_sign_ups_give_their_place_back(
    new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """Only accounts made count towards the three of a client address: a refused sign-up
    (a bad value, a missing token) takes no place."""
    shop = await new_shop("192.0.2.65")
    await shop.options()
    for values in (
        {"customer.email": "a@example.com", "customer.birthday": "1999-99-99"},
        {"customer.email": "b@example.com", "customer.countryid": "Germany"},
    ):
        refused = await shop.write("POST", CUSTOMER, json=attributes(**values))
        assert_clean_error(refused, 403, 404)
    tokenless = await shop.http.post(CUSTOMER, json=attributes(**{"customer.email": "c@x.io"}))
    assert tokenless.status_code == 419

    made = [await shop.sign_up(f"user{n}@example.com") for n in range(3)]
    fourth = await shop.write("POST", CUSTOMER, json=attributes(**{"customer.email": "d@x.io"}))

    assert len(set(made)) == 3
    assert assert_clean_error(fourth, 403) == ["Temporary limit reached"]


async def test_a_taken_email_uses_a_place(new_shop: NewShop, clean_db: asyncpg.Pool) -> None:
    """A sign-up refused because the e-mail has an account tells so: it counts, or one
    address could test e-mails at any speed."""
    await (await new_shop("192.0.2.64")).sign_up("taken@example.com")
    shop = await new_shop("192.0.2.66")
    await shop.options()
    taken = attributes(**{"customer.email": "Taken@example.com"})

    refused = [await shop.write("POST", CUSTOMER, json=taken) for _ in range(4)]

    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert assert_clean_error(refused[-1], 403) == ["Temporary limit reached"]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1


@pytest.fixture
def settings() -> Settings:
    """A small address cap, so racing batches can pass it."""
    return cheap_settings(max_addresses_per_customer=3)


async def test_password_spraying_from_one_address_is_throttled(
    shop: AimeosBrowser, new_shop: NewShop, settings: Settings
) -> None:
    """Failures are counted per client address too: one wrong password on many accounts
    blocks the address, not only each account."""
    await (await new_shop("192.0.2.85")).sign_up("target@example.com")
    for n in range(settings.login_max_failures):
        wrong = await shop.login(f"person{n}@example.com", "Summer2026!")
        assert wrong.status_code == 401, wrong.text
    blocked = await shop.login("target@example.com", PASSWORD)
    elsewhere = await (await new_shop("192.0.2.86")).login("target@example.com", PASSWORD)

    assert blocked.status_code == 429, blocked.text
    assert elsewhere.status_code == 200, elsewhere.text


async def test_two_racing_sign_ups_of_one_email_make_one_account(
    new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    browsers = [await new_shop(f"192.0.2.{n}") for n in (91, 92, 93, 94)]
    await asyncio.gather(*(browser.options() for browser in browsers))
    email = attributes(**{"customer.email": "Twin@Example.com", "customer.password": PASSWORD})

    answers = await asyncio.gather(
        *(browser.write("POST", CUSTOMER, json=email) for browser in browsers)
    )

    assert sorted(a.status_code for a in answers) == [201, 403, 403, 403], [a.text for a in answers]
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM outbox") == 1


async def test_racing_address_batches_stay_under_the_cap(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """Two browsers of one customer each add two addresses at once, where three are
    allowed: one batch is refused whole."""
    customer_id = await signed_in(shop, "sonia@example.com")
    other = await new_shop("192.0.2.95")
    assert (await other.login("sonia@example.com", PASSWORD)).status_code == 200
    batch = {"data": [{"attributes": {"customer.address.city": city}} for city in ("A", "B")]}

    answers = await asyncio.gather(
        *(
            browser.write("POST", CUSTOMER, json=batch, params=ADDRESSES)
            for browser in (shop, other)
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 403], [a.text for a in answers]
    assert (
        await clean_db.fetchval(
            "SELECT count(*) FROM addresses WHERE customer_id = $1", int(customer_id)
        )
        == 2
    )


async def test_a_write_racing_the_account_deletion_leaves_nothing_on_it(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """An address, a property or a favourite added by another browser while the account is
    deleted is refused or deleted with it: nothing of the account is left."""
    user = await fixture_user(shop)
    other = await new_shop("192.0.2.96")
    assert (await other.login("test@example.com", PASSWORD)).status_code == 200
    writes = [
        other.write("POST", CUSTOMER, params=ADDRESSES,
                    json=attributes(**{"customer.address.city": "Late"})),
        other.write("POST", CUSTOMER, params=PROPERTIES,
                    json=attributes(**{"customer.property.type": "late",
                                       "customer.property.value": "1"})),
        other.write("POST", CUSTOMER, params=RELATIONSHIPS,
                    json=attributes(**{"customer.lists.domain": "product",
                                       "customer.lists.refid": "late"})),
        other.write("PATCH", CUSTOMER, json=attributes(**{"customer.firstname": "Late"})),
    ]  # fmt: skip

    deleted, *late = await asyncio.gather(shop.write("DELETE", CUSTOMER), *writes)

    assert deleted.status_code == 200, deleted.text
    for answer in late:
        assert answer.status_code in (200, 201, 401, 404), answer.text
    for table in ("addresses", "customer_properties", "customer_list_items"):
        left = await clean_db.fetchval(
            f"SELECT count(*) FROM {table} WHERE customer_id = $1", int(user.id)
        )
        assert left == 0, table
    first_name = await clean_db.fetchval(
        "SELECT first_name FROM customers WHERE id = $1", int(user.id)
    )
    assert first_name != "Late"


async def test_a_deleted_account_ends_its_sessions_in_every_browser(
    shop: AimeosBrowser, new_shop: NewShop
) -> None:
    """Another browser of the deleted account is a visitor again: the guide's way to check
    a deletion, a GET, shows the empty item there too (reference 3.6), and writes are 401."""
    await fixture_user(shop)
    other = await new_shop("192.0.2.97")
    assert (await other.login("test@example.com", PASSWORD)).status_code == 200

    await shop.write("DELETE", CUSTOMER)
    read = await other.get(CUSTOMER)
    addresses = await other.get(CUSTOMER, params=ADDRESSES)
    written = await other.write("PATCH", CUSTOMER, json=attributes(**{"customer.firstname": "X"}))

    assert read.status_code == 200, read.text
    assert body(read)["data"]["id"] is None
    assert (addresses.status_code, body(addresses)["data"]) == (200, [])
    assert assert_clean_error(written, 401) == ["Authentication required"]


@pytest.mark.parametrize(
    ("addresses", "forwarded"),
    [
        (["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2::3", "2001:db8:1:2:ff::4"], None),
        (["192.0.2.98"] * 4, ["10.0.0.1", "10.0.0.2", "198.51.100.9", "203.0.113.99"]),
        (["::ffff:192.0.2.99", "192.0.2.99", "::ffff:192.0.2.99", "192.0.2.99"], None),
    ],
    ids=["one-ipv6-network", "forged-forwarded-for", "ipv4-mapped"],
)
async def test_the_sign_up_limit_sees_through_a_changing_address(
    new_shop: NewShop, addresses: list[str], forwarded: list[str] | None
) -> None:
    """One client is one client whether it rotates through its IPv6 /64, names other
    addresses in an `X-Forwarded-For` no trusted proxy wrote, or shows its IPv4 address
    through a dual-stack listener."""
    answers = []
    for n, address in enumerate(addresses):
        browser = await new_shop(address)
        await browser.options()
        headers = {"X-Forwarded-For": forwarded[n]} if forwarded else {}
        answers.append(
            await browser.http.post(
                CUSTOMER,
                params={"_token": token(browser)},
                json=attributes(**{"customer.email": f"disguised{n}@example.com"}),
                headers=headers,
            )
        )

    assert [a.status_code for a in answers] == [201, 201, 201, 403], [a.text for a in answers]
    assert titles(answers[-1]) == ["Temporary limit reached"]


async def test_the_same_property_or_favourite_added_at_once_is_kept_once(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """Six browsers of one customer add one property and one favourite at the same time:
    an identical property is kept once and a list item's (domain, type, refid) is unique,
    so each is there once, and every answer is a success."""
    await signed_in(shop, "sonia@example.com")
    browsers = [shop]
    for n in range(5):
        browsers.append(await new_shop(f"192.0.2.{150 + n}"))
        assert (await browsers[-1].login("sonia@example.com", PASSWORD)).status_code == 200
    same_property = attributes(**{"customer.property.type": "t", "customer.property.value": "v"})
    same_favourite = attributes(
        **{"customer.lists.domain": "product", "customer.lists.type": "favorite",
           "customer.lists.refid": "9"}
    )  # fmt: skip

    properties = await asyncio.gather(
        *(b.write("POST", CUSTOMER, params=PROPERTIES, json=same_property) for b in browsers)
    )
    favourites = await asyncio.gather(
        *(b.write("POST", CUSTOMER, params=RELATIONSHIPS, json=same_favourite) for b in browsers)
    )

    assert [a.status_code for a in [*properties, *favourites]] == [201] * 12
    assert await clean_db.fetchval("SELECT count(*) FROM customer_properties") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM customer_list_items") == 1


async def test_two_customers_racing_for_one_code_or_email_one_wins(
    shop: AimeosBrowser, new_shop: NewShop
) -> None:
    await signed_in(shop, "sonia@example.com")
    rival = await new_shop("192.0.2.160")
    await signed_in(rival, "rival@example.com")

    for change in ({"customer.code": "wanted"}, {"customer.email": "wanted@example.com"}):
        answers = await asyncio.gather(
            *(b.write("PATCH", CUSTOMER, json=attributes(**change)) for b in (shop, rival))
        )
        assert sorted(a.status_code for a in answers) == [200, 403], [a.text for a in answers]
