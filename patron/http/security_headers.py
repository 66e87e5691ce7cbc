"""Headers every answer carries, whichever dialect (or the root) gave it: installed once,
around each dialect by `patron.http.plumbing.install_dialect` and around the root's own
answers by `patron.app.Patron` (once per answer: never both), so no dialect can forget them.

- Spryker's security headers (Glue's replay tests hold them, and they are as strict as any
  other dialect needs): no framing by another origin, no MIME sniffing, no referrer to
  another origin, no browser features.
- `Cache-Control: no-store` unless the answer sets its own: most answers hold a token or
  personal data, and one forgotten route must not be cached by a proxy or a browser. A route
  whose answer may be kept says so itself (Aimeos' OPTIONS documents, the docs' assets).
"""

from __future__ import annotations

from starlette.types import Message, Send

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b""),
)
CACHE_CONTROL = b"cache-control"
NO_STORE = b"no-store"
_DEFAULTS = (*SECURITY_HEADERS, (CACHE_CONTROL, NO_STORE))


def with_answer_headers(send: Send) -> Send:
    """`send`, adding each of these headers the answer does not set itself (a docs page sets
    a stricter Content-Security-Policy, a cacheable answer its own Cache-Control)."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            present = {name.lower() for name, _ in headers}
            headers.extend(header for header in _DEFAULTS if header[0] not in present)
            message = {**message, "headers": headers}
        await send(message)

    return sending
