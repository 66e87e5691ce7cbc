"""Settings are checked when read, so a mistake stops the start instead of a later mail."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.conftest import cheap_settings


@pytest.mark.parametrize(
    "template",
    [
        "https://shop.example.com/password/restore",  # no key: the mail would be useless
        "https://shop.example.com/reset?token={token}&store={store}",  # unknown placeholder
        "https://shop.example.com/reset?token={token",  # unbalanced brace
        "/password/restore?token={token}",  # relative: no mail client can open it
        "https://shop.example.com/reset?token={token.__class__}",  # reaching into a value
        "javascript:alert(1)//{token}",  # not http(s)
    ],
)
def test_broken_link_templates_are_refused(template: str) -> None:
    with pytest.raises(ValidationError, match="storefront_password_reset_url"):
        cheap_settings(storefront_password_reset_url=template)
    with pytest.raises(ValidationError, match="storefront_confirm_url"):
        cheap_settings(storefront_confirm_url=template)


def test_a_good_template_is_kept() -> None:
    template = "https://shop.example.com/de/password/restore?token={token}&from={public_url}"

    assert cheap_settings(storefront_password_reset_url=template).storefront_password_reset_url == (
        template
    )
