"""Every write route of every dialect, as one table the pool tests race: where it is, what a
racer sends (`i` tells racers apart), and the answers the route gives when several callers
send the same write at once (a DELETE's second caller finds nothing, a spent key is
refused). A 503 is allowed on top only where a test says so.

A new write route belongs here: `test_every_write_route_is_in_the_table` fails until it is.
The file is long because the table is one on purpose: the four dialects' rows side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any

import httpx
from argon2 import PasswordHasher, Type

from tests.dialects.glue.helpers import PASSWORD as GLUE_PASSWORD
from tests.dialects.glue.helpers import document, registration
from tests.dialects.pool_stages import BERLIN, MEDUSA_ADDRESS, MOUNTS, PASSWORD, Stage, future

Body = Callable[[Mapping[str, str], int], Any]


@dataclass(frozen=True)
class Write:
    stage: str
    method: str
    path: str
    """The route's path as its app declares it, below the dialect's mount."""
    answers: tuple[int, ...]
    body: Body | None = None
    query: str = ""
    caller: str = "customer"
    """Which of the stage's callers sends it (`Stage.auth`)."""
    form: bool = False
    fields: Mapping[str, str] = field(default_factory=dict)
    """A path field named otherwise in the stage (`{id}` is a customer or a group)."""

    @property
    def name(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.stage}: {self.method} {self.path}{query}"

    @property
    def mount(self) -> str:
        return MOUNTS[self.stage]


async def send(stage: Stage, write: Write, racer: int) -> httpx.Response:
    """One racer's request."""
    names = {**stage.names, "i": str(racer)}

    def filled(template: str) -> str:
        values = {
            name: names[write.fields.get(name, name)]
            for _, name, _, _ in Formatter().parse(template)
            if name is not None
        }
        return template.format(**values)

    url = stage.root + filled(write.path)
    query = filled(write.query)
    if stage.browser is not None:  # Aimeos: the CSRF token on every write
        token = f"_token={stage.browser.csrf}"
        query = f"{query}&{token}" if query else token
    if query:
        url = f"{url}?{query}"
    body = write.body(names, racer) if write.body is not None else None
    payload: dict[str, Any] = {}
    if write.form:
        payload["data"] = body
    elif body is not None:
        payload["json"] = body
    headers = stage.auth.get(write.caller, {})
    return await stage.http.request(write.method, url, headers=headers, **payload)


def racer_email(i: int, domain: str = "example.com") -> str:
    return f"racer{i}@{domain}"


IMPORTED = PasswordHasher(memory_cost=1024, time_cost=1, parallelism=1, type=Type.ID).hash(
    "Imported-pw-1"
)


def _glue(method: str, path: str, answers: tuple[int, ...], **more: Any) -> Write:
    return Write("glue", method, path, answers, **more)


