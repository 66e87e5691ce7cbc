"""The small pure parts of the toolkit: credentials, locale, query, pagination, proxies."""

from __future__ import annotations

import pytest

from patron.http.credentials import MalformedCredentials, bearer_token, session_cookie
from patron.http.fieldsets import fieldsets, includes
from patron.http.locale import LocaleCache, negotiate_locale
from patron.http.pagination import Window
from patron.http.proxies import TrustedProxies, forwarded_for

LOCALES = ("en_US", "de_DE")


def test_a_bearer_token_is_read_from_its_header() -> None:
    assert bearer_token(None) is None
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    for malformed in ("Basic abc", "Bearer", "Bearer   ", "abc", "Bearer " + "x" * 9000):
        with pytest.raises(MalformedCredentials):
            bearer_token(malformed)


def test_a_session_cookie_is_read_by_name() -> None:
    assert session_cookie("a=1; sid=xyz", "sid") == "xyz"
    assert session_cookie("a=1", "sid") is None
    assert session_cookie(None, "sid") is None
    assert session_cookie('sid="unterminated', "sid") is None


@pytest.mark.parametrize(
    "others",
    [
        "a=b c",  # a space in a value
        'prefs={"dark":true}',  # JSON, as analytics and consent tools store it
        'a="unterminated',
        "a=1;",  # an empty pair
        "a@b=1",  # a character no cookie name may hold
        "a=b\\c",
        "path=/",  # a name SimpleCookie takes for an attribute
        "expires=Thu",
        "secure",
        "flag",
        "a=\u00e4",
    ],
)
def test_other_cookies_never_hide_the_session_cookie(others: str) -> None:
    """Browsers send every cookie of the site; one another app set with characters a
    strict parser refuses must not log the user out (Express's `cookie` reads past it)."""
    assert session_cookie(f"{others}; sid=xyz", "sid") == "xyz"
    assert session_cookie(f"sid=xyz; {others}", "sid") == "xyz"


def test_the_first_cookie_of_a_name_wins() -> None:
    """Browsers send the cookie with the longest path first, so the first is the API's
    own; a cookie of the same name tossed in from a sibling subdomain (a wider path or
    domain) comes later and must not be the one read (Express reads the first too)."""
    assert session_cookie("sid=mine; sid=tossed", "sid") == "mine"
    assert session_cookie('sid="quoted"', "sid") == "quoted"
    assert session_cookie("sid=", "sid") is None


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en_US"),
        ("de-DE", "de_DE"),
        ("de", "de_DE"),
        ("fr, de;q=0.5, en;q=0.9", "en_US"),
        ("de;q=oops, en", "en_US"),
        ("x" * 1000, "en_US"),
    ],
)
def test_locale_negotiation(header: str | None, locale: str) -> None:
    assert negotiate_locale(header, LOCALES, "en_US") == locale
    assert LocaleCache(size=2).negotiate(header, LOCALES, "en_US") == locale


def test_fieldsets_and_includes() -> None:
    query = [("fields[customers]", "email, firstName"), ("fields[addresses]", ""), ("x", "y")]

    assert fieldsets(query) == {
        "customers": frozenset({"email", "firstName"}),
        "addresses": frozenset(),
    }
    assert includes("addresses, ,orders") == frozenset({"addresses", "orders"})
    assert includes(None) == frozenset()


def test_offset_windows() -> None:
    window = Window(offset=4, limit=2)

    assert window.pages(5) == 3
    assert window.last_offset(5) == 4
    assert window.previous_offset() == 2
    assert window.next_offset(5) is None
    assert Window(0, 2).previous_offset() is None
    assert Window(0, 2).next_offset(5) == 2
    assert Window(0, 10).last_offset(0) == 0
    with pytest.raises(ValueError):
        Window(-1, 2)
    with pytest.raises(ValueError):
        Window(0, 0)


def test_page_numbers_are_windows_too() -> None:
    assert Window.of_page(3, 25) == Window(50, 25)
    assert Window.of_page(0, 25, first=0) == Window(0, 25)
    with pytest.raises(ValueError):
        Window.of_page(0, 25)


def test_every_forwarded_for_line_counts() -> None:
    """A proxy that adds its own header line must not leave the client's forged line as
    the one that is read."""
    proxies = TrustedProxies(["10.0.0.0/8"])
    headers = [(b"x-forwarded-for", b"6.6.6.6"), (b"x-forwarded-for", b"198.51.100.7")]

    assert forwarded_for(headers) == ["6.6.6.6", "198.51.100.7"]
    assert proxies.client("10.1.1.1", forwarded_for(headers)) == "198.51.100.7"
    assert proxies.client("10.1.1.1", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
