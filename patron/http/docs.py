"""Interactive API docs (Swagger UI) that work offline and under a strict
Content-Security-Policy.

FastAPI's own `/docs` loads Swagger UI from a public CDN (blank in an air-gapped network) and
starts it with an inline script. Here every asset comes from Patron: Swagger UI's files from
the `fastapi-offline` package, and a small initialiser of ours that reads the document's URL
from the page, so the page allows scripts, styles and connections from its own origin only.
"""

from __future__ import annotations

import html
import os
from urllib.parse import urlsplit

import orjson
from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

ASSETS_PATH = "/static/swagger-ui"
"""Where the root serves Swagger UI's files, for every dialect's docs page."""
ASSET_CACHE = "public, max-age=86400"
"""Swagger UI's files hold no personal data: browsers and proxies may keep them a day."""


def _policy(connect: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",  # Swagger UI's stylesheet draws its icons as data: URLs
            f"connect-src {connect}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'self'",
        )
    )


def _path(url: str) -> str:
    """The path of a configured URL (`https://api.example/patron` is `/patron`)."""
    return urlsplit(url).path.rstrip("/")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class _AssetFiles(StaticFiles):
    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = ASSET_CACHE
        return response


class SwaggerAssets:
    """Swagger UI's files under `ASSETS_PATH` of the root, with validators (`ETag`,
    `Last-Modified`) and a day's caching; anything else there is a 404."""

    def __init__(self) -> None:
        self.files = _AssetFiles(
            packages=[("patron.http", "static"), ("fastapi_offline", "static")]
        )

    @staticmethod
    def matches(path: str) -> bool:
        return path.startswith(ASSETS_PATH + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        child = {**scope, "root_path": scope.get("root_path", "") + ASSETS_PATH}
        try:
            response = await self.files.get_response(self.files.get_path(child), child)
        except HTTPException as error:
            body = orjson.dumps({"detail": error.detail})
            response = Response(body, error.status_code, error.headers, "application/json")
        await response(child, receive, send)


def add_swagger_ui(app: FastAPI, *, base_url: str, public_url: str) -> None:
    """`GET /docs` on `app` (mounted at `base_url`): Swagger UI on the app's OpenAPI
    document. Every URL the page names is a path from the configured public URL, never from
    the request; "Try it out" may call the API at the public URL's origin."""
    assert app.openapi_url is not None, "the docs need the OpenAPI document"
    assets = html.escape(_path(public_url) + ASSETS_PATH)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(app.title)}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{html.escape(_path(base_url) + app.openapi_url)}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
""".encode()
    headers = {"Content-Security-Policy": _policy(f"'self' {_origin(public_url)}")}

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return Response(page, media_type="text/html", headers=headers)
