"""The service cannot answer now; nothing was decided."""

from __future__ import annotations

from patron.core.domain.errors.base import DomainError, ErrorCode


class Unavailable(DomainError):
    """Category: the same request may succeed later; `retry_after_seconds` says when."""

    retry_after_seconds: int | None = None


class ServiceUnavailable(Unavailable):
    """No database connection came free within the pool's acquire timeout (or the database
    would open none): the request is refused (every dialect's 503, with `Retry-After`)
    instead of waiting without end."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    retry_after_seconds: int

    def __init__(self, retry_after_seconds: int = 1) -> None:
        super().__init__("no database connection to be had")
        self.retry_after_seconds = retry_after_seconds
