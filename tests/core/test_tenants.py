"""Tenant administration: strict changes, tolerant loading, no lost updates."""

from __future__ import annotations

import asyncio
import dataclasses

import asyncpg
import pytest

from patron.core.back_office.tenants import PARSERS, parse_setting_changes
from patron.core.domain.errors.invalid_input import TenantSettingInvalid
from patron.core.domain.errors.not_found import TenantNotFound
from patron.core.domain.tenants import PasswordPolicyName, TenantSettings
from patron.services import Services


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"colour": "blue"}, "colour"),
        ({"confirmation_required": "maybe"}, "confirmation_required"),
        ({"confirmation_required": 1}, "confirmation_required"),
        ({"locales": 5}, "locales"),
        ({"locales": ["en_US", 5]}, "locales"),
        ({"password_policy": "weak"}, "password_policy"),
        ({"store_code": 7}, "store_code"),
        ({"confirmation_link": False}, "confirmation_link"),
        ({"store_code": "AT", "on_hold_on_creation": "no"}, "on_hold_on_creation"),
    ],
)
def test_unknown_keys_and_bad_values_are_refused_by_name(
    changes: dict[str, object], key: str
) -> None:
    with pytest.raises(TenantSettingInvalid) as refused:
        parse_setting_changes(changes)

    assert refused.value.key == key
    assert str(refused.value).startswith(f"{key}: ")


def test_good_values_are_typed() -> None:
    parsed = parse_setting_changes(
        {
            "password_policy": "strict",
            "confirmation_required": False,
            "locales": ["de_DE"],
            "confirmation_link": None,
            "store_code": "AT",
        }
    )

    assert parsed == {
        "password_policy": PasswordPolicyName.STRICT,
        "confirmation_required": False,
        "locales": ("de_DE",),
        "confirmation_link": None,
        "store_code": "AT",
    }


def test_every_setting_can_be_changed() -> None:
    assert set(PARSERS) == {field.name for field in dataclasses.fields(TenantSettings)}


async def _stored(pool: asyncpg.Pool) -> dict[str, object]:
    settings: dict[str, object] = await pool.fetchval(
        "SELECT settings FROM tenants WHERE code = 'default'"
    )
    return settings


async def test_a_refused_change_changes_nothing(services: Services, clean_db: asyncpg.Pool) -> None:
    before = await _stored(clean_db)

    with pytest.raises(TenantSettingInvalid, match=r"^reference_pattern: "):
        # Each value alone is well typed; together with the stored store code the pattern
        # cannot be filled in.
        await services.core.tenant_admin.change_settings(
            "default", {"store_code": "AT", "reference_pattern": "{store}-{shop}-{n}"}
        )
    with pytest.raises(TenantNotFound):
        await services.core.tenant_admin.change_settings("nowhere", {"store_code": "AT"})

    assert await _stored(clean_db) == before


async def test_concurrent_changes_of_different_keys_all_land(services: Services) -> None:
    admin = services.core.tenant_admin
    changes: list[dict[str, object]] = [
        {"store_code": "AT"},
        {"confirmation_required": False},
        {"default_locale": "de_DE"},
        {"on_hold_on_creation": True},
    ]

    await asyncio.gather(*(admin.change_settings("default", change) for change in changes))

    settings = (await admin.get("default")).settings
    assert (settings.store_code, settings.confirmation_required) == ("AT", False)
    assert (settings.default_locale, settings.on_hold_on_creation) == ("de_DE", True)


async def test_stored_settings_load_tolerantly(services: Services, clean_db: asyncpg.Pool) -> None:
    await clean_db.execute(
        "UPDATE tenants SET settings = settings || '{\"retired_key\": 1}' WHERE code = 'default'"
    )

    tenant = await services.core.tenant_admin.get("default")
    changed = await services.core.tenant_admin.change_settings("default", {"store_code": "AT"})

    assert tenant.settings == TenantSettings()
    assert changed.settings.store_code == "AT"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"default_locale": "en\r\nX-Injected: 1"}, "default_locale"),
        ({"locales": ["en_US", "de_DE\r\n"]}, "locales"),
        ({"locales": ["ünï"]}, "locales"),
        ({"locales": []}, "locales"),
        ({"default_locale": "fr_FR"}, "default_locale"),
        ({"store_code": "D E"}, "store_code"),
        ({"store_code": "DE\x07"}, "store_code"),
        ({"reference_pattern": "{store}/{n}"}, "reference_pattern"),
        ({"reference_pattern": "DE {n}"}, "reference_pattern"),
    ],
)
async def test_what_ends_up_in_paths_and_headers_is_a_plain_code(
    services: Services, changes: dict[str, object], key: str
) -> None:
    """A locale goes into `Content-Language`, a customer number into every Glue path."""
    with pytest.raises(TenantSettingInvalid) as refused:
        await services.core.tenant_admin.change_settings("default", changes)

    assert refused.value.key == key
    assert (await services.core.tenants.get("default")).settings == TenantSettings()
