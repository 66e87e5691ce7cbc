"""`patron admin` against the test database: users, clients, and their secrets."""

from __future__ import annotations

import asyncio
import hashlib
import re

import asyncpg
import pytest
from typer.testing import CliRunner, Result

from patron.cli import app
from patron.core.domain.errors.unauthorized import InvalidAccessToken, InvalidCredentials
from patron.core.domain.principals import BACK_OFFICE_SCOPES
from patron.core.identity.staff_credentials import BackOfficeCredential, CredentialKind
from patron.services import Services
from tests.core.back_office_callers import principal_of

PASSWORD = "admin-pass-1"


async def invoke(cli: CliRunner, args: list[str], input: str | None = None) -> Result:
    """The CLI runs its own event loop, so it runs in a thread of its own."""
    return await asyncio.to_thread(cli.invoke, app, args, input=input)


@pytest.fixture
def cli(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The shared `cli`, hashing admin passwords cheaply."""
    monkeypatch.setenv("PATRON_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.setenv("PATRON_ARGON2_TIME_COST", "1")
    return cli


async def _create_user(cli: CliRunner, *args: str) -> str:
    result = await invoke(
        cli,
        ["admin", "create-user", "ada@example.com", "--password-stdin", *args],
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    return result.output


def _shown(output: str, label: str) -> str:
    match = re.search(rf"^{label}: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


async def test_a_user_is_created_with_a_password_from_stdin(
    cli: CliRunner, clean_db: asyncpg.Pool, services: Services
) -> None:
    output = await _create_user(
        cli, "--role", "member", "--scope", "customers:read", "--first-name", "Ada"
    )

    assert "created user ada@example.com (member; scopes: customers:read)" in output
    row = await clean_db.fetchrow("SELECT role, scopes, first_name, password_hash FROM admin_users")
    assert row is not None
    assert (row["role"], row["scopes"], row["first_name"]) == ("member", ["customers:read"], "Ada")
    assert PASSWORD not in row["password_hash"]
    tenant = await services.core.tenants.get("default")
    await services.core.back_office.log_in(tenant, "ada@example.com", PASSWORD, client_ip=None)


async def test_a_user_password_is_asked_for_twice_hidden(
    cli: CliRunner, clean_db: asyncpg.Pool
) -> None:
    typo = await invoke(
        cli,
        ["admin", "create-user", "ada@example.com"],
        input=f"{PASSWORD}\nsomething-else\n{PASSWORD}\n{PASSWORD}\n",
    )

    assert typo.exit_code == 0, typo.output
    assert PASSWORD not in typo.output
    scopes = await clean_db.fetchval("SELECT scopes FROM admin_users")
    assert set(scopes) == BACK_OFFICE_SCOPES  # every scope unless --scope narrows it


@pytest.mark.parametrize(
    ("args", "password", "code", "message"),
    [
        (["ada@example.com"], "short", 2, "refused: password too_short"),
        (["not-an-email"], PASSWORD, 2, "refused: not a valid email address"),
        (
            ["ada@example.com", "--first-name", "x" * 101],
            PASSWORD,
            2,
            "refused: first_name: too_long",
        ),
        (["ada@example.com", "--tenant", "nowhere"], PASSWORD, 1, "no tenant 'nowhere'"),
    ],
)
async def test_a_refused_user_is_one_line_and_a_non_zero_exit(
    cli: CliRunner,
    clean_db: asyncpg.Pool,
    args: list[str],
    password: str,
    code: int,
    message: str,
) -> None:
    result = await invoke(
        cli, ["admin", "create-user", "--password-stdin", *args], input=f"{password}\n"
    )

    assert result.exit_code == code, result.output
    assert result.output.strip() == message
    assert await clean_db.fetchval("SELECT count(*) FROM admin_users") == 0


async def test_a_duplicate_user_is_refused(cli: CliRunner, clean_db: asyncpg.Pool) -> None:
    await _create_user(cli)

    again = await invoke(
        cli,
        ["admin", "create-user", "ADA@example.com", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )

    assert again.exit_code == 1
    assert again.output.strip() == "refused: the tenant has a user with that email"


async def test_an_unknown_scope_is_refused_by_the_command_line(
    cli: CliRunner, clean_db: asyncpg.Pool
) -> None:
    result = await invoke(cli, ["admin", "create-client", "ERP", "--scope", "orders:manage"])

    assert result.exit_code == 2
    assert await clean_db.fetchval("SELECT count(*) FROM api_clients") == 0


async def test_a_client_secret_is_shown_once_and_works(
    cli: CliRunner, clean_db: asyncpg.Pool, services: Services
) -> None:
    result = await invoke(
        cli, ["admin", "create-client", "ERP sync", "--scope", "customers:read",
              "--scope", "groups:manage"]
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    client_id, secret = _shown(result.output, "client id"), _shown(result.output, "secret")
    stored = await clean_db.fetchval("SELECT secret_hash FROM api_clients")
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    tenant = await services.core.tenants.get("default")
    token, _ = await services.core.back_office.client_token(
        tenant, client_id, secret, client_ip=None
    )
    principal = await services.core.back_office.authorize(
        tenant, BackOfficeCredential(CredentialKind.BEARER, token)
    )
    assert principal.scopes == {"customers:read", "groups:manage"}
    listed = await invoke(cli, ["admin", "list"])
    assert client_id in listed.output and secret not in listed.output


async def test_a_client_without_scopes_is_a_storefront_client(
    cli: CliRunner, clean_db: asyncpg.Pool, services: Services
) -> None:
    result = await invoke(cli, ["admin", "create-client", "Web shop"])

    assert result.exit_code == 0, result.output
    client_id = _shown(result.output, "client id")
    assert await clean_db.fetchval("SELECT scopes FROM api_clients") == []
    tenant = await services.core.tenants.get("default")
    opened = await services.core.visitors.open(tenant, client_id)
    assert (await services.core.visitors.verify(tenant, opened.access_token)).client_id == client_id


async def test_a_rotated_secret_replaces_the_old_one(
    cli: CliRunner, clean_db: asyncpg.Pool, services: Services
) -> None:
    created = await invoke(cli, ["admin", "create-client", "ERP", "--scope", "customers:read"])
    client_id, old = _shown(created.output, "client id"), _shown(created.output, "secret")

    rotated = await invoke(cli, ["admin", "rotate-secret", client_id])

    assert rotated.exit_code == 0, rotated.output
    new = _shown(rotated.output, "secret")
    tenant = await services.core.tenants.get("default")
    with pytest.raises(InvalidCredentials):
        await services.core.back_office.client_token(tenant, client_id, old, client_ip=None)
    await services.core.back_office.client_token(tenant, client_id, new, client_ip=None)
    unknown = await invoke(cli, ["admin", "rotate-secret", "pc_unknown"])
    assert unknown.exit_code == 1
    assert unknown.output.strip() == "no such user or client in this tenant"


async def test_an_issued_api_token_authorizes_until_the_user_is_disabled(
    cli: CliRunner, clean_db: asyncpg.Pool, services: Services
) -> None:
    await _create_user(cli)

    issued = await invoke(cli, ["admin", "issue-token", "ada@example.com"])

    assert issued.exit_code == 0, issued.output
    credential = BackOfficeCredential(CredentialKind.API_TOKEN, _shown(issued.output, "API token"))
    tenant = await services.core.tenants.get("default")
    await services.core.back_office.authorize(tenant, credential)
    disabled = await invoke(cli, ["admin", "disable", "user", "ada@example.com"])
    assert disabled.exit_code == 0, disabled.output
    assert disabled.output.strip() == "user ada@example.com disabled"
    with pytest.raises(InvalidAccessToken):
        await services.core.back_office.authorize(tenant, credential)


async def test_users_and_clients_are_disabled_enabled_and_listed(
    cli: CliRunner, clean_db: asyncpg.Pool
) -> None:
    await _create_user(cli)
    created = await invoke(cli, ["admin", "create-client", "ERP", "--scope", "customers:read"])
    client_id = _shown(created.output, "client id")

    results = [
        await invoke(cli, ["admin", "disable", "client", client_id]),
        await invoke(cli, ["admin", "disable", "user", "ada@example.com"]),
        await invoke(cli, ["admin", "enable", "user", "ADA@example.com"]),
    ]
    listed = await invoke(cli, ["admin", "list"])

    assert [r.exit_code for r in results] == [0, 0, 0]
    assert re.search(r"ada@example\.com .* admin .* enabled", listed.output), listed.output
    assert re.search(rf"{client_id} .* ERP .* customers:read .* disabled", listed.output)
    missing = await invoke(cli, ["admin", "enable", "user", "nobody@example.com"])
    assert missing.exit_code == 1
    assert missing.output.strip() == "no such user or client in this tenant"
    wrong_kind = await invoke(cli, ["admin", "disable", "robot", client_id])
    assert wrong_kind.exit_code == 2


async def test_a_client_takes_emporix_scope_names_and_a_company(
    cli: CliRunner, clean_db: asyncpg.Pool, services: Services
) -> None:
    tenant = await services.core.tenants.get("default")
    group = await services.core.groups.create(principal_of(tenant), tenant, name="ACME")

    result = await invoke(
        cli, ["admin", "create-client", "B2B portal", "--scope", "customer.customer_read--DE",
              "--scope", "customer.customer_manage_own", "--company", str(group.uuid)]
    )  # fmt: skip
    unknown_group = await invoke(
        cli, ["admin", "create-client", "X", "--scope", "customers:read",
              "--company", "00000000-0000-0000-0000-000000000000"]
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    client_id, secret = _shown(result.output, "client id"), _shown(result.output, "secret")
    token, _ = await services.core.back_office.client_token(
        tenant, client_id, secret, client_ip=None
    )
    principal = await services.core.back_office.authorize(
        tenant, BackOfficeCredential(CredentialKind.BEARER, token)
    )
    assert principal.scopes == {"customers:read--DE", "customers:manage_own"}
    assert principal.companies == {group.id}
    assert unknown_group.exit_code == 1
    assert unknown_group.output.strip() == "no such customer group in this tenant"
    assert await clean_db.fetchval("SELECT count(*) FROM api_clients") == 1
