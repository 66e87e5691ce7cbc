"""The core's public face: what a dialect is handed at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.account_deletion import AccountDeletions
from patron.core.accounts import Accounts
from patron.core.address_admin import AddressAdministration
from patron.core.addresses import Addresses
from patron.core.auth import Authentication
from patron.core.availability import Availability
from patron.core.back_office import BackOffice
from patron.core.customer_admin import CustomerAdministration
from patron.core.email_changes import EmailChanges
from patron.core.groups import Groups
from patron.core.imports import CustomerImports
from patron.core.lists import CustomerLists
from patron.core.managed_customers import ManagedCustomers
from patron.core.password_changes import PasswordChanges
from patron.core.ports import TenantDirectory
from patron.core.properties import CustomerProperties
from patron.core.tenants import TenantAdministration
from patron.core.visitors import Visitors


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
