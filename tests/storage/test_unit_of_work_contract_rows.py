"""The contract of tokens, addresses and the outbox inside a unit of work, run on the
in-memory fake and on PostgreSQL alike (see `test_unit_of_work_contract`)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from patron.core.domain.commands import AddressChange, AddressDraft
from patron.core.domain.errors.conflict import AddressConflict, AddressIdTaken
from patron.core.domain.model import OutgoingMail
from patron.core.ports.customers import AddressKey, NewAddress
from tests.storage.backends import Backend
from tests.storage.test_unit_of_work_contract import NOW, added, new_customer

LATER = NOW + timedelta(hours=1)


def new_address(customer_id: int, **draft: object) -> NewAddress:
    return NewAddress(
        customer_id=customer_id,
        uuid=uuid.uuid4(),
        draft=AddressDraft(city="Berlin", **draft),  # type: ignore[arg-type]
        now=NOW,
    )


async def test_a_one_time_key_is_used_once_for_its_purpose_before_it_expires(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("k@example.com"))

    async with backend.uow() as uow:
        for key in (b"a", b"b", b"c"):
            await uow.tokens.add_one_time(
                customer_id=customer.id, purpose="reset", token_hash=key, expires_at=LATER
            )
        wrong_purpose = await uow.tokens.consume_one_time(
            purpose="confirm", token_hash=b"a", now=NOW
        )
        first = await uow.tokens.consume_one_time(purpose="reset", token_hash=b"a", now=NOW)
        again = await uow.tokens.consume_one_time(purpose="reset", token_hash=b"a", now=NOW)
        expired = await uow.tokens.consume_one_time(purpose="reset", token_hash=b"b", now=LATER)
        await uow.tokens.discard_one_time_for(customer.id, "reset")
        discarded = await uow.tokens.consume_one_time(purpose="reset", token_hash=b"c", now=NOW)

    assert (wrong_purpose, first, again, expired, discarded) == (
        None,
        customer.id,
        None,
        None,
        None,
    )


async def test_revoking_a_refresh_token_ends_its_session_only(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("r@example.com"))
    kept, ended = uuid.uuid4(), uuid.uuid4()

    async with backend.uow() as uow:
        for family, key in ((kept, b"k1"), (ended, b"e1"), (ended, b"e2")):
            await uow.tokens.add_refresh(
                customer_id=customer.id,
                family_id=family,
                token_hash=key,
                expires_at=LATER,
                now=NOW,
            )
        found = await uow.tokens.find_refresh(b"e1")
        assert found is not None
        await uow.tokens.mark_rotated(found.id, NOW)
        await uow.tokens.revoke_refresh(token_hash=b"e1", customer_id=customer.id, now=NOW)
        rotated = await uow.tokens.find_refresh(b"e1")
        sibling = await uow.tokens.find_refresh(b"e2")
        other = await uow.tokens.find_refresh(b"k1")
        await uow.commit()

    assert rotated is not None and (rotated.rotated_at, rotated.revoked_at) == (NOW, NOW)
    assert sibling is not None and sibling.revoked_at == NOW
    assert other is not None and other.revoked_at is None
    assert (found.customer_id, found.family_id) == (customer.id, ended)
    assert await backend.customers.bearer(1, customer.id, kept) == (customer, True)
    assert await backend.customers.bearer(1, customer.id, ended) == (customer, False)
    assert await backend.customers.bearer(2, customer.id, kept) is None


async def test_revoking_all_spares_the_current_session(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("all@example.com"))
    current, other = uuid.uuid4(), uuid.uuid4()

    async with backend.uow() as uow:
        for family, key in ((current, b"c"), (other, b"o")):
            await uow.tokens.add_refresh(
                customer_id=customer.id,
                family_id=family,
                token_hash=key,
                expires_at=LATER,
                now=NOW,
            )
        await uow.tokens.revoke_all_for(customer.id, NOW, except_session=current)
        assert await uow.customers.lock_bearer(1, customer.id, other) == (customer, False)
        await uow.tokens.revoke_family(current, LATER)
        assert await uow.customers.lock_bearer(1, customer.id, current) == (customer, False)


async def test_a_customer_has_one_default_of_each_kind_and_one_address_per_id(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("a@example.com"))

    async with backend.uow() as uow:
        first = await uow.addresses.add(
            new_address(customer.id, is_default_billing=True, code="home")
        )
        with pytest.raises(AddressConflict):
            await uow.addresses.add(new_address(customer.id, is_default_billing=True))
    async with backend.uow() as uow:
        await uow.addresses.add(new_address(customer.id, is_default_billing=True, code="home"))
        with pytest.raises(AddressIdTaken):
            await uow.addresses.add(new_address(customer.id, code="home"))
    async with backend.uow() as uow:
        await uow.addresses.add(new_address(customer.id, is_default_shipping=True))
        second = await uow.addresses.add(new_address(customer.id))
        with pytest.raises(AddressConflict):
            await uow.addresses.update(second.id, AddressChange(is_default_shipping=True), now=NOW)

    assert first.version == 1 and first.code == "home"


async def test_addresses_are_found_by_chosen_id_first_then_uuid(backend: Backend) -> None:
    (customer,) = await added(backend, new_customer("f@example.com"))

    async with backend.uow() as uow:
        plain = await uow.addresses.add(new_address(customer.id, is_default_billing=True))
        named = await uow.addresses.add(new_address(customer.id, code=str(uuid.uuid4())))
        by_uuid = await uow.addresses.find(customer.id, AddressKey.of(str(plain.uuid)))
        by_code = await uow.addresses.find(customer.id, AddressKey.of(named.code or ""))
        summary = await uow.addresses.summary(customer.id)
        billing = await uow.addresses.default_billing(customer.id)
        await uow.commit()

    assert (by_uuid, by_code, billing) == (plain, named, plain)
    assert (summary.count, summary.has_default_shipping, summary.has_default_billing) == (
        2,
        False,
        True,
    )
    assert await backend.addresses.find(customer.id, AddressKey.of(str(named.uuid))) == named
    assert await backend.addresses.addresses_of([customer.id, customer.id + 9]) == {
        customer.id: [plain, named],
        customer.id + 9: [],
    }


async def test_defaults_are_cleared_but_the_kept_one_and_addresses_deleted(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("d@example.com"))

    async with backend.uow() as uow:
        old = await uow.addresses.add(
            new_address(customer.id, is_default_shipping=True, is_default_billing=True)
        )
        await uow.addresses.clear_defaults(
            customer.id, shipping=True, billing=False, now=LATER, keep=None
        )
        cleared = await uow.addresses.get(customer.id, old.uuid)
        await uow.addresses.clear_defaults(
            customer.id, shipping=False, billing=True, now=LATER, keep=old.id
        )
        kept = await uow.addresses.get(customer.id, old.uuid)
        updated = await uow.addresses.update(
            old.id, AddressChange(tags=("a",), city="Rome"), now=LATER
        )
        other = await uow.addresses.add(new_address(customer.id))
        assert await uow.addresses.delete(customer.id, old.uuid)
        assert not await uow.addresses.delete(customer.id, old.uuid)
        await uow.addresses.delete_many(customer.id, [other.uuid, uuid.uuid4()])
        await uow.commit()

    assert cleared is not None and (cleared.is_default_shipping, cleared.version) == (False, 2)
    assert cleared.is_default_billing
    assert kept == cleared
    assert (updated.tags, updated.city, updated.version) == (("a",), "Rome", 3)
    assert await backend.addresses.addresses_of([customer.id]) == {customer.id: []}


async def test_redaction_erases_a_customers_mail_and_guest_mail_to_their_address(
    backend: Backend,
) -> None:
    (customer,) = await added(backend, new_customer("m@example.com"))

    async with backend.uow() as uow:
        await uow.outbox.enqueue(1, OutgoingMail("m@example.com", "Own", "b", "t", customer.id))
        await uow.outbox.enqueue(1, OutgoingMail("M@example.com", "Guest", "b", "t"))
        await uow.outbox.enqueue(1, OutgoingMail("x@example.com", "Other", "b", "t"))
        await uow.commit()
    async with backend.uow() as uow:
        await uow.outbox.redact_for(customer.id, "m@example.com")
        await uow.commit()

    assert await backend.mails() == [
        ("", "[redacted]", "t"),
        ("", "[redacted]", "t"),
        ("x@example.com", "Other", "t"),
    ]
