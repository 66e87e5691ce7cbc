"""Request bodies of bulk import and password migration (reference 8), and the one place
that turns an Emporix `CustomerImportDto` into the core's `ImportedCustomer`."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, StrictBool

from patron.core.commands import Registration
from patron.core.imports import ImportedCustomer
from patron.core.password_migration import ImportedPassword, LegacyHash, MigrationWindowRequest

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HASH_MAX_LENGTH = 512
Text = Annotated[str | None, Field(default=None, max_length=1024)]


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


class CustomerImportDto(BaseModel):
    """`CustomerCreateDto` + `id`, `contactEmail` and `account`. `type`, `b2b`, `metadata`
    (mixin schema URLs) and `restriction` are read but not kept (see decisions)."""

    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,66}$")
    contactEmail: str | None = Field(default=None, max_length=255)
    title: Text
    firstName: Text
    middleName: Text
    lastName: Text
    contactPhone: Text
    company: Text
    preferredLanguage: Text
    preferredCurrency: Text
    preferredSite: Text
    photoUrl: Text
    type: Text
    restriction: Text
    b2b: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    mixins: dict[str, Any] | None = None
    account: CustomerImportAccountDto


def imported_customer(dto: CustomerImportDto) -> ImportedCustomer:
    """Emporix' import item as the core's command (field names as in reference 2.2)."""
    account = dto.account
    legacy = account.legacyAuth
    registration = Registration(
        email=account.email,
        title=dto.title,
        first_name=dto.firstName,
        middle_name=dto.middleName,
        last_name=dto.lastName,
        phone=dto.contactPhone,
        company=dto.company,
        language=dto.preferredLanguage,
        currency=dto.preferredCurrency,
        site=dto.preferredSite,
        website=dto.photoUrl,
        metadata={"mixins": dto.mixins} if dto.mixins else {},
    )
    password = ImportedPassword(
        hash=account.passwordHash,
        legacy=None
        if legacy is None
        else LegacyHash(legacy.algorithm, legacy.hash, legacy.context),
    )
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
