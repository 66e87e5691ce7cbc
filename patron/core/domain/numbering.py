"""Customer numbers rendered from a per-tenant pattern such as `DE--{n}`."""

from __future__ import annotations

from patron.core.domain.tenants import TenantSettings


def render_customer_number(settings: TenantSettings, sequence: int) -> str:
    return settings.reference_pattern.format(n=sequence, store=settings.store_code)
