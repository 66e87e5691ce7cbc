"""Every adapter the use cases need, in one bundle the composition root builds once
(`patron.services`) and `Core.build` hands out by name: a use case that needs one more
port takes it from here, and no call site lists eight positional arguments."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.domain.password_migration import ImportedHashes
from patron.core.ports.back_office import BackOfficeReads, CustomerSearch, GroupReads
from patron.core.ports.customers import (
    AddressReads,
    AvailabilityReads,
    CustomerDataReads,
    CustomerReads,
)
from patron.core.ports.security import (
    LoginThrottle,
    PasswordHasher,
    Quota,
    SessionStore,
    TokenCodec,
)
from patron.core.ports.unit_of_work import (
    Clock,
    TenantDirectory,
    TenantRepository,
    UnitOfWorkFactory,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Adapters:
    uow: UnitOfWorkFactory
    """A new unit of work (one transaction) per call."""
    clock: Clock
    hasher: PasswordHasher
    imported_hashes: ImportedHashes
    """Checks an import's hashes and gives their stored form (the hasher, in production)."""
    codec: TokenCodec
    throttle: LoginThrottle
    quota: Quota
    sessions: SessionStore
    tenants: TenantDirectory
    tenant_repository: TenantRepository
    customer_reads: CustomerReads
    address_reads: AddressReads
    data_reads: CustomerDataReads
    availability_reads: AvailabilityReads
    back_office_reads: BackOfficeReads
    group_reads: GroupReads
    customer_search: CustomerSearch
