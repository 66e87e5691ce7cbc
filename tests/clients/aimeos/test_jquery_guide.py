"""The jQuery snippets of Aimeos' customer guide (seed 002), unchanged but for the fixes of
reference section 9, in headless Chromium against a real Patron server: guide.mjs serves a
shop page at Patron's own origin and runs them in the guide's order; this test checks what
jQuery got back, what the browser sent, and what the database holds afterwards.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.clients.aimeos.conftest import HERE
from tests.clients.node import run_script
from tests.dialects.aimeos.black_box import CUSTOMER_ATTRIBUTES, PRIVATE_ATTRIBUTES
from tests.dialects.aimeos.test_seed_contract import EMAIL, EMPTY_NULLS, EXAMPLES, SEED, TYPO

STEPS = [
    "options",
    "guide get (visitor)",
    "guide post",
    "cookie (visitor)",
    "login",
    "cookie (customer)",
    "forged",
    "guide get (customer)",
    "options (customer)",
    "guide patch",
    "guide delete",
    "guide get (gone)",
    "wire",
]
COOKIE_JAR = [
    {
        "name": "aimeos_session",
        "path": "/jsonapi",
        "httpOnly": True,
        "sameSite": "Lax",
        "secure": False,
    }
]
"""What the browser keeps: the session cookie only, out of script's reach."""
SCRIPT_SEES = "control=visible"
"""`document.cookie` on a page under /jsonapi: the control cookie script wrote, no session."""
JQUERY_FORM = "application/x-www-form-urlencoded; charset=UTF-8"
CSRF_MISMATCH = ["CSRF token mismatch."]


def _sent(method: str) -> dict[str, Any]:
    """The attributes of the guide's jQuery snippet for `method`."""
    [example] = [e for e in EXAMPLES if (e.client, e.method) == ("jQuery", method)]
    assert example.body is not None
    values: dict[str, Any] = json.loads(example.body)["data"]["attributes"]
    return values


def _document(answer: dict[str, Any], status: int) -> dict[str, Any]:
    """The JSON:API document jQuery received with `status`."""
    assert answer["status"] == status, answer
    assert answer["contentType"] == "application/vnd.api+json", answer
    document: dict[str, Any] = answer["body"]
    assert document["meta"]["csrf"]["name"] == "_token", document
    return document


def _token(answer: dict[str, Any]) -> str:
    value: str = answer["body"]["meta"]["csrf"]["value"]
    return value


def _customer(answer: dict[str, Any], customer_id: str | None) -> dict[str, Any]:
    """The customer item of a GET or PATCH answer: the 25 public attributes, no private
    one, logged by the snippet's `done`."""
    document = _document(answer, 200)
    data: dict[str, Any] = document["data"]
    assert (document["meta"]["total"], data["type"], data["id"]) == (1, "customer", customer_id)
    assert list(data["attributes"]) == list(CUSTOMER_ATTRIBUTES)
    assert data["attributes"]["customer.id"] == customer_id
    assert not set(PRIVATE_ATTRIBUTES) & set(data["attributes"])
    return data


def _empty(answer: dict[str, Any]) -> None:
    """Reference 3.2: nobody logged in, the empty item with `id: null`."""
    data = _customer(answer, None)
    for name, value in data["attributes"].items():
        assert value == (None if name in EMPTY_NULLS else ""), name
    assert answer["logged"] == [data]  # the snippet logs `result.data`


def _shows(data: dict[str, Any], sent: dict[str, Any]) -> None:
    """Every public attribute the snippet sent is shown as sent; the rest never."""
    shown = data["attributes"]
    for name, value in sent.items():
        if name in CUSTOMER_ATTRIBUTES:
            assert shown[name] == value, name
    assert shown["customer.telephone"] == "" and TYPO not in shown  # the guide's typo


def _wire(requests: list[dict[str, Any]], customer_id: str) -> None:
    """What Chromium sent: the cookie on every request after the first, without script's
    help; jQuery's same-origin marker; its form label on the JSON it posts."""
    assert [(r["method"], r["path"], r["query"], r["status"]) for r in requests] == [
        ("OPTIONS", "/jsonapi", [], 200),
        ("GET", "/jsonapi/customer", [], 200),
        ("POST", "/jsonapi/customer", ["_token"], 201),
        ("POST", "/jsonapi/login", [], 200),
        ("PATCH", "/jsonapi/customer", [], 419),
        ("PATCH", "/jsonapi/customer", ["_token"], 419),
        ("GET", "/jsonapi/customer", [], 200),
        ("OPTIONS", "/jsonapi", [], 200),
        ("PATCH", "/jsonapi/customer", ["_token"], 200),
        ("DELETE", "/jsonapi/customer", ["id", "_token"], 200),
        ("GET", "/jsonapi/customer", [], 200),
    ], (customer_id, requests)
    assert [r["cookie"] for r in requests] == [False] + [True] * (len(requests) - 1)
    assert {r["requestedWith"] for r in requests} == {"XMLHttpRequest"}
    writes = [r for r in requests if r["method"] in ("POST", "PATCH")]
    assert {r["contentType"] for r in writes} == {JQUERY_FORM}
    # A new cookie for the visitor, the customer's login, and the visitor after deletion.
    cookies = [(r["method"], r["path"], r["setCookie"]) for r in requests if r["setCookie"]]
    assert [(method, path) for method, path, _ in cookies] == [
        ("OPTIONS", "/jsonapi"),
        ("POST", "/jsonapi/login"),
        ("DELETE", "/jsonapi/customer"),
    ]
    for _, _, set_cookie in cookies:
        attributes = [part.strip().lower() for part in set_cookie.split(";")]
        assert attributes[0].startswith("aimeos_session="), set_cookie
        assert {"httponly", "path=/jsonapi", "samesite=lax"} <= set(attributes), set_cookie


