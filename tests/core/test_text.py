"""Text the model cannot hold is refused by the core's commands, for every entity, before
anything is hashed or stored."""

from __future__ import annotations

import pytest

from patron.core.domain.commands import AddressChange, ProfileChange
from patron.core.domain.errors.invalid_input import FieldProblem, FieldRule, FieldsInvalid
from patron.core.domain.model import AccessClaims
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import problems_in, refused_character
from patron.core.identity.access import CustomerRef
from tests.conftest import registration_for
from tests.core.signed_in import signed_in
from tests.core.test_addresses import draft
from tests.fakes import MemoryServices

HOSTILE = [
    "a\x00b",
    "line\nbreak",
    "\u202eoverride",
    "zero\u200bwidth",
    "non\uffffchar",
    "\x1b[31m",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_single_line_text_refuses_control_and_format_characters(value: str) -> None:
    assert refused_character(value)


@pytest.mark.parametrize("value", ["Sonia", "José Ñúñez", "Zoë O'Brien-Smith", "山田 太郎", "🙂"])
def test_ordinary_names_pass(value: str) -> None:
    assert not refused_character(value)


def test_multi_line_text_keeps_line_breaks_but_not_other_controls() -> None:
    assert not refused_character("first\nsecond\r\n\tthird", multi_line=True)
    assert refused_character("bell\x07", multi_line=True)


def test_length_is_checked_before_characters() -> None:
    from patron.core.domain.text import CUSTOMER_TEXT

    found = problems_in({"first_name": "\x00" * 101, "last_name": "ok"}, CUSTOMER_TEXT)

    assert found == [FieldProblem("first_name", FieldRule.TOO_LONG, 100)]


async def test_registration_refuses_long_or_hostile_text_and_stores_nothing(
    memory: MemoryServices, tenant: Tenant
) -> None:
    accounts = memory.core.accounts

    with pytest.raises(FieldsInvalid) as long:
        await accounts.register(tenant, registration_for("a@b.de", first_name="x" * 1_000_000))
    with pytest.raises(FieldsInvalid) as hostile:
        await accounts.register(
            tenant, registration_for("a@b.de", last_name="Now\nVerify at evil.example")
        )
    with pytest.raises(FieldsInvalid) as metadata:
        await accounts.register(tenant, registration_for("a@b.de", metadata={"k": "\x00"}))

    assert long.value.problems == (FieldProblem("first_name", FieldRule.TOO_LONG, 100),)
    assert hostile.value.problems == (FieldProblem("last_name", FieldRule.CHARACTERS),)
    assert metadata.value.problems == (FieldProblem("metadata", FieldRule.CHARACTERS),)
    assert not problems_in({"metadata": {"note": "\\u0000 is how JSON writes NUL"}}, {})
    assert memory.store.customer_rows() == []


@pytest.fixture
async def claims(memory: MemoryServices, tenant: Tenant) -> AccessClaims:
    return await signed_in(memory, tenant, "sonia@example.com")


async def test_profile_changes_refuse_them_too(
    memory: MemoryServices, claims: AccessClaims
) -> None:
    with pytest.raises(FieldsInvalid):
        await memory.core.accounts.update_own(
            claims, CustomerRef.me(), ProfileChange(company="A\x00B")
        )
    with pytest.raises(FieldsInvalid):
        await memory.core.accounts.update_own(
            claims, CustomerRef.me(), ProfileChange(phone="1" * 256)
        )

    assert memory.store.customer_rows()[0].customer.company is None


async def test_addresses_refuse_them_and_keep_comments_multi_line(
    memory: MemoryServices, claims: AccessClaims
) -> None:
    addresses = memory.core.addresses
    me = CustomerRef.me()

    with pytest.raises(FieldsInvalid):
        await addresses.add_own(claims, me, draft(city="Ber\u2028lin"))
    with pytest.raises(FieldsInvalid):
        await addresses.add_own(claims, me, draft(zip_code="1" * 33))
    added = await addresses.add_own(claims, me, draft(comment="Ring twice.\nBack door."))
    with pytest.raises(FieldsInvalid):
        await addresses.update_own(claims, me, added.uuid, AddressChange(address1="\x00"))

    assert [a.address1 for a in memory.store.addresses()] == ["Julie-Wolfthorn-Str. 1"]


async def test_subscriptions_refuse_them(memory: MemoryServices, tenant: Tenant) -> None:
    availability = memory.core.availability
    before = memory.store.tables.copy()

    with pytest.raises(FieldsInvalid):
        await availability.subscribe(tenant, sku="SKU\x00", email="g@example.com", locale="en_US")
    with pytest.raises(FieldsInvalid):
        await availability.subscribe(tenant, sku="S" * 256, email="g@example.com", locale="en")

    assert memory.store.tables == before  # refused before any transaction began


async def test_metadata_with_an_integer_past_64_bits_is_refused_not_a_server_error(
    memory: MemoryServices, tenant: Tenant
) -> None:
    with pytest.raises(FieldsInvalid) as refused:
        await memory.core.accounts.register(
            tenant, registration_for("a@b.de", metadata={"big": 2**64})
        )

    assert refused.value.problems == (FieldProblem("metadata", FieldRule.INVALID),)
    assert memory.store.customer_rows() == []


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"vat_id": "D" * 33}, FieldProblem("vat_id", FieldRule.TOO_LONG, 32)),
        ({"language": "de_CHX"}, FieldProblem("language", FieldRule.TOO_LONG, 5)),
        ({"email": "a\nb@example.com"}, FieldProblem("email", FieldRule.CHARACTERS)),
        ({"latitude": -91.0}, FieldProblem("latitude", FieldRule.INVALID, 90)),
    ],
)
async def test_an_address_refuses_bad_contact_fields_when_added_or_changed(
    memory: MemoryServices,
    tenant: Tenant,
    values: dict[str, object],
    problem: FieldProblem,
) -> None:
    claims = await signed_in(memory, tenant, "sonia@example.com")
    addresses = memory.core.addresses
    me = CustomerRef.me()
    added = await addresses.add_own(claims, me, draft())

    with pytest.raises(FieldsInvalid) as on_add:
        await addresses.add_own(claims, me, draft(**values))
    with pytest.raises(FieldsInvalid) as on_change:
        await addresses.update_own(claims, me, added.uuid, AddressChange(**values))  # type: ignore[arg-type]

    assert on_add.value.problems == on_change.value.problems == (problem,)
    assert await addresses.list_own(claims, me) == [added]
