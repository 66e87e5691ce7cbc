"""Pagination arithmetic, whatever the vendor calls its parameters: pure functions, so the
edge cases are tested without HTTP.

Offset style (Glue and Aimeos `page[offset]`/`page[limit]`, Medusa `offset`/`limit`) and
page-number style (Emporix `pageNumber`/`pageSize`) are both a window over a total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Window:
    """`limit` items from `offset` on (0-based)."""

    offset: int
    limit: int

    def __post_init__(self) -> None:
        if self.offset < 0 or self.limit <= 0:
            raise ValueError("offset must be >= 0 and limit > 0")

    @classmethod
    def of_page(cls, number: int, size: int, *, first: int = 1) -> Window:
        """Page `number` of `size` items, pages counted from `first` (Emporix: 1)."""
        if number < first:
            raise ValueError(f"page numbers start at {first}")
        return cls((number - first) * size, size)

    def pages(self, total: int) -> int:
        """How many pages of `limit` items `total` items fill."""
        return math.ceil(total / self.limit) if total > 0 else 0

    def last_offset(self, total: int) -> int:
        return self.limit * max(self.pages(total) - 1, 0)

    def previous_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None

    def next_offset(self, total: int) -> int | None:
        following = min(self.offset + self.limit, self.pages(total) * self.limit)
        return following if following < total else None
