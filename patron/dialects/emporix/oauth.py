"""`POST /oauth/token`: service tokens by the client-credentials grant (reference 2).

The client id and secret come from `patron admin create-client`; a client belongs to one
tenant, so the token does too, and carries the client's scopes (or the asked-for subset).
Failures are the gateway's (Apigee's OAuthV2 policy) `{"ErrorCode", "Error"}` bodies.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from starlette.responses import Response

from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidCredentials
from patron.dialects.emporix import scopes
from patron.dialects.emporix.context import EmporixContext
from patron.dialects.emporix.errors import BODY_TOO_LARGE, EmporixError, GatewayBody
from patron.dialects.emporix.http import answer
from patron.http.body import BodyError, BodyTooLarge, read_bytes
from patron.http.proxies import client_ip

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
INVALID_CLIENT = GatewayBody(
    401, {"ErrorCode": "invalid_client", "Error": "Client credentials are invalid"}
)


def _refused(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> EmporixError:
    body = {"ErrorCode": code, "Error": message}
    return EmporixError(GatewayBody(status, body, headers or {}))


async def _form(request: Request, ctx: EmporixContext) -> Mapping[str, str]:
    """The form fields (each name's first value); anything but a form is none."""
    try:
        raw = await read_bytes(request, ctx.config.body_limits)
    except BodyTooLarge:
        raise EmporixError(BODY_TOO_LARGE) from None
    except BodyError:  # a Content-Length that is no length: no form either
        return {}
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    try:
        fields = parse_qs(raw.decode(), keep_blank_values=True, max_num_fields=16)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in fields.items()}


def _basic(request: Request) -> tuple[str, str] | None:
    """RFC 6749's other way to send the client's credentials: HTTP Basic."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, separator, secret = decoded.partition(":")
    return (client_id, secret) if separator else None


def add_routes(api: FastAPI, ctx: EmporixContext) -> None:
    @api.post("/oauth/token", summary="A service token (client-credentials grant)")
    async def issue_token(request: Request) -> Response:
        form = await _form(request, ctx)
        grant_type = form.get("grant_type", "")
        if grant_type != "client_credentials":
            raise _refused(
                400, "unsupported_grant_type", f"Unsupported grant type : {grant_type[:64]}"
            )
        client_id, secret = _basic(request) or (
            form.get("client_id", ""),
            form.get("client_secret", ""),
        )
        wanted = []
        for name in form.get("scope", "").split():
            core_name = scopes.to_core(name)
            if core_name is None:
                raise _refused(400, "invalid_scope", f"Invalid scope : {name[:64]}")
            wanted.append(core_name)
        back_office = ctx.core.back_office
        tenant_code = await back_office.client_tenant(client_id) if client_id else None
        if tenant_code is None or not secret:
            raise EmporixError(INVALID_CLIENT)
        tenant = await ctx.core.tenants.get(tenant_code)
        try:
            token, expires_in = await back_office.client_token(
                tenant, client_id, secret, scopes=wanted, client_ip=client_ip(request)
            )
        except InvalidCredentials:
            raise EmporixError(INVALID_CLIENT) from None
        except LoginBlocked as blocked:
            seconds = str(blocked.retry_after_seconds)
            raise _refused(
                429, "too_many_requests", "Too many attempts", {"Retry-After": seconds}
            ) from None
        except ScopeMissing as missing:
            name = scopes.to_emporix(missing.scope) or missing.scope
            raise _refused(400, "invalid_scope", f"Invalid scope : {name}") from None
        granted = back_office.verify_bearer(token).scopes
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "scope": scopes.scope_text(tenant.code, granted),
            "session_idle_time": 0,
        }
        return answer(body, headers=NO_STORE)
