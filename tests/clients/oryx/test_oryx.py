"""Spryker's own storefront (Oryx 1.4: @spryker-oryx/auth and @spryker-oryx/user, as
published on npm) against a real Patron server: journey.mjs drives Oryx's services through
Oryx's DI; this test serves Patron, hands over the confirmation key, and checks the outcome.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.conftest import IN_CI
from tests.dialects.glue.helpers import confirmation_key
from tests.servers import running_server

HERE = Path(__file__).resolve().parent
STOREFRONT = "https://shop.example.com"  # Oryx runs on its own origin: CORS is exercised
NODE_TIMEOUT_SECONDS = 120
STEPS = [
    "setup",
    "guest",
    "registered",
    "confirmed",
    "login",
    "identity",
    "read customer",
    "update customer",
    "address created",
    "address updated",
    "address deleted",
    "refresh",
    "headers",
    "logout",
]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"`{name}` is not installed (Node.js 20+ runs Oryx's adapters)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def _versions(lock: Path) -> dict[str, str | None]:
    packages: dict[str, dict[str, Any]] = json.loads(lock.read_text())["packages"]
    return {path: entry.get("version") for path, entry in packages.items() if path}


def _installed() -> bool:
    """node_modules holds exactly what package-lock.json locks (npm records what it installed
    in node_modules/.package-lock.json)."""
    installed = HERE / "node_modules" / ".package-lock.json"
    return installed.exists() and _versions(installed) == _versions(HERE / "package-lock.json")


@pytest.fixture(scope="session")
def node() -> str:
    """The `node` binary, with Oryx installed from the committed lock file."""
    node = _tool("node")
    if not _installed():
        npm = _tool("npm")
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert _installed()
    return node


@pytest.fixture
def server(clean_db: asyncpg.Pool, database_url: str, tmp_path: Path) -> Iterator[str]:
    cors = {"PATRON_GLUE_CORS_ORIGINS": json.dumps([STOREFRONT])}
    with running_server(database_url, tmp_path / "server.log", **cors) as running:
        yield running.base


async def _journey(
    node: str, glue: str, pool: asyncpg.Pool, email: str, feature_version: str
) -> tuple[int, list[dict[str, Any]], str]:
    """Run journey.mjs; answer its confirmation-key question from the outbox."""
    env = {
        **os.environ,
        "PATRON_GLUE_URL": glue,
        "ORYX_EMAIL": email,
        "ORYX_PASSWORD": "change123",
        "ORYX_FEATURE_VERSION": feature_version,
        "ORYX_ORIGIN": STOREFRONT,
    }
    process = await asyncio.create_subprocess_exec(
        node,
        "journey.mjs",
        cwd=HERE,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin and process.stdout and process.stderr
    lines: list[dict[str, Any]] = []

    async def read() -> None:
        assert process.stdin and process.stdout
        async for raw in process.stdout:
            line = json.loads(raw)
            lines.append(line)
            if line.get("step") == "registered":
                key = await confirmation_key(pool, email)
                process.stdin.write(f"{key}\n".encode())
                await process.stdin.drain()
        process.stdin.close()

    try:
        _, errors = await asyncio.wait_for(
            asyncio.gather(read(), process.stderr.read()), NODE_TIMEOUT_SECONDS
        )
        code = await asyncio.wait_for(process.wait(), NODE_TIMEOUT_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return code, lines, errors.decode()


@pytest.mark.slow
@pytest.mark.parametrize("feature_version", ["1.4", "1.0"])
async def test_oryx_storefront_account_journey(
    node: str, server: str, clean_db: asyncpg.Pool, feature_version: str
) -> None:
    email = f"oryx-{feature_version}@example.com"
    code, lines, errors = await _journey(node, f"{server}/glue", clean_db, email, feature_version)

    report = "\n".join(json.dumps(line) for line in lines) + "\n" + errors
    assert code == 0, report
    assert [line["step"] for line in lines if "step" in line] == STEPS, report
    assert lines[-1] == {"done": True}, report
    steps = {line["step"]: line for line in lines if "step" in line}
    assert steps["setup"]["featureVersion"] == feature_version
    reference = steps["registered"]["customerReference"]
    assert reference == await clean_db.fetchval(
        "SELECT customer_number FROM customers WHERE email = $1", email
    )
    assert steps["identity"]["customerReference"] == reference
    assert steps["login"]["tokenUrl"] == f"{server}/glue/token"
    requests = steps["headers"]["requests"]
    answered = [r for r in requests if not r.get("cancelled")]
    assert all(200 <= r["status"] < 300 for r in answered), report
    assert len(answered) >= 15, report
    # A browser on the storefront's origin preflights the guest header and the bearer token.
    preflights = [r for r in requests if "preflight" in r]
    assert {r["preflight"]["asked"] for r in preflights} >= {
        "x-anonymous-customer-unique-id",
        "authorization,content-type",
    }, report
    addresses = await clean_db.fetchval(
        "SELECT count(*) FROM addresses a JOIN customers c ON c.id = a.customer_id "
        "WHERE c.email = $1",
        email,
    )
    assert addresses == 0  # created, updated and deleted through Oryx
    first_name = await clean_db.fetchval("SELECT first_name FROM customers WHERE email = $1", email)
    assert first_name == "Orinoco"
