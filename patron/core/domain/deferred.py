"""Work that must run only after the answer has been sent, and a ledger that notices when
a dialect forgets to send it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class Ledger:
    """The `AfterAnswer`s created while one request is served, until each has run. Once
    the answer is out, what is left was either never claimed by an answer (a dialect
    dropped it) or claimed by one that failed before its work ran."""

    __slots__ = ("_open",)

    def __init__(self) -> None:
        # Each not-yet-run `AfterAnswer` (hashed by identity: `eq=False`) -> claimed.
        self._open: dict[AfterAnswer, bool] = {}

    def record(self, after: AfterAnswer) -> None:
        self._open[after] = False

    def claim(self, after: AfterAnswer) -> None:
        if after in self._open:
            self._open[after] = True

    def ran(self, after: AfterAnswer) -> None:
        self._open.pop(after, None)

    def unclaimed(self) -> list[AfterAnswer]:
        return [after for after, claimed in self._open.items() if not claimed]

    def not_run(self) -> list[AfterAnswer]:
        """Every recorded `AfterAnswer` that has not run, claimed or not."""
        return list(self._open)

    def left_over(self) -> list[tuple[AfterAnswer, bool]]:
        """Each `AfterAnswer` not run, with whether an answer claimed it."""
        return list(self._open.items())


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
        """The work, once: it counts as run from its start, so a failure is not retried."""
        ledger = _LEDGER.get()
        if ledger is not None:
            ledger.ran(self)
        await self.work()
