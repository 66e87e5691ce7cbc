"""Work that must run only after the answer has been sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AfterAnswer:
    """Returned by use cases whose answer must not depend on what their work finds.

    "Forgotten password" must answer a known and an unknown address alike, in content and
    in time; the lookup, the key and the mail therefore run after the answer is out. Not
    awaitable on purpose: a dialect cannot run it early by mistake, only hand it to its
    HTTP layer (`patron.http.answers.answer_then`), which runs it after sending.
    """

    work: Callable[[], Awaitable[None]]

    async def run(self) -> None:
        await self.work()
