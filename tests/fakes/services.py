"""The core wired to the fake, as `patron.services.Services.build` wires it to storage:
the same settings-made throttle, hasher and config, the same `Core.build`."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.ports.adapters import Adapters
from patron.core.ports.unit_of_work import Clock
from patron.core.use_cases import Core
from patron.security.codec import JwtCodec
from patron.security.throttle import RateQuota
from patron.services import core_config, login_throttle, password_hasher
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
        hasher = password_hasher(settings)
        tenants = MemoryTenants(store)
        adapters = Adapters(
            uow=lambda: MemoryUnitOfWork(store),
            clock=clock,
            hasher=hasher,
            imported_hashes=hasher,
            codec=JwtCodec(
                secret=SIGNING_KEY, access_ttl_seconds=settings.access_token_ttl_seconds
            ),
            throttle=login_throttle(settings, counters),
            quota=RateQuota(counters),
            sessions=MemorySessions(),
            tenants=tenants,
            tenant_repository=tenants,
            customer_reads=MemoryCustomerReads(store),
            address_reads=MemoryAddressReads(store),
            data_reads=MemoryCustomerDataReads(store),
            availability_reads=MemoryAvailabilityReads(store),
            back_office_reads=MemoryBackOfficeReads(store),
            group_reads=MemoryGroupReads(store),
            customer_search=MemoryCustomerSearch(store),
        )
        core = Core.build(adapters, core_config(settings))
        return cls(settings, core, store, clock, SIGNING_KEY, counters)
