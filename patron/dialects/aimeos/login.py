"""`POST /jsonapi/login` and `POST /jsonapi/logout`: the host's part Aimeos leaves to the
framework (Laravel's session guard), CSRF-checked like every write.

A login answers with the customer document a `GET /jsonapi/customer` would give, whose
`meta.csrf` is already the new session's token; the old token is worthless from then on.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from patron.dialects.aimeos import customers
from patron.dialects.aimeos.errors import BAD_CREDENTIALS, AimeosError
from patron.dialects.aimeos.http import Call
from patron.dialects.aimeos.shapes import answer, url
from patron.http.proxies import client_ip

ALLOW = "POST"


def _text(document: Any, name: str) -> str | None:
    value = document.get(name) if isinstance(document, dict) else None
    return value if isinstance(value, str) else None


async def login(call: Call) -> Response:
    """Email and password as JSON or form fields; the login throttle of every dialect."""
    document = await call.document()
    email, password = _text(document, "email"), _text(document, "password")
    if not email or not password:
        raise AimeosError(401, BAD_CREDENTIALS)
    core = call.ctx.core
    customer = await core.auth.authenticate(
        call.tenant,
        email,
        password,
        client_ip=client_ip(call.request),
        require_confirmation=None if call.ctx.config.require_confirmation else False,
    )
    if call.claims is not None:
        await core.auth.end_session(call.cookie)
    session = await core.auth.start_session(customer)
    call.replace_cookie(session, await core.auth.session_claims(call.tenant, session))
    response = await customers.full_document(call, customer)
    response.headers["Allow"] = ALLOW
    return response


async def logout(call: Call) -> Response:
    """Ends the session (if any) and gives the browser a new visitor cookie."""
    auth = call.ctx.core.auth
    if call.claims is not None:
        await auth.end_session(call.cookie)
    call.replace_cookie(call.ctx.core.request_tokens.new_visitor_cookie(), None)
    body = {"meta": call.meta(0), "links": {"self": url(call.ctx.config.base_url, "logout")}}
    return answer(body, allow=ALLOW)
