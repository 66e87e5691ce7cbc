"""schemathesis against `/glue/openapi.json` on a real server process.

It generates requests from the published document (valid and invalid ones, boundary
values first, then random ones) and fails on any server error or any answer the document
does not describe: undocumented status, wrong media type, body off its schema. A customer
with a token, an address, a SKU and a subscription are made first, so that requests reach
the handlers instead of stopping at 401, 403 and 404. The budget is fixed (examples per
operation, one seed), so a run takes the same requests every time.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import ROOT
from tests.servers import running_server

MAX_EXAMPLES = 50
SEED = 20_260_601
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)
JSON_API = "application/vnd.api+json"


@pytest.fixture
def server(clean_db: asyncpg.Pool, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A real `patron serve` (granian) on the test database; mail stays in the outbox."""
    with running_server(database_url, tmp_path / "server.log") as running:
        yield running.base


def _doc(type_: str, **attributes: object) -> dict[str, object]:
    return {"data": {"type": type_, "attributes": attributes}}


async def _seed(base: str, pool: asyncpg.Pool, database_url: str) -> dict[str, str]:
    """A confirmed customer with a token and an address, a SKU and a subscription."""
    env = {**os.environ, "PATRON_DATABASE_URL": database_url}
    cli = [sys.executable, "-m", "patron", "availability", "set", "SKU-1", "--unavailable"]
    await asyncio.to_thread(subprocess.run, cli, env=env, cwd=ROOT, check=True, capture_output=True)
    async with httpx.AsyncClient(
        base_url=f"{base}/glue", headers={"Accept": JSON_API}, timeout=10
    ) as http:
        email = "fuzz@example.com"
        registered = await http.post(
            "/customers",
            json=_doc(
                "customers", salutation="Ms", firstName="Fu", lastName="Zz", email=email,
                gender="Female", password="change123", confirmPassword="change123",
                acceptedTerms=True,
            ),
        )  # fmt: skip
        assert registered.status_code == 201, registered.text
        body = await pool.fetchval("SELECT body FROM outbox ORDER BY id DESC LIMIT 1")
        key = re.search(r"token=([\w-]+)", body)
        assert key, body
        confirmation = _doc("customer-confirmation", registrationKey=key.group(1))
        assert (await http.post("/customer-confirmation", json=confirmation)).status_code == 204
        login = await http.post(
            "/access-tokens", json=_doc("access-tokens", username=email, password="change123")
        )
        assert login.status_code == 201, login.text
        token = login.json()["data"]["attributes"]["accessToken"]
        reference = registered.json()["data"]["id"]
        address = await http.post(
            f"/customers/{reference}/addresses",
            headers={"Authorization": f"Bearer {token}"},
            json=_doc(
                "addresses", salutation="Ms", firstName="Fu", lastName="Zz", address1="Street",
                address2="1", zipCode="10115", city="Berlin", iso2Code="DE",
            ),
        )  # fmt: skip
        assert address.status_code == 201, address.text
        subscription = await http.post(
            "/availability-notifications",
            json=_doc("availability-notifications", sku="SKU-1", email=email),
        )
        assert subscription.status_code == 201, subscription.text
    return {
        "token": token,
        "reference": reference,
        "address": address.json()["data"]["id"],
        "subscription": subscription.json()["data"]["id"],
    }


def _config(seeded: dict[str, Any]) -> str:
    """Known ids for path parameters; never the customer's own DELETE (it would anonymize
    the customer, and every later request would only get 401)."""
    return f"""
[parameters]
"path.subscription_key" = "{seeded["subscription"]}"

[[operations]]
include-path-regex = "customer_reference"
exclude-method = "DELETE"
parameters = {{ "path.customer_reference" = "{seeded["reference"]}", "path.address_uuid" = "{seeded["address"]}" }}
"""  # noqa: E501


@pytest.mark.slow
async def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    server: str, database_url: str, clean_db: asyncpg.Pool, tmp_path: Path
) -> None:
    seeded = await _seed(server, clean_db, database_url)
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(seeded))
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config),
        "run", f"{server}/glue/openapi.json",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--workers", "1",  # hypothesis' lambda descriptions are not thread-safe
        "--header", f"Accept: {JSON_API}",
        "--header", f"Authorization: Bearer {seeded['token']}",
        "--request-timeout", "10",
        "--no-color",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    result = await asyncio.to_thread(
        subprocess.run, command, cwd=tmp_path, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ generated, \d+ passed", result.stdout), result.stdout
