"""Granted scope strings: `<scope>[_own][--<restriction>]`, what each reaches, and which
grants cover which (a token may carry less than its holder, never more)."""

from __future__ import annotations

import pytest

from patron.core.domain.principals import Grant, Reach, Scope, grants_of, within

READ = Scope.CUSTOMERS_READ


@pytest.mark.parametrize(
    ("text", "grant"),
    [
        ("customers:read", Grant(READ)),
        ("customers:read_own", Grant(READ, own=True)),
        ("customers:read--DE", Grant(READ, restriction="DE")),
        ("customers:read_own--DE", Grant(READ, own=True, restriction="DE")),
        ("imports:manage", Grant(Scope.IMPORTS_MANAGE)),
    ],
)
def test_grants_read_and_write_back_the_same(text: str, grant: Grant) -> None:
    assert Grant.parse(text) == grant
    assert str(grant) == text


@pytest.mark.parametrize(
    "text",
    ["customer.customer_read", "customers:read--", "customers:read--a b", "customers:write",
     "customers:read_own_own", "customers:read--" + "X" * 17, ""],
)  # fmt: skip
def test_anything_else_is_no_grant(text: str) -> None:
    assert Grant.parse(text) is None


def test_a_grant_covers_itself_and_anything_narrower_of_its_scope() -> None:
    held = frozenset({"customers:read", "customers:manage--DE"})
    asked = frozenset(
        {
            "customers:read",
            "customers:read--PL",
            "customers:read_own",
            "customers:manage--DE",
            "customers:manage_own--DE",
            "customers:manage--PL",  # another restriction: wider, not narrower
            "customers:manage",  # wider
            "groups:manage",  # not held at all
            "nonsense",
        }
    )
    assert within(asked, held) == {
        "customers:read",
        "customers:read--PL",
        "customers:read_own",
        "customers:manage--DE",
        "customers:manage_own--DE",
    }


def test_a_reach_admits_by_restriction_and_company() -> None:
    grants = grants_of(frozenset({"customers:read--DE", "customers:read_own"}), READ)
    reach = Reach(grants, companies=frozenset({7}))
    assert not reach.everything
    assert reach.admits_values("DE", frozenset())
    assert reach.admits_values(None, frozenset({7, 9}))
    assert not reach.admits_values("PL", frozenset({9}))
    assert not reach.admits_values(None, frozenset())
    assert Reach(grants_of(frozenset({"customers:read"}), READ)).everything
