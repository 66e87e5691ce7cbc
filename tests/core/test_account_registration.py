"""Registration as Aimeos does it, on real PostgreSQL: the contact fields, a billing
address in the same transaction, the account mail, the login name (`code`) and its
verification rule, and generated passwords."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest

from patron.core.domain.commands import AccountEdit, AccountMail, AddressDraft, ProfileChange
from patron.core.domain.errors.conflict import CodeTaken, EmailTaken
from patron.core.domain.errors.invalid_input import (
    CountryInvalid,
    FieldProblem,
    FieldRule,
    FieldsInvalid,
)
from patron.core.domain.model import AccessClaims, Salutation
from patron.core.domain.tenants import PasswordPolicyName, Tenant
from patron.core.identity.access import CustomerRef
from patron.core.identity.passwords import GENERATED_LENGTH, POLICIES, generate_password
from tests.conftest import registration_for
from tests.core.signed_in import signed_in
from tests.core.test_addresses import draft
from tests.fakes import MemoryServices

ME = CustomerRef.me()
CONTACT: dict[str, Any] = {
    "code": "sonia-w",
    "mobile": "+49 170 1234",
    "fax": "+49 30 9876",
    "website": "https://sonia.example",
    "latitude": 52.52,
    "longitude": 13.405,
    "label": "Sonia W.",
    "salutation": Salutation.MISS,
}


async def test_the_contact_fields_are_stored_and_read_back(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await memory.core.accounts.register(tenant, registration_for("sonia@example.com", **CONTACT))
    claims = await _logged_in(memory, tenant, "sonia@example.com")

    read = await memory.core.accounts.get_own(claims, ME)

    assert {name: getattr(read, name) for name in CONTACT} == CONTACT


async def test_an_address_holds_aimeos_contact_fields(
    memory: MemoryServices, tenant: Tenant
) -> None:
    claims = await signed_in(memory, tenant, "sonia@example.com")
    fields = {
        "vat_id": "DE123456789",
        "language": "de_CH",
        "fax": "+49 30 9876",
        "mobile": "+49 170 1234",
        "email": "office@sonia.example",
        "website": "sonia.example",
        "latitude": -33.9,
        "longitude": 151.2,
        "salutation": Salutation.COMPANY,
    }

    added = await memory.core.addresses.add_own(claims, ME, draft(**fields))
    (listed,) = await memory.core.addresses.list_own(claims, ME)

    assert {name: getattr(added, name) for name in fields} == fields
    assert listed == added


async def test_billing_and_account_mail_are_written_with_the_customer(
    memory: MemoryServices, tenant: Tenant
) -> None:
    password = generate_password(tenant.settings.password_policy)

    customer = await memory.core.accounts.register(
        tenant,
        registration_for("sonia@example.com", password=password, first_name="Click http://x"),
        billing=draft(city="Hamburg"),
        account_mail=AccountMail(generated_password=password),
    )

    (address,) = memory.store.addresses()
    assert (address.customer_id, address.city) == (customer.id, "Hamburg")
    assert address.is_default_billing
    (mail,) = memory.store.mails()  # no confirmation mail
    assert (mail.recipient, mail.template, mail.customer_id) == (
        "sonia@example.com",
        "customer_account",
        customer.id,
    )
    assert "an account was created for this email address" in mail.body
    assert f"Your password: {password}\n" in mail.body
    assert "/register/confirm?token=" in mail.body  # the tenant requires confirmation
    assert "Click" not in mail.body and "Sonia" not in mail.body
    assert len(memory.store.tables.one_time_tokens) == 1


async def test_an_account_mail_without_password_nor_confirmation_due(
    memory: MemoryServices, tenant: Tenant
) -> None:
    relaxed = replace(tenant, settings=replace(tenant.settings, confirmation_required=False))

    await memory.core.accounts.register(
        relaxed,
        registration_for("sonia@example.com"),
        send_confirmation=False,
        account_mail=AccountMail(),
    )

    body = memory.store.mails()[-1].body
    assert "an account was created" in body
    assert "password" not in body.lower() and "confirm" not in body
    assert memory.store.tables.one_time_tokens == {}


@pytest.mark.parametrize(
    ("billing", "error"),
    [(draft(country_code="XX"), CountryInvalid), (draft(city="x" * 300), FieldsInvalid)],
)
async def test_a_refused_billing_address_creates_no_customer(
    memory: MemoryServices,
    tenant: Tenant,
    billing: AddressDraft,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        await memory.core.accounts.register(
            tenant, registration_for("sonia@example.com"), billing=billing
        )

    tables = memory.store.tables
    assert (tables.customers, tables.addresses, tables.outbox) == ({}, {}, {})


async def test_a_code_taken_refuses_a_profile_change(
    memory: MemoryServices, tenant: Tenant
) -> None:
    await memory.core.accounts.register(tenant, registration_for("a@example.com", code="a"))
    claims = await signed_in(memory, tenant, "b@example.com")

    with pytest.raises(CodeTaken):
        await memory.core.accounts.update_own(claims, ME, ProfileChange(code="a"))
    cleared = await memory.core.accounts.update_own(claims, ME, ProfileChange(code=None))

    assert cleared.code is None  # many customers have no code


async def test_a_code_that_is_an_email_must_be_the_customers_own(
    memory: MemoryServices, tenant: Tenant
) -> None:
    """Another's email is that customer's name when it has no code: never a second one's."""
    accounts = memory.core.accounts
    await accounts.register(tenant, registration_for("a@example.com"))
    claims = await signed_in(memory, tenant, "b@example.com")

    with pytest.raises(CodeTaken):
        await accounts.update_own(claims, ME, ProfileChange(code="A@example.com"))
    with pytest.raises(CodeTaken):
        await accounts.register(tenant, registration_for("c@example.com", code="a@example.com"))
    named = await accounts.update_own(claims, ME, ProfileChange(code="bee"))
    own = await accounts.update_own(claims, ME, ProfileChange(code="B@example.com"))
    moved = await accounts.update_own(
        claims, ME, ProfileChange(email="new@example.com", code="new@example.com")
    )
    registered = await accounts.register(
        tenant, registration_for("d@example.com", code="D@example.com")
    )

    # One's own email is stored as no code: the email stands for it, and follows it.
    assert named.code == "bee" and own.code is None
    assert (moved.email, moved.code) == ("new@example.com", None)
    assert registered.code is None
    assert len(memory.store.customer_rows()) == 3


