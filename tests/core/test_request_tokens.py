"""Anti-forgery tokens: a MAC of the browser's cookie, so nothing is stored and only this
service, holding the cookie's owner's page, can name the token."""

from __future__ import annotations

from patron.core.domain.tenants import Tenant
from patron.core.identity.authentication import Authentication
from tests.core.back_office_callers import second_tenant
from tests.fakes import MemoryServices


def _tampered(token: str) -> str:
    return ("A" if token[0] != "A" else "B") + token[1:]


async def test_a_token_matches_its_own_cookie_only(memory: MemoryServices, tenant: Tenant) -> None:
    auth: Authentication = memory.core.auth
    cookie, other_cookie = auth.new_visitor_cookie(), auth.new_visitor_cookie()

    token = auth.request_token(tenant, cookie)

    assert auth.request_token(tenant, cookie) == token  # stateless: the same each time
    assert auth.request_token_matches(tenant, cookie, token)
    assert not auth.request_token_matches(tenant, other_cookie, token)
    assert not auth.request_token_matches(tenant, cookie, _tampered(token))
    assert not auth.request_token_matches(tenant, cookie, token[:-1])
    assert not auth.request_token_matches(tenant, cookie, None)
    assert not auth.request_token_matches(tenant, None, token)
    assert not auth.request_token_matches(tenant, "", auth.request_token(tenant, ""))


async def test_a_token_of_another_tenant_does_not_match(
    memory: MemoryServices, tenant: Tenant
) -> None:
    auth = memory.core.auth
    other = await second_tenant(memory.core.tenant_admin)
    cookie = auth.new_visitor_cookie()

    assert not auth.request_token_matches(other, cookie, auth.request_token(tenant, cookie))


async def test_visitor_cookies_are_long_and_never_repeat(memory: MemoryServices) -> None:
    cookies = {memory.core.auth.new_visitor_cookie() for _ in range(1000)}

    assert len(cookies) == 1000
    assert min(len(cookie) for cookie in cookies) >= 43  # 256 bits, URL-safe base64


async def test_a_token_is_not_the_mac_of_another_purpose(
    memory: MemoryServices, tenant: Tenant
) -> None:
    auth = memory.core.auth
    cookie = auth.new_visitor_cookie()

    assert auth.request_token(tenant, cookie) != auth.codec.mac("other", cookie)
    assert cookie not in auth.request_token(tenant, cookie)
