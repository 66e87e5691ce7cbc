"""The `patron` command against the test database."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import httpx
import pytest
from typer.testing import CliRunner, Result

from patron.cli import app
from tests.dialects.glue.helpers import register


async def invoke(cli: CliRunner, args: list[str]) -> Result:
    """The CLI runs its own event loop, so it runs in a thread of its own."""
    return await asyncio.to_thread(cli.invoke, app, args)


async def test_tenant_settings_are_shown_and_changed(
    cli: CliRunner, clean_db: asyncpg.Pool
) -> None:
    changed = await invoke(cli, ["tenant", "set", "default", "password_policy=strict",
                               "confirmation_required=false"])  # fmt: skip
    shown = await invoke(cli, ["tenant", "show", "default"])

    assert changed.exit_code == 0, changed.output
    assert json.loads(shown.output)["password_policy"] == "strict"
    assert json.loads(shown.output)["confirmation_required"] is False
    stored = await clean_db.fetchval("SELECT settings FROM tenants WHERE code = 'default'")
    assert stored["password_policy"] == "strict"


async def test_an_invalid_tenant_setting_is_refused_and_nothing_changes(
    cli: CliRunner, clean_db: asyncpg.Pool
) -> None:
    refused = await invoke(cli, ["tenant", "set", "default", "password_policy=weak"])

    assert refused.exit_code == 2
    stored = await clean_db.fetchval("SELECT settings FROM tenants WHERE code = 'default'")
    assert stored["password_policy"] == "compatible"


@pytest.mark.parametrize(
    ("assignment", "key"),
    [
        ("colour=blue", "colour"),
        ("confirmation_required=maybe", "confirmation_required"),
        ("locales=5", "locales"),
        ("password_policy=weak", "password_policy"),
    ],
)
async def test_an_unknown_key_or_a_bad_value_is_refused_by_name(
    cli: CliRunner, clean_db: asyncpg.Pool, assignment: str, key: str
) -> None:
    before = await clean_db.fetchval("SELECT settings FROM tenants WHERE code = 'default'")

    refused = await invoke(cli, ["tenant", "set", "default", "store_code=AT", assignment])

    assert refused.exit_code == 2, refused.output
    assert f"refused: {key}: " in refused.output
    after = await clean_db.fetchval("SELECT settings FROM tenants WHERE code = 'default'")
    assert after == before


async def test_setting_an_unknown_tenant_is_refused(cli: CliRunner, clean_db: asyncpg.Pool) -> None:
    refused = await invoke(cli, ["tenant", "set", "nowhere", "store_code=AT"])

    assert refused.exit_code == 1
    assert "no tenant 'nowhere'" in refused.output


async def test_a_tenant_link_template_is_set_checked_and_reset(
    cli: CliRunner, clean_db: asyncpg.Pool
) -> None:
    link = "https://shop.example/confirm?k={token}"

    changed = await invoke(cli, ["tenant", "set", "default", f"confirmation_link={link}"])
    broken = await invoke(
        cli, ["tenant", "set", "default", "password_reset_link=https://shop.example/reset"]
    )
    stored = await clean_db.fetchval("SELECT settings FROM tenants WHERE code = 'default'")
    reset = await invoke(cli, ["tenant", "set", "default", "confirmation_link=null"])

    assert changed.exit_code == 0, changed.output
    assert (stored["confirmation_link"], stored["password_reset_link"]) == (link, None)
    assert broken.exit_code == 2
    assert "refused: password_reset_link: must contain {token}" in broken.output
    assert reset.exit_code == 0, reset.output
    assert json.loads(reset.output)["confirmation_link"] is None


async def test_tenants_are_created_and_listed(cli: CliRunner, clean_db: asyncpg.Pool) -> None:
    created = await invoke(cli, ["tenant", "create", "acme", "--name", "ACME Inc."])
    listed = await invoke(cli, ["tenant", "list"])

    assert created.exit_code == 0, created.output
    assert "acme" in listed.output and "default" in listed.output


async def test_the_outbox_is_listed_and_shown(
    cli: CliRunner, client: httpx.AsyncClient, clean_db: asyncpg.Pool
) -> None:
    await register(client, "outbox@example.com")
    message_id = await clean_db.fetchval("SELECT id FROM outbox")

    listed = await invoke(cli, ["mail", "list"])
    shown = await invoke(cli, ["mail", "show", str(message_id)])
    missing = await invoke(cli, ["mail", "show", "999999"])

    assert listed.exit_code == 0
    assert "outbox@example.com" in listed.output
    assert "register/confirm?token=" in shown.output
    assert missing.exit_code == 1


async def test_migrate_is_idempotent(cli: CliRunner, clean_db: asyncpg.Pool) -> None:
    first = await invoke(cli, ["migrate"])
    second = await invoke(cli, ["migrate"])

    assert first.exit_code == second.exit_code == 0
    assert "schema is current" in second.output


async def test_a_pattern_without_a_number_is_refused(
    cli: CliRunner, clean_db: asyncpg.Pool
) -> None:
    refused = await invoke(cli, ["tenant", "set", "default", "reference_pattern=DE--"])

    assert refused.exit_code == 2
    stored = await clean_db.fetchval("SELECT settings FROM tenants WHERE code = 'default'")
    assert stored["reference_pattern"] == "DE--{n}"


async def test_new_tenants_take_the_configured_password_policy(
    cli: CliRunner, clean_db: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_PASSWORD_POLICY", "strict")

    created = await invoke(cli, ["tenant", "create", "strictshop"])
    unknown = await invoke(cli, ["tenant", "show", "nowhere"])

    assert created.exit_code == 0, created.output
    stored = await clean_db.fetchval("SELECT settings FROM tenants WHERE code = 'strictshop'")
    assert stored["password_policy"] == "strict"
    assert unknown.exit_code == 1
