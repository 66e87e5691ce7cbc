"""Password policies: pure functions, chosen per tenant.

`compatible` accepts every example password of the vendor documents (8-64 characters);
`strict` follows Spryker's current module default (12-128 characters, four character
classes from a fixed alphabet, not a common password) and its demo shop's sequence limit
(no character more than three times in a row).
"""

from __future__ import annotations

import gzip
import re
import secrets
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources

from patron.core.domain.errors.invalid_input import (
    PasswordPolicyViolation,
    PasswordRule,
    PasswordViolation,
)
from patron.core.domain.tenants import PasswordPolicyName

SPECIAL_CHARACTERS = "!@#$%^&*()_-=+[]{}|;:<>.,/?\\~"
_STRICT_ALPHABET = re.compile(r"^[A-Za-z\d" + re.escape(SPECIAL_CHARACTERS) + r"]+$")
_SPECIAL = re.compile("[" + re.escape(SPECIAL_CHARACTERS) + "]")


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    min_length: int
    max_length: int
    require_character_classes: bool
    reject_common: bool
    max_repeats: int | None = None

    def violations(self, password: str) -> list[PasswordViolation]:
        found: list[PasswordViolation] = []
        if len(password) < self.min_length:
            found.append(PasswordViolation(PasswordRule.TOO_SHORT, self.min_length))
        if len(password) > self.max_length:
            found.append(PasswordViolation(PasswordRule.TOO_LONG, self.max_length))
        if self.require_character_classes and not _has_all_classes(password):
            found.append(PasswordViolation(PasswordRule.CHARACTER_SET))
        if self.max_repeats is not None and _longest_run(password) > self.max_repeats:
            found.append(PasswordViolation(PasswordRule.SEQUENCE, self.max_repeats))
        if self.reject_common and is_common_password(password):
            found.append(PasswordViolation(PasswordRule.COMMON))
        return found

    def check(self, password: str) -> None:
        if found := self.violations(password):
            raise PasswordPolicyViolation(found)


POLICIES: dict[PasswordPolicyName, PasswordPolicy] = {
    PasswordPolicyName.COMPATIBLE: PasswordPolicy(8, 64, False, False),
    PasswordPolicyName.STRICT: PasswordPolicy(12, 128, True, True, max_repeats=3),
}


def _longest_run(password: str) -> int:
    longest = run = 0
    previous = None
    for character in password:
        run = run + 1 if character == previous else 1
        longest = max(longest, run)
        previous = character
    return longest


def _has_all_classes(password: str) -> bool:
    return bool(
        _STRICT_ALPHABET.match(password)
        and re.search(r"[A-Z]", password)
        and re.search(r"[a-z]", password)
        and re.search(r"\d", password)
        and _SPECIAL.search(password)
    )


@cache
def _common_passwords() -> frozenset[str]:
    """Django's list of 20,000 common passwords (BSD licence), lower-cased."""
    blob = resources.files("patron.core.identity").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(blob).decode().split())


def is_common_password(password: str) -> bool:
    """Also catches a common word dressed up with case and punctuation ('Qwerty123456!')."""
    lowered = password.lower()
    bare = _SPECIAL.sub("", lowered)
    common = _common_passwords()
    return lowered in common or bare in common


COPYABLE_PUNCTUATION = "-_."
"""The only punctuation of a generated password: characters a mail client's link detection
leaves alone, a double click selects with the rest, and nobody misreads; all three are
strict's special characters."""
GENERATED_ALPHABET = string.ascii_letters + string.digits + COPYABLE_PUNCTUATION
GENERATED_LENGTH = 17
"""17 of 65 symbols: 102 bits."""


def generate_password(policy: PasswordPolicyName) -> str:
    """A password for a customer who chose none (Aimeos mails it): 17 characters of
    letters, digits and `-_.`, so it survives a mail and copy and paste. Aimeos' own are 8
    hex digits (32 bits); these carry about 101.

    Drawn again until both the tenant's policy and strict take it (strict wants every
    character class, which about half the draws lack, mostly the special character), so
    the password passes whichever policy the tenant holds later too, and is uniform
    among those accepted: the redraws cost about one bit, where forcing one character
    of each class into chosen places would make those places guessable."""
    rules = (POLICIES[policy], POLICIES[PasswordPolicyName.STRICT])
    while True:
        password = "".join(secrets.choice(GENERATED_ALPHABET) for _ in range(GENERATED_LENGTH))
        if not any(rule.violations(password) for rule in rules):
            return password
