"""Too many attempts in too short a time, from this client or for this account."""

from __future__ import annotations

from patron.core.domain.errors.base import DomainError, ErrorCode


class Throttled(DomainError):
    """Category: waiting makes room. `retry_after_seconds`, where known, becomes every
    dialect's `Retry-After`."""

    retry_after_seconds: int | None = None


class LoginBlocked(Throttled):
    code = ErrorCode.LOGIN_BLOCKED
    retry_after_seconds: int

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"blocked for {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


class SignupLimitReached(Throttled):
    """This client address created as many accounts as a `SignupLimit` allows."""

    code = ErrorCode.SIGNUP_LIMIT_REACHED