GLUE_ME = "/customers/{customer_reference}"
GLUE_ADDRESS = "/customers/{customer_reference}/addresses/{address_uuid}"
GLUE = [
    _glue(
        "POST", "/customers", (201,), body=lambda n, i: registration(racer_email(i)), caller="none"
    ),
    _glue("PATCH", GLUE_ME, (200,), body=lambda n, i: document("customers", firstName=f"S{i}")),
    _glue("DELETE", GLUE_ME, (204, 401, 404)),
    _glue("PATCH", "/customers", (400,), body=lambda n, i: document("customers", firstName="S")),
    _glue("DELETE", "/customers", (400,)),
    _glue(
        "POST",
        "/customer-confirmation",
        (204, 422),
        body=lambda n, i: document("customer-confirmation", registrationKey=n["confirmation_key"]),
        caller="none",
    ),
    _glue(
        "POST",
        "/customers/{customer_reference}/addresses",
        (201,),
        body=lambda n, i: document(
            "addresses",
            salutation="Mrs",
            firstName="S",
            lastName="W",
            address1="Street",
            address2=str(i),
            zipCode="10115",
            city="Berlin",
            iso2Code="DE",
        ),
    ),
    _glue("PATCH", GLUE_ADDRESS, (200,), body=lambda n, i: document("addresses", city=f"City {i}")),
    _glue("DELETE", GLUE_ADDRESS, (204, 404)),
    _glue(
        "PATCH",
        "/customers/{customer_reference}/addresses",
        (400,),
        body=lambda n, i: document("addresses", city="C"),
    ),
    _glue("DELETE", "/customers/{customer_reference}/addresses", (400,)),
    _glue(
        "POST",
        "/access-tokens",
        (201,),
        body=lambda n, i: document("access-tokens", username=n["email"], password=GLUE_PASSWORD),
        caller="none",
    ),
    _glue(
        "POST",
        "/refresh-tokens",
        (201, 401),
        body=lambda n, i: document("refresh-tokens", refreshToken=n["refresh_token"]),
        caller="none",
    ),
    _glue("DELETE", "/refresh-tokens/{refresh_token}", (204, 401)),  # the first ends the session
    _glue("DELETE", "/refresh-tokens", (400,)),
    _glue(
        "POST",
        "/token",
        (200,),
        body=lambda n, i: {
            "grant_type": "password",
            "username": n["email"],
            "password": GLUE_PASSWORD,
        },
        form=True,
        caller="none",
    ),
    _glue(
        "PATCH",
        "/customer-password/{customer_reference}",
        (204, 400, 401),
        body=lambda n, i: document(
            "customer-password",
            password=GLUE_PASSWORD,
            newPassword=f"New-pw-{i}x",
            confirmPassword=f"New-pw-{i}x",
        ),
    ),
    _glue("PATCH", "/customer-password", (400,), body=lambda n, i: document("customer-password")),
    _glue(
        "POST",
        "/customer-forgotten-password",
        (204,),
        body=lambda n, i: document("customer-forgotten-password", email=n["email"]),
        caller="none",
    ),
    _glue(
        "PATCH",
        "/customer-restore-password/{restore_password_key}",
        (204, 422),
        body=lambda n, i: document(
            "customer-restore-password",
            restorePasswordKey=n["restore_password_key"],
            password=f"New-pw-{i}x",
            confirmPassword=f"New-pw-{i}x",
        ),
        caller="none",
    ),
    _glue(
        "PATCH",
        "/customer-restore-password",
        (400,),
        body=lambda n, i: document("customer-restore-password"),
        caller="none",
    ),
    _glue(
        "POST",
        "/availability-notifications",
        (201,),
        body=lambda n, i: document("availability-notifications", sku="sku-1", email=racer_email(i)),
        caller="none",
    ),
    _glue("DELETE", "/availability-notifications/{subscription_key}", (204, 404), caller="none"),
    _glue("DELETE", "/availability-notifications", (400,), caller="none"),
]


def _store(method: str, path: str, answers: tuple[int, ...], **more: Any) -> Write:
    return Write("medusa store", method, path, answers, **more)


def _admin(method: str, path: str, answers: tuple[int, ...], **more: Any) -> Write:
    return Write("medusa admin", method, path, answers, **{"caller": "admin", **more})


STORE_ADDRESS = "/store/customers/me/addresses/{address_id}"
GROUP = {"id": "group_id"}
MEDUSA = [
    _store(
        "POST",
        "/store/customers",
        (200,),
        body=lambda n, i: {
            "email": racer_email(i),
            "password": PASSWORD,
            "first_name": "S",
            "last_name": "S",
        },
        caller="none",
    ),
    _store("POST", "/store/customers/me", (200,), body=lambda n, i: {"first_name": f"S{i}"}),
    _store(
        "POST",
        "/store/customers/me/addresses",
        (200,),
        body=lambda n, i: {"address": MEDUSA_ADDRESS},
    ),
    _store("POST", STORE_ADDRESS, (200,), body=lambda n, i: {"city": f"C{i}"}),
    _store("DELETE", STORE_ADDRESS, (200, 404)),
    _store(
        "POST",
        "/store/customers/password-token",
        (204,),
        body=lambda n, i: {"email": n["email"]},
        caller="none",
    ),
    _store(
        "POST",
        "/store/customers/password-reset",
        (200, 401),
        body=lambda n, i: {
            "email": n["email"],
            "token": n["reset_token"],
            "password": f"New-pw-{i}x",
        },
        caller="none",
    ),
    _store(
        "POST",
        "/store/auth",
        (200,),
        body=lambda n, i: {"email": n["email"], "password": PASSWORD},
        caller="none",
    ),
    _store("DELETE", "/store/auth", (200, 401)),
    _store(
        "POST",
        "/store/auth/token",
        (200,),
        body=lambda n, i: {"email": n["email"], "password": PASSWORD},
        caller="none",
    ),
    _admin(
        "POST",
        "/admin/customers",
        (201,),
        body=lambda n, i: {
            "email": racer_email(i),
            "password": PASSWORD,
            "first_name": "L",
            "last_name": "J",
        },
    ),
    _admin(
        "POST",
        "/admin/customers/{id}",
        (200,),
        body=lambda n, i: {"first_name": f"L{i}"},
        fields={"id": "customer_id"},
    ),
    _admin("POST", "/admin/customer-groups", (200,), body=lambda n, i: {"name": f"Group {i}"}),
    _admin(
        "POST",
        "/admin/customer-groups/{id}",
        (200,),
        body=lambda n, i: {"metadata": {"racer": str(i)}},
        fields=GROUP,
    ),
    _admin("DELETE", "/admin/customer-groups/{id}", (200,), fields=GROUP),
    _admin(
        "POST",
        "/admin/customer-groups/{id}/customers/batch",
        (200,),
        body=lambda n, i: {"customer_ids": [{"id": n["customer_id"]}]},
        fields=GROUP,
    ),
    _admin(
        "DELETE",
        "/admin/customer-groups/{id}/customers/batch",
        (200,),
        body=lambda n, i: {"customer_ids": [{"id": n["customer_id"]}]},
        fields=GROUP,
    ),
    _admin(
        "POST",
        "/admin/auth",
        (200,),
        body=lambda n, i: {"email": "admin@example.com", "password": PASSWORD},
        caller="none",
    ),
    _admin("DELETE", "/admin/auth", (200,)),
    _admin(
        "POST",
        "/admin/auth/token",
        (200,),
        body=lambda n, i: {"email": "admin@example.com", "password": PASSWORD},
        caller="none",
    ),
]


