"""Aimeos' sign-up takes an address in a test or reserved domain (issue 18)."""

from __future__ import annotations

import pytest

from tests.dialects.aimeos.helpers import AimeosBrowser


@pytest.mark.parametrize("email", ["anna@shop.test", "x@example.invalid", "y@host.localhost"])
async def test_a_customer_signs_up_with_a_special_use_domain(
    shop: AimeosBrowser, email: str
) -> None:
    await shop.sign_up(email)

    login = await shop.login(email)
    assert login.status_code == 200, login.text
    shown = (await shop.get()).json()["data"]["attributes"]
    assert shown["customer.email"] == email
