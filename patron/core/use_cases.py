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
from patron.core.identity.authentication import Authentication
from patron.core.identity.password_changes import PasswordChanges
from patron.core.identity.staff import BackOffice
from patron.core.identity.visitors import Visitors
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
    groups: Groups
    customer_admin: CustomerAdministration
    properties: CustomerProperties
    lists: CustomerLists
    imports: CustomerImports
    address_admin: AddressAdministration
    managed_customers: ManagedCustomers
    visitors: Visitors
    email_changes: EmailChanges
    account_deletions: AccountDeletions
