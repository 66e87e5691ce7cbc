"""Work that must run only after the answer has been sent, and a ledger that notices when
a dialect forgets to send it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class Ledger:
    """The `AfterAnswer`s created while one request is served, until each is claimed by the
    answer that runs it. What is left once the answer is out was dropped by a dialect."""

    def __init__(self) -> None:
        self._open: dict[int, AfterAnswer] = {}

    def record(self, after: AfterAnswer) -> None:
        self._open[id(after)] = after

    def claim(self, after: AfterAnswer) -> None:
        self._open.pop(id(after), None)

    def unclaimed(self) -> list[AfterAnswer]:
        return list(self._open.values())


_LEDGER: ContextVar[Ledger | None] = ContextVar("patron_deferred_ledger", default=None)


@contextmanager
def recording() -> Iterator[Ledger]:
    """Record every `AfterAnswer` created inside (the HTTP dispatch opens one per request;
    outside one, as in the CLI, nothing is recorded)."""
    ledger = Ledger()
    token = _LEDGER.set(ledger)
    try:
        yield ledger
    finally:
        _LEDGER.reset(token)


@dataclass(frozen=True, slots=True, eq=False)
class AfterAnswer:
    """Returned by use cases whose answer must not depend on what their work finds.

    "Forgotten password" must answer a known and an unknown address alike, in content and
    in time; the lookup, the key and the mail therefore run after the answer is out. Not
    awaitable on purpose: a dialect cannot run it early by mistake, only hand it to its
    HTTP layer (`patron.http.answers.answer_then`), which claims it and runs it after
    sending. One never claimed is found by the request's `Ledger`, not lost.
    """

    work: Callable[[], Awaitable[None]]

    def __post_init__(self) -> None:
        ledger = _LEDGER.get()
        if ledger is not None:
            ledger.record(self)

    def claim(self) -> None:
        """Taken in hand by the answer that will run it."""
        ledger = _LEDGER.get()
        if ledger is not None:
            ledger.claim(self)

    async def run(self) -> None:
        await self.work()