@pytest.mark.slow
async def test_the_guides_jquery_runs_in_chromium_at_patrons_origin(
    node: str, chromium: Path, server: str, clean_db: asyncpg.Pool
) -> None:
    """Discover, read as a visitor, sign up, log in (the host's form), refuse writes
    without the current token, read, change, delete, read the empty item again."""
    env = {
        **os.environ,
        "AIMEOS_BASE_URL": server,
        "AIMEOS_SEED": str(SEED),
        "AIMEOS_CHROMIUM": str(chromium),
        # The host's login form takes what the guide's sign-up snippet chose.
        "AIMEOS_EMAIL": _sent("POST")["customer.email"],
        "AIMEOS_PASSWORD": _sent("POST")["customer.password"],
    }

    async def no_questions(line: dict[str, Any]) -> None:
        return None

    code, lines, errors = await run_script(
        node, "guide.mjs", cwd=HERE, env=env, answer=no_questions
    )

    report = "\n".join(json.dumps(line) for line in lines) + "\n" + errors
    assert code == 0, report
    assert [line["step"] for line in lines if "step" in line] == STEPS, report
    assert lines[-1] == {"done": True}, report
    s = {line["step"]: line for line in lines if "step" in line}
    api = f"{server}/jsonapi"

    options = _document(s["options"], 200)
    assert options["meta"]["resources"]["customer"] == f"{api}/customer"
    visitor_token = _token(s["options"])
    _empty(s["guide get (visitor)"])

    created = _document(s["guide post"], 201)
    customer_id = created["data"]["id"]
    assert re.fullmatch(r"[1-9][0-9]*", customer_id), created
    assert created["data"]["attributes"] == {"customer.id": customer_id}  # only the id
    assert s["guide post"]["url"] == f"{api}/customer?_token={visitor_token}"
    assert s["guide post"]["logged"] == [created]  # the snippet logs `result`

    # The browser keeps the cookie; script cannot read it, as a visitor or as the customer.
    for who in ("cookie (visitor)", "cookie (customer)"):
        assert s[who]["jar"] == COOKIE_JAR, s[who]
        assert s[who]["script"] == SCRIPT_SEES, s[who]

    logged_in = _customer(s["login"], customer_id)
    customer_token = _token(s["login"])
    assert customer_token != visitor_token  # a new session, a new token

    for forged in (s["forged"]["missing"], s["forged"]["stale"]):
        refused = _document(forged, 419)
        assert [e["title"] for e in refused["errors"]] == CSRF_MISMATCH, refused
        assert "data" not in refused and forged["logged"] == []
    assert s["forged"]["stale"]["url"].endswith(f"?_token={visitor_token}")

    own = _customer(s["guide get (customer)"], customer_id)
    assert own == logged_in
    _shows(own, _sent("POST"))  # and not the forged "Mallory"
    assert s["guide get (customer)"]["logged"] == [own]

    assert _token(s["options (customer)"]) == customer_token
    patched = _customer(s["guide patch"], customer_id)
    _shows(patched, _sent("PATCH"))
    assert patched["attributes"]["customer.address2"] == "2"
    assert s["guide patch"]["url"] == f"{api}/customer?_token={customer_token}"
    assert s["guide patch"]["logged"] == [s["guide patch"]["body"]]

    deleted = _document(s["guide delete"], 200)
    # The item's own link, already holding `?id=`: the token follows with `&`.
    assert s["guide delete"]["url"] == f"{api}/customer?id={customer_id}&_token={customer_token}"
    assert deleted["meta"]["total"] == 0 and "data" not in deleted, deleted
    assert s["guide delete"]["logged"] == [None]  # `result.data`: there is none
    assert _token(s["guide delete"]) != customer_token  # the session ended with the account
    _empty(s["guide get (gone)"])

    _wire(s["wire"]["requests"], customer_id)

    # Patron's erasure: the row stays (orders keep their customer), anonymized; the email is
    # free again and nothing personal is left.
    row = await clean_db.fetchrow("SELECT * FROM customers WHERE id = $1", int(customer_id))
    assert row is not None and row["anonymized_at"] is not None
    assert row["email"] != EMAIL and row["password_hash"] is None
    assert (row["first_name"], row["last_name"], row["code"], row["website"]) == (None,) * 4
    assert await clean_db.fetchval("SELECT count(*) FROM customers") == 1
    assert await clean_db.fetchval("SELECT count(*) FROM addresses") == 0
