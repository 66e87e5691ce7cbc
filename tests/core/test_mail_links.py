"""Each storefront has its own pages: per-tenant links in the confirmation and reset mails."""

from __future__ import annotations

import re

import pytest

from patron.core.domain.errors.invalid_input import TenantSettingInvalid
from patron.core.domain.links import check_link_template
from patron.core.domain.tenants import Tenant, TenantSettings
from tests.conftest import registration_for
from tests.fakes import MemoryServices, MemoryStore


def _links(store: MemoryStore, email: str) -> dict[str, str]:
    """The one link in each mail to `email`, by template."""
    mails = [mail for mail in store.mails() if mail.recipient == email]
    found = {mail.template: re.search(r"^https?://\S+$", mail.body, re.M) for mail in mails}
    return {template: match.group(0) for template, match in found.items() if match}


@pytest.fixture
async def shop(memory: MemoryServices) -> Tenant:
    admin = memory.core.tenant_admin
    await admin.create("shop", "Shop", TenantSettings())
    return await admin.change_settings(
        "shop",
        {
            "confirmation_link": "https://shop.example/confirm?k={token}",
            "password_reset_link": "{public_url}/shop/reset/{token}",
        },
    )


async def test_a_tenant_with_its_own_templates_gets_its_own_links(
    memory: MemoryServices, shop: Tenant
) -> None:
    await memory.core.accounts.register(shop, registration_for("shopper@example.com"))
    await memory.core.passwords.request_reset(shop, "shopper@example.com").run()

    links = _links(memory.store, "shopper@example.com")
    assert re.fullmatch(
        r"https://shop\.example/confirm\?k=[\w-]{20,}", links["customer_confirmation"]
    )
    assert re.fullmatch(
        r"http://testserver/shop/reset/[\w-]{20,}", links["customer_password_reset"]
    )


async def test_the_default_tenant_keeps_the_configured_links(
    memory: MemoryServices, shop: Tenant
) -> None:
    default = await memory.core.tenants.get("default")
    await memory.core.accounts.register(default, registration_for("plain@example.com"))
    await memory.core.passwords.request_reset(default, "plain@example.com").run()

    links = _links(memory.store, "plain@example.com")
    assert links["customer_confirmation"].startswith("http://testserver/register/confirm?token=")
    assert links["customer_password_reset"].startswith("http://testserver/password/restore?token=")


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("https://shop.example/confirm", "must contain {token}"),
        ("https://shop.example/confirm?k={{token}}", "must contain {token}"),
        ("/confirm?k={token}", "absolute http(s) URL"),
        ("{token}", "absolute http(s) URL"),
        ("ftp://shop.example/{token}", "absolute http(s) URL"),
        ("https://shop.example/{store}/{token}", "only use {public_url}, {token} and {email}"),
        ("https://shop.example/{}/{token}", "only use {public_url}, {token} and {email}"),
        ("{public_url.__class__}/{token}", "only use {public_url}, {token} and {email}"),
        ("https://shop.example/{token!r}", "only use {public_url}, {token} and {email}"),
        ("https://shop.example/{token", "is not a link template"),
    ],
)
def test_a_broken_link_template_is_refused(template: str, reason: str) -> None:
    with pytest.raises(TenantSettingInvalid) as refused:
        check_link_template("confirmation_link", template)

    assert refused.value.key == "confirmation_link"
    assert reason in refused.value.reason