def _aimeos(method: str, related: str, answers: tuple[int, ...], **more: Any) -> Write:
    query = f"related={related}" if related else ""
    if related and method != "POST":
        query += "&relatedid={" + {"address": "address_id", "property": "property_id",
                                   "relationships": "list_id"}[related] + "}"  # fmt: skip
    return Write("aimeos", method, "/customer", answers, query=query, **more)


def _items(**attributes: str) -> Body:
    return lambda n, i: {
        "data": [{"attributes": {k: v.format(i=i) for k, v in attributes.items()}}]
    }


def _item(**attributes: str) -> Body:
    return lambda n, i: {"data": {"attributes": {k: v.format(i=i) for k, v in attributes.items()}}}


AIMEOS = [
    _aimeos(
        "POST",
        "",
        (201, 403),
        body=_item(**{"customer.email": "racer{i}@example.com", "customer.password": PASSWORD}),
    ),
    _aimeos("PATCH", "", (200,), body=_item(**{"customer.city": "City {i}"})),
    _aimeos("DELETE", "", (200, 401)),
    _aimeos("POST", "address", (201,), body=_items(**{"customer.address.city": "C{i}"})),
    _aimeos("PATCH", "address", (200,), body=_item(**{"customer.address.city": "C{i}"})),
    _aimeos("DELETE", "address", (200, 404)),
    _aimeos(
        "POST",
        "property",
        (201,),
        body=_items(**{"customer.property.type": "t{i}", "customer.property.value": "{i}"}),
    ),
    _aimeos("PATCH", "property", (200,), body=_item(**{"customer.property.value": "v{i}"})),
    _aimeos("DELETE", "property", (200, 404)),
    _aimeos(
        "POST",
        "relationships",
        (201,),
        body=_items(
            **{
                "customer.lists.domain": "product",
                "customer.lists.type": "favorite",
                "customer.lists.refid": "{i}0",
            }
        ),
    ),
    _aimeos("PATCH", "relationships", (200,), body=_item(**{"customer.lists.position": "{i}"})),
    _aimeos("DELETE", "relationships", (200, 404)),
    Write(
        "aimeos",
        "POST",
        "/login",
        (200,),
        body=lambda n, i: {"email": "sonia@example.com", "password": PASSWORD},
    ),
    Write("aimeos", "POST", "/logout", (200,)),
]


def _tenant(method: str, path: str, answers: tuple[int, ...], **more: Any) -> Write:
    more = {"caller": "service", **more}
    return Write("emporix", method, "/customer/{tenant}" + path, answers, **more)


