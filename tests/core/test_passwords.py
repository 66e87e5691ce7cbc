"""Password policies are pure rules."""

from __future__ import annotations

import math
import string

import pytest

from patron.core.domain.errors.invalid_input import PasswordPolicyViolation, PasswordRule
from patron.core.domain.tenants import PasswordPolicyName
from patron.core.identity.passwords import POLICIES, generate_password, is_common_password

COMPATIBLE = POLICIES[PasswordPolicyName.COMPATIBLE]
STRICT = POLICIES[PasswordPolicyName.STRICT]


@pytest.mark.parametrize("password", ["change123", "321egnahc", "wwfh234fr943434cf", "x" * 64])
def test_compatible_accepts_every_seed_example(password: str) -> None:
    COMPATIBLE.check(password)


@pytest.mark.parametrize(
    ("password", "rules"),
    [
        ("short", [PasswordRule.TOO_SHORT]),
        ("x" * 65, [PasswordRule.TOO_LONG]),
    ],
)
def test_compatible_enforces_only_length(password: str, rules: list[PasswordRule]) -> None:
    assert [v.rule for v in COMPATIBLE.violations(password)] == rules


@pytest.mark.parametrize(
    ("password", "rules"),
    [
        ("Ab1!", [PasswordRule.TOO_SHORT]),
        ("alllowercase1!", [PasswordRule.CHARACTER_SET]),
        ("NoDigitsHere!!", [PasswordRule.CHARACTER_SET]),
        ("Umlaut-Ä-123abc", [PasswordRule.CHARACTER_SET]),
        ("Qwerty123456!", [PasswordRule.COMMON]),
        ("Aaaaa-bcd-123", [PasswordRule.SEQUENCE]),
        ("Aaaa-bcd-1234", []),
        ("Tr0ub4dor&3-Horse", []),
    ],
)
def test_strict_policy(password: str, rules: list[PasswordRule]) -> None:
    assert [v.rule for v in STRICT.violations(password)] == rules


def test_check_raises_every_violation() -> None:
    with pytest.raises(PasswordPolicyViolation) as caught:
        STRICT.check("abc")

    assert {v.rule for v in caught.value.violations} == {
        PasswordRule.TOO_SHORT,
        PasswordRule.CHARACTER_SET,
        PasswordRule.COMMON,
    }


def test_common_password_list_ships_with_the_package() -> None:
    assert is_common_password("password")
    assert is_common_password("PASSWORD")
    assert not is_common_password("correct horse battery staple 8731")


# --- generated passwords (issue 18, item 7) --------------------------------------------------

COPYABLE = frozenset(string.ascii_letters + string.digits + "-_.")


@pytest.mark.parametrize("policy", list(PasswordPolicyName))
def test_a_generated_password_is_copyable_and_passes_every_policy(
    policy: PasswordPolicyName,
) -> None:
    """Letters, digits and `-_.` only (nothing a mail client's link detection breaks or a
    reader mistakes for punctuation), yet strict's special character: each one of
    hundreds passes both policies, whichever the tenant holds."""
    passwords = [generate_password(policy) for _ in range(500)]

    for password in passwords:
        assert set(password) <= COPYABLE, password
        assert COMPATIBLE.violations(password) == [], password
        assert STRICT.violations(password) == [], password
    assert len(set(passwords)) == len(passwords)


def test_a_generated_password_carries_about_a_hundred_bits() -> None:
    """17 of 65 symbols is 102 bits; keeping only draws strict takes (about half) costs
    about one, so every password is still uniform among some 2**101."""
    password = generate_password(PasswordPolicyName.STRICT)

    assert len(password) * math.log2(len(COPYABLE)) >= 100
    assert len(password) == 17


def test_the_copyable_punctuation_counts_as_special_for_strict() -> None:
    for mark in "-_.":
        assert STRICT.violations(f"Harbour{mark}7Lights") == [], mark
