"""The back office's view of customers: search, read, create (guests too), edit."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.config import CoreConfig
from patron.core.ports import (
    Clock,
    CustomerSearch,
    GroupReads,
    PasswordHasher,
    UnitOfWorkFactory,
)


@dataclass(frozen=True, slots=True)
class CustomerAdministration:
    uow: UnitOfWorkFactory
    search: CustomerSearch
    groups: GroupReads
    hasher: PasswordHasher
    clock: Clock
    config: CoreConfig
