"""The restriction rules every dialect's writes obey, and the merge patch of managed
customers' metadata."""

from __future__ import annotations

from typing import Any

import pytest

from patron.core.back_office.customers_by_number import merge_patch
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.errors.invalid_input import RestrictionInvalid
from patron.core.domain.restrictions import new_restriction, with_site_rules
from patron.core.domain.tenants import TenantSettings
from tests.conftest import registration_for
from tests.fakes import MemoryServices

SYNCING = TenantSettings(restrictions=("DE", "PL"), sync_restriction_with_site=True)
PLAIN = TenantSettings(restrictions=("DE", "PL"))


def test_a_new_customer_takes_its_restriction_or_its_site_where_the_tenant_syncs() -> None:
    assert new_restriction(SYNCING, None, "PL") == "PL"
    assert new_restriction(SYNCING, "DE", "PL") == "DE"
    assert new_restriction(SYNCING, None, "main") is None  # not a restriction: none
    assert new_restriction(PLAIN, None, "PL") is None
    with pytest.raises(RestrictionInvalid):
        new_restriction(PLAIN, "FR", None)


def test_a_change_of_site_moves_the_restriction_unless_the_change_names_one() -> None:
    moved = CustomerChanges(site="DE", restriction="DE")
    assert with_site_rules(SYNCING, CustomerChanges(site="DE")) == moved
    unrestricted = CustomerChanges(site="DE", restriction=None)
    assert with_site_rules(SYNCING, unrestricted) == unrestricted
    assert with_site_rules(PLAIN, CustomerChanges(site="DE")) == CustomerChanges(site="DE")
    named = CustomerChanges(first_name="A")
    assert with_site_rules(SYNCING, named) == named
    with pytest.raises(RestrictionInvalid):
        with_site_rules(PLAIN, CustomerChanges(restriction="FR"))


async def test_every_dialects_sign_up_obeys_the_sync(memory: MemoryServices) -> None:
    tenant = await memory.core.tenant_admin.create("synced", "Synced", SYNCING)

    customer = await memory.core.accounts.register(
        tenant, registration_for("s@example.com", site="PL")
    )

    assert customer.restriction == "PL"


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [  # RFC 7386, appendix A
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_metadata_merges_as_rfc_7386_says(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected
