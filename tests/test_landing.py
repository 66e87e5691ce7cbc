"""`GET /`: the landing document, JSON for programs and a small page for browsers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from html.parser import HTMLParser
from importlib.metadata import version

import httpx
import pytest

from patron.http.landing import prefers_html
from patron.services import Services
from tests.conftest import cheap_settings
from tests.helpers import LOOPBACK, dialect_client

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture
async def root(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """A client with no default `Accept`, on an app whose public URL is not the host asked."""
    settings = cheap_settings(public_url="https://shop.example/api")
    async with dialect_client(
        services, settings, peer=LOOPBACK, base="http://evil.example"
    ) as http:
        yield http


async def test_given_no_accept_when_the_root_is_asked_then_it_lists_every_dialect(
    root: httpx.AsyncClient,
) -> None:
    answer = await root.get("/")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    base = "https://shop.example/api"
    assert answer.json() == {
        "name": "patron",
        "version": version("patron"),
        "dialects": [
            {
                "name": "glue",
                "base": f"{base}/glue",
                "docs": f"{base}/glue/docs",
                "openapi": f"{base}/glue/openapi.json",
            },
            {
                "name": "medusa",
                "base": f"{base}/medusa",
                "docs": f"{base}/medusa/docs",
                "openapi": f"{base}/medusa/openapi.json",
            },
            {
                "name": "aimeos",
                "base": f"{base}/jsonapi",
                "docs": f"{base}/jsonapi",
                "openapi": None,
            },
            {
                "name": "emporix",
                "base": f"{base}/emporix",
                "docs": f"{base}/emporix/docs",
                "openapi": f"{base}/emporix/openapi.json",
            },
        ],
        "health": f"{base}/health",
        "ready": f"{base}/ready",
    }
    assert "evil.example" not in answer.text  # links come from the public URL, not Host
    assert answer.headers["vary"] == "Accept"


@pytest.mark.parametrize("accept", ["*/*", "application/json", "text/html;q=0.5, */*"])
async def test_given_a_program_accept_then_the_root_answers_json(
    root: httpx.AsyncClient, accept: str
) -> None:
    answer = await root.get("/", headers={"Accept": accept})

    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["name"] == "patron"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.links.extend(value for name, value in attrs if name == "href" and value)


async def test_given_a_browser_then_the_root_is_a_page_with_the_same_links(
    root: httpx.AsyncClient,
) -> None:
    document = (await root.get("/")).json()

    page = await root.get("/", headers={"Accept": BROWSER})

    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    parsed = _Links()
    parsed.feed(page.text)
    assert parsed.scripts == 0
    expected = {document["health"], document["ready"]}
    for dialect in document["dialects"]:
        expected |= {dialect["base"], dialect["docs"]} | ({dialect["openapi"]} - {None})
    assert set(parsed.links) == expected


async def test_a_head_of_the_root_answers_its_headers_and_another_method_is_refused(
    root: httpx.AsyncClient,
) -> None:
    get = await root.get("/")
    head = await root.head("/")
    post = await root.post("/")

    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert post.status_code == 405
    assert post.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/html", True),
        (BROWSER, True),
        ("text/*", True),
        ("text/html;q=0.9, application/json", False),
        ("text/html, application/json", False),  # a tie is JSON
        ("application/json;q=0, text/html;q=0.1", True),
        ("text/html;q=bogus, */*;q=0.5", False),
        ("text/html;q=2, application/json;q=0.9", True),  # quality is at most 1
        ("TEXT/HTML", True),
        ("image/png", False),
        ("text/html," + "x" * 2000, False),  # too long to parse: JSON
    ],
)
def test_accept_is_ranked_by_quality_and_specificity(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html
