"""One customer store under every dialect: a customer the back office creates through
Emporix sets its password by the mailed reset link and logs in through Glue and Medusa;
deleted through Emporix, it is gone everywhere, its sessions too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from patron.core.domain.tenants import Tenant
from patron.services import Services
from patron.settings import Settings
from tests.dialects.emporix.helpers import bearer
from tests.dialects.glue.helpers import document
from tests.helpers import dialect_client
from tests.outbox import PASSWORD_RESET, mailed_key

EMAIL = "back.office@example.com"
PASSWORD = "Chosen-by-me-42"
CUSTOMERS = "/emporix/customer/default/customers"


@pytest.fixture
async def web(services: Services, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with dialect_client(services, settings, peer="198.51.100.7") as client:
        yield client


@pytest.fixture
async def auth(services: Services, web: httpx.AsyncClient) -> dict[str, str]:
    default: Tenant = await services.core.tenants.get("default")
    client, secret = await services.core.staff_accounts.create_client(
        default, name="crm", scopes=["customers:read", "customers:manage"]
    )
    form = {"grant_type": "client_credentials", "client_id": client.client_id}
    answer = await web.post("/emporix/oauth/token", data={**form, "client_secret": secret})
    assert answer.status_code == 200, answer.text
    return bearer(answer.json()["access_token"])


async def glue_login(web: httpx.AsyncClient) -> httpx.Response:
    body = document("access-tokens", username=EMAIL, password=PASSWORD)
    return await web.post("/glue/access-tokens", json=body)


async def medusa_login(web: httpx.AsyncClient) -> int:
    answer = await web.post("/medusa/store/auth", json={"email": EMAIL, "password": PASSWORD})
    return answer.status_code


async def test_created_through_emporix_reset_through_glue_then_deleted_everywhere(
    web: httpx.AsyncClient, services: Services, auth: dict[str, str]
) -> None:
    created = await web.post(
        CUSTOMERS, json={"id": "crm-1", "contactEmail": EMAIL, "firstName": "Back"}, headers=auth
    )
    assert created.status_code == 201, created.text
    key = await mailed_key(services.pool, EMAIL, PASSWORD_RESET)
    restored = await web.patch(
        f"/glue/customer-restore-password/{key}",
        json=document(
            "customer-restore-password",
            restorePasswordKey=key,
            password=PASSWORD,
            confirmPassword=PASSWORD,
        ),
    )
    assert restored.status_code == 204, restored.text
    session = await glue_login(web)
    assert session.status_code == 201, session.text
    assert await medusa_login(web) == 200
    reference = session.json()["data"]["attributes"]
    glue_auth = {"Authorization": f"Bearer {reference['accessToken']}"}
    assert (await web.get("/glue/customers/crm-1", headers=glue_auth)).status_code == 200

    deleted = await web.delete(f"{CUSTOMERS}/crm-1", headers=auth)

    assert deleted.status_code == 202
    assert (await glue_login(web)).status_code == 401
    assert await medusa_login(web) == 401
    assert (await web.get("/glue/customers/crm-1", headers=glue_auth)).status_code in (401, 404)
    listed = await web.get(CUSTOMERS, params={"q": f"contactEmail:{EMAIL}"}, headers=auth)
    assert listed.json() == []
