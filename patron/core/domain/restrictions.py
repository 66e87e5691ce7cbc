"""A customer's `restriction` (Emporix' site permission) as every dialect writes it: one
of the tenant's `restrictions`, and, where the tenant syncs it with the site, the site a
write names when the write names no restriction itself."""

from __future__ import annotations

from dataclasses import replace

from patron.core.domain.commands import Unset
from patron.core.domain.customer_changes import CustomerChanges
from patron.core.domain.errors.invalid_input import RestrictionInvalid
from patron.core.domain.tenants import TenantSettings


def checked_restriction(settings: TenantSettings, restriction: str | None) -> str | None:
    """`restriction` if the tenant knows it (None: unrestricted); `RestrictionInvalid` else."""
    if restriction is not None and restriction not in settings.restrictions:
        raise RestrictionInvalid(restriction)
    return restriction


def new_restriction(
    settings: TenantSettings, restriction: str | None, site: str | None
) -> str | None:
    """The restriction of a new customer: the one given, else its site when the tenant
    syncs them and the site is one of its restrictions (a site that is none leaves the
    customer unrestricted rather than refusing the sign-up)."""
    if restriction is not None:
        return checked_restriction(settings, restriction)
    if settings.sync_restriction_with_site and site in settings.restrictions:
        return site
    return None


def with_site_rules(settings: TenantSettings, changes: CustomerChanges) -> CustomerChanges:
    """Profile fields to write, with the restriction they imply: a given one checked, or
    the new site's when the tenant syncs them and the change sets no restriction."""
    if not isinstance(changes.restriction, Unset):
        checked_restriction(settings, changes.restriction)
        return changes
    site = changes.site
    if isinstance(site, Unset) or not settings.sync_restriction_with_site:
        return changes
    if site in settings.restrictions:
        return replace(changes, restriction=site)
    return changes
