"""The toolkit's reading of a request's origin: what a browser writes in `Origin`, and which
pages count as foreign (issue 18, item 11)."""

from __future__ import annotations

import pytest

from patron.http.origins import is_foreign, origin_of

TRUSTED = frozenset({"https://shop.example.com", "http://127.0.0.1:8000"})


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Shop.Example.com/account?x=1", "https://shop.example.com"),
        ("https://shop.example.com:443", "https://shop.example.com"),
        ("http://shop.example.com:80/", "http://shop.example.com"),
        ("https://shop.example.com:8443", "https://shop.example.com:8443"),
        ("http://[2001:db8::1]:8000/x", "http://[2001:db8::1]:8000"),
        ("null", None),
        ("/relative/path", None),
        ("ftp://shop.example.com", None),
        ("https://", None),
        ("https://shop.example.com:99999", None),
    ],
)
def test_an_url_has_the_origin_a_browser_would_send(url: str, origin: str | None) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    ("origin", "referer", "foreign"),
    [
        ("https://shop.example.com", None, False),
        (None, "http://127.0.0.1:8000/page", False),
        (None, None, False),
        ("", " ", False),
        ("https://evil.example", None, True),
        ("https://evil.example", "https://shop.example.com/", True),
        ("null", None, True),
        (None, "https://shop.example.com.evil.example/", True),
        (None, "garbage", True),
    ],
)
def test_a_page_is_foreign_unless_its_origin_is_trusted(
    origin: str | None, referer: str | None, foreign: bool
) -> None:
    assert is_foreign(origin, referer, TRUSTED) is foreign
