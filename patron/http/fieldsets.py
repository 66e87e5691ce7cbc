"""Query parameters several vendors share: sparse fieldsets and includes (JSON:API style,
used by Glue and Aimeos)."""

from __future__ import annotations

from collections.abc import Iterable


def fieldsets(query: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """`fields[type]=a,b` parameters, by resource type."""
    found: dict[str, frozenset[str]] = {}
    for key, value in query:
        if key.startswith("fields[") and key.endswith("]"):
            found[key[7:-1]] = frozenset(name.strip() for name in value.split(",") if name)
    return found


def includes(raw: str | None) -> frozenset[str]:
    """The names in `include=a,b`; unknown ones are simply never used."""
    return frozenset(part.strip() for part in (raw or "").split(",") if part.strip())
