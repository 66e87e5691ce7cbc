"""What the back-office lists share: numbered filters, and a page with its total count in
one round trip."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from patron.core.domain.queries import Comparison, Page, TimeBound

OPERATORS = {
    Comparison.LT: "<",
    Comparison.GT: ">",
    Comparison.LTE: "<=",
    Comparison.GTE: ">=",
}


class Filters:
    """WHERE conditions joined by AND, and their arguments numbered as they are added.

    A condition is SQL text of our own with `{}` where its one argument goes (`{0}`,
    `{1}`... for several, each usable more than once); values never become SQL text.
    """

    def __init__(self, first: str, args: Sequence[Any]) -> None:
        self._conditions = [first]
        self.args: list[Any] = list(args)

    def add(self, condition: str, *values: Any) -> None:
        first = len(self.args) + 1
        self.args.extend(values)
        numbers = [f"${first + i}" for i in range(len(values))]
        self._conditions.append(condition.format(*numbers))

    def add_bounds(self, column: str, bounds: Sequence[TimeBound]) -> None:
        for bound in bounds:
            self.add(f"{column} {OPERATORS[bound.comparison]} {{}}", bound.value)

    @property
    def sql(self) -> str:
        return " AND ".join(self._conditions)


async def page_and_count(
    pool: asyncpg.Pool,
    *,
    columns: str,
    source: str,
    where: Filters,
    order: Sequence[tuple[str, bool]],
    tiebreak: str,
    page: Page,
) -> tuple[list[asyncpg.Record], int]:
    """One page in `order` (expressions of our own, each with whether it descends; ties
    broken by `tiebreak` in the last key's direction, so pages neither overlap nor skip)
    and the count of every match.

    The count rides along as an uncorrelated subquery, computed once: one round trip.
    Only an empty page that may not be the whole answer (past the end, or `limit=0`),
    which has no row to carry the count, costs a second statement.
    """
    keys = [f"{expression} {'DESC' if descending else 'ASC'}" for expression, descending in order]
    if tiebreak not in (expression for expression, _ in order):
        keys.append(f"{tiebreak} {'DESC' if order and order[-1][1] else 'ASC'}")
    order_by = ", ".join(keys)
    n = len(where.args)
    rows = await pool.fetch(
        f"SELECT {columns}, (SELECT count(*) FROM {source} WHERE {where.sql}) AS total_count "
        f"FROM {source} WHERE {where.sql} ORDER BY {order_by} LIMIT ${n + 1} OFFSET ${n + 2}",
        *where.args,
        page.served_limit,
        page.offset,
    )
    if rows:
        return rows, rows[0]["total_count"]
    if page.offset == 0 and page.served_limit > 0:  # nothing matched at all
        return [], 0
    total: int = await pool.fetchval(
        f"SELECT count(*) FROM {source} WHERE {where.sql}", *where.args
    )
    return [], total
