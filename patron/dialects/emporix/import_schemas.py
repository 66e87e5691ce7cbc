"""Request bodies of bulk import and password migration (reference 8), and the one place
that turns an Emporix `CustomerImportDto` into the core's `ImportedCustomer`."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, StrictBool

from patron.core.back_office.imports import ImportedCustomer
from patron.core.domain.password_migration import (
    ImportedPassword,
    LegacyHash,
    MigrationWindowRequest,
)
from patron.dialects.emporix.customer_fields import registration_of
from patron.dialects.emporix.schemas import CUSTOM_ID, CustomerFields

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HASH_MAX_LENGTH = 512


def _iso_date(value: object) -> object:
    """Only `YYYY-MM-DD` (OpenAPI `format: date`), not the numbers and timestamps that
    pydantic would take for a date."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return date.fromisoformat(value)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class LegacyAuthDto(BaseModel):
    algorithm: Literal["hybris-sha512-uid-salt"]
    hash: str = Field(min_length=1, max_length=HASH_MAX_LENGTH)
    context: dict[str, Annotated[str, Field(max_length=255)]] = Field(
        default_factory=dict, max_length=8
    )


class CustomerImportAccountDto(BaseModel):
    email: str = Field(max_length=255)
    passwordHash: str | None = Field(default=None, max_length=HASH_MAX_LENGTH)
    legacyAuth: LegacyAuthDto | None = None


class CustomerImportDto(CustomerFields):
    """`CustomerCreateDto` + `id`, `contactEmail` and `account`: the profile is read as a
    created customer's (`schemas.CustomerFields`), the same fields kept the same way."""

    id: Annotated[str, Field(pattern=CUSTOM_ID)] | None = None
    contactEmail: str | None = Field(default=None, max_length=255)
    account: CustomerImportAccountDto


def imported_customer(dto: CustomerImportDto) -> ImportedCustomer:
    """Emporix' import item as the core's command."""
    account = dto.account
    legacy = account.legacyAuth
    password = ImportedPassword(
        hash=account.passwordHash,
        legacy=None
        if legacy is None
        else LegacyHash(legacy.algorithm, legacy.hash, legacy.context),
    )
    registration = registration_of(dto, email=account.email)
    return ImportedCustomer(registration, password, customer_number=dto.id)


class RetentionConfigRequest(BaseModel):
    """`PasswordMigrationRetentionConfigRequest`."""

    retentionEndDate: IsoDate
    emailReminderDate: IsoDate | None = None
    emailNotificationsEnabled: StrictBool = True

    def to_core(self) -> MigrationWindowRequest:
        return MigrationWindowRequest(
            self.retentionEndDate, self.emailReminderDate, self.emailNotificationsEnabled
        )