async def test_a_new_code_resets_the_verification_and_the_same_code_does_not(
    memory: MemoryServices, tenant: Tenant
) -> None:
    accounts = memory.core.accounts
    claims = await signed_in(memory, tenant, "sonia@example.com")

    # signed_in verified the email first
    same = await accounts.update_own(claims, ME, ProfileChange(code="sonia", label="S"))
    memory.store.verify_emails(memory.clock())
    kept = await accounts.update_own(claims, ME, ProfileChange(code="sonia", label="T"))
    changed = await accounts.update_own(claims, ME, ProfileChange(code="sonia2"))
    memory.store.verify_emails(memory.clock())
    edited = await accounts.edit_own(
        tenant, claims, ME, AccountEdit(profile=ProfileChange(code="sonia3"))
    )

    assert same.email_verified_at is None  # a first code is a new one too
    assert (kept.code, kept.label) == ("sonia", "T") and kept.email_verified_at is not None
    assert changed.code == "sonia2" and changed.email_verified_at is None
    assert edited.code == "sonia3" and edited.email_verified_at is None


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"code": "two words"}, FieldProblem("code", FieldRule.CHARACTERS)),
        ({"code": "tab\there"}, FieldProblem("code", FieldRule.CHARACTERS)),
        ({"code": "nbsp\u00a0"}, FieldProblem("code", FieldRule.CHARACTERS)),
        ({"code": ""}, FieldProblem("code", FieldRule.INVALID)),
        ({"code": "c" * 256}, FieldProblem("code", FieldRule.TOO_LONG, 255)),
        ({"mobile": "1" * 33}, FieldProblem("mobile", FieldRule.TOO_LONG, 32)),
        ({"label": "a\u202eb"}, FieldProblem("label", FieldRule.CHARACTERS)),
        ({"latitude": 90.5}, FieldProblem("latitude", FieldRule.INVALID, 90)),
        ({"latitude": math.nan}, FieldProblem("latitude", FieldRule.INVALID, 90)),
        ({"longitude": -math.inf}, FieldProblem("longitude", FieldRule.INVALID, 180)),
        ({"longitude": True}, FieldProblem("longitude", FieldRule.INVALID, 180)),
    ],
)
async def test_bad_contact_fields_are_refused_at_registration_and_change(
    memory: MemoryServices,
    tenant: Tenant,
    values: dict[str, Any],
    problem: FieldProblem,
) -> None:
    accounts = memory.core.accounts
    claims = await signed_in(memory, tenant, "sonia@example.com")

    with pytest.raises(FieldsInvalid) as at_registration:
        await accounts.register(tenant, registration_for("new@example.com", **values))
    with pytest.raises(FieldsInvalid) as at_change:
        await accounts.update_own(claims, ME, ProfileChange(**values))

    assert at_registration.value.problems == at_change.value.problems == (problem,)
    assert len(memory.store.customer_rows()) == 1


async def test_the_edges_of_the_globe_are_on_it(memory: MemoryServices, tenant: Tenant) -> None:
    claims = await signed_in(memory, tenant, "sonia@example.com")

    changed = await memory.core.accounts.update_own(
        claims, ME, ProfileChange(latitude=-90, longitude=180.0)
    )

    assert (changed.latitude, changed.longitude) == (-90, 180)


async def test_a_registration_failing_on_its_email_leaves_the_code_free(
    memory: MemoryServices, tenant: Tenant
) -> None:
    accounts = memory.core.accounts
    await accounts.register(tenant, registration_for("a@example.com"))

    with pytest.raises(EmailTaken):
        await accounts.register(tenant, registration_for("a@example.com", code="free"))
    created = await accounts.register(tenant, registration_for("b@example.com", code="free"))

    assert created.code == "free"


@pytest.mark.parametrize("policy", list(PasswordPolicyName))
def test_generated_passwords_pass_the_policy_and_differ(policy: PasswordPolicyName) -> None:
    passwords = [generate_password(policy) for _ in range(200)]

    assert all(POLICIES[policy].violations(p) == [] for p in passwords)
    assert all(len(p) == GENERATED_LENGTH for p in passwords)
    assert len(set(passwords)) == len(passwords)


async def _logged_in(services: MemoryServices, tenant: Tenant, email: str) -> AccessClaims:
    async with services.uow() as uow:
        (row,) = (r for r in services.store.customer_rows() if r.customer.email == email)
        await uow.customers.mark_email_verified(row.customer.id, tenant.id, services.clock())
        await uow.commit()
    _, pair = await services.core.auth.login(tenant, email, "change123", client_ip=None)
    return services.core.auth.verify(pair.access_token, tenant)
