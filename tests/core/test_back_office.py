"""Back-office identity: users, API clients, their credentials, and `authorize`."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib

import jwt
import pytest

from patron.core.domain.errors.conflict import AdminEmailTaken
from patron.core.domain.errors.forbidden import ScopeMissing
from patron.core.domain.errors.invalid_input import (
    EmailInvalid,
    FieldsInvalid,
    PasswordPolicyViolation,
)
from patron.core.domain.errors.not_found import PrincipalNotFound
from patron.core.domain.errors.throttled import LoginBlocked
from patron.core.domain.errors.unauthorized import InvalidAccessToken, InvalidCredentials
from patron.core.domain.principals import (
    BACK_OFFICE_SCOPES,
    AdminRole,
    AdminUser,
    PrincipalKind,
    Scope,
)
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.identity.access import require_scope
from patron.core.identity.staff import BackOffice
from patron.core.identity.staff_accounts import StaffAccounts
from patron.core.identity.staff_credentials import BackOfficeCredential, CredentialKind
from patron.security.hashing import Argon2Hasher
from patron.settings import Settings
from tests.conftest import FrozenClock, cheap_settings, registration_for
from tests.fakes import MemoryServices

PASSWORD = "admin-pass-1"
LIMIT = 3


@pytest.fixture
def settings() -> Settings:
    return cheap_settings(login_max_failures=LIMIT)


@pytest.fixture
def office(memory: MemoryServices) -> BackOffice:
    return memory.core.back_office


@pytest.fixture
def staff(memory: MemoryServices) -> StaffAccounts:
    return memory.core.staff_accounts


async def _user(staff: StaffAccounts, tenant: Tenant, email: str = "ada@example.com") -> AdminUser:
    return await staff.create_user(tenant, email=email, password=PASSWORD, first_name="Ada")


def bearer(value: str) -> BackOfficeCredential:
    return BackOfficeCredential(CredentialKind.BEARER, value)


def api_token(value: str) -> BackOfficeCredential:
    return BackOfficeCredential(CredentialKind.API_TOKEN, value)


def session(value: str) -> BackOfficeCredential:
    return BackOfficeCredential(CredentialKind.SESSION, value)


async def _every_credential(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> list[BackOfficeCredential]:
    """A bearer token, an API token and a session of ada@example.com."""
    user = await office.log_in(tenant, "ada@example.com", PASSWORD, client_ip=None)
    token, _ = await office.issue_token(user)
    return [
        bearer(token),
        api_token(await staff.issue_api_token(tenant, "ada@example.com")),
        session(await office.start_session(user)),
    ]


# --- administration ---------------------------------------------------------------------


async def test_a_user_is_created_with_every_scope_and_a_hashed_password(
    staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    user = await staff.create_user(
        tenant, email=" Ada@Example.com ", password=PASSWORD, role=AdminRole.MEMBER
    )

    assert user.email == "Ada@Example.com"
    assert user.role is AdminRole.MEMBER
    assert user.scopes == BACK_OFFICE_SCOPES
    (row,) = memory.store.tables.admin_users.values()
    stored = row.password_hash or ""
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_an_admin_email_is_unique_per_tenant_in_any_case(
    staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())
    await _user(staff, tenant)

    with pytest.raises(AdminEmailTaken):
        await _user(staff, tenant, "ADA@example.com")
    await _user(staff, other)  # another tenant's back office is another set of people

    assert len(memory.store.tables.admin_users) == 2


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"password": "short"}, PasswordPolicyViolation),
        ({"email": "not-an-email"}, EmailInvalid),
        ({"first_name": "x" * 101}, FieldsInvalid),
        ({"last_name": "Line\nbreak"}, FieldsInvalid),
        ({"scopes": ["customers:read", "orders:manage"]}, ScopeMissing),
    ],
)
async def test_a_user_that_breaks_a_rule_is_refused_and_nothing_is_written(
    staff: StaffAccounts,
    tenant: Tenant,
    memory: MemoryServices,
    changes: dict[str, object],
    error: type[Exception],
) -> None:
    values: dict[str, object] = {"email": "ada@example.com", "password": PASSWORD, **changes}

    with pytest.raises(error):
        await staff.create_user(tenant, **values)  # type: ignore[arg-type]

    assert len(memory.store.tables.admin_users) == 0


async def test_a_client_secret_is_returned_once_and_kept_as_a_hash(
    staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    client, secret = await staff.create_client(
        tenant, name="ERP sync", scopes=[Scope.CUSTOMERS_READ]
    )

    (row,) = memory.store.tables.api_clients.values()
    assert row.client.client_id == client.client_id
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert len(secret) >= 43  # 256 bits, URL-safe base64
    assert client.scopes == {"customers:read"}
    with pytest.raises(ScopeMissing):
        await staff.create_client(tenant, name="x", scopes=["everything"])


async def test_users_and_clients_are_listed_per_tenant(
    staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())
    await _user(staff, tenant)
    await _user(staff, other, "bob@example.com")
    await staff.create_client(tenant, name="ERP", scopes=[Scope.GROUPS_MANAGE])

    assert [u.email for u in await staff.list_users(tenant)] == ["ada@example.com"]
    assert [c.name for c in await staff.list_clients(tenant)] == ["ERP"]
    assert await staff.list_clients(other) == []


async def test_unknown_principals_are_reported(staff: StaffAccounts, tenant: Tenant) -> None:
    with pytest.raises(PrincipalNotFound):
        await staff.set_enabled(tenant, PrincipalKind.USER, "nobody@example.com", enabled=False)
    with pytest.raises(PrincipalNotFound):
        await staff.set_enabled(tenant, PrincipalKind.CLIENT, "pc_nothing", enabled=False)
    with pytest.raises(PrincipalNotFound):
        await staff.rotate_secret(tenant, "pc_nothing")
    with pytest.raises(PrincipalNotFound):
        await staff.issue_api_token(tenant, "nobody@example.com")


# --- logging in -------------------------------------------------------------------------


async def test_a_user_logs_in_with_the_right_password_only(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    created = await _user(staff, tenant)

    user = await office.log_in(tenant, "ADA@example.com", PASSWORD, client_ip="198.51.100.1")

    assert user.id == created.id
    for email, password in [("ada@example.com", "wrong-pass"), ("eve@example.com", PASSWORD)]:
        with pytest.raises(InvalidCredentials):
            await office.log_in(tenant, email, password, client_ip=None)


async def test_a_user_of_another_tenant_cannot_log_in_here(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())
    await _user(staff, other)

    with pytest.raises(InvalidCredentials):
        await office.log_in(tenant, "ada@example.com", PASSWORD, client_ip=None)


async def test_a_disabled_user_is_refused_even_with_the_right_password(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    await _user(staff, tenant)
    await staff.set_enabled(tenant, PrincipalKind.USER, "ada@example.com", enabled=False)

    with pytest.raises(InvalidCredentials):
        await office.log_in(tenant, "ada@example.com", PASSWORD, client_ip=None)
    await staff.set_enabled(tenant, PrincipalKind.USER, "ada@example.com", enabled=True)
    await office.log_in(tenant, "ada@example.com", PASSWORD, client_ip=None)


async def test_admin_logins_are_throttled_on_counters_apart_from_customers(
    memory: MemoryServices, office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    """The same email and address as a customer: neither's failures lock the other out."""
    await _user(staff, tenant)
    await memory.core.accounts.register(tenant, registration_for("ada@example.com"))
    memory.store.verify_emails(memory.clock())

    for _ in range(LIMIT):
        with pytest.raises(InvalidCredentials):
            await office.log_in(tenant, "ada@example.com", "wrong-pass", client_ip="198.51.100.1")
    with pytest.raises(LoginBlocked):
        await office.log_in(tenant, "ada@example.com", PASSWORD, client_ip="198.51.100.1")

    await memory.core.auth.login(tenant, "ada@example.com", "change123", client_ip="198.51.100.1")
    keys = [key for key in memory.counters.counted() if key.startswith("admin-")]
    assert set(keys) == {
        f"admin-account:{tenant.id}:ada@example.com",
        "admin-ip:198.51.100.1",
    }


