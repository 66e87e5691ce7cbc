"""One email normalisation for the whole service."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from patron.core.errors import EmailInvalid

MAX_EMAIL_LENGTH = 255


def clean_email(raw: str) -> str:
    """Validate the syntax and return the address as typed, trimmed.

    The address keeps its letter case for display; uniqueness and login compare
    `lookup_key(email)`, which the database indexes too.
    """
    email = raw.strip()
    if not email or len(email) > MAX_EMAIL_LENGTH:
        raise EmailInvalid("email length")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise EmailInvalid(str(exc)) from None
    return email


def lookup_key(email: str) -> str:
    """The case-insensitive key under which an email is unique; matches `lower(email)` in SQL."""
    return email.strip().lower()
