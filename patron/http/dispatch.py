"""Which mounted app answers a request: the longest matching path prefix.

A plain dispatcher rather than a Starlette router: each dialect app has its own error
handling, so another layer of routing or middleware would only cost time on every request.
What holds for every dialect is done here, once:

- the client's address is resolved (see `proxies`);
- a path holding a NUL (sent as `%00`) is refused before any dialect routes it: no route
  has one, and no PostgreSQL text holds it; the dialect's own refusal answers, in its
  vendor's format (`Mount.refuse`);
- deferred work (`AfterAnswer`) that has not run once the dialect has answered is run,
  not lost (`core.deferred.Ledger`): work no answer claimed (a dialect dropped it) is
  reported as an error, work whose answer failed before running it as a warning.

Only a `Mount` made by `plumbing.install_dialect` can be mounted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from patron.core.domain.deferred import Ledger, recording
from patron.http.plumbing import Mount
from patron.http.proxies import TrustedProxies, forwarded_for

log = logging.getLogger("patron.http")


class PrefixDispatch:
    def __init__(self, mounts: Iterable[Mount], proxies: TrustedProxies) -> None:
        found = list(mounts)
        if not all(isinstance(mount, Mount) for mount in found):
            raise TypeError("mount dialects through patron.http.plumbing.install_dialect")
        # Longest prefix first, so `/glue/admin` could be mounted beside `/glue`.
        self.mounts = sorted(found, key=lambda mount: len(mount.prefix), reverse=True)
        self.proxies = proxies

    def match(self, scope: Scope) -> tuple[ASGIApp, Scope] | None:
        """The app for this request (the mount's refusal for a path with a NUL) and the
        scope it gets, or None."""
        path: str = scope["path"]
        for mount in self.mounts:
            prefix = mount.prefix
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
                refused = scope["type"] == "http" and "\x00" in path
                return (mount.refuse if refused else mount.app), child
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Hand the request to its app; False when no mount matches."""
        found = self.match(scope)
        if found is None:
            return False
        app, child = found
        with recording() as ledger:
            try:
                await app(child, receive, send)
            finally:
                await _run_left_over(ledger)
        return True


async def _run_left_over(ledger: Ledger) -> None:
    for after, claimed in ledger.left_over():
        name = _name(after.work)
        if not claimed:
            log.error("deferred work %s was never claimed by an answer; running it", name)
        else:
            log.warning("deferred work %s: its answer failed first; running it", name)
        try:
            await after.run()
        except Exception as error:  # as a background task's would, without the details
            log.error("deferred work %s failed: %s", name, type(error).__name__)


def _name(work: object) -> str:
    """The function a piece of deferred work calls (a `functools.partial` names its own)."""
    target = getattr(work, "func", work)
    return str(getattr(target, "__qualname__", type(target).__name__))
