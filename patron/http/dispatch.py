"""Which mounted app answers a request: the longest matching path prefix.

A plain dispatcher rather than a Starlette router: each dialect app has its own error
handling, so another layer of routing or middleware would only cost time on every request.
The client's address is resolved here, once, for every dialect (see `proxies`).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

from patron.http.proxies import TrustedProxies, forwarded_for


class PrefixDispatch:
    def __init__(self, mounts: Mapping[str, ASGIApp], proxies: TrustedProxies) -> None:
        # Longest prefix first, so `/glue/admin` could be mounted beside `/glue`.
        self.mounts = sorted(mounts.items(), key=lambda item: len(item[0]), reverse=True)
        self.proxies = proxies

    def match(self, scope: Scope) -> tuple[ASGIApp, Scope] | None:
        """The app for this request and the scope it gets, or None."""
        path: str = scope["path"]
        for prefix, app in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                # As Starlette's Mount does: the full path stays, the prefix joins root_path.
                child = dict(scope)
                child["root_path"] = scope.get("root_path", "") + prefix
                child.setdefault("state", {})
                if self.proxies and scope.get("client"):
                    host, port = scope["client"]
                    child["client"] = (
                        self.proxies.client(host, forwarded_for(scope["headers"])),
                        port,
                    )
                return app, child
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Hand the request to its app; False when no mount matches."""
        found = self.match(scope)
        if found is None:
            return False
        app, child = found
        await app(child, receive, send)
        return True
