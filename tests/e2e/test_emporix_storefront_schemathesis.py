"""schemathesis against Emporix' own customer-managed (storefront) OpenAPI document on a
real server.

The document is Emporix' (tests/dialects/emporix/vendor), amended where it is silent or
contradicts the reference (`vendor_openapi.SELF_SERVICE_AMENDMENTS`, each with its
reason), with the operations `/emporix` serves (social login and token exchange are not).
schemathesis generates requests from it and fails on any server error or any answer the
document does not describe.

It runs three times: as nobody (no token), as a visitor (an anonymous token of a
storefront client) and as a customer (a customer token from `POST .../login`), with the
path's tenant that of the run and the customer's own address for address ids, so requests
reach the handlers. The budget is fixed (examples per operation, one seed).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from patron.core.domain.tenants import TenantSettings
from patron.services import Services
from tests.dialects.emporix.vendor_openapi import (
    DocumentChecker,
    self_service_document,
    self_service_served_document,
    self_service_served_operations,
)
from tests.e2e.test_emporix_schemathesis import _schemathesis
from tests.servers import running_server

TENANT = "fuzz"
EMAIL = "shopper@fuzz.example"
PASSWORD = "fuzz-pw-123"
ADDRESS_PATH = r"/me/addresses/\\{addressId\\}"


@pytest.fixture
def server(clean_db: asyncpg.Pool, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A real `patron serve` (granian) on the test database; mail stays in the outbox."""
    with running_server(database_url, tmp_path / "server.log") as running:
        yield running.base


async def _seed(base: str, services: Services) -> tuple[str, str, str]:
    """The run's tenant and storefront client, a customer with an address; over HTTP an
    anonymous token and the customer's token. Returns (anonymous, customer, address id)."""
    settings = TenantSettings(reference_pattern="{n}", confirmation_required=False)
    tenant = await services.core.tenant_admin.create(TENANT, "Fuzz", settings)
    client, _ = await services.core.staff_accounts.create_client(tenant, name="shop", scopes=[])
    async with httpx.AsyncClient(base_url=f"{base}/emporix", timeout=10) as http:
        visitor = await http.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": TENANT, "client_id": client.client_id},
        )
        anonymous = visitor.json()["access_token"]
        auth = {"Authorization": f"Bearer {anonymous}"}
        signup = {"email": EMAIL, "password": PASSWORD}
        assert (await http.post(f"/customer/{TENANT}/signup", json=signup, headers=auth)).is_success
        login = await http.post(f"/customer/{TENANT}/login", json=signup, headers=auth)
        customer = login.json()["access_token"]
        address = await http.post(
            f"/customer/{TENANT}/me/addresses",
            json={"contactName": "Fu Zz", "city": "Berlin", "country": "DE"},
            headers={"Authorization": f"Bearer {customer}"},
        )
        assert address.status_code == 201, address.text
    return anonymous, customer, address.json()["id"]


def _config(address_id: str) -> str:
    """Known path parameters: the run's tenant, the customer's own address."""

    def entry(path: str, **values: str) -> str:
        parameters = ", ".join(f'"path.{k}" = "{v}"' for k, v in values.items())
        return f'[[operations]]\ninclude-path-regex = "{path}"\nparameters = {{ {parameters} }}\n'

    return "\n".join(
        (
            entry(ADDRESS_PATH, tenant=TENANT, addressId=address_id),
            entry("/customer/\\\\{tenant\\\\}/.*", tenant=TENANT),
        )
    )


def _reached(har: Path) -> set[str]:
    """The operations at least one request reached the handler of (answered neither 401
    nor 403), from the run's HAR record."""
    checker = DocumentChecker(self_service_document())
    reached = set()
    for entry in json.loads(har.read_text())["log"]["entries"]:
        path = urlsplit(entry["request"]["url"]).path.removeprefix("/emporix")
        operation = checker.operation(entry["request"]["method"], path)
        if operation is not None and entry["response"]["status"] not in (401, 403):
            reached.add(operation.spec["operationId"])
    return reached


@pytest.mark.slow
@pytest.mark.parametrize("caller", ["nobody", "visitor", "customer"])
async def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    server: str, services: Services, tmp_path: Path, caller: str
) -> None:
    anonymous, customer, address_id = await _seed(server, services)
    schema = tmp_path / "emporix-customer-managed.json"
    schema.write_text(json.dumps(self_service_served_document(server)))
    arguments = ["--header", "Accept: application/json"]
    config = None
    if caller != "nobody":
        config = tmp_path / "schemathesis.toml"
        config.write_text(_config(address_id))
        token = anonymous if caller == "visitor" else customer
        arguments += ["--header", f"Authorization: Bearer {token}"]

    result = await asyncio.to_thread(_schemathesis, schema, server, config, *arguments)

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ generated, \d+ passed", result.stdout), result.stdout
    tested = re.search(r"Selected: (\d+)/(\d+)", result.stdout)
    assert tested, result.stdout
    served = self_service_served_operations()
    assert int(tested.group(1)) == len(served), result.stdout
    if caller == "customer":  # a customer token opens every served operation
        assert _reached(tmp_path / "requests.har") >= {o.operation_id for o in served}
