"""Every docs page loads with nothing from another host: each script, style, image and
document it names is served by the same app, and its policy allows nothing else."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from patron.services import Services
from tests.conftest import cheap_settings
from tests.helpers import LOOPBACK, dialect_client

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DOCS = ("/glue/docs", "/medusa/docs", "/emporix/docs")
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class _References(HTMLParser):
    """Every `src`, `href` and `data-openapi-url` of a page; inline scripts counted."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1
        for name in ("src", "href", "data-openapi-url"):
            if values.get(name):
                self.urls.append(str(values[name]))


def references(page: str) -> _References:
    parsed = _References()
    parsed.feed(page)
    return parsed


async def test_every_docs_page_and_all_it_references_come_from_the_same_server(
    client: httpx.AsyncClient,
) -> None:
    for docs in DOCS:
        page = await client.get(docs, headers={"Accept": BROWSER})
        assert page.status_code == 200, docs
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        found = references(page.text)
        assert found.inline_scripts == 0, docs
        assert len(found.urls) == 5, found.urls  # stylesheet, icon, document, two scripts
        for url in found.urls:
            target = urlsplit(urljoin(str(page.url), url))
            assert target.netloc == "testserver", f"{docs} names another host: {url}"
            answer = await client.get(target.path, headers={"Accept": "application/json,*/*"})
            assert answer.status_code == 200, f"{docs}: {url} -> {answer.status_code}"
            suffix = target.path[target.path.rfind(".") :]
            if suffix in MEDIA_TYPES:
                assert answer.headers["content-type"].startswith(MEDIA_TYPES[suffix]), url
                assert answer.headers["x-content-type-options"] == "nosniff"
            if suffix == ".css":  # a stylesheet may name images in turn: data: URLs only
                for image in re.findall(r"url\(\s*['\"]?([^'\")]+)", answer.text):
                    assert image.startswith("data:"), image


async def test_a_docs_page_allows_only_its_own_origin(client: httpx.AsyncClient) -> None:
    for docs in DOCS:
        page = await client.get(docs, headers={"Accept": BROWSER})

        policy = dict(
            directive.strip().split(" ", 1)
            for directive in page.headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'none'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["img-src"] == "'self' data:"
        assert policy["connect-src"] == "'self' http://testserver"
        assert policy["frame-ancestors"] == "'self'"
        assert page.headers.get_list("content-security-policy") == [
            page.headers["content-security-policy"]
        ]


async def test_the_assets_may_be_cached_and_are_revalidated(client: httpx.AsyncClient) -> None:
    url = "/static/swagger-ui/swagger-ui-bundle.js"
    first = await client.get(url)

    again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    head = await client.head(url)

    assert first.status_code == 200 and len(first.content) > 100_000
    assert first.headers["cache-control"] == "public, max-age=86400"
    assert again.status_code == 304 and again.content == b""
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == first.headers["content-length"]


@pytest.mark.parametrize(
    "path",
    [
        "/static/swagger-ui/nothing.js",
        "/static/swagger-ui/../../app.py",
        "/static/swagger-ui/%2e%2e/%2e%2e/app.py",
        "/static/swagger-ui/",
        "/static/other.js",
    ],
)
async def test_nothing_else_is_served_from_the_assets(client: httpx.AsyncClient, path: str) -> None:
    answer = await client.get(path)

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["cache-control"] == "no-store"


async def test_a_write_to_an_asset_is_refused(client: httpx.AsyncClient) -> None:
    answer = await client.post("/static/swagger-ui/swagger-ui.css")

    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, HEAD"


@pytest.fixture
async def behind_a_prefix(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """Patron behind a proxy that serves it at https://shop.example/api and strips `/api`."""
    settings = cheap_settings(public_url="https://shop.example/api")
    async with dialect_client(
        services, settings, peer=LOOPBACK, base="http://internal:8000"
    ) as http:
        yield http


async def test_behind_a_path_prefix_the_page_names_its_assets_under_that_prefix(
    behind_a_prefix: httpx.AsyncClient,
) -> None:
    page = await behind_a_prefix.get("/medusa/docs", headers={"Accept": BROWSER})

    urls = references(page.text).urls
    assert all(url.startswith("/api/") for url in urls), urls
    assert "/api/medusa/openapi.json" in urls
    for url in urls:
        answer = await behind_a_prefix.get(url.removeprefix("/api"))
        assert answer.status_code == 200, url
    policy = page.headers["content-security-policy"]
    assert "connect-src 'self' https://shop.example;" in policy
