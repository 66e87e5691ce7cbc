"""A storefront sign-up refused with 409 tells the email has an account (issue 18, item 13):
it spends the client address's email-lookup limit, the one Medusa's
`GET /store/auth/{email}` spends, besides the sign-up limit. The tenant-managed create is
the back office's (an authenticated service), so it spends neither."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.emporix.test_storefront_signup import JOHN, sign_up, visitor_of

LOOKUPS = 3


@pytest.fixture
def settings() -> Settings:
    """A lookup limit below the sign-up limit (10 an hour), so it is the one that binds."""
    return cheap_settings(login_max_failures=LOOKUPS)


async def test_sign_ups_of_a_taken_email_spend_the_lookup_limit(
    http: httpx.AsyncClient, services: Services, shop: Tenant
) -> None:
    visitor = (await visitor_of(http, services, shop))["access_token"]
    assert (await sign_up(http, shop, visitor, JOHN)).status_code == 201

    refused = [await sign_up(http, shop, visitor, JOHN) for _ in range(LOOKUPS + 1)]
    other: dict[str, Any] = json.loads(json.dumps(JOHN))  # John's body, another email
    other["email"] = other["customerDetails"]["contactEmail"] = "fresh@example.com"
    fresh = await sign_up(http, shop, visitor, other)

    assert [r.status_code for r in refused] == [409] * LOOKUPS + [429]
    assert fresh.status_code == 429 and int(fresh.headers["retry-after"]) > 0
    assert fresh.json()["status"] == 429
