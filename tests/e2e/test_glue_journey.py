"""The whole Glue journey through a real server process and a real SMTP server."""

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

from tests.conftest import ROOT
from tests.servers import running_server
from tests.smtp import Inbox, smtp_server
from tests.waiting import wait_until_async

JSON_API = {"Accept": "application/vnd.api+json"}
MAIL_SECONDS = 10.0


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as (inbox, port):
        yield inbox, port


@pytest.fixture
def server(
    clean_db: asyncpg.Pool, database_url: str, mail: tuple[Inbox, int], tmp_path: Path
) -> Iterator[str]:
    smtp = {"PATRON_SMTP_HOST": "127.0.0.1", "PATRON_SMTP_PORT": str(mail[1])}
    with running_server(database_url, tmp_path / "server.log", **smtp) as running:
        yield running.base


@pytest.fixture
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server}/glue", headers=JSON_API, timeout=10) as client:
        yield client


def _wait_for_mail(inbox: Inbox, count: int) -> None:
    """Woken by each arrival; no polling."""
    if not inbox.wait_for(count, timeout=MAIL_SECONDS):
        pytest.fail(f"expected {count} mails within {MAIL_SECONDS}s, got {len(inbox.messages)}")


def _wait_until_nothing_is_pending(database_url: str) -> list[str]:
    """Every outbox row is delivered or given up; return the statuses. A message is in the
    inbox before its row says `sent`, so the inbox is then complete."""

    async def settled(connection: asyncpg.Connection) -> list[str] | None:
        rows = await connection.fetch("SELECT status FROM outbox ORDER BY id")
        statuses = [row["status"] for row in rows]
        return statuses if "pending" not in statuses else None

    async def wait() -> list[str]:
        connection = await asyncpg.connect(database_url)
        try:
            return await wait_until_async(
                lambda: settled(connection), within=MAIL_SECONDS, what="no pending outbox rows"
            )
        finally:
            await connection.close()

    return asyncio.run(wait())


def _doc(type_: str, **attributes: object) -> dict[str, object]:
    return {"data": {"type": type_, "attributes": attributes}}


@pytest.mark.slow
def test_register_confirm_login_edit_refresh_revoke_anonymize(
    server: str, mail: tuple[Inbox, int], http: httpx.Client
) -> None:
    inbox, _ = mail
    email = "journey@example.com"

    registered = http.post(
        "/customers",
        json=_doc(
            "customers", salutation="Ms", firstName="Jo", lastName="Urney", email=email,
            gender="Female", password="change123", confirmPassword="change123",
            acceptedTerms=True,
        ),
    )  # fmt: skip
    assert registered.status_code == 201, registered.text
    reference = registered.json()["data"]["id"]
    assert registered.json()["data"]["links"]["self"] == f"{server}/glue/customers/{reference}"

    _wait_for_mail(inbox, 1)
    message = inbox.messages[0]
    assert message["To"] == email
    link = re.search(r"\S+/register/confirm\?token=([\w-]+)", message.get_content())
    assert link, message.get_content()
    assert link.group(0).startswith(server)

    login = _doc("access-tokens", username=email, password="change123")
    assert http.post("/access-tokens", json=login).status_code == 401  # not confirmed yet
    confirmed = http.post(
        "/customer-confirmation", json=_doc("customer-confirmation", registrationKey=link.group(1))
    )
    assert confirmed.status_code == 204

    tokens = http.post("/access-tokens", json=login).json()["data"]["attributes"]
    auth = {"Authorization": f"Bearer {tokens['accessToken']}"}
    read = http.get(f"/customers/{reference}", headers=auth)
    assert read.status_code == 200
    assert read.json()["data"]["attributes"]["email"] == email

    edited = http.patch(
        f"/customers/{reference}", json=_doc("customers", firstName="Joanna"), headers=auth
    )
    assert edited.json()["data"]["attributes"]["firstName"] == "Joanna"

    refreshed = http.post(
        "/refresh-tokens", json=_doc("refresh-tokens", refreshToken=tokens["refreshToken"])
    )
    assert refreshed.status_code == 201
    new = refreshed.json()["data"]["attributes"]
    auth = {"Authorization": f"Bearer {new['accessToken']}"}

    revoked = http.delete(f"/refresh-tokens/{new['refreshToken']}", headers=auth)
    assert revoked.status_code == 204
    dead = http.post(
        "/refresh-tokens", json=_doc("refresh-tokens", refreshToken=new["refreshToken"])
    )
    assert dead.status_code == 401
    ended = http.get(f"/customers/{reference}", headers=auth)
    assert ended.status_code == 401  # the session's access token ended with it

    again = http.post("/access-tokens", json=login)
    auth = {"Authorization": f"Bearer {again.json()['data']['attributes']['accessToken']}"}
    anonymized = http.delete(f"/customers/{reference}", headers=auth)
    assert anonymized.status_code == 204
    assert http.post("/access-tokens", json=login).status_code == 401
    assert http.get(f"/customers/{reference}", headers=auth).status_code == 401


