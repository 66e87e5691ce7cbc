"""The caller is known and may not do this: another's resource, a scope it lacks."""

from __future__ import annotations

from patron.core.domain.errors.base import DomainError, ErrorCode


class Forbidden(DomainError):
    """Category: authenticating again changes nothing; another caller might succeed."""


class NotOwner(Forbidden):
    """The authenticated customer acts on another customer's resource."""

    code = ErrorCode.NOT_OWNER


class ScopeMissing(Forbidden):
    """An authenticated back-office caller whose grant lacks the scope a use case needs."""

    code = ErrorCode.SCOPE_MISSING

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class OutOfReach(Forbidden):
    """A narrowed back-office caller may see the customer but not make it (or leave it)
    what the change asks: another restriction, outside its company."""

    code = ErrorCode.OUT_OF_REACH


class GroupsReadOnly(Forbidden):
    """A customer's own group memberships are shown, never written, by the customer."""

    code = ErrorCode.GROUPS_READ_ONLY
