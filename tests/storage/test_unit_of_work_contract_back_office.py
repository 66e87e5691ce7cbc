"""The contract of admin users, API clients and API tokens inside a unit of work, run on
the in-memory fake and on PostgreSQL alike (see `test_unit_of_work_contract`)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from patron.core.domain.errors.conflict import AdminEmailTaken
from patron.core.domain.principals import AdminRole, PrincipalKind
from patron.core.ports.back_office import NewAdminUser, NewApiClient
from tests.storage.backends import Backend
from tests.storage.test_unit_of_work_contract import NOW

LATER = NOW + timedelta(minutes=5)


def new_user(email: str, tenant_id: int = 1) -> NewAdminUser:
    return NewAdminUser(
        tenant_id=tenant_id,
        uuid=uuid.uuid4(),
        email=email,
        password_hash="hash",
        role=AdminRole.ADMIN,
        scopes=frozenset({"customers:read"}),
        first_name="Ada",
        last_name=None,
        now=NOW,
    )


def new_client(client_id: str) -> NewApiClient:
    return NewApiClient(
        tenant_id=1,
        client_id=client_id,
        name="Shop",
        secret_hash="secret",
        scopes=frozenset({"customers:read"}),
        now=NOW,
    )


async def test_an_admin_email_is_one_users_per_tenant_in_any_case(backend: Backend) -> None:
    async with backend.uow() as uow:
        user = await uow.back_office.add_user(new_user("Ada@Example.com"))
        await uow.commit()
    async with backend.uow() as uow:
        with pytest.raises(AdminEmailTaken):
            await uow.back_office.add_user(new_user("ada@example.COM"))

    async with backend.uow() as uow:
        found = await uow.back_office.user_by_email(1, " ada@example.com ", for_update=True)
        listed = await uow.back_office.list_users(1)
        assert await uow.back_office.list_users(2) == []
    assert found == user and listed == [user]
    assert await backend.staff.user_login(1, "ADA@example.com") == (user, "hash")
    assert await backend.staff.user(user.id) == user


async def test_disabling_revokes_what_was_issued_and_enabling_keeps_it_revoked(
    backend: Backend,
) -> None:
    async with backend.uow() as uow:
        user = await uow.back_office.add_user(new_user("d@example.com"))
        client = await uow.back_office.add_client(new_client("shop-1"))
        await uow.back_office.set_disabled(PrincipalKind.USER, user.id, NOW, NOW)
        await uow.back_office.set_disabled(PrincipalKind.USER, user.id, None, LATER)
        await uow.back_office.set_disabled(PrincipalKind.CLIENT, client.id, NOW, NOW)
        await uow.back_office.set_client_secret(client.id, "rotated", LATER)
        await uow.back_office.set_user_password_hash(user.id, "rehashed")
        await uow.commit()

    enabled = await backend.staff.user(user.id)
    login = await backend.staff.client_login(1, "shop-1")
    assert enabled is not None
    assert (enabled.disabled_at, enabled.tokens_valid_after, enabled.updated_at) == (
        None,
        NOW,
        LATER,
    )
    assert login is not None
    off, secret = login
    assert (off.disabled_at, off.tokens_valid_after, secret) == (NOW, LATER, "rotated")
    assert await backend.staff.client(client.id) == off
    assert await backend.staff.client_tenant("shop-1") == "default"
    assert await backend.staff.client_tenant("nobody") is None
    user_login = await backend.staff.user_login(1, "d@example.com")
    assert user_login is not None and user_login[1] == "rehashed"


async def test_a_user_holds_one_api_token_at_a_time(backend: Backend) -> None:
    async with backend.uow() as uow:
        user = await uow.back_office.add_user(new_user("t@example.com"))
        await uow.back_office.replace_api_token(user.id, b"old", NOW)
        await uow.back_office.replace_api_token(user.id, b"new", LATER)
        clients = [await uow.back_office.add_client(new_client(f"c{n}")) for n in range(2)]
        assert await uow.back_office.list_clients(1) == clients
        assert await uow.back_office.client_by_client_id(1, "c1") == clients[1]
        assert await uow.back_office.client_by_client_id(2, "c1") is None
        await uow.commit()

    assert await backend.staff.user_by_api_token(b"old") is None
    assert await backend.staff.user_by_api_token(b"new") == (user, LATER)
