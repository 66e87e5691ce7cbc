"""Address tags and `isDefault` (reference 3.2) over the core's default billing and
shipping flags: what each write does to the two defaults, and what is shown back (the
one-default rule itself: `test_address_default`)."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest

from tests.dialects.emporix.address_helpers import (
    added,
    addresses_of,
    at,
    defaults_of,
    read,
)


async def flags(pool: asyncpg.Pool) -> list[tuple[str, bool, bool]]:
    """(city, default billing, default shipping) of every address, oldest first."""
    rows = await pool.fetch(
        "SELECT city, is_default_billing, is_default_shipping FROM addresses ORDER BY id"
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def test_is_default_follows_the_tags_it_is_given_with(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    """A new default is the default of the kinds it is tagged for (both when tagged for
    neither), and the customer's only one: the earlier ones lose theirs."""
    expected: list[tuple[str, bool, bool]] = []
    for city, tags, billing, shipping in (
        ("Both", [], True, True),
        ("Billing", ["BILLING", "HQ"], True, False),
        ("Shipping", ["SHIPPING"], False, True),
    ):
        await added(http, auth, number, at(city, isDefault=True, tags=tags))

        expected = [(old, False, False) for old, _, _ in expected] + [(city, billing, shipping)]
        assert await flags(clean_db) == expected
    shown = [defaults_of(a) for a in (await http.get(addresses_of(number), headers=auth)).json()]
    assert shown == [(False, []), (False, ["BILLING", "HQ"]), (True, ["SHIPPING"])]


async def test_an_address_not_asked_to_be_default_is_not_even_the_first(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    address_id = await added(http, auth, number, at("First", tags=["BILLING"]))

    assert await flags(clean_db) == [("First", False, False)]
    assert defaults_of(await read(http, auth, number, address_id)) == (False, ["BILLING"])


async def test_an_untagged_default_shows_both_tags(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    address_id = await added(http, auth, number, at("Both", isDefault=True))

    assert defaults_of(await read(http, auth, number, address_id)) == (
        True,
        ["BILLING", "SHIPPING"],
    )


async def test_patch_is_default_uses_the_tags_the_address_has(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    billing = await added(http, auth, number, at("Billing", tags=["BILLING"]))
    plain = await added(http, auth, number, at("Plain"))

    for address_id in (billing, plain):
        answer = await http.patch(
            f"{addresses_of(number)}/{address_id}", json={"isDefault": True}, headers=auth
        )
        assert answer.status_code == 200

    assert await flags(clean_db) == [("Billing", False, False), ("Plain", True, True)]


async def test_is_default_false_clears_both_defaults(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    address_id = await added(http, auth, number, at("Both", isDefault=True))

    answer = await http.patch(
        f"{addresses_of(number)}/{address_id}", json={"isDefault": False}, headers=auth
    )

    assert answer.status_code == 200
    assert await flags(clean_db) == [("Both", False, False)]
    assert defaults_of(await read(http, auth, number, address_id)) == (False, [])


async def test_patching_the_tags_drops_the_defaults_whose_tag_went(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    address_id = await added(http, auth, number, at("Both", isDefault=True))

    answer = await http.patch(
        f"{addresses_of(number)}/{address_id}", json={"tags": ["SHIPPING", "HQ"]}, headers=auth
    )

    assert answer.status_code == 200
    assert await flags(clean_db) == [("Both", False, True)]
    assert defaults_of(await read(http, auth, number, address_id)) == (True, ["SHIPPING", "HQ"])


async def test_adding_tags_appends_them_and_makes_no_default(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    address_id = await added(http, auth, number, at("Plain", tags=["HQ"]))
    path = f"{addresses_of(number)}/{address_id}/tags"

    first = await http.post(path, params={"tags": "PRIMARY_CONTACT,BILLING,HQ"}, headers=auth)
    second = await http.post(f"{path}?tags=SHIPPING&tags=X", headers=auth)

    assert (first.status_code, first.content) == (204, b"")
    assert second.status_code == 204
    assert await flags(clean_db) == [("Plain", False, False)]
    assert defaults_of(await read(http, auth, number, address_id)) == (
        False,
        ["HQ", "PRIMARY_CONTACT", "BILLING", "SHIPPING", "X"],
    )


async def test_removing_a_kinds_tag_ends_that_default(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    address_id = await added(
        http, auth, number, at("Both", isDefault=True, tags=["BILLING", "SHIPPING", "HQ"])
    )
    path = f"{addresses_of(number)}/{address_id}/tags"

    answer = await http.delete(path, params={"tags": "BILLING,HQ,NOT_THERE"}, headers=auth)

    assert answer.status_code == 204
    assert await flags(clean_db) == [("Both", False, True)]
    assert defaults_of(await read(http, auth, number, address_id)) == (True, ["SHIPPING"])


async def test_removing_an_implied_tag_ends_that_default(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    address_id = await added(http, auth, number, at("Both", isDefault=True))

    answer = await http.delete(
        f"{addresses_of(number)}/{address_id}/tags?tags=SHIPPING", headers=auth
    )

    assert answer.status_code == 204
    assert await flags(clean_db) == [("Both", True, False)]
    assert defaults_of(await read(http, auth, number, address_id)) == (True, ["BILLING"])


@pytest.mark.parametrize("query", ["", "?tags=", "?tags=,%20,"])
async def test_the_tags_parameter_is_required(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], query: str
) -> None:
    address_id = await added(http, auth, number, at("Plain"))
    path = f"{addresses_of(number)}/{address_id}/tags{query}"

    for method in ("POST", "DELETE"):
        answer = await http.request(method, path, headers=auth)
        assert answer.status_code == 400, method
        assert answer.json()["type"] == "validation_failure"


async def test_too_many_tags_are_refused_and_nothing_is_written(
    http: httpx.AsyncClient, number: str, auth: dict[str, str]
) -> None:
    address_id = await added(http, auth, number, at("Plain", tags=["A"]))
    many = ",".join(f"T{n}" for n in range(40))

    answer = await http.post(
        f"{addresses_of(number)}/{address_id}/tags", params={"tags": many}, headers=auth
    )

    assert answer.status_code == 400
    assert (await read(http, auth, number, address_id))["tags"] == ["A"]


async def test_racing_defaults_leave_exactly_one_of_each_kind(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    ids = [await added(http, auth, number, at(f"City {n}")) for n in range(8)]

    answers = await asyncio.gather(
        *(
            http.patch(
                f"{addresses_of(number)}/{address_id}", json={"isDefault": True}, headers=auth
            )
            for address_id in ids
        )
    )

    assert [answer.status_code for answer in answers] == [200] * 8
    found = await flags(clean_db)
    assert sum(billing for _, billing, _ in found) == 1
    assert sum(shipping for _, _, shipping in found) == 1


async def test_racing_posts_of_one_custom_id_create_one_address(
    http: httpx.AsyncClient, number: str, auth: dict[str, str], clean_db: asyncpg.Pool
) -> None:
    answers = await asyncio.gather(
        *(
            http.post(addresses_of(number), json=at(f"City {n}", id="home"), headers=auth)
            for n in range(8)
        )
    )

    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 7
    assert len(await flags(clean_db)) == 1
