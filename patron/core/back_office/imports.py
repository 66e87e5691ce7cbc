"""Customers imported in bulk, with the password hashes of the system they come from, and
the tenant's password-migration window (`password_migration`).

An import is a registration without the registration's side effects: no confirmation or
welcome mail, no password policy (the password is not known, only its hash). Each customer
is its own transaction, so a bad one never stops the others and leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from patron.core.customers.registration import (
    add_customer,
    check_chosen_number,
    prepare_registration,
)
from patron.core.domain.commands import Registration
from patron.core.domain.errors.base import DomainError
from patron.core.domain.errors.conflict import MigrationNotConcluded
from patron.core.domain.errors.invalid_input import (
    CredentialChoice,
    ImportBatchTooLarge,
    MigrationWindowRequired,
)
from patron.core.domain.errors.not_found import MigrationWindowNotSet
from patron.core.domain.errors.unavailable import ServiceUnavailable
from patron.core.domain.model import Customer
from patron.core.domain.password_migration import (
    ImportedHashes,
    ImportedPassword,
    MigrationWindow,
    MigrationWindowRequest,
    open_window,
)
from patron.core.domain.principals import Principal, Scope
from patron.core.domain.tenants import Tenant
from patron.core.identity.access import require_scope
from patron.core.ports.security import PasswordHasher
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory

MAX_BATCH = 200
"""A customer number an importer chooses: it sits in URL paths, so nothing to escape."""


@dataclass(frozen=True, slots=True)
class ImportedCustomer:
    """One customer to import: the profile (`registration.password` unused), the number
    it had in the system it comes from (None: the tenant's next), and its credential."""

    registration: Registration
    password: ImportedPassword
    customer_number: str | None = None


@dataclass(frozen=True, slots=True)
class Imported:
    index: int
    customer: Customer


@dataclass(frozen=True, slots=True)
class Refused:
    """The item at `index` was not stored, for `error`."""

    index: int
    error: DomainError


ImportOutcome = Imported | Refused


@dataclass(frozen=True, slots=True)
class CustomerImports:
    uow: UnitOfWorkFactory
    hasher: PasswordHasher
    hashes: ImportedHashes
    clock: Clock

    async def import_batch(
        self, principal: Principal, tenant: Tenant, items: Sequence[ImportedCustomer]
    ) -> list[ImportOutcome]:
        """One outcome per item, in order. Refused items (a domain error each) are not
        stored; the others are, each committed on its own. Once the database gives no
        connection (`ServiceUnavailable`), the rest are refused for it untried: each
        would wait out the pool's timeout again."""
        require_scope(principal, tenant, Scope.IMPORTS_MANAGE)
        if len(items) > MAX_BATCH:
            raise ImportBatchTooLarge(MAX_BATCH)
        outcomes: list[ImportOutcome] = []
        unavailable: ServiceUnavailable | None = None
        for index, item in enumerate(items):
            if unavailable is not None:
                outcomes.append(Refused(index, unavailable))
                continue
            try:
                outcomes.append(Imported(index, await self._import(tenant, item)))
            except ServiceUnavailable as error:
                unavailable = error
                outcomes.append(Refused(index, error))
            except DomainError as error:
                outcomes.append(Refused(index, error))
        return outcomes

    async def _import(self, tenant: Tenant, item: ImportedCustomer) -> Customer:
        password = item.password
        if (password.hash is None) == (password.legacy is None):
            raise CredentialChoice()
        if item.customer_number is not None:
            check_chosen_number(item.customer_number)  # before the hash is looked at
        registration = replace(item.registration, password=None)
        prepared = await prepare_registration(tenant, registration, self.hasher)
        # The shop it comes from proved the address: it logs in without a confirmation.
        # The password is the customer's own from there, not an initial one of staff's.
        prepared = replace(prepared, password_hash=self.hashes.stored_form(password), vouched=True)
        async with self.uow() as uow:
            if password.legacy is not None:
                window = await uow.password_migration.window(tenant.id, lock=True)
                if window is None or window.ends_on < self.clock().date():
                    raise MigrationWindowRequired()
            now = self.clock()
            customer = await add_customer(
                uow, tenant, prepared, now, customer_number=item.customer_number
            )
            await uow.commit()
        return customer

    async def window(self, principal: Principal, tenant: Tenant) -> MigrationWindow:
        require_scope(principal, tenant, Scope.IMPORTS_READ)
        async with self.uow() as uow:
            window = await uow.password_migration.window(tenant.id)
        if window is None:
            raise MigrationWindowNotSet()
        return window

    async def set_window(
        self, principal: Principal, tenant: Tenant, request: MigrationWindowRequest
    ) -> MigrationWindow:
        """Open the window or move it (its end may move earlier, to finish sooner)."""
        require_scope(principal, tenant, Scope.IMPORTS_MANAGE)
        window = open_window(request, self.clock().date())
        async with self.uow() as uow:
            await uow.password_migration.put_window(tenant.id, window)
            await uow.commit()
        return window

    async def remove_window(self, principal: Principal, tenant: Tenant) -> None:
        """Refused (`MigrationNotConcluded`) while the window is open and accounts still
        hold legacy hashes, so no legacy hash outlives the window that bounds it. Once
        the window has ended, the legacy hashes left are cleared with it: those accounts
        log in again after a password reset. Removing no window is no error."""
        require_scope(principal, tenant, Scope.IMPORTS_MANAGE)
        async with self.uow() as uow:
            window = await uow.password_migration.remove_window(tenant.id)
            if window is None:
                return
            if window.ends_on < self.clock().date():
                await uow.password_migration.clear_legacy_hashes(tenant.id)
            elif await uow.password_migration.legacy_accounts(tenant.id):
                raise MigrationNotConcluded()
            await uow.commit()