def _signed_up(http: httpx.Client, inbox: Inbox, email: str) -> tuple[str, dict[str, str]]:
    """Register and confirm through the mailbox; return the reference and a session."""
    seen = len(inbox.messages)
    registered = http.post(
        "/customers",
        json=_doc(
            "customers", salutation="Mr", firstName="Max", lastName="Muster", email=email,
            gender="Male", password="change123", confirmPassword="change123",
            acceptedTerms=True,
        ),
    )  # fmt: skip
    assert registered.status_code == 201, registered.text
    _wait_for_mail(inbox, seen + 1)
    key = re.search(r"token=([\w-]+)", inbox.messages[seen].get_content())
    assert key
    confirmed = http.post(
        "/customer-confirmation", json=_doc("customer-confirmation", registrationKey=key.group(1))
    )
    assert confirmed.status_code == 204
    login = _doc("access-tokens", username=email, password="change123")
    tokens: dict[str, str] = http.post("/access-tokens", json=login).json()["data"]["attributes"]
    return registered.json()["data"]["id"], tokens


@pytest.mark.slow
def test_forgot_password_restore_and_log_in_again(
    server: str, mail: tuple[Inbox, int], http: httpx.Client
) -> None:
    inbox, _ = mail
    email = "forgetful@example.com"
    reference, tokens = _signed_up(http, inbox, email)
    auth = {"Authorization": f"Bearer {tokens['accessToken']}"}

    forgot = http.post(
        "/customer-forgotten-password", json=_doc("customer-forgotten-password", email=email)
    )
    assert forgot.status_code == 204
    _wait_for_mail(inbox, 2)
    message = inbox.messages[1]
    assert (message["To"], message["Subject"]) == (email, "Reset your password")
    link = re.search(r"(\S+)/password/restore\?token=([\w-]+)", message.get_content())
    assert link, message.get_content()
    assert link.group(1) == server
    key = link.group(2)

    restored = http.patch(
        f"/customer-restore-password/{key}",
        json=_doc(
            "customer-restore-password",
            restorePasswordKey=key,
            password="a-new-secret-1",
            confirmPassword="a-new-secret-1",
        ),
    )
    assert restored.status_code == 204, restored.text

    assert http.get(f"/customers/{reference}", headers=auth).status_code == 401
    stale_refresh = http.post(
        "/refresh-tokens", json=_doc("refresh-tokens", refreshToken=tokens["refreshToken"])
    )
    assert stale_refresh.status_code == 401
    old_login = _doc("access-tokens", username=email, password="change123")
    assert http.post("/access-tokens", json=old_login).status_code == 401
    new_login = _doc("access-tokens", username=email, password="a-new-secret-1")
    fresh = http.post("/access-tokens", json=new_login)
    assert fresh.status_code == 201
    fresh_auth = {"Authorization": f"Bearer {fresh.json()['data']['attributes']['accessToken']}"}
    assert http.get(f"/customers/{reference}", headers=fresh_auth).status_code == 200


def _patron(database_url: str, *arguments: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PATRON_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.Popen(
        [sys.executable, "-m", "patron", *arguments],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _run_patron(database_url: str, *arguments: str) -> str:
    process = _patron(database_url, *arguments)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output.decode()
    return output.decode()


@pytest.mark.slow
def test_subscribe_mark_available_and_get_exactly_one_mail(
    server: str, mail: tuple[Inbox, int], http: httpx.Client, database_url: str
) -> None:
    inbox, _ = mail
    email = "waiting@example.com"
    _, tokens = _signed_up(http, inbox, email)
    auth = {"Authorization": f"Bearer {tokens['accessToken']}"}
    _run_patron(database_url, "availability", "set", "130_24725761", "--unavailable",
                "--name", "Canon PowerShot N")  # fmt: skip

    subscribed = http.post(
        "/availability-notifications",
        json=_doc("availability-notifications", sku="130_24725761", email=email),
        headers={**auth, "Accept-Language": "de-DE, en;q=0.5"},
    )
    assert subscribed.status_code == 201, subscribed.text
    assert subscribed.json()["data"]["attributes"]["localeName"] == "de_DE"
    key = subscribed.json()["data"]["id"]
    assert len(http.get("/my-availability-notifications", headers=auth).json()["data"]) == 1

    # Two operators mark the SKU available at the same moment.
    racing = [
        _patron(database_url, "availability", "set", "130_24725761", "--available")
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60)[0].decode() for process in racing]
    assert [process.returncode for process in racing] == [0, 0], outputs

    # Both commands have exited, so every mail they caused is in the outbox by now.
    assert _wait_until_nothing_is_pending(database_url) == ["sent", "sent"]
    notifications = [m for m in inbox.messages if "available again" in m["Subject"]]
    assert len(notifications) == 1, [m["Subject"] for m in inbox.messages]
    assert notifications[0]["To"] == email
    assert "Canon PowerShot N" in notifications[0].get_content()

    assert http.get("/my-availability-notifications", headers=auth).json()["data"] == []
    assert http.delete(f"/availability-notifications/{key}").status_code == 404
