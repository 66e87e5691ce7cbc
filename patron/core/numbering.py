"""Customer numbers rendered from a per-tenant pattern such as `DE--{n}`."""

from __future__ import annotations

from patron.core.model import TenantSettings


def render_customer_number(settings: TenantSettings, sequence: int) -> str:
    return settings.reference_pattern.format(n=sequence, store=settings.store_code)


def validate_pattern(pattern: str) -> None:
    """Refuse a pattern that cannot produce distinct numbers."""
    if "{n}" not in pattern:
        raise ValueError("the pattern must contain {n}")
    pattern.format(n=1, store="X")
