"""schemathesis against Emporix' own tenant-managed OpenAPI document on a real server.

The document is Emporix' (tests/dialects/emporix/vendor), amended where it contradicts
itself or the reference (`vendor_openapi.AMENDMENTS`, each with its reason), with the
operations `/emporix` serves; the ones it does not serve yet are `vendor_openapi.PENDING`,
which must be empty when issue 10 is done. schemathesis generates requests from it (valid
and invalid ones, boundary values first, then random ones) and fails on any server error
or any answer the document does not describe: undocumented status, wrong media type, body
or `Count` header off its schema.

It runs twice. As a service: a client of a tenant made for the run holding every
`customer.*` scope gets a token from `POST /emporix/oauth/token` (the client-credentials
grant, as an integration does), and path parameters name that tenant, a customer and an
address of it, so requests reach the handlers instead of stopping at 400 and 404; the
customer DELETE and the address DELETE get a customer and an address of their own. As
nobody: no token and free parameters, so every refusal (401, 400, 404) is checked. The
budget is fixed (examples per operation, one seed), so a run takes the same requests
every time.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.identity.access import CustomerRef
from patron.dialects.emporix.scopes import to_core
from patron.services import Services
from tests.conftest import registration_for
from tests.core.test_addresses import draft
from tests.dialects.emporix.helpers import ALL_SCOPES
from tests.dialects.emporix.vendor_openapi import (
    PENDING,
    TOKEN_OPERATION,
    EmporixChecker,
    served_document,
    served_operations,
)
from tests.servers import running_server

MAX_EXAMPLES = 20
SEED = 20_261_130
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)
TENANT = "fuzz"
CUSTOMER_PATH = r"/customers/\\{customerNumber\\}"
ADDRESS_PATH = CUSTOMER_PATH + r"/addresses/\\{addressId\\}"


@pytest.fixture
def server(clean_db: asyncpg.Pool, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A real `patron serve` (granian) on the test database; mail stays in the outbox."""
    with running_server(database_url, tmp_path / "server.log") as running:
        yield running.base


@dataclass(frozen=True)
class Seeded:
    token: str
    customer: str
    address: str
    doomed_customer: str
    doomed_address_owner: str
    doomed_address: str


async def _customer_with_address(
    services: Services, pool: asyncpg.Pool, tenant: Tenant, email: str
) -> tuple[str, str]:
    customer = await services.core.accounts.register(tenant, registration_for(email))
    await pool.execute("UPDATE customers SET email_verified_at = now() WHERE id = $1", customer.id)
    _, pair = await services.core.auth.login(tenant, email, "change123", client_ip=None)
    claims = services.core.auth.verify(pair.access_token, tenant)
    address = await services.core.addresses.add_own(claims, CustomerRef.me(), draft())
    return customer.customer_number, str(address.uuid)


async def _seed(base: str, services: Services, pool: asyncpg.Pool) -> Seeded:
    """A tenant for the run, a client of it with every scope and its token (over HTTP),
    a customer with an address to work on, and one of each to delete."""
    settings = TenantSettings(reference_pattern="{n}", restrictions=("DE", "PL"))
    tenant = await services.core.tenant_admin.create(TENANT, "Fuzz", settings)
    client, secret = await services.core.staff_accounts.create_client(
        tenant, name="fuzzer", scopes=[core for name in ALL_SCOPES if (core := to_core(name))]
    )
    async with httpx.AsyncClient(base_url=f"{base}/emporix", timeout=10) as http:
        answer = await http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client.client_id,
                "client_secret": secret,
            },
        )
    assert answer.status_code == 200, answer.text
    customer, address = await _customer_with_address(services, pool, tenant, "fu@fuzz.example")
    doomed, _ = await _customer_with_address(services, pool, tenant, "doomed@fuzz.example")
    owner, doomed_address = await _customer_with_address(
        services, pool, tenant, "owner@fuzz.example"
    )
    return Seeded(answer.json()["access_token"], customer, address, doomed, owner, doomed_address)


