"""Anti-forgery tokens: a MAC of the browser's cookie, so nothing is stored and only this
service, holding the cookie's owner's page, can name the token."""

from __future__ import annotations

from patron.core.domain.tenants import Tenant
from patron.core.identity.request_tokens import RequestTokens
from tests.core.back_office_callers import second_tenant
from tests.fakes import MemoryServices


def _tampered(token: str) -> str:
    return ("A" if token[0] != "A" else "B") + token[1:]


async def test_a_token_matches_its_own_cookie_only(memory: MemoryServices, tenant: Tenant) -> None:
    tokens: RequestTokens = memory.core.request_tokens
    cookie, other_cookie = tokens.new_visitor_cookie(), tokens.new_visitor_cookie()

    token = tokens.of(tenant, cookie)

    assert tokens.of(tenant, cookie) == token  # stateless: the same each time
    assert tokens.matches(tenant, cookie, token)
    assert not tokens.matches(tenant, other_cookie, token)
    assert not tokens.matches(tenant, cookie, _tampered(token))
    assert not tokens.matches(tenant, cookie, token[:-1])
    assert not tokens.matches(tenant, cookie, None)
    assert not tokens.matches(tenant, None, token)
    assert not tokens.matches(tenant, "", tokens.of(tenant, ""))


async def test_a_token_of_another_tenant_does_not_match(
    memory: MemoryServices, tenant: Tenant
) -> None:
    tokens = memory.core.request_tokens
    other = await second_tenant(memory.core.tenant_admin)
    cookie = tokens.new_visitor_cookie()

    assert not tokens.matches(other, cookie, tokens.of(tenant, cookie))


async def test_visitor_cookies_are_long_and_never_repeat(memory: MemoryServices) -> None:
    cookies = {memory.core.request_tokens.new_visitor_cookie() for _ in range(1000)}

    assert len(cookies) == 1000
    assert min(len(cookie) for cookie in cookies) >= 43  # 256 bits, URL-safe base64


async def test_a_token_is_not_the_mac_of_another_purpose(
    memory: MemoryServices, tenant: Tenant
) -> None:
    tokens = memory.core.request_tokens
    cookie = tokens.new_visitor_cookie()

    assert tokens.of(tenant, cookie) != tokens.codec.mac("other", cookie)
    assert cookie not in tokens.of(tenant, cookie)
