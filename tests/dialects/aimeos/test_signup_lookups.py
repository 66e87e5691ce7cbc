"""A sign-up refused because the e-mail has an account tells so (issue 18, item 13): besides
the sign-up limit (decision on Aimeos' 3 per 4 hours), it spends the client address's
email-lookup limit, the one Medusa's `GET /store/auth/{email}` spends. A deployment that
raises the sign-up limit still bounds how fast one address learns which e-mails exist."""

from __future__ import annotations

import pytest

from patron.settings import Settings
from tests.conftest import cheap_settings
from tests.dialects.aimeos.black_box import assert_clean_error, attributes
from tests.dialects.aimeos.helpers import CUSTOMER, PASSWORD, NewShop

LOOKUPS = 4


@pytest.fixture
def settings() -> Settings:
    """A generous sign-up limit, so the lookup limit is the one that binds."""
    return cheap_settings(login_max_failures=LOOKUPS, jsonapi_signup_limit_count=100)


async def test_sign_ups_of_a_taken_email_spend_the_lookup_limit(new_shop: NewShop) -> None:
    await (await new_shop("192.0.2.70")).sign_up("taken@example.com")
    shop = await new_shop("192.0.2.71")
    await shop.options()
    taken = attributes(**{"customer.email": "Taken@example.com", "customer.password": PASSWORD})

    refused = [await shop.write("POST", CUSTOMER, json=taken) for _ in range(LOOKUPS + 1)]
    fresh = await shop.write(
        "POST", CUSTOMER, json=attributes(**{"customer.email": "fresh@example.com"})
    )

    assert [r.status_code for r in refused] == [403] * LOOKUPS + [429]
    assert assert_clean_error(refused[0], 403) == [
        "An account with this e-mail address exists already"
    ]
    assert assert_clean_error(fresh, 429) and int(fresh.headers["retry-after"]) > 0
