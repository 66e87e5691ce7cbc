"""The caller is not who it needs to be: no credential, a wrong one, or one that ran out."""

from __future__ import annotations

from patron.core.domain.errors.base import DomainError, ErrorCode


class Unauthorized(DomainError):
    """Category: authenticate (again) and the request may succeed."""


class InvalidCredentials(Unauthorized):
    """Login failed. Deliberately says nothing of why (unknown, unconfirmed, wrong password)."""

    code = ErrorCode.INVALID_CREDENTIALS


class InvalidRefreshToken(Unauthorized):
    code = ErrorCode.INVALID_REFRESH_TOKEN


class InvalidAccessToken(Unauthorized):
    code = ErrorCode.INVALID_ACCESS_TOKEN


class AccessTokenExpired(InvalidAccessToken):
    """A token that was valid and has run out (dialects that tell it apart say so)."""


class TenantMismatch(InvalidAccessToken):
    """A valid credential of another tenant than the request names (Emporix answers it
    400, not 401); every other dialect treats it as any invalid credential."""
