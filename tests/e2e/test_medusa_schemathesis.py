"""schemathesis against `/medusa/openapi.json` on a real server process.

It generates requests from the published document (valid and invalid ones, boundary values
first, then random ones) and fails on any server error or any answer the document does not
describe: undocumented status, wrong media type, body off its schema. It runs three times:
as nobody, as an admin (the API token header Medusa's admin sends) and as a shopper (a store
Bearer token). A shopper with an address, and two customer groups, are made first, so that
requests reach the handlers instead of stopping at 401 and 404; path parameters name them.
The budget is fixed (examples per operation, one seed), so a run takes the same requests
every time.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from patron.services import Services
from tests.clients.medusa.admin import admin_api_token
from tests.servers import running_server

MAX_EXAMPLES = 20
SEED = 20_261_130
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)
JSON = {"Accept": "application/json"}
SHOPPER = "fuzz@example.com"
PASSWORD = "fuzz-Secret-1"


@pytest.fixture
def server(clean_db: asyncpg.Pool, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A real `patron serve` (granian) on the test database; mail stays in the outbox."""
    with running_server(database_url, tmp_path / "server.log") as running:
        yield running.base


async def _seed(base: str, services: Services) -> dict[str, str]:
    """An admin API token; a shopper with a session, a Bearer token and an address; a group
    to read and edit, and one to delete."""
    api_token = await admin_api_token(services)
    admin = {**JSON, "x-medusa-access-token": api_token}
    async with httpx.AsyncClient(base_url=f"{base}/medusa", headers=JSON, timeout=10) as http:
        registered = await http.post(
            "/store/customers",
            json={"email": SHOPPER, "password": PASSWORD, "first_name": "Fu", "last_name": "Zz"},
        )
        assert registered.status_code == 200, registered.text
        token = await http.post("/store/auth/token", json={"email": SHOPPER, "password": PASSWORD})
        assert token.status_code == 200, token.text
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        address = await http.post(
            "/store/customers/me/addresses",
            headers=bearer,
            json={
                "address": {
                    "first_name": "Fu", "last_name": "Zz", "address_1": "Street 1",
                    "city": "Berlin", "country_code": "de", "postal_code": "10115",
                }
            },
        )  # fmt: skip
        assert address.status_code == 200, address.text
        groups = []
        for name in ("Fuzzed", "Doomed"):
            group = await http.post("/admin/customer-groups", headers=admin, json={"name": name})
            assert group.status_code == 200, group.text
            groups.append(group.json()["customer_group"]["id"])
    return {
        "api_token": api_token,
        "bearer": bearer["Authorization"],
        "customer": registered.json()["customer"]["id"],
        "address": address.json()["customer"]["shipping_addresses"][0]["id"],
        "group": groups[0],
        "doomed_group": groups[1],
    }


def _config(seeded: dict[str, str]) -> str:
    """Known ids for path parameters: the first matching entry applies. A group's DELETE
    gets a group of its own, so the other group operations keep finding theirs."""
    return f"""
[[operations]]
include-path-regex = "customer-groups/\\\\{{id\\\\}}$"
include-method = "DELETE"
parameters = {{ "path.id" = "{seeded["doomed_group"]}" }}

[[operations]]
include-path-regex = "customer-groups/"
parameters = {{ "path.id" = "{seeded["group"]}" }}

[[operations]]
include-path-regex = "admin/customers/"
parameters = {{ "path.id" = "{seeded["customer"]}" }}

[[operations]]
include-path-regex = "addresses/"
parameters = {{ "path.address_id" = "{seeded["address"]}" }}

[[operations]]
include-path-regex = "store/auth/"
parameters = {{ "path.email" = "{SHOPPER}" }}
"""


@pytest.mark.slow
@pytest.mark.parametrize("caller", ["nobody", "admin", "shopper"])
async def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    server: str, services: Services, tmp_path: Path, caller: str
) -> None:
    seeded = await _seed(server, services)
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(seeded))
    # Each caller where its credential opens doors (nobody everywhere: every 401 checked).
    credentials = {
        "nobody": [],
        "admin": [
            "--header", f"x-medusa-access-token: {seeded['api_token']}",
            "--include-path-regex", "^/admin/",
        ],
        "shopper": [
            "--header", f"Authorization: {seeded['bearer']}",
            "--include-path-regex", "^/store/",
        ],
    }[caller]  # fmt: skip
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config),
        "run", f"{server}/medusa/openapi.json",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--workers", "1",  # hypothesis' lambda descriptions are not thread-safe
        "--header", "Accept: application/json",
        *credentials,
        "--request-timeout", "10",
        "--no-color",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    result = await asyncio.to_thread(
        subprocess.run, command, cwd=tmp_path, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ generated, \d+ passed", result.stdout), result.stdout
    # The group DELETE went to its own group: the one the other operations name is still there.
    async with httpx.AsyncClient(base_url=f"{server}/medusa", timeout=10) as http:
        kept = await http.get(
            f"/admin/customer-groups/{seeded['group']}",
            headers={**JSON, "x-medusa-access-token": seeded["api_token"]},
        )
    assert kept.status_code == 200, kept.text