CUSTOMER = "/customers/{customerNumber}"
ADDRESS = "/customers/{customerNumber}/addresses/{addressId}"
RETENTION = "/config/password-migration-retention"
EMPORIX = [
    _tenant("POST", "/customers/search", (200,), body=lambda n, i: {"q": "firstName:John"}),
    _tenant(
        "POST",
        "/customers",
        (201,),
        query="sendPasswordResetNotifications=false",
        body=lambda n, i: {"contactEmail": racer_email(i)},
    ),
    _tenant(
        "PUT",
        CUSTOMER,
        (204,),
        body=lambda n, i: {"contactEmail": "john@example.com", "firstName": f"J{i}"},
    ),
    _tenant("PATCH", CUSTOMER, (200,), body=lambda n, i: {"firstName": f"J{i}"}),
    _tenant("DELETE", CUSTOMER, (202, 404)),
    _tenant(
        "POST",
        "/customers/import",
        (207,),
        body=lambda n, i: [
            {
                "contactEmail": racer_email(i),
                "account": {"email": racer_email(i), "passwordHash": IMPORTED},
            }
        ],
    ),
    _tenant("POST", RETENTION, (200,), body=lambda n, i: {"retentionEndDate": future()}),
    _tenant("DELETE", RETENTION, (204, 404)),
    _tenant("POST", "/customers/{customerNumber}/addresses", (201,), body=lambda n, i: BERLIN),
    _tenant("PUT", ADDRESS, (204,), body=lambda n, i: {**BERLIN, "city": f"C{i}"}),
    _tenant("PATCH", ADDRESS, (200,), body=lambda n, i: {"city": f"C{i}"}),
    _tenant("DELETE", ADDRESS, (204, 404)),
    _tenant("POST", ADDRESS + "/tags", (204,), query="tags=SHIPPING"),
    _tenant("DELETE", ADDRESS + "/tags", (204,), query="tags=SHIPPING"),
    Write(
        "emporix",
        "POST",
        "/oauth/token",
        (200,),
        body=lambda n, i: {
            "grant_type": "client_credentials",
            "client_id": n["client_id"],
            "client_secret": n["client_secret"],
        },
        form=True,
        caller="none",
    ),
]


def _front(method: str, path: str, answers: tuple[int, ...], **more: Any) -> Write:
    return Write("emporix storefront", method, "/customer/{tenant}" + path, answers, **more)


MINE = "/me/addresses/{addressId}"
EMAIL_CHANGE = "/me/accounts/internal/email/change"
STOREFRONT = [
    _front(
        "POST",
        "/login",
        (200,),
        body=lambda n, i: {"email": n["email"], "password": PASSWORD},
        caller="anonymous",
    ),
    _front("PATCH", "/me", (200,), body=lambda n, i: {"firstName": f"J{i}"}),
    _front("DELETE", "/me", (202,)),
    _front("POST", "/me/addresses", (201,), body=lambda n, i: BERLIN),
    _front("PATCH", MINE, (200,), body=lambda n, i: {"city": f"C{i}"}),
    _front("DELETE", MINE, (204, 404)),
    _front("POST", MINE + "/tags", (204,), query="tags=SHIPPING"),
    _front("DELETE", MINE + "/tags", (204,), query="tags=SHIPPING"),
    _front(
        "POST",
        "/password/change",
        (204, 400, 401),
        body=lambda n, i: {"currentPassword": PASSWORD, "newPassword": f"New-pw-{i}x"},
    ),
    _front(
        "POST",
        "/password/reset",
        (204,),
        body=lambda n, i: {"email": n["email"]},
        caller="anonymous",
    ),
    _front(
        "POST",
        "/password/reset/update",
        (204, 400),
        body=lambda n, i: {"token": n["reset_key"], "password": f"New-pw-{i}x"},
        caller="anonymous",
    ),
    _front(
        "POST",
        "/signup",
        (201,),
        body=lambda n, i: {
            "email": racer_email(i),
            "password": PASSWORD,
            "customerDetails": {"contactEmail": racer_email(i), "firstName": "R", "lastName": "S"},
        },
        caller="anonymous",
    ),
    _front(
        "POST",
        "/signup/optin/refresh_token",
        (202,),
        body=lambda n, i: {"email": "unconfirmed@example.com"},
        caller="anonymous",
    ),
    _front(
        "POST",
        EMAIL_CHANGE,
        (204,),
        body=lambda n, i: {
            "email": n["email"],
            "password": PASSWORD,
            "newEmail": racer_email(i, "new.example"),
        },
    ),
    _front(
        "POST",
        EMAIL_CHANGE + "/confirm",
        (204, 400),
        body=lambda n, i: {"token": n["email_key"]},
        caller="anonymous",
    ),
    # Writes Emporix makes GETs.
    _front("GET", "/logout", (204, 401), query="accessToken={access_token}"),
    _front(
        "GET",
        "/refreshauthtoken",
        (200, 401),
        query="refreshToken={refresh_token}",
        caller="anonymous",
    ),
    _front("GET", "/signup/optin/{token}", (200, 400), caller="anonymous"),
]

WRITES = [*GLUE, *MEDUSA, *AIMEOS, *EMPORIX, *STOREFRONT]
