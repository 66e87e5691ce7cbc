"""Customer groups: named sets of a tenant's customers, managed from the back office."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.ports import Clock, GroupReads, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Groups:
    uow: UnitOfWorkFactory
    reads: GroupReads
    clock: Clock
