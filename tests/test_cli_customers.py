"""`patron customers import`: CSV and JSON Lines files through the core's import, against
the test database; good rows go in, bad ones are written to the failures file."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
from typer.testing import CliRunner, Result

from patron.cli import app
from patron.core.domain.password_migration import MigrationWindowRequest
from patron.core.domain.principals import Scope, operator
from patron.services import Services
from tests.dialects.emporix.import_helpers import (
    UID,
    argon2id_hash,
    bcrypt_hash,
    hybris_digest,
    pbkdf2_hash,
)


async def invoke(cli: CliRunner, args: list[str]) -> Result:
    """The CLI runs its own event loop, so it runs in a thread of its own."""
    return await asyncio.to_thread(cli.invoke, app, args)


def failures_in(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def emails(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("SELECT email FROM customers ORDER BY id")
    return [row["email"] for row in rows]


async def test_a_csv_file_with_good_and_bad_rows(
    cli: CliRunner, clean_db: asyncpg.Pool, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        "email,customer_number,password_hash,first_name,last_name,metadata\n"
        f"ada@example.com,A-1,{bcrypt_hash()},Ada,Lovelace,\n"
        f'bob@example.com,,{pbkdf2_hash()},Bob,,"{{""mixins"": {{}}}}"\n'
        "carl@example.com,,not-a-hash,Carl,,\n"
        f'ADA@example.com,,"{argon2id_hash()}",,,\n'  # its commas quoted
        f"dora@example.com,A-1,{bcrypt_hash()},,,\n"
        f"erin@example.com,,{bcrypt_hash()},,,{{broken\n"
        f"fay@example.com,,{bcrypt_hash()},,,,extra\n"
        ",,,,,\n",
        encoding="utf-8",
    )
    report = tmp_path / "failed.jsonl"

    result = await invoke(
        cli, ["customers", "import", str(source), "--batch-size", "3", "--failures", str(report)]
    )

    assert result.exit_code == 1, result.output
    assert "imported 2 customer(s); 6 failed" in result.output
    assert await emails(clean_db) == ["ada@example.com", "bob@example.com"]
    assert [(f["line"], f["index"], f["code"]) for f in failures_in(report)] == [
        (4, 2, "password_hash_invalid"),
        (5, 3, "email_taken"),
        (6, 4, "customer_number_taken"),
        (7, 5, "row_invalid"),
        (8, 6, "row_invalid"),
        (9, 7, "row_invalid"),
    ]
    assert failures_in(report)[0]["message"] == "the password hash is in no supported format"
    assert failures_in(report)[5]["message"] == "email is missing"


async def test_a_jsonl_file_with_legacy_hashes_in_an_open_window(
    cli: CliRunner, services: Services, clean_db: asyncpg.Pool, tmp_path: Path
) -> None:
    tenant = await services.core.tenants.get("default")
    await services.core.imports.set_window(
        operator(tenant.id, Scope.IMPORTS_MANAGE),
        tenant,
        MigrationWindowRequest(date(2099, 1, 31)),
    )
    legacy = {
        "legacy_algorithm": "hybris-sha512-uid-salt",
        "legacy_hash": hybris_digest().hex(),
        "legacy_context": {"originalUid": UID},
    }
    lines = [
        {"email": "old@example.com", "first_name": "Olga", **legacy},
        {"email": "both@example.com", "password_hash": bcrypt_hash(), **legacy},
        {"email": "neither@example.com"},
        {"email": "typed@example.com", "password_hash": bcrypt_hash(), "first_name": 7},
        {"email": "odd@example.com", "password_hash": bcrypt_hash(), "nickname": "x"},
        "not an object",
        {"email": "new@example.com", "password_hash": argon2id_hash(), "metadata": {"a": 1}},
    ]
    source = tmp_path / "customers.jsonl"
    text = "\n".join(json.dumps(line) for line in lines) + "\n\n{broken\n"
    source.write_text(text, encoding="utf-8")

    result = await invoke(cli, ["customers", "import", str(source)])

    assert result.exit_code == 1, result.output
    assert "imported 2 customer(s); 6 failed" in result.output
    assert await emails(clean_db) == ["old@example.com", "new@example.com"]
    report = tmp_path / "customers.jsonl.failures.jsonl"
    assert [(f["line"], f["code"]) for f in failures_in(report)] == [
        (2, "credential_choice"),
        (3, "credential_choice"),
        (4, "row_invalid"),
        (5, "row_invalid"),
        (6, "row_invalid"),
        (9, "row_invalid"),
    ]
    stored = await clean_db.fetchval(
        "SELECT password_hash FROM customers WHERE email = 'old@example.com'"
    )
    assert stored.startswith("$legacy-hybris-sha512-uid-salt$")


async def test_a_clean_file_exits_0_and_a_bad_header_or_tenant_changes_nothing(
    cli: CliRunner, clean_db: asyncpg.Pool, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(f"email,password_hash\nok@example.com,{bcrypt_hash()}\n", encoding="utf-8")
    header = tmp_path / "header.csv"
    header.write_text("email,password_hash,shoe_size\nx@example.com,,42\n", encoding="utf-8")

    unknown_column = await invoke(cli, ["customers", "import", str(header)])
    no_tenant = await invoke(cli, ["customers", "import", str(good), "--format", "csv",
                                   "--tenant", "nowhere"])  # fmt: skip
    too_big = await invoke(cli, ["customers", "import", str(good), "--batch-size", "201"])
    imported = await invoke(cli, ["customers", "import", str(good), "--format", "csv"])

    assert unknown_column.exit_code == 2
    assert "unknown column(s) shoe_size" in unknown_column.output
    assert no_tenant.exit_code == 1
    assert too_big.exit_code == 2
    assert imported.exit_code == 0, imported.output
    assert "imported 1 customer(s); 0 failed" in imported.output
    assert await emails(clean_db) == ["ok@example.com"]
