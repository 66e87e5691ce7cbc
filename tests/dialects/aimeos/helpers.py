"""What the Aimeos tests share: `AimeosBrowser`, a client of `/jsonapi` as a front end
written against Aimeos' guide drives it (cookies kept, the latest `meta.csrf` sent as
`_token` on every write), and a customer registered through the core."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson

from patron.core.domain.commands import Registration
from patron.core.domain.model import Customer
from patron.services import Services

ROOT = "/jsonapi"
CUSTOMER = "/jsonapi/customer"
PASSWORD = "secret123"
CLIENT_IP = "203.0.113.7"


class AimeosBrowser:
    """A cookie-keeping client of `/jsonapi` that remembers the latest CSRF token."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.csrf: str | None = None
        http.event_hooks["response"].append(self._remember_csrf)

    async def _remember_csrf(self, response: httpx.Response) -> None:
        await response.aread()
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            return
        meta = body.get("meta") if isinstance(body, dict) else None
        csrf = meta.get("csrf") if isinstance(meta, dict) else None
        if isinstance(csrf, dict) and isinstance(csrf.get("value"), str):
            self.csrf = csrf["value"]

    async def options(self, url: str = ROOT, params: dict[str, str] | None = None) -> Any:
        """`OPTIONS` (the API root by default); the document, whose token is remembered."""
        response = await self.http.options(url, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def get(
        self, url: str = CUSTOMER, params: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.http.get(url, params=params)

    async def write(
        self,
        method: str,
        url: str = CUSTOMER,
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """A POST, PATCH, PUT or DELETE with `_token` in the query, as the guide's examples
        send it (an `OPTIONS` first when no token has been seen yet)."""
        if self.csrf is None:
            await self.options()
        query = {**(params or {}), "_token": self.csrf or ""}
        content = None if json is None else orjson.dumps(json)
        headers = {"Content-Type": "application/json"} if json is not None else None
        return await self.http.request(method, url, params=query, content=content, headers=headers)

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        """`POST /jsonapi/login` as JSON; the session cookie and new token are kept."""
        return await self.write("POST", f"{ROOT}/login", {"email": email, "password": password})

    async def logout(self) -> httpx.Response:
        return await self.write("POST", f"{ROOT}/logout")

    async def sign_up(self, email: str, password: str = PASSWORD, **attributes: Any) -> str:
        """`POST /jsonapi/customer`; the new `customer.id`."""
        body = {"customer.email": email, "customer.password": password, **attributes}
        response = await self.write("POST", CUSTOMER, {"data": {"attributes": body}})
        assert response.status_code == 201, response.text
        customer_id: str = response.json()["data"]["id"]
        return customer_id


NewShop = Callable[[str], Awaitable[AimeosBrowser]]


async def existing_customer(
    services: Services, email: str = "sonia@example.com", password: str = PASSWORD, **extra: Any
) -> Customer:
    """A customer registered through the core (as another dialect would), able to log in."""
    tenant = await services.core.tenants.get("default")
    values: dict[str, Any] = {"first_name": "Sonia", "last_name": "Wagner", **extra}
    registration = Registration(email=email, password=password, accepted_terms=True, **values)
    return await services.core.accounts.register(tenant, registration, send_confirmation=False)