def _config(seeded: Seeded) -> str:
    """Known ids for path parameters: the first matching entry applies."""

    def entry(path: str, method: str | None, **values: str) -> str:
        parameters = ", ".join(f'"path.{k}" = "{v}"' for k, v in values.items())
        only = f'include-method = "{method}"\n' if method else ""
        return (
            f'[[operations]]\ninclude-path-regex = "{path}$"\n{only}'
            f"parameters = {{ {parameters} }}\n"
        )

    return "\n".join(
        (
            entry(ADDRESS_PATH, "DELETE", tenant=TENANT, customerNumber=seeded.doomed_address_owner,
                  addressId=seeded.doomed_address),
            entry(ADDRESS_PATH + "(/tags)?", None, tenant=TENANT, customerNumber=seeded.customer,
                  addressId=seeded.address),
            entry(CUSTOMER_PATH, "DELETE", tenant=TENANT, customerNumber=seeded.doomed_customer),
            entry(CUSTOMER_PATH + "(/addresses)?", None, tenant=TENANT,
                  customerNumber=seeded.customer),
            entry("/customer/\\\\{tenant\\\\}/.*", None, tenant=TENANT),
        )
    )  # fmt: skip


def _reached(har: Path) -> set[str]:
    """The operations at least one request reached the handler of: answered neither 401
    nor 403 (the tenant is ours, so no tenant 400 either), from the run's HAR record."""
    checker = EmporixChecker()
    reached = set()
    for entry in json.loads(har.read_text())["log"]["entries"]:
        path = urlsplit(entry["request"]["url"]).path.removeprefix("/emporix")
        operation = checker.operation(entry["request"]["method"], path)
        if operation is not None and entry["response"]["status"] not in (401, 403):
            reached.add(operation.spec["operationId"])
    return reached


def _schemathesis(
    schema: Path, base: str, config: Path | None, *arguments: str
) -> subprocess.CompletedProcess[str]:
    configured = ["--config-file", str(config)] if config else []
    command = [
        sys.executable, "-m", "schemathesis.cli", *configured,
        "run", str(schema), "--url", f"{base}/emporix",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--workers", "1",  # hypothesis' lambda descriptions are not thread-safe
        "--request-timeout", "10",
        "--no-color",
        "--report", "har", "--report-har-path", str(schema.parent / "requests.har"),
        *arguments,
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
    return subprocess.run(command, cwd=schema.parent, env=env, capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("caller", ["service", "nobody"])
async def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    server: str, services: Services, clean_db: asyncpg.Pool, tmp_path: Path, caller: str
) -> None:
    seeded = await _seed(server, services, clean_db)
    schema = tmp_path / "emporix-tenant-managed.json"
    schema.write_text(json.dumps(served_document(server)))
    config = None
    arguments = ["--header", "Accept: application/json"]
    if caller == "service":
        config = tmp_path / "schemathesis.toml"
        config.write_text(_config(seeded))
        arguments += ["--header", f"Authorization: Bearer {seeded.token}"]

    result = await asyncio.to_thread(_schemathesis, schema, server, config, *arguments)

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ generated, \d+ passed", result.stdout), result.stdout
    tested = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    assert tested, result.stdout
    # Every served operation (and the token endpoint) was tested; PENDING is the rest.
    assert int(tested.group(1)) == len(served_operations()), (PENDING, result.stdout)
    if caller == "service":
        # Every served tenant operation was reached past the token, tenant and scope checks.
        tenanted = {
            o.operation_id for o in served_operations() if o.operation_id != TOKEN_OPERATION
        }
        assert _reached(tmp_path / "requests.har") >= tenanted
        # The DELETEs went to their own: the customer worked on is still there.
        async with httpx.AsyncClient(base_url=f"{server}/emporix", timeout=10) as http:
            kept = await http.get(
                f"/customer/{TENANT}/customers/{seeded.customer}",
                headers={"Authorization": f"Bearer {seeded.token}"},
            )
        assert kept.status_code == 200, kept.text
