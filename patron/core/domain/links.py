"""Link templates of the mails (`{public_url}/register/confirm?token={token}`): checked
when they are set, because a broken one would otherwise fail mail by mail."""

from __future__ import annotations

from string import Formatter
from urllib.parse import quote, urlsplit

from patron.core.domain.errors.invalid_input import TenantSettingInvalid

PLACEHOLDERS = frozenset({"public_url", "token", "email"})
"""`{email}` is the recipient's address, URL-encoded: Medusa storefronts read it beside the
token (`/reset-password?token={token}&email={email}`)."""
_SAMPLE_PUBLIC_URL = "http://127.0.0.1:8000"
_SAMPLE_TOKEN = "sample-token-7Qx2"
_SAMPLE_EMAIL = "sample+1@example.com"


def fill_link(template: str, *, public_url: str, token: str, email: str = "") -> str:
    """The address is encoded whole (`@`, `+`, `&` and `/` too), so whatever it holds it
    stays one query value and cannot add parameters or path segments to the link."""
    return template.format(public_url=public_url, token=token, email=quote(email, safe=""))


def check_link_template(key: str, template: str) -> None:
    """Only `{public_url}`, `{token}` and `{email}` (no format specs: nothing else of the
    values is reachable), `{token}` present, and the result an absolute http(s) URL."""
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in Formatter().parse(template)
            if name is not None
        ]
    except ValueError as error:
        raise TenantSettingInvalid(key, f"is not a link template ({error})") from None
    for name, spec, conversion in fields:
        if name not in PLACEHOLDERS or spec or conversion:
            raise TenantSettingInvalid(key, "may only use {public_url}, {token} and {email}")
    link = fill_link(
        template, public_url=_SAMPLE_PUBLIC_URL, token=_SAMPLE_TOKEN, email=_SAMPLE_EMAIL
    )
    if _SAMPLE_TOKEN not in link:
        raise TenantSettingInvalid(key, "must contain {token}")
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TenantSettingInvalid(key, "must fill in to an absolute http(s) URL")
