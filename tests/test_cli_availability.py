"""`patron availability`: set, import and list the SKU register against the test database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from typer.testing import CliRunner, Result

from patron.cli import RegisterFileError, RegisterRow, app, read_register
from patron.core.domain.tenants import TenantSettings
from patron.services import Services
from patron.storage.tenants import TenantAdmin


async def invoke(cli: CliRunner, args: list[str]) -> Result:
    """The CLI runs its own event loop, so it runs in a thread of its own."""
    return await asyncio.to_thread(cli.invoke, app, args)


async def subscribe(services: Services, sku: str, *emails: str) -> None:
    tenant = await services.core.tenants.get("default")
    for email in emails:
        await services.core.availability.subscribe(tenant, sku=sku, email=email, locale="en_US")


async def products(pool: asyncpg.Pool) -> list[tuple[str, str | None, bool]]:
    rows = await pool.fetch("SELECT sku, name, is_available FROM products ORDER BY sku")
    return [(r["sku"], r["name"], r["is_available"]) for r in rows]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


async def test_set_registers_a_sku(cli: CliRunner, clean_db: asyncpg.Pool) -> None:
    result = await invoke(cli, ["availability", "set", "SKU-1", "--unavailable", "--name", "Lamp"])

    assert result.exit_code == 0, result.output
    assert "SKU-1 is unavailable; 0 notification(s) queued" in result.output
    assert await products(clean_db) == [("SKU-1", "Lamp", False)]


async def test_set_available_queues_one_mail_per_subscriber(
    cli: CliRunner, services: Services, clean_db: asyncpg.Pool
) -> None:
    await invoke(cli, ["availability", "set", "SKU-1", "--unavailable", "--name", "Lamp"])
    await subscribe(services, "SKU-1", "a@example.com", "b@example.com")

    result = await invoke(cli, ["availability", "set", "SKU-1", "--available"])
    again = await invoke(cli, ["availability", "set", "SKU-1", "--available"])

    assert result.exit_code == 0, result.output
    assert "SKU-1 is available; 2 notification(s) queued" in result.output
    assert "0 notification(s) queued" in again.output
    recipients = await clean_db.fetch(
        "SELECT recipient FROM outbox WHERE template = 'availability_notification' ORDER BY id"
    )
    assert [r["recipient"] for r in recipients] == ["a@example.com", "b@example.com"]
    assert await products(clean_db) == [("SKU-1", "Lamp", True)]


async def test_set_needs_a_state_and_a_known_tenant(cli: CliRunner, clean_db: asyncpg.Pool) -> None:
    no_state = await invoke(cli, ["availability", "set", "SKU-1"])
    no_tenant = await invoke(cli, ["availability", "set", "SKU-1", "--available",
                                   "--tenant", "nowhere"])  # fmt: skip
    blank = await invoke(cli, ["availability", "set", " ", "--available"])
    hostile = await invoke(cli, ["availability", "set", "SKU-1", "--available",
                                 "--name", "Lamp\u202e"])  # fmt: skip

    assert no_state.exit_code == 2
    assert hostile.exit_code == 2 and "refused" in hostile.output
    assert no_tenant.exit_code == 1 and "no tenant 'nowhere'" in no_tenant.output
    assert blank.exit_code == 2
    assert await products(clean_db) == []


async def test_set_writes_to_the_named_tenant(cli: CliRunner, clean_db: asyncpg.Pool) -> None:
    other = await TenantAdmin(clean_db).create("other", "Other", TenantSettings())

    result = await invoke(cli, ["availability", "set", "SKU-1", "--available",
                                "--tenant", "other"])  # fmt: skip

    assert result.exit_code == 0, result.output
    assert await clean_db.fetchval("SELECT tenant_id FROM products") == other.id


async def test_import_applies_every_row_and_notifies(
    cli: CliRunner, services: Services, clean_db: asyncpg.Pool, tmp_path: Path
) -> None:
    await invoke(cli, ["availability", "set", "SKU-2", "--unavailable", "--name", "Old name"])
    await subscribe(services, "SKU-2", "a@example.com")
    file = write(
        tmp_path / "register.csv",
        "sku,available,name\n"
        "SKU-1,false,Desk lamp\n"
        "SKU-2,YES,\n"
        "SKU-3,0,Chair\n"
        '"SKU-4",1,"Table, oak"\n',
    )

    result = await invoke(cli, ["availability", "import", str(file)])

    assert result.exit_code == 0, result.output
    assert "imported 4 row(s); 1 notification(s) queued" in result.output
    assert await products(clean_db) == [
        ("SKU-1", "Desk lamp", False),
        ("SKU-2", "Old name", True),  # an empty name keeps the stored one
        ("SKU-3", "Chair", False),
        ("SKU-4", "Table, oak", True),
    ]
    assert await clean_db.fetchval("SELECT count(*) FROM availability_subscriptions") == 0


async def test_a_bad_row_names_its_line_and_nothing_is_applied(
    cli: CliRunner, clean_db: asyncpg.Pool, tmp_path: Path
) -> None:
    file = write(
        tmp_path / "register.csv",
        "sku,available,name\nSKU-1,true,Lamp\nSKU-2,maybe,Chair\nSKU-3,no,\n",
    )

    result = await invoke(cli, ["availability", "import", str(file)])

    assert result.exit_code == 2
    assert "line 3" in result.output and "'maybe'" in result.output
    assert await products(clean_db) == []


async def test_a_bad_header_or_a_missing_file_is_refused(
    cli: CliRunner, clean_db: asyncpg.Pool, tmp_path: Path
) -> None:
    file = write(tmp_path / "register.csv", "sku,stock\nSKU-1,3\n")

    bad_header = await invoke(cli, ["availability", "import", str(file)])
    missing = await invoke(cli, ["availability", "import", str(tmp_path / "none.csv")])

    assert bad_header.exit_code == 2
    assert "line 1" in bad_header.output and "available" in bad_header.output
    assert missing.exit_code == 2
    assert await products(clean_db) == []


async def test_list_shows_the_register_with_open_subscriptions(
    cli: CliRunner, services: Services, clean_db: asyncpg.Pool
) -> None:
    await invoke(cli, ["availability", "set", "SKU-1", "--unavailable", "--name", "Desk lamp"])
    await invoke(cli, ["availability", "set", "SKU-2", "--available"])
    await subscribe(services, "SKU-1", "a@example.com", "b@example.com")

    result = await invoke(cli, ["availability", "list"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = next(line for line in lines if "SKU-1" in line)
    second = next(line for line in lines if "SKU-2" in line)
    assert "Desk lamp" in first and " no " in first and " 2 " in first
    assert " yes " in second and " 0 " in second


def test_the_register_file_is_parsed_whole(tmp_path: Path) -> None:
    file = tmp_path / "register.csv"
    file.write_bytes("\ufeffSKU,Available,Name\r\nA,True, Lamp \r\n\r\nB,no,\r\n".encode())

    assert read_register(file) == [
        RegisterRow(2, "A", True, "Lamp"),
        RegisterRow(4, "B", False, None),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1"),
        ("sku,available,colour\n", "line 1"),
        ("sku,available\n,true\n", "line 2: the SKU is empty"),
        ("sku,available\nA,true,extra\n", "line 2: more fields"),
        ("sku,available,name\nA,true,x\nB,\n", "line 3: available must be"),
        ("sku,available,name\nA,true,x\nB,true,Lamp\u202e\n", "line 3: name is too long"),
        ("sku,available\n" + "S" * 256 + ",true\n", "line 2: sku is too long"),
    ],
)
def test_bad_register_files_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    file = write(tmp_path / "register.csv", text)

    with pytest.raises(RegisterFileError, match=message):
        read_register(file)
