"""The back office: admin users and API clients, their credentials, and the one check
every back-office request passes (`BackOffice.authorize`).

Shared by every admin dialect (Medusa's admin API, Emporix's tenant-managed API) and the
console.
"""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.config import CoreConfig
from patron.core.ports import (
    BackOfficeReads,
    Clock,
    LoginThrottle,
    PasswordHasher,
    SessionStore,
    TokenCodec,
    UnitOfWorkFactory,
)


@dataclass(frozen=True, slots=True)
class BackOffice:
    uow: UnitOfWorkFactory
    reads: BackOfficeReads
    sessions: SessionStore
    hasher: PasswordHasher
    codec: TokenCodec
    throttle: LoginThrottle
    clock: Clock
    config: CoreConfig
