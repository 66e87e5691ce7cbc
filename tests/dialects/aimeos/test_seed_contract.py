"""Replays every curl and jQuery example of seed 002 (Aimeos' guide to the customer resource)
in the guide's order, as a browser keeping its cookies would, then the address, property
and relationship examples of the reference (sections 4-6), and checks each answer against
the shapes of the reference's section 3 (the code wins over the guide's outdated samples).

The examples are read from a copy of the seed, their bodies sent byte for byte, with the
fixes of reference section 9 and no others:
- the jQuery POST and PATCH take the customer URL from `meta.resources['customer']` of the
  OPTIONS answer (the guide's `response['links']['customer']['href']` does not exist);
- the jQuery DELETE takes `data.links.self.href` of the customer answer (its
  `response.links.self.href` is a string, not a link object), and its `indexOf('?')= -1`
  is read as the `=== -1` of the other snippets;
- `_token` is appended to the URL exactly as the jQuery snippet does, and the curl examples'
  `_token=...` and `id=...` are filled with the current token and the account's id.
jQuery sends `JSON.stringify(params)` with its default form `Content-Type` (the snippets set
none): Aimeos reads the body as JSON whatever its type (reference 2.3).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.dialects.aimeos.black_box import (
    ADDRESS_ATTRIBUTES,
    ADDRESSES,
    CUSTOMER_ATTRIBUTES,
    HOST,
    LIST_ATTRIBUTES,
    PRIVATE_ATTRIBUTES,
    PROPERTIES,
    PROPERTY_ATTRIBUTES,
    RELATIONSHIPS,
    body,
    fixture_user,
    link_parts,
    with_token,
)
from tests.dialects.aimeos.helpers import CUSTOMER, AimeosBrowser, NewShop

SEED = Path(__file__).parent / "seeds" / "002_678a6d2d9e8b4443.txt"
SEED_HOST = "http://localhost:8000"
EMAIL = "testuser@example.com"
CURL_HEADERS = {"Accept": "*/*"}
JQUERY_HEADERS = {
    "Accept": "application/json, text/javascript, */*; q=0.01",
    "X-Requested-With": "XMLHttpRequest",
}
TYPO = "customer.telehone"
"""The seed's misspelt `customer.telephone`: an unknown key, ignored without error."""
JQUERY_FORM = "application/x-www-form-urlencoded; charset=UTF-8"
EMPTY_NULLS = {
    "customer.id", "customer.languageid", "customer.countryid", "customer.longitude",
    "customer.latitude", "customer.birthday",
}  # fmt: skip
"""Reference 3.1: the attributes that are null, not "", in the anonymous empty item."""


@dataclass(frozen=True)
class Example:
    """One request example of the seed: who sends it, the verb, the URL as written (curl)
    or the expression that finds it (jQuery), and the body it sends, if any."""

    client: str
    method: str
    url: str
    body: str | None


def _js_object(source: str) -> Any:
    """The JavaScript object literal of a snippet (comments, bare keys) as JSON reads it."""
    source = re.sub(r"\s//[^\n]*", "", source)
    source = re.sub(r"([{\s])([A-Za-z_]+):", r'\1"\2":', source)
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", source))


def _stringify(value: Any) -> str:
    """JavaScript's `JSON.stringify`: compact, and `10.0` is the number `10`."""

    def integral(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: integral(child) for key, child in item.items()}
        if isinstance(item, float) and item.is_integer():
            return int(item)
        return item

    return json.dumps(integral(value), separators=(",", ":"), ensure_ascii=False)


def seed_examples() -> list[Example]:
    found: list[Example] = []
    for block in re.finditer(r"```(bash|javascript)\n(.*?)```", SEED.read_text(), re.S):
        kind, code = block.groups()
        if kind == "bash":
            request = re.search(r"-X (\w+) '([^']+)'", code)
            data = re.search(r"-d '(.*?)'\s*$", code, re.S)
            assert request, code
            method, url = request.groups()
            found.append(Example("curl", method, url, data.group(1) if data else None))
        else:
            method = re.search(r'method: "(\w+)"', code)
            url = re.search(r"url\s*[:=]\s*(response[^\s;,]+)", code)
            params = re.search(r"var params = (\{.*?\});\n", code, re.S)
            assert method and url, code
            sent = _stringify(_js_object(params.group(1))) if params else None
            found.append(Example("jQuery", method.group(1), url.group(1), sent))
    return found


