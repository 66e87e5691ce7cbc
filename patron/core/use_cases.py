"""The core's public face: what a dialect is handed at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.back_office.addresses import AddressAdministration
from patron.core.back_office.customers import CustomerAdministration
from patron.core.back_office.customers_by_number import ManagedCustomers
from patron.core.back_office.groups import Groups
from patron.core.back_office.imports import CustomerImports
from patron.core.back_office.tenants import TenantAdministration
from patron.core.customers.account_deletion import AccountDeletions
from patron.core.customers.accounts import Accounts
from patron.core.customers.addresses import Addresses
from patron.core.customers.availability import Availability
from patron.core.customers.email_changes import EmailChanges
from patron.core.customers.properties import CustomerProperties
from patron.core.customers.saved_lists import CustomerLists
from patron.core.domain.config import CoreConfig
from patron.core.identity.authentication import Authentication
from patron.core.identity.password_changes import PasswordChanges
from patron.core.identity.request_tokens import RequestTokens
from patron.core.identity.staff import BackOffice
from patron.core.identity.staff_accounts import StaffAccounts
from patron.core.identity.visitors import Visitors
from patron.core.ports.adapters import Adapters
from patron.core.ports.unit_of_work import TenantDirectory


@dataclass(frozen=True, slots=True)
class Core:
    tenants: TenantDirectory
    accounts: Accounts
    auth: Authentication
    addresses: Addresses
    passwords: PasswordChanges
    availability: Availability
    tenant_admin: TenantAdministration
    back_office: BackOffice
    staff_accounts: StaffAccounts
    groups: Groups
    customer_admin: CustomerAdministration
    properties: CustomerProperties
    lists: CustomerLists
    imports: CustomerImports
    address_admin: AddressAdministration
    managed_customers: ManagedCustomers
    visitors: Visitors
    request_tokens: RequestTokens
    email_changes: EmailChanges
    account_deletions: AccountDeletions

    @classmethod
    def build(cls, adapters: Adapters, config: CoreConfig) -> Core:
        """Every use case around one set of adapters, each given what it needs by name."""
        a = adapters
        customer_admin = CustomerAdministration(
            uow=a.uow,
            customer_search=a.customer_search,
            hasher=a.hasher,
            clock=a.clock,
            config=config,
        )
        return cls(
            tenants=a.tenants,
            accounts=Accounts(
                uow=a.uow, customer_reads=a.customer_reads, hasher=a.hasher, codec=a.codec,
                clock=a.clock, config=config, throttle=a.throttle, quota=a.quota,
            ),
            auth=Authentication(
                uow=a.uow, customer_reads=a.customer_reads, hasher=a.hasher, codec=a.codec,
                throttle=a.throttle, clock=a.clock, config=config, sessions=a.sessions,
            ),
            addresses=Addresses(
                uow=a.uow, customer_reads=a.customer_reads, address_reads=a.address_reads,
                clock=a.clock, config=config,
            ),
            passwords=PasswordChanges(
                uow=a.uow, customer_reads=a.customer_reads, hasher=a.hasher, codec=a.codec,
                throttle=a.throttle, clock=a.clock, config=config,
            ),
            availability=Availability(
                uow=a.uow, availability_reads=a.availability_reads,
                customer_reads=a.customer_reads, clock=a.clock,
            ),
            tenant_admin=TenantAdministration(repository=a.tenant_repository),
            back_office=BackOffice(
                uow=a.uow, reads=a.back_office_reads, sessions=a.sessions, hasher=a.hasher,
                codec=a.codec, throttle=a.throttle, clock=a.clock, config=config,
            ),
            staff_accounts=StaffAccounts(
                uow=a.uow, hasher=a.hasher, codec=a.codec, clock=a.clock
            ),
            groups=Groups(uow=a.uow, reads=a.group_reads, clock=a.clock),
            customer_admin=customer_admin,
            properties=CustomerProperties(
                uow=a.uow, customer_reads=a.customer_reads, reads=a.data_reads, clock=a.clock
            ),
            lists=CustomerLists(
                uow=a.uow, customer_reads=a.customer_reads, reads=a.data_reads, clock=a.clock
            ),
            imports=CustomerImports(
                uow=a.uow, hasher=a.hasher, hashes=a.imported_hashes, clock=a.clock
            ),
            address_admin=AddressAdministration(
                uow=a.uow, customer_search=a.customer_search, address_reads=a.address_reads,
                customer_reads=a.customer_reads, clock=a.clock, config=config,
            ),
            managed_customers=ManagedCustomers(
                uow=a.uow, admin=customer_admin, group_reads=a.group_reads,
                address_reads=a.address_reads, hasher=a.hasher, codec=a.codec, clock=a.clock,
                config=config,
            ),
            visitors=Visitors(reads=a.back_office_reads, codec=a.codec, clock=a.clock),
            request_tokens=RequestTokens(codec=a.codec),
            email_changes=EmailChanges(
                uow=a.uow, customer_reads=a.customer_reads, hasher=a.hasher, codec=a.codec,
                throttle=a.throttle, clock=a.clock, config=config,
            ),
            account_deletions=AccountDeletions(
                uow=a.uow, codec=a.codec, clock=a.clock, config=config
            ),
        )  # fmt: skip