async def test_concurrent_admin_guesses_cannot_pass_the_limit(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    """Thirty wrong passwords at once: only as many are checked as the limit allows."""
    await _user(staff, tenant)

    results = await asyncio.gather(
        *(
            office.log_in(tenant, "ada@example.com", f"guess-{n}", client_ip=None)
            for n in range(30)
        ),
        return_exceptions=True,
    )

    checked = [r for r in results if isinstance(r, InvalidCredentials)]
    refused = [r for r in results if isinstance(r, LoginBlocked)]
    # Never more than the limit; under load a block may land before any check runs
    # (decision 86), so none at all is a correct outcome too.
    assert len(checked) <= LIMIT
    assert len(checked) + len(refused) == 30


async def test_an_outdated_hash_is_upgraded_at_login(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    await _user(staff, tenant)
    weaker = Argon2Hasher(memory_kib=512, time_cost=1, parallelism=1)
    weak = await weaker.hash(PASSWORD)
    (user_id,) = memory.store.tables.admin_users
    row = memory.store.tables.admin_users[user_id]
    memory.store.tables.admin_users[user_id] = dataclasses.replace(row, password_hash=weak)

    await office.log_in(tenant, "ada@example.com", PASSWORD, client_ip=None)

    stored = memory.store.tables.admin_users[user_id].password_hash or ""
    assert "m=512," not in stored and "m=1024," in stored
    await office.log_in(tenant, "ada@example.com", PASSWORD, client_ip=None)


# --- authorize --------------------------------------------------------------------------


async def test_every_credential_kind_authorizes_its_user(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    user = await _user(staff, tenant)

    for credential in await _every_credential(office, staff, tenant):
        principal = await office.authorize(tenant, credential)

        assert principal.kind is PrincipalKind.USER
        assert (principal.id, principal.tenant_id) == (user.id, tenant.id)
        assert principal.scopes == BACK_OFFICE_SCOPES
        assert principal.user is not None and principal.user.email == "ada@example.com"


async def test_a_user_token_carries_vendor_claims_beside_patrons_own(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    user = await _user(staff, tenant)

    token, lifetime = await office.issue_token(
        user, vendor_claims={"user_id": "usr_1", "domain": "x"}
    )

    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["user_id"] == "usr_1" and payload["domain"] == "x"
    assert payload["patron"]["aud"] == "back-office"
    assert payload["patron"]["knd"] == "user" and payload["patron"]["pid"] == user.id
    assert lifetime == 24 * 3600
    with pytest.raises(ValueError, match="patron"):
        await office.issue_token(user, vendor_claims={"patron": {}})


async def test_garbage_credentials_are_refused(office: BackOffice, tenant: Tenant) -> None:
    for credential in [bearer("not.a.jwt"), api_token("nope"), session("nope"), bearer("")]:
        with pytest.raises(InvalidAccessToken):
            await office.authorize(tenant, credential)


async def test_a_customer_token_or_session_never_authorizes_in_the_back_office(
    memory: MemoryServices, office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    """Customer 1 and admin user 1 share an id: only the audience tells them apart."""
    auth = memory.core.auth
    await _user(staff, tenant)
    await memory.core.accounts.register(tenant, registration_for("c@example.com"))
    memory.store.verify_emails(memory.clock())
    _, pair = await auth.login(tenant, "c@example.com", "change123", client_ip=None)
    customer = await auth.authenticate(tenant, "c@example.com", "change123", client_ip=None)
    store_token, _ = await auth.issue_session_token(customer)
    cookie = await auth.start_session(customer)

    for credential in [
        bearer(pair.access_token),
        bearer(store_token),
        session(cookie),
        api_token(cookie),
        api_token(pair.refresh_token),
    ]:
        with pytest.raises(InvalidAccessToken):
            await office.authorize(tenant, credential)


async def test_a_back_office_token_or_session_never_opens_a_customer_route(
    memory: MemoryServices, office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    user = await _user(staff, tenant)
    token, _ = await office.issue_token(user)
    cookie = await office.start_session(user)

    with pytest.raises(InvalidAccessToken):
        memory.core.auth.verify(token, tenant)
    with pytest.raises(InvalidAccessToken):
        await memory.core.auth.session_claims(tenant, cookie)


async def test_a_logout_with_a_users_token_ends_that_token_only(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    """A user's token stands in for a session (issue 18, item 14): ending it ends the
    token; their other tokens, and a logout attempted on another tenant or with a
    client's token, end nothing."""
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())
    user = await _user(staff, tenant)
    ended, kept = [(await office.issue_token(user))[0] for _ in range(2)]
    client, secret = await staff.create_client(tenant, name="ERP", scopes=BACK_OFFICE_SCOPES)
    client_token, _ = await office.client_token(tenant, client.client_id, secret, client_ip=None)

    await office.end_token(other, ended)
    await office.authorize(tenant, bearer(ended))
    await office.end_token(tenant, client_token)
    await office.end_token(tenant, "not-a-token")
    await office.end_token(tenant, ended)

    with pytest.raises(InvalidAccessToken):
        await office.authorize(tenant, bearer(ended))
    await office.authorize(tenant, bearer(kept))
    await office.authorize(tenant, bearer(client_token))


async def test_a_credential_of_one_tenant_never_authorizes_on_another(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    other = await memory.core.tenant_admin.create("other", "Other", TenantSettings())
    await _user(staff, tenant)
    credentials = await _every_credential(office, staff, tenant)
    client, secret = await staff.create_client(tenant, name="ERP", scopes=BACK_OFFICE_SCOPES)
    client_token, _ = await office.client_token(tenant, client.client_id, secret, client_ip=None)

    for credential in [*credentials, bearer(client_token)]:
        await office.authorize(tenant, credential)
        with pytest.raises(InvalidAccessToken):
            await office.authorize(other, credential)
    with pytest.raises(InvalidCredentials):
        await office.client_token(other, client.client_id, secret, client_ip=None)


async def test_disabling_a_user_ends_every_credential_at_once_and_for_good(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, clock: FrozenClock
) -> None:
    await _user(staff, tenant)
    credentials = await _every_credential(office, staff, tenant)
    clock.advance(seconds=1)

    await staff.set_enabled(tenant, PrincipalKind.USER, "ada@example.com", enabled=False)
    for credential in credentials:
        with pytest.raises(InvalidAccessToken):
            await office.authorize(tenant, credential)

    clock.advance(seconds=1)
    await staff.set_enabled(tenant, PrincipalKind.USER, "ada@example.com", enabled=True)
    for credential in credentials:
        with pytest.raises(InvalidAccessToken):
            await office.authorize(tenant, credential)
    for credential in await _every_credential(office, staff, tenant):  # new ones work
        await office.authorize(tenant, credential)


async def test_a_disabled_principal_never_authorizes(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    """Disabled by any means (here without the revocation `set_enabled` adds)."""
    await _user(staff, tenant)
    credentials = await _every_credential(office, staff, tenant)

    memory.store.set_admin_users(disabled_at=memory.clock())

    for credential in credentials:
        with pytest.raises(InvalidAccessToken):
            await office.authorize(tenant, credential)


async def test_disabling_a_client_ends_its_tokens_and_its_grant(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, clock: FrozenClock
) -> None:
    client, secret = await staff.create_client(tenant, name="ERP", scopes=BACK_OFFICE_SCOPES)
    token, _ = await office.client_token(tenant, client.client_id, secret, client_ip=None)
    principal = await office.authorize(tenant, bearer(token))
    clock.advance(seconds=1)

    await staff.set_enabled(tenant, PrincipalKind.CLIENT, client.client_id, enabled=False)

    assert principal.kind is PrincipalKind.CLIENT and principal.user is None
    with pytest.raises(InvalidAccessToken):
        await office.authorize(tenant, bearer(token))
    with pytest.raises(InvalidCredentials):
        await office.client_token(tenant, client.client_id, secret, client_ip=None)


async def test_a_new_api_token_revokes_the_old_one(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    await _user(staff, tenant)
    old = await staff.issue_api_token(tenant, "ada@example.com")

    new = await staff.issue_api_token(tenant, "ADA@example.com")

    await office.authorize(tenant, api_token(new))
    with pytest.raises(InvalidAccessToken):
        await office.authorize(tenant, api_token(old))


async def test_api_tokens_are_stored_as_hashes(
    staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    await _user(staff, tenant)
    token = await staff.issue_api_token(tenant, "ada@example.com")

    (row,) = memory.store.tables.api_tokens.values()
    stored = row.token_hash
    assert stored == hashlib.sha256(token.encode()).digest()


async def test_a_rotated_secret_invalidates_earlier_client_tokens(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, clock: FrozenClock
) -> None:
    client, secret = await staff.create_client(tenant, name="ERP", scopes=BACK_OFFICE_SCOPES)
    earlier, _ = await office.client_token(tenant, client.client_id, secret, client_ip=None)
    clock.advance(seconds=1)

    new_secret = await staff.rotate_secret(tenant, client.client_id)

    with pytest.raises(InvalidAccessToken):
        await office.authorize(tenant, bearer(earlier))
    with pytest.raises(InvalidCredentials):
        await office.client_token(tenant, client.client_id, secret, client_ip=None)
    clock.advance(seconds=1)
    later, _ = await office.client_token(tenant, client.client_id, new_secret, client_ip=None)
    await office.authorize(tenant, bearer(later))


async def test_client_tokens_carry_the_scopes_asked_for_within_the_grant(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    granted = [Scope.CUSTOMERS_READ, Scope.CUSTOMERS_MANAGE]
    client, secret = await staff.create_client(tenant, name="ERP", scopes=granted)

    narrow, _ = await office.client_token(
        tenant, client.client_id, secret, scopes=["customers:read"], client_ip=None
    )
    default, _ = await office.client_token(tenant, client.client_id, secret, client_ip=None)

    assert (await office.authorize(tenant, bearer(narrow))).scopes == {"customers:read"}
    assert (await office.authorize(tenant, bearer(default))).scopes == set(granted)
    with pytest.raises(ScopeMissing):
        await office.client_token(
            tenant, client.client_id, secret, scopes=["groups:manage"], client_ip=None
        )


async def test_scopes_are_the_token_s_and_the_principal_s_current_ones_both(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    """A scope taken from a user is gone from every credential at once."""
    await _user(staff, tenant)
    credentials = await _every_credential(office, staff, tenant)

    memory.store.set_admin_users(scopes=frozenset({"customers:read", "groups:manage"}))

    for credential in credentials:
        principal = await office.authorize(tenant, credential)
        assert principal.scopes == {"customers:read", "groups:manage"}
        require_scope(principal, tenant, Scope.CUSTOMERS_READ)
        with pytest.raises(ScopeMissing):
            require_scope(principal, tenant, Scope.CUSTOMERS_MANAGE)


async def test_a_user_token_never_grants_more_than_it_was_issued_with(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    user = await staff.create_user(
        tenant, email="ada@example.com", password=PASSWORD, scopes=[Scope.CUSTOMERS_READ]
    )
    token, _ = await office.issue_token(user)

    memory.store.set_admin_users(scopes=BACK_OFFICE_SCOPES)

    assert (await office.authorize(tenant, bearer(token))).scopes == {"customers:read"}


async def test_client_credentials_are_checked_and_throttled(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    client, secret = await staff.create_client(tenant, name="ERP", scopes=BACK_OFFICE_SCOPES)

    for client_id, offered in [(client.client_id, "wrong"), ("pc_unknown", secret)]:
        with pytest.raises(InvalidCredentials):
            await office.client_token(tenant, client_id, offered, client_ip=None)
    for _ in range(LIMIT - 1):
        with pytest.raises(InvalidCredentials):
            await office.client_token(tenant, client.client_id, "wrong", client_ip=None)

    with pytest.raises(LoginBlocked):
        await office.client_token(tenant, client.client_id, secret, client_ip=None)


async def test_a_gone_user_no_longer_authorizes(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, memory: MemoryServices
) -> None:
    await _user(staff, tenant)
    credentials = await _every_credential(office, staff, tenant)

    memory.store.tables.admin_users.clear()

    for credential in credentials:
        with pytest.raises(InvalidAccessToken):
            await office.authorize(tenant, credential)


async def test_back_office_tokens_and_sessions_expire(
    office: BackOffice, staff: StaffAccounts, tenant: Tenant, clock: FrozenClock
) -> None:
    user = await _user(staff, tenant)
    token, lifetime = await office.issue_token(user)
    cookie = await office.start_session(user)

    clock.advance(seconds=10 * 3600 - 1)
    await office.authorize(tenant, session(cookie))
    clock.advance(seconds=1)
    with pytest.raises(InvalidAccessToken):
        await office.authorize(tenant, session(cookie))

    await office.authorize(tenant, bearer(token))
    clock.advance(seconds=lifetime - 10 * 3600)
    with pytest.raises(InvalidAccessToken):
        await office.authorize(tenant, bearer(token))


async def test_ending_a_back_office_session(
    memory: MemoryServices, office: BackOffice, staff: StaffAccounts, tenant: Tenant
) -> None:
    user = await _user(staff, tenant)
    cookie = await office.start_session(user)
    await memory.core.accounts.register(tenant, registration_for("c@example.com"))
    customer = await memory.core.auth.authenticate(
        tenant, "c@example.com", "change123", client_ip=None, require_confirmation=False
    )
    customer_cookie = await memory.core.auth.start_session(customer)

    await office.end_session(cookie)
    await office.end_session(cookie)  # silent the second time
    await office.end_session(customer_cookie)  # not a back-office session: left alone

    with pytest.raises(InvalidAccessToken):
        await office.authorize(tenant, session(cookie))
    await memory.core.auth.session_claims(tenant, customer_cookie)
