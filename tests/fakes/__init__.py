"""An in-memory stand-in for `patron.storage`, so core rules are tested without PostgreSQL.

`MemoryStore` holds the committed rows; `MemoryUnitOfWork` works on a copy taken when it
begins and publishes it on commit, so an exit without commit leaves the store as it was.
`tests/storage/test_unit_of_work_contract.py` runs the same checks against this fake and
the PostgreSQL adapters, so the two cannot drift apart.
"""

from tests.fakes.services import MemoryServices
from tests.fakes.store import MemoryStore
from tests.fakes.uow import MemoryUnitOfWork

__all__ = ["MemoryServices", "MemoryStore", "MemoryUnitOfWork"]
