"""Each storefront has its own pages: per-tenant links in the confirmation and reset mails."""

from __future__ import annotations

import re

import asyncpg
import pytest

from patron.core.domain.errors.invalid_input import TenantSettingInvalid
from patron.core.domain.links import check_link_template
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.services import Services
from tests.conftest import registration_for


async def _links(pool: asyncpg.Pool, email: str) -> dict[str, str]:
    """The one link in each mail to `email`, by template."""
    rows = await pool.fetch("SELECT template, body FROM outbox WHERE recipient = $1", email)
    found = {row["template"]: re.search(r"^https?://\S+$", row["body"], re.M) for row in rows}
    return {template: match.group(0) for template, match in found.items() if match}


@pytest.fixture
async def shop(services: Services) -> Tenant:
    admin = services.core.tenant_admin
    await admin.create("shop", "Shop", TenantSettings())
    return await admin.change_settings(
        "shop",
        {
            "confirmation_link": "https://shop.example/confirm?k={token}",
            "password_reset_link": "{public_url}/shop/reset/{token}",
        },
    )


async def test_a_tenant_with_its_own_templates_gets_its_own_links(
    services: Services, shop: Tenant, clean_db: asyncpg.Pool
) -> None:
    await services.core.accounts.register(shop, registration_for("shopper@example.com"))
    await services.core.passwords.request_reset(shop, "shopper@example.com").run()

    links = await _links(clean_db, "shopper@example.com")
    assert re.fullmatch(
        r"https://shop\.example/confirm\?k=[\w-]{20,}", links["customer_confirmation"]
    )
    assert re.fullmatch(
        r"http://testserver/shop/reset/[\w-]{20,}", links["customer_password_reset"]
    )


async def test_the_default_tenant_keeps_the_configured_links(
    services: Services, shop: Tenant, clean_db: asyncpg.Pool
) -> None:
    default = await services.core.tenants.get("default")
    await services.core.accounts.register(default, registration_for("plain@example.com"))
    await services.core.passwords.request_reset(default, "plain@example.com").run()

    links = await _links(clean_db, "plain@example.com")
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
