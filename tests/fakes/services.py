"""The core wired to the fake, as `patron.services.Services.build` wires it to storage."""

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
from patron.core.identity.staff import BackOffice
from patron.core.identity.visitors import Visitors
from patron.core.ports.unit_of_work import Clock
from patron.core.use_cases import Core
from patron.security.codec import JwtCodec
from patron.security.hashing import Argon2Hasher, MigratingHasher
from patron.security.throttle import RateQuota, Throttle, ThrottlePolicy
from patron.settings import Settings
from tests.fakes.adapters import MemoryCounters, MemorySessions, MemoryTenants
from tests.fakes.addresses import MemoryAddressReads
from tests.fakes.availability import MemoryAvailabilityReads
from tests.fakes.back_office import MemoryBackOfficeReads
from tests.fakes.customer_data import MemoryCustomerDataReads
from tests.fakes.customers import MemoryCustomerReads
from tests.fakes.groups import MemoryCustomerSearch, MemoryGroupReads
from tests.fakes.store import MemoryStore
from tests.fakes.uow import MemoryUnitOfWork

SIGNING_KEY = b"in-memory signing key of the core tests, 32+ bytes"


@dataclass(slots=True)
class MemoryServices:
    """What a core test asks of `Services`, without a database: `core`, `clock`, and
    `store`, where the test reads and seeds rows."""

    settings: Settings
    core: Core
    store: MemoryStore
    clock: Clock
    secret: bytes
    counters: MemoryCounters
    """The throttle's and quotas' counters, which a test may inspect."""

    def uow(self) -> MemoryUnitOfWork:
        """A unit of work of the core's store, for a test that stages rows the way
        storage would write them."""
        return MemoryUnitOfWork(self.store)

    @classmethod
    def build(
        cls, settings: Settings, clock: Clock, *, store: MemoryStore | None = None
    ) -> MemoryServices:
        """`store`: another build's, as two processes share one database."""
        store = store or MemoryStore(clock())
        counters = MemoryCounters()
        throttle = Throttle(
            ThrottlePolicy(
                max_failures=settings.login_max_failures,
                window_seconds=settings.login_failure_window_seconds,
                block_seconds=settings.login_block_seconds,
            ),
            counters,
        )
        hasher = MigratingHasher(
            Argon2Hasher(
                memory_kib=settings.argon2_memory_kib,
                time_cost=settings.argon2_time_cost,
                parallelism=settings.argon2_parallelism,
            )
        )
        codec = JwtCodec(secret=SIGNING_KEY, access_ttl_seconds=settings.access_token_ttl_seconds)
        config = CoreConfig(
            public_url=settings.public_url,
            confirm_url_template=settings.storefront_confirm_url,
            confirmation_token_ttl_seconds=settings.confirmation_token_ttl_seconds,
            refresh_token_ttl_seconds=settings.refresh_token_ttl_seconds,
            password_reset_url_template=settings.storefront_password_reset_url,
            password_reset_ttl_seconds=settings.password_reset_ttl_seconds,
            max_addresses_per_customer=settings.max_addresses_per_customer,
            session_ttl_seconds=settings.session_ttl_seconds,
            back_office_token_ttl_seconds=settings.back_office_token_ttl_seconds,
        )
        reads = MemoryCustomerReads(store)
        addresses = MemoryAddressReads(store)
        sessions = MemorySessions()
        tenants = MemoryTenants(store)
        search = MemoryCustomerSearch(store)
        groups = MemoryGroupReads(store)
        back_office = MemoryBackOfficeReads(store)
        data = MemoryCustomerDataReads(store)

        def uow() -> MemoryUnitOfWork:
            return MemoryUnitOfWork(store)

        customer_admin = CustomerAdministration(uow, search, hasher, clock, config)
        core = Core(
            tenants=tenants,
            accounts=Accounts(
                uow, reads, hasher, codec, clock, config, throttle, RateQuota(counters)
            ),
            auth=Authentication(uow, reads, hasher, codec, throttle, clock, config, sessions),
            addresses=Addresses(uow, reads, addresses, clock, config),
            passwords=PasswordChanges(uow, reads, hasher, codec, throttle, clock, config),
            availability=Availability(uow, MemoryAvailabilityReads(store), reads, clock),
            tenant_admin=TenantAdministration(tenants),
            back_office=BackOffice(
                uow, back_office, sessions, hasher, codec, throttle, clock, config
            ),
            groups=Groups(uow, groups, clock),
            customer_admin=customer_admin,
            properties=CustomerProperties(uow, reads, data, clock),
            lists=CustomerLists(uow, reads, data, clock),
            imports=CustomerImports(uow, hasher, hasher, clock),
            address_admin=AddressAdministration(uow, search, addresses, reads, clock, config),
            managed_customers=ManagedCustomers(
                uow, customer_admin, groups, addresses, hasher, codec, clock, config
            ),
            visitors=Visitors(back_office, codec, clock),
            email_changes=EmailChanges(uow, reads, hasher, codec, throttle, clock, config),
            account_deletions=AccountDeletions(uow, codec, clock, config),
        )
        return cls(settings, core, store, clock, SIGNING_KEY, counters)
