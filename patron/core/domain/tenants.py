"""A tenant and its settings: locales, numbering pattern, password policy, mail sender."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum
from string import Formatter
from typing import Any

from patron.core.domain.email_addresses import clean_email
from patron.core.domain.errors.invalid_input import EmailInvalid, TenantSettingInvalid
from patron.core.domain.links import check_link_template


class PasswordPolicyName(StrEnum):
    COMPATIBLE = "compatible"
    STRICT = "strict"


@dataclass(frozen=True, slots=True)
class TenantSettings:
    """Per-tenant behaviour, kept as JSON in the tenants table and changed with the CLI."""

    reference_pattern: str = "DE--{n}"
    store_code: str = "DE"
    password_policy: PasswordPolicyName = PasswordPolicyName.COMPATIBLE
    confirmation_required: bool = True
    active_on_creation: bool = True
    on_hold_on_creation: bool = False
    default_locale: str = "en_US"
    locales: tuple[str, ...] = ("en_US", "de_DE")
    confirmation_link: str | None = None  # None: PATRON_STOREFRONT_CONFIRM_URL
    password_reset_link: str | None = None  # None: PATRON_STOREFRONT_PASSWORD_RESET_URL
    email_change_link: str | None = None
    """The page that confirms a new email (Emporix' `customer.changeemail.redirecturl`);
    None: the public URL's `/email/confirm?token=...`."""
    deletion_link: str | None = None
    """The page that confirms an account's deletion; None: the public URL's
    `/account/delete?token=...`."""
    restrictions: tuple[str, ...] = ()
    """The values a customer's `restriction` may take (Emporix' `restrictions`)."""
    sync_restriction_with_site: bool = False
    """A write that sets no restriction sets it to the customer's site (Emporix'
    `enableSyncBetweenRestrictionsAndSiteCodes`)."""
    recreate_deleted_customers: bool = False
    """A deleted customer's number may be given to a new customer (Emporix'
    `enableRecreationOfDeletedCustomer`)."""
    mail_sender: str | None = None
    """The From address of this tenant's mails; None: PATRON_MAIL_FROM."""

    def __post_init__(self) -> None:
        # A pattern without {n} would give every customer the same number.
        if "{n}" not in self.reference_pattern:
            raise TenantSettingInvalid("reference_pattern", "must contain {n}")
        try:
            self.reference_pattern.format(n=1, store=self.store_code)
        except (KeyError, IndexError, ValueError) as error:
            reason = f"cannot be filled in: {error}"
            raise TenantSettingInvalid("reference_pattern", reason) from None
        for key in (
            "confirmation_link",
            "password_reset_link",
            "email_change_link",
            "deletion_link",
        ):
            if (template := getattr(self, key)) is not None:
                check_link_template(key, template)
        self._check_codes()

    def _check_codes(self) -> None:
        """What ends up in URLs and headers: customer numbers sit in paths, locales in
        `Content-Language`, so neither may hold anything but plain code characters."""
        if not _CODE.fullmatch(self.store_code):
            raise TenantSettingInvalid("store_code", "must be 1-16 of A-Z, a-z, 0-9, _ . -")
        literal = "".join(text for text, *_ in Formatter().parse(self.reference_pattern))
        if len(self.reference_pattern) > 64 or not _PATTERN_TEXT.fullmatch(literal):
            raise TenantSettingInvalid(
                "reference_pattern", "may hold only A-Z, a-z, 0-9, _ . - around {n} and {store}"
            )
        if not self.locales or not all(_LOCALE.fullmatch(locale) for locale in self.locales):
            raise TenantSettingInvalid("locales", "must be a list of locales such as de_DE")
        if self.default_locale not in self.locales:
            raise TenantSettingInvalid("default_locale", "must be one of the locales")
        if self.mail_sender is not None:
            _check_sender(self.mail_sender)
        if not all(_CODE.fullmatch(value) for value in self.restrictions):
            raise TenantSettingInvalid("restrictions", "must be codes of 1-16 A-Z a-z 0-9 _ . -")

    def to_json(self) -> dict[str, Any]:
        return {
            "reference_pattern": self.reference_pattern,
            "store_code": self.store_code,
            "password_policy": self.password_policy.value,
            "confirmation_required": self.confirmation_required,
            "active_on_creation": self.active_on_creation,
            "on_hold_on_creation": self.on_hold_on_creation,
            "default_locale": self.default_locale,
            "locales": list(self.locales),
            "confirmation_link": self.confirmation_link,
            "password_reset_link": self.password_reset_link,
            "email_change_link": self.email_change_link,
            "deletion_link": self.deletion_link,
            "restrictions": list(self.restrictions),
            "sync_restriction_with_site": self.sync_restriction_with_site,
            "recreate_deleted_customers": self.recreate_deleted_customers,
            "mail_sender": self.mail_sender,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TenantSettings:
        defaults = cls()
        return cls(
            reference_pattern=str(data.get("reference_pattern", defaults.reference_pattern)),
            store_code=str(data.get("store_code", defaults.store_code)),
            password_policy=PasswordPolicyName(
                data.get("password_policy", defaults.password_policy)
            ),
            confirmation_required=bool(
                data.get("confirmation_required", defaults.confirmation_required)
            ),
            active_on_creation=bool(data.get("active_on_creation", defaults.active_on_creation)),
            on_hold_on_creation=bool(data.get("on_hold_on_creation", defaults.on_hold_on_creation)),
            default_locale=str(data.get("default_locale", defaults.default_locale)),
            locales=tuple(data.get("locales", defaults.locales)),
            confirmation_link=_text_or_none(data.get("confirmation_link")),
            password_reset_link=_text_or_none(data.get("password_reset_link")),
            email_change_link=_text_or_none(data.get("email_change_link")),
            deletion_link=_text_or_none(data.get("deletion_link")),
            restrictions=tuple(data.get("restrictions", defaults.restrictions)),
            sync_restriction_with_site=bool(
                data.get("sync_restriction_with_site", defaults.sync_restriction_with_site)
            ),
            recreate_deleted_customers=bool(
                data.get("recreate_deleted_customers", defaults.recreate_deleted_customers)
            ),
            mail_sender=_text_or_none(data.get("mail_sender")),
        )


def _check_sender(sender: str) -> None:
    """A From header: `addr@host` or `Name <addr@host>`, one line (no header injection)."""
    _, address = parseaddr(sender)
    if "\r" in sender or "\n" in sender or len(sender) > 200 or not address:
        raise TenantSettingInvalid("mail_sender", "must be an address such as Shop <a@b.com>")
    try:
        clean_email(address)
    except EmailInvalid:
        raise TenantSettingInvalid("mail_sender", f"{address!r} is no email address") from None


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Tenant:
    id: int
    code: str
    name: str
    settings: TenantSettings


_CODE = re.compile(r"[A-Za-z0-9_.-]{1,16}")


_PATTERN_TEXT = re.compile(r"[A-Za-z0-9_.-]*")


_LOCALE = re.compile(r"[A-Za-z]{2,8}(?:[_-][A-Za-z0-9]{1,8}){0,3}")