def seed_answers() -> list[dict[str, Any]]:
    """The seed's answer samples that are JSON (its trailing commas repaired)."""
    answers: list[dict[str, Any]] = []
    for block in re.finditer(r"```json\n(.*?)```", SEED.read_text(), re.S):
        try:
            answers.append(json.loads(re.sub(r",(\s*[}\]])", r"\1", block.group(1))))
        except json.JSONDecodeError:
            continue  # the OPTIONS sample elides with "..."
    return answers


EXAMPLES = seed_examples()
ANONYMOUS_SAMPLE, LOGGED_IN_SAMPLE, CREATED_SAMPLE, PATCHED_SAMPLE = seed_answers()


@dataclass
class Browser:
    """The storefront's view: the cookie-keeping client, the latest `meta` (its token),
    the OPTIONS answer and the latest customer answer."""

    shop: AimeosBrowser
    meta: dict[str, Any] = field(default_factory=dict)
    root: dict[str, Any] = field(default_factory=dict)
    customer: dict[str, Any] = field(default_factory=dict)

    async def send(
        self,
        method: str,
        url: str,
        *,
        content: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        response = await self.shop.http.request(
            method, url, content=content, headers={**CURL_HEADERS, **(headers or {})}
        )
        assert response.status_code < 500, response.text
        document = body(response)
        if "meta" in document:
            self.meta = document["meta"]
        return response

    async def replay(self, example: Example, customer_id: str | None = None) -> httpx.Response:
        if example.client == "curl":
            url = example.url.replace(SEED_HOST, HOST)
            if "_token=..." in url:
                url = url.replace("_token=...", f"_token={self.meta['csrf']['value']}")
            url = url.replace("id=...", f"id={customer_id}")
            sent = {"Content-Type": "application/json"} if example.body is not None else {}
            return await self.send(example.method, url, content=example.body, headers=sent)
        if example.url == "response.links.self.href":
            url = self.customer["data"]["links"]["self"]["href"]
        else:
            url = self.root["meta"]["resources"]["customer"]
        if example.method != "GET":
            url = with_token(url, self.meta)
        headers = dict(JQUERY_HEADERS)
        if example.body is not None:
            headers["Content-Type"] = JQUERY_FORM
        return await self.send(example.method, url, content=example.body, headers=headers)

    async def write(self, method: str, url: str, document: Any | None = None) -> httpx.Response:
        """A write the way the guide's snippets make one: token appended, JSON body."""
        content = None if document is None else json.dumps(document)
        headers = {"Content-Type": "application/json"} if content is not None else {}
        return await self.send(method, with_token(url, self.meta), content=content, headers=headers)


def _link_query(href: str) -> dict[str, list[str]]:
    base, query = link_parts(href)
    assert base.startswith(f"{HOST}/jsonapi/"), href
    return query


def _posted(example: Example) -> dict[str, Any]:
    assert example.body is not None
    values: dict[str, Any] = json.loads(example.body)["data"]["attributes"]
    return values


def assert_customer_document(
    document: dict[str, Any], customer_id: str | None, sample: dict[str, Any]
) -> None:
    """Reference 3.1-3.2: the 25 public attributes, no private one, the related links and
    the item's own link; every attribute of the seed's sample but the outdated ones."""
    data = document["data"]
    assert document["meta"]["total"] == 1
    assert (data["id"], data["type"]) == (customer_id, "customer")
    assert set(data["attributes"]) == set(CUSTOMER_ATTRIBUTES)
    assert data["attributes"]["customer.id"] == customer_id
    outdated = {*PRIVATE_ATTRIBUTES, TYPO}
    assert set(sample["data"]["attributes"]) - set(data["attributes"]) <= outdated
    assert data["links"]["self"]["allow"] == ["DELETE", "GET", "PATCH"]
    links = document["links"]
    assert set(links) == {
        "self", "customer/address", "customer/property", "customer/relationships",
        "customer/review",
    }  # fmt: skip
    for name, related in (("customer/address", "address"), ("customer/property", "property"),
                          ("customer/relationships", "relationships")):  # fmt: skip
        assert links[name]["allow"] == ["GET", "POST"]
        query = _link_query(links[name]["href"])
        assert query["related"] == [related], links[name]
        assert query.get("id") == ([customer_id] if customer_id else None), links[name]
    assert document["included"] == []
    assert "relationships" not in data


async def test_the_seed_walk_from_discovery_to_deletion(
    shop: AimeosBrowser, new_shop: NewShop, clean_db: asyncpg.Pool
) -> None:
    """OPTIONS, GET empty, POST create, log in, GET, PATCH, addresses, properties,
    relationships, DELETE, GET empty: a front end written against the guide, unchanged."""
    assert [(e.client, e.method) for e in EXAMPLES] == [
        ("curl", "OPTIONS"), ("curl", "GET"), ("jQuery", "GET"), ("curl", "POST"),
        ("jQuery", "POST"), ("curl", "PATCH"), ("jQuery", "PATCH"), ("curl", "DELETE"),
        ("jQuery", "DELETE"),
    ]  # fmt: skip
    discover, fetch_curl, fetch_jquery, create_curl, create_jquery = EXAMPLES[:5]
    patch_curl, patch_jquery, delete_curl, delete_jquery = EXAMPLES[5:]
    browser = Browser(shop)

    await _discover(browser, discover)
    for fetch in (fetch_curl, fetch_jquery):
        anonymous = body(await browser.replay(fetch))
        _assert_anonymous(anonymous)
    customer_id = await _create(browser, create_curl, create_jquery, clean_db)
    await _log_in(browser, customer_id)
    await _fetch_own(browser, fetch_curl, customer_id, _posted(create_curl))
    await _patch(browser, patch_curl, patch_jquery, customer_id, new_shop)
    customer_links = browser.customer["links"]
    addresses = await _addresses(browser, customer_links["customer/address"]["href"])
    properties = await _properties(browser, customer_links["customer/property"]["href"])
    await _relationships(browser, customer_links["customer/relationships"]["href"])
    await _include_everything(browser, addresses, properties)
    await _delete(browser, delete_curl, delete_jquery, customer_id, clean_db)
    gone = await browser.replay(fetch_jquery)
    _assert_anonymous(body(gone))


async def _discover(browser: Browser, example: Example) -> None:
    response = await browser.replay(example)
    assert response.status_code == 200, response.text
    assert response.headers.get_list("allow") == ["GET"]
    assert response.headers["cache-control"] == "max-age=300"
    meta = body(response)["meta"]
    assert meta["prefix"] is None  # Laravel's (the seed's "ai" is TYPO3's)
    assert meta["csrf"]["name"] == "_token" and meta["csrf"]["value"]
    assert meta["resources"]["customer"] == f"{HOST}/jsonapi/customer"
    assert len(meta["resources"]) >= 12
    assert isinstance(meta["locale"], dict) and meta["content-baseurl"]
    browser.root = body(response)


def _assert_anonymous(document: dict[str, Any]) -> None:
    """Reference 3.2: not logged in, an empty item with `id: null`, total 1."""
    assert_customer_document(document, None, ANONYMOUS_SAMPLE)
    for name, value in document["data"]["attributes"].items():
        assert value == (None if name in EMPTY_NULLS else ""), name


async def _create(browser: Browser, curl: Example, jquery: Example, pool: asyncpg.Pool) -> str:
    created = await browser.replay(curl)
    assert created.status_code == 201, created.text
    document = body(created)
    data = document["data"]
    customer_id: str = data["id"]
    assert re.fullmatch(r"[1-9][0-9]*", customer_id), data
    assert document["meta"]["total"] == 1 and document["included"] == []
    assert data["type"] == CREATED_SAMPLE["data"]["type"]
    assert data["attributes"] == {"customer.id": customer_id}  # only the id, reference 3.4
    assert data["links"]["self"] == {
        "href": f"{HOST}/jsonapi/customer?id={customer_id}",
        "allow": ["DELETE", "GET", "PATCH"],
    }
    stored = await pool.fetchval(
        "SELECT id FROM customers WHERE lower(email) = $1 AND has_account", EMAIL
    )
    assert str(stored) == customer_id
    mails = await pool.fetch("SELECT body FROM outbox WHERE lower(recipient) = $1", EMAIL)
    assert mails, "no account mail"
    assert all("secret123" not in mail["body"] for mail in mails)  # chosen, never mailed

    duplicate = await browser.replay(jquery)  # the same account, in the jQuery snippet
    assert duplicate.status_code == 403, duplicate.text
    assert body(duplicate)["errors"] and "data" not in body(duplicate)
    assert await pool.fetchval("SELECT count(*) FROM customers") == 1
    return customer_id


async def _log_in(browser: Browser, customer_id: str) -> None:
    """The host's login, posted as a Laravel login form posts it (the guide leaves it to
    the framework): a new session cookie, so a new token."""
    before = browser.meta["csrf"]["value"]
    response = await browser.shop.http.post(
        "/jsonapi/login", data={"email": EMAIL, "password": "secret123", "_token": before}
    )
    assert response.status_code == 200, response.text
    document = body(response)
    assert document["data"]["id"] == customer_id
    browser.meta = document["meta"]
    assert browser.meta["csrf"]["value"] != before


async def _fetch_own(
    browser: Browser, example: Example, customer_id: str, posted: dict[str, Any]
) -> None:
    response = await browser.replay(example)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-cache, no-store, private"
    document = body(response)
    assert_customer_document(document, customer_id, LOGGED_IN_SAMPLE)
    shown = document["data"]["attributes"]
    for name, value in posted.items():
        if name in CUSTOMER_ATTRIBUTES:
            assert shown[name] == value, name
    assert shown["customer.telephone"] == "" and TYPO not in shown
    assert "customer.password" not in shown
    browser.customer = document

    fields = await browser.send("GET", f"{example.url.replace(SEED_HOST, HOST)}"
                                "?fields[customer]=customer.code,customer.email")  # fmt: skip
    assert body(fields)["data"]["attributes"] == {
        "customer.code": EMAIL,
        "customer.email": EMAIL,
    }


async def _patch(
    browser: Browser, curl: Example, jquery: Example, customer_id: str, new_shop: NewShop
) -> None:
    for example in (curl, jquery):
        response = await browser.replay(example)
        assert response.status_code == 200, response.text
        document = body(response)
        assert_customer_document(document, customer_id, PATCHED_SAMPLE)
        shown = document["data"]["attributes"]
        assert shown["customer.address2"] == "2"
        assert {k: shown[k] for k in ("customer.code", "customer.label", "customer.vatid")} == {
            "customer.code": EMAIL,
            "customer.label": "Test user",
            "customer.vatid": "DE123456789",
        }
        browser.customer = document
    other = await new_shop("198.51.100.40")
    assert (await other.login(EMAIL, "very+secret")).status_code == 200
    assert (await (await new_shop("198.51.100.41")).login(EMAIL, "secret123")).status_code == 401


async def _addresses(browser: Browser, href: str) -> int:
    """Reference 4: list, add one, add two, read, change and delete one by its links."""
    before = body(await browser.send("GET", href))
    known = before["meta"]["total"]
    assert len(before["data"]) == known
    one = await browser.write("POST", href, {"data": {"type": "customer.address", "attributes": {
        "customer.address.firstname": "Test", "customer.address.lastname": "User",
        "customer.address.address1": "Test street", "customer.address.address2": "1",
        "customer.address.postal": "12345", "customer.address.city": "Test city",
        "customer.address.countryid": "DE", "customer.address.languageid": "en",
    }}})  # fmt: skip
    two = await browser.write("POST", href, {"data": [
        {"attributes": {"customer.address.firstname": "Erika", "customer.address.lastname":
                        "Mustermann", "customer.address.city": "Berlin",
                        "customer.address.countryid": "DE"}},
        {"attributes": {"customer.address.company": "Example company",
                        "customer.address.city": "Hamburg", "customer.address.countryid": "DE"}},
    ]})  # fmt: skip
    assert (one.status_code, two.status_code) == (201, 201), (one.text, two.text)
    assert body(one)["meta"]["total"] == known + 1
    items = body(two)["data"]
    assert body(two)["meta"]["total"] == len(items) == known + 3
    for item in items:
        assert item["type"] == "customer.address"
        assert set(item["attributes"]) == set(ADDRESS_ATTRIBUTES)
        assert item["links"]["self"]["allow"] == ["DELETE", "GET", "PATCH"]
        assert item["links"]["basket.address"]["allow"] == ["POST"]
    first = next(i for i in items if i["attributes"]["customer.address.address1"] == "Test street")
    assert first["attributes"]["customer.address.type"] == "delivery"
    item_href = first["links"]["self"]["href"]
    assert _link_query(item_href)["relatedid"] == [first["id"]]

    read = body(await browser.send("GET", item_href))
    changed = await browser.write("PATCH", item_href, {"data": {"attributes": {
        "customer.address.lastname": "Changed"}}})  # fmt: skip
    deleted = await browser.write("DELETE", item_href)
    after = body(await browser.send("GET", href))

    assert (read["meta"]["total"], read["data"]["id"]) == (1, first["id"])
    assert changed.status_code == 200, changed.text
    assert body(changed)["data"]["attributes"]["customer.address.lastname"] == "Changed"
    assert body(changed)["data"]["attributes"]["customer.address.city"] == "Test city"
    assert (deleted.status_code, body(deleted)["meta"]["total"]) == (200, 0)
    assert "data" not in body(deleted)
    assert after["meta"]["total"] == known + 2
    assert first["id"] not in [i["id"] for i in after["data"]]
    return int(after["meta"]["total"])


async def _properties(browser: Browser, href: str) -> int:
    """Reference 5: typed values with an optional language."""
    added = await browser.write("POST", href, {"data": [
        {"attributes": {"customer.property.type": "newsletter", "customer.property.value": "yes"}},
        {"attributes": {"customer.property.type": "limit", "customer.property.value": "1000",
                        "customer.property.languageid": "de"}},
    ]})  # fmt: skip
    assert added.status_code == 201, added.text
    items = body(added)["data"]
    assert body(added)["meta"]["total"] == len(items) == 2
    for item in items:
        assert item["type"] == "customer.property"
        assert set(item["attributes"]) == set(PROPERTY_ATTRIBUTES)
    limit = next(i for i in items if i["attributes"]["customer.property.type"] == "limit")
    assert limit["attributes"]["customer.property.languageid"] == "de"
    item_href = limit["links"]["self"]["href"]

    changed = await browser.write("PATCH", item_href, {"data": {"attributes": {
        "customer.property.value": "2000"}}})  # fmt: skip
    read = body(await browser.send("GET", item_href))
    deleted = await browser.write("DELETE", href, {"data": [{"type": "customer.property",
                                                             "id": limit["id"]}]})  # fmt: skip
    after = body(await browser.send("GET", href))

    assert changed.status_code == 200, changed.text
    assert read["data"]["attributes"]["customer.property.value"] == "2000"
    assert (deleted.status_code, body(deleted)["meta"]["total"]) == (200, 0)
    assert [i["attributes"]["customer.property.type"] for i in after["data"]] == ["newsletter"]
    return len(after["data"])


async def _relationships(browser: Browser, href: str) -> None:
    """Reference 6: the guide's favourite example, byte for byte, then its watch list."""
    favourite = await browser.send(
        "POST",
        with_token(f"{href}&include=product", browser.meta),
        content='{"data":[{"attributes":{"customer.lists.domain":"product","customer.lists.type":'
        '"favorite","customer.lists.refid":"123","customer.lists.datestart":null,'
        '"customer.lists.dateend":null,"customer.lists.config":{},"customer.lists.position":0,'
        '"customer.lists.status":1}}]}',
        headers={"Content-Type": "application/json"},
    )
    assert favourite.status_code == 201, favourite.text
    [item] = body(favourite)["data"]
    attributes = item["attributes"]
    assert (item["type"], item["id"]) == ("customer.lists", attributes["customer.lists.id"])
    assert set(attributes) == set(LIST_ATTRIBUTES)
    assert (attributes["customer.lists.refid"], attributes["customer.lists.type"]) == (
        "123",
        "favorite",
    )
    assert attributes["customer.lists.config"] in ([], {})  # PHP's [] for an empty map
    item_href = item["links"]["self"]["href"]
    assert _link_query(item_href)["relatedid"] == [item["id"]]

    watch = await browser.write("PATCH", item_href, {"data": {"attributes": {
        "customer.lists.type": "watch", "customer.lists.config": {"timeframe": "7",
                                                                  "stock": "1"}}}})  # fmt: skip
    listed = body(await browser.send("GET", f"{href}&include=product"))
    without_include = body(await browser.send("GET", href))

    assert watch.status_code == 200, watch.text
    assert [(i["attributes"]["customer.lists.type"], i["attributes"]["customer.lists.config"])
            for i in listed["data"]] == [("watch", {"timeframe": "7", "stock": "1"})]  # fmt: skip
    assert without_include["meta"]["total"] == 0  # `include` names the domains to show


async def _include_everything(browser: Browser, addresses: int, properties: int) -> None:
    """The guide's `&include=...`: relationships and included for each related kind."""
    url = f"{HOST}/jsonapi/customer?include=customer/address,customer/property,product"
    document = body(await browser.send("GET", url))
    relationships = document["data"]["relationships"]
    assert len(relationships["customer.address"]["data"]) == addresses
    assert len(relationships["customer.property"]["data"]) == properties
    [product] = relationships["product"]["data"]
    assert (product["id"], product["type"]) == ("123", "product")
    assert product["links"]["self"]["allow"] == ["DELETE", "PATCH"]
    kinds = [i["type"] for i in document["included"]]
    assert kinds.count("customer.address") == addresses
    assert kinds.count("customer.property") == properties


async def _delete(
    browser: Browser, curl: Example, jquery: Example, customer_id: str, pool: asyncpg.Pool
) -> None:
    deleted = await browser.replay(curl, customer_id)
    assert deleted.status_code == 200, deleted.text
    assert body(deleted)["meta"]["total"] == 0 and "data" not in body(deleted)
    again = await browser.replay(jquery)  # the account is gone: still a success
    assert again.status_code == 200, again.text
    assert body(again)["meta"]["total"] == 0
    assert await pool.fetchval("SELECT count(*) FROM customers WHERE lower(email) = $1", EMAIL) == 0
    for table in ("addresses", "customer_properties", "customer_list_items"):
        left = await pool.fetchval(
            f"SELECT count(*) FROM {table} WHERE customer_id = $1", int(customer_id)
        )
        assert left == 0, table


async def test_attributes_come_in_the_order_aimeos_emits_them(shop: AimeosBrowser) -> None:
    """Reference 3.1, 4, 5, 6: the order of `toArray()`, which the guide's samples show,
    for the anonymous empty item as for a customer's."""
    empty = body(await shop.get(CUSTOMER))["data"]
    user = await fixture_user(shop)
    customer = body(await shop.get(CUSTOMER))["data"]
    [address] = body(await shop.get(CUSTOMER, params=ADDRESSES))["data"]
    [prop] = body(await shop.get(CUSTOMER, params=PROPERTIES))["data"]
    lists = body(await shop.get(CUSTOMER, params=RELATIONSHIPS))["data"]

    assert user.id == customer["id"]
    assert list(empty["attributes"]) == list(CUSTOMER_ATTRIBUTES)
    assert list(customer["attributes"]) == list(CUSTOMER_ATTRIBUTES)
    assert list(address["attributes"]) == list(ADDRESS_ATTRIBUTES)
    assert list(prop["attributes"]) == list(PROPERTY_ATTRIBUTES)
    assert [list(item["attributes"]) for item in lists] == [list(LIST_ATTRIBUTES)] * 2
