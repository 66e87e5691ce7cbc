"""Answers whose work goes on after they are sent."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.responses import Response

from patron.core.domain.deferred import AfterAnswer


def answer_then(response: Response, after: AfterAnswer) -> Response:
    """Send `response`, then run `after`: its duration and outcome cannot show in the answer.
    Claims `after`, so the dispatch does not report it as dropped (`patron.http.dispatch`)."""
    after.claim()
    response.background = BackgroundTask(after.run)
    return response
