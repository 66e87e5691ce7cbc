"""Every concrete core error class, and one instance of each, for the tests that render
or classify them all.

A class whose constructor needs arguments gets them from `ARGUMENTS`; a new one that needs
some and is not listed fails those tests by name, as does a code no class carries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from uuid import UUID

from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.categories import CATEGORIES
from patron.core.domain.errors.conflict import AddressIdTaken, GroupNameTaken, VersionConflict
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.invalid_input import (
    FieldProblem,
    FieldRule,
    FieldsInvalid,
    ImportBatchTooLarge,
    MigrationWindowInvalid,
    MigrationWindowRule,
    PasswordPolicyViolation,
    PasswordRule,
    PasswordViolation,
    RestrictionInvalid,
    TenantSettingInvalid,
)
from patron.core.domain.errors.limit_reached import AddressLimitReached
from patron.core.domain.errors.not_found import CustomersNotFound, GroupNotFound
from patron.core.domain.errors.throttled import LoginBlocked

ARGUMENTS: dict[type[DomainError], Callable[[], DomainError]] = {
    PasswordPolicyViolation: lambda: PasswordPolicyViolation(
        [PasswordViolation(PasswordRule.TOO_SHORT, 8), PasswordViolation(PasswordRule.COMMON)]
    ),
    LoginBlocked: lambda: LoginBlocked(90),
    VersionConflict: lambda: VersionConflict(3),
    AddressLimitReached: lambda: AddressLimitReached(5),
    AddressIdTaken: lambda: AddressIdTaken("home"),
    FieldsInvalid: lambda: FieldsInvalid(
        [
            FieldProblem("first_name", FieldRule.TOO_LONG, 100),
            FieldProblem("last_name", FieldRule.CHARACTERS),
        ]
    ),
    TenantSettingInvalid: lambda: TenantSettingInvalid("reference_pattern", "must contain {n}"),
    GroupNotFound: lambda: GroupNotFound("01J0000000000000000000000A"),
    GroupNameTaken: lambda: GroupNameTaken("VIP"),
    CustomersNotFound: lambda: CustomersNotFound([UUID(int=7)]),
    ScopeMissing: lambda: ScopeMissing("customers.write"),
    RestrictionInvalid: lambda: RestrictionInvalid("wholesale"),
    MigrationWindowInvalid: lambda: MigrationWindowInvalid(MigrationWindowRule.END_NOT_FUTURE),
    ImportBatchTooLarge: lambda: ImportBatchTooLarge(1000),
}


def _subclasses(root: type[DomainError]) -> Iterator[type[DomainError]]:
    for child in root.__subclasses__():
        yield child
        yield from _subclasses(child)


def concrete_classes() -> list[type[DomainError]]:
    """Every class of the tree but the root and the categories, in a stable order."""
    found = {cls for cls in _subclasses(DomainError) if cls not in CATEGORIES}
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def classes_of(code: ErrorCode) -> list[type[DomainError]]:
    return [cls for cls in concrete_classes() if getattr(cls, "code", None) is code]


def example(cls: type[DomainError]) -> DomainError:
    """One instance of `cls`; its arguments from `ARGUMENTS` if it needs any."""
    make = ARGUMENTS.get(cls)
    if make is not None:
        return make()
    try:
        return cls()
    except TypeError as error:
        raise AssertionError(f"{cls.__name__} needs arguments: add it to ARGUMENTS") from error


def every_error() -> list[DomainError]:
    """One instance of every class, for every code (a code without a class fails)."""
    errors: list[DomainError] = []
    for code in ErrorCode:
        classes = classes_of(code)
        assert classes, f"no core error class carries {code!r}"
        errors.extend(example(cls) for cls in classes)
    return errors
