"""Spryker's own storefront (Oryx 1.4: @spryker-oryx/auth and @spryker-oryx/user, as
published on npm) against a real Patron server: journey.mjs drives Oryx's services through
Oryx's DI; this test serves Patron, hands over the confirmation key, and checks the outcome.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.clients.node import node_with_packages, run_script
from tests.dialects.glue.helpers import confirmation_key
from tests.servers import running_server

HERE = Path(__file__).resolve().parent
STOREFRONT = "https://shop.example.com"  # Oryx runs on its own origin: CORS is exercised
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


@pytest.fixture(scope="session")
def node() -> str:
    """The `node` binary, with Oryx installed from the committed lock file."""
    return node_with_packages(HERE, "Oryx's adapters")


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

    async def answer(line: dict[str, Any]) -> str | None:
        if line.get("step") == "registered":
            return await confirmation_key(pool, email)
        return None

    return await run_script(node, "journey.mjs", cwd=HERE, env=env, answer=answer)


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
