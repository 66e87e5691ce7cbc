"""A storefront's whole journey on Emporix' customer-managed API, through a real server
process and a real SMTP server: anonymous token, sign-up with double opt-in, profile,
password reset, email change, account deletion; every mail read from the mailbox."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import asyncpg
import httpx
import pytest

from patron.services import Services
from tests.servers import running_server
from tests.smtp import Inbox, smtp_server

MAIL_SECONDS = 10.0
EMAIL = "journey@example.com"
NEW_EMAIL = "journey@new.example"
PASSWORD = "journey-pw-1"


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


def _wait(inbox: Inbox, count: int) -> None:
    """Woken by each arrival; no polling."""
    if not inbox.wait_for(count, timeout=MAIL_SECONDS):
        pytest.fail(f"expected {count} mails within {MAIL_SECONDS}s, got {len(inbox.messages)}")


def _mail_to(inbox: Inbox, count: int, recipient: str) -> EmailMessage:
    """Mail number `count`, which must be to `recipient`."""
    _wait(inbox, count)
    message = inbox.messages[count - 1]
    assert message["To"] == recipient
    return message


def _token_in(message: EmailMessage, path: str) -> str:
    found = re.search(rf"\S+{re.escape(path)}\?token=([\w.-]+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


@pytest.mark.slow
async def test_sign_up_opt_in_reset_change_email_and_delete(
    server: str, services: Services, mail: tuple[Inbox, int]
) -> None:
    inbox, _ = mail
    default = await services.core.tenants.get("default")  # double opt-in: confirmation required
    client, _ = await services.core.staff_accounts.create_client(default, name="shop", scopes=[])
    async with httpx.AsyncClient(base_url=f"{server}/emporix", timeout=10) as http:
        visitor = await http.get(
            "/customerlogin/auth/anonymous/login",
            params={"tenant": "default", "client_id": client.client_id},
        )
        anonymous = {"Authorization": f"Bearer {visitor.json()['access_token']}"}
        base = "/customer/default"

        signed_up = await http.post(
            f"{base}/signup",
            json={"email": EMAIL, "password": PASSWORD, "customerDetails": {"firstName": "Jo"}},
            headers=anonymous,
        )
        assert signed_up.status_code == 201, signed_up.text
        opt_in = _token_in(_mail_to(inbox, 1, EMAIL), "/register/confirm")
        login = {"email": EMAIL, "password": PASSWORD}
        assert (await http.post(f"{base}/login", json=login, headers=anonymous)).status_code == 401

        opted_in = await http.get(f"{base}/signup/optin/{opt_in}", headers=anonymous)
        assert opted_in.status_code == 200, opted_in.text
        assert opted_in.json()["session_id"] == visitor.json()["sessionId"]
        auth = {"Authorization": f"Bearer {opted_in.json()['saasToken']}"}
        me = await http.get(f"{base}/me?expand=addresses,mixin:*", headers=auth)
        assert (me.json()["firstName"], me.json()["id"]) == ("Jo", signed_up.json()["id"])

        reset = await http.post(f"{base}/password/reset", json={"email": EMAIL}, headers=anonymous)
        assert reset.status_code == 204
        key = _token_in(_mail_to(inbox, 2, EMAIL), "/password/restore")
        new_password = {"token": key, "password": "journey-pw-2"}
        updated = await http.post(
            f"{base}/password/reset/update", json=new_password, headers=anonymous
        )
        assert updated.status_code == 204
        assert (await http.get(f"{base}/me", headers=auth)).status_code == 401  # sessions ended
        notice = _mail_to(inbox, 3, EMAIL)  # the password changed: a notice, and no secret
        assert notice["Subject"] == "Your password was changed"
        assert key not in notice.get_content() and "journey-pw-2" not in notice.get_content()
        login = {"email": EMAIL, "password": "journey-pw-2"}
        tokens = (await http.post(f"{base}/login", json=login, headers=anonymous)).json()
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}

        change = {"email": EMAIL, "password": "journey-pw-2", "newEmail": NEW_EMAIL}
        asked = await http.post(
            f"{base}/me/accounts/internal/email/change", json=change, headers=auth
        )
        assert asked.status_code == 204, asked.text
        _wait(inbox, 5)
        by_recipient = {message["To"]: message for message in inbox.messages[3:5]}
        assert set(by_recipient) == {EMAIL, NEW_EMAIL}  # the key to the new, a notice to the old
        confirmation = by_recipient[NEW_EMAIL]
        confirmed = await http.post(
            f"{base}/me/accounts/internal/email/change/confirm",
            json={"token": _token_in(confirmation, "/email/confirm")},
            headers=anonymous,
        )
        assert confirmed.status_code == 204, confirmed.text
        login = {"email": NEW_EMAIL, "password": "journey-pw-2"}
        assert (await http.post(f"{base}/login", json=login, headers=anonymous)).status_code == 200

        assert (await http.delete(f"{base}/me", headers=auth)).status_code == 202
        deletion = _token_in(_mail_to(inbox, 6, NEW_EMAIL), "/account/delete")
        deleted = await http.delete(f"{base}/me", params={"token": deletion}, headers=auth)
        assert deleted.status_code == 204
        assert (await http.post(f"{base}/login", json=login, headers=anonymous)).status_code == 401
