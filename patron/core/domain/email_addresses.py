"""One email rule and one normalisation for the whole service.

Every dialect, the back office and the CLI take an address by `clean_email` (or ask
`email_syntax_ok` where a vendor's validator words its own refusal): syntax only, never a
DNS look-up, and special-use and reserved domains (`shop.test`, `example.invalid`,
`host.localhost`, `.local`, `.onion`, `.arpa`) are addresses like any other, as Spryker,
Medusa and Emporix take them and as every integrator's test suite types them. Whether
mail to such a domain arrives is the mail relay's business. The domain still needs a dot
and a top-level label ending in a letter (Symfony's `html5` mode and validator.js's
`require_tld` ask the same), so `anna@localhost` is still refused.
"""

from __future__ import annotations

import email_validator
from email_validator import EmailNotValidError, validate_email

from patron.core.domain.errors.invalid_input import EmailInvalid

MAX_EMAIL_LENGTH = 255

# email-validator refuses the names of this module-global list (IANA's special-use
# domains) whatever the call's switches say, bar `test`; emptying it is the library's
# documented way to take them ("Test addresses" in its README). It is read at every call.
email_validator.SPECIAL_USE_DOMAIN_NAMES.clear()


def email_syntax_ok(email: str) -> bool:
    """Whether `email`, exactly as given (no trimming), is an address the service takes."""
    if not email or len(email) > MAX_EMAIL_LENGTH:
        return False
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def clean_email(raw: str) -> str:
    """Validate the syntax and return the address as typed, trimmed.

    The address keeps its letter case for display; uniqueness and login compare
    `lookup_key(email)`, which the database indexes too.
    """
    email = raw.strip()
    if not email_syntax_ok(email):
        raise EmailInvalid("email syntax or length")
    return email


def lookup_key(email: str) -> str:
    """The case-insensitive key under which an email is unique; matches `lower(email)` in SQL."""
    return email.strip().lower()
