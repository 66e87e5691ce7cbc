"""`GET /`: what this server is and where each dialect and its documentation live.

JSON for programs (the default, `*/*` included), a small HTML page with the same links for a
browser (one that ranks `text/html` above JSON). Every link is built from the configured
public URL, never from the `Host` header. The page has no script and no style, and its
Content-Security-Policy allows none.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import orjson

HTML_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
MAX_ACCEPT = 1024
"""Longer `Accept` headers are not parsed (JSON is answered): no browser sends one."""


@dataclass(frozen=True, slots=True)
class DialectEntry:
    name: str
    title: str
    base: str
    docs: str
    """Where a person reads about the API: the interactive docs, or Aimeos' discovery
    document (Aimeos publishes no OpenAPI)."""
    openapi: str | None


@dataclass(frozen=True, slots=True)
class Landing:
    version: str
    dialects: Sequence[DialectEntry]
    health: str
    ready: str

    def document(self) -> dict[str, object]:
        return {
            "name": "patron",
            "version": self.version,
            "dialects": [
                {"name": d.name, "base": d.base, "docs": d.docs, "openapi": d.openapi}
                for d in self.dialects
            ],
            "health": self.health,
            "ready": self.ready,
        }

    def json(self) -> bytes:
        return orjson.dumps(self.document())

    def html(self) -> bytes:
        e = html.escape
        rows = []
        for dialect in self.dialects:
            links = [f'<a href="{e(dialect.docs)}">docs</a>']
            if dialect.openapi is not None:
                links.append(f'<a href="{e(dialect.openapi)}">OpenAPI</a>')
            rows.append(
                f'<li>{e(dialect.title)}: <a href="{e(dialect.base)}">{e(dialect.base)}</a>'
                f" ({', '.join(links)})</li>"
            )
        items = "\n".join(rows)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Patron {e(self.version)}</title>
</head>
<body>
<h1>Patron {e(self.version)}</h1>
<p>One customer store, served in these API dialects:</p>
<ul>
{items}
</ul>
<p><a href="{e(self.health)}">health</a> · <a href="{e(self.ready)}">ready</a></p>
</body>
</html>
""".encode()


def prefers_html(accept: str | None) -> bool:
    """Whether `Accept` ranks `text/html` above `application/json` (RFC 9110 12.5.1: the
    most specific range that matches gives a type its quality). A tie, `*/*` and no header
    are JSON."""
    if not accept or len(accept) > MAX_ACCEPT:
        return False
    ranges = []
    for part in accept.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return _quality(ranges, "text/html") > _quality(ranges, "application/json")


def _quality(ranges: list[tuple[str, float]], media_type: str) -> float:
    kind = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)  # (specificity, quality)
    for media, quality in ranges:
        if media == media_type:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, quality)
    return best[1]
